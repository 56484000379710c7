/**
 * A small UM web service for tests: listens on 127.0.0.1 with an ephemeral port, reads each request
 * envelope (operation and CallId) and answers what the test's handler says.
 */
import { createServer } from 'node:http';
import type { IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readXml } from '../../src/um/xml.js';
import { callInfoResponse } from './fixtures.js';

export interface SeenRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  /** The body element's local name (GetCallInfo, PlayOnPhone, ...). */
  readonly operation: string;
  readonly callId: string | null;
}

export type Reply = { readonly status?: number; readonly body?: string; readonly headers?: Record<string, string> } | 'hang';
export type Handler = (request: SeenRequest, index: number) => Reply;

export interface UmServer {
  readonly url: string;
  readonly requests: SeenRequest[];
  close(): Promise<void>;
}

export async function startUmServer(handler: Handler): Promise<UmServer> {
  const requests: SeenRequest[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const operation = readXml(body).children[0]!.children[0]!;
      const seen: SeenRequest = {
        method: request.method ?? '',
        path: request.url ?? '',
        headers: request.headers,
        body,
        operation: operation.name,
        callId: operation.children.find((child) => child.name === 'CallId')?.text ?? null,
      };
      requests.push(seen);
      const reply = handler(seen, requests.length - 1);
      if (reply === 'hang') return;
      response.writeHead(reply.status ?? 200, { 'content-type': 'text/xml; charset=utf-8', ...reply.headers });
      response.end(reply.body ?? '');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/UnifiedMessaging/Service.asmx`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Answers GetCallInfo polls with these (state, cause) pairs in turn, repeating the last one. */
export function callSequence(...states: ReadonlyArray<readonly [string, string]>): Handler {
  return (_request, index) => {
    const [state, cause] = states[Math.min(index, states.length - 1)]!;
    return { body: callInfoResponse(state, cause) };
  };
}
