/** Shared by the fetch tests: a temporary folder per test file, a loopback Graph per test (closed after it), rejections. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll } from 'vitest';
import type { GraphOptions, GraphServer } from '@callaudit/datasets';
import { startGraph } from '@callaudit/datasets';

export interface GraphFixture {
  /** Starts this test's Graph (one at a time; the previous one is closed after each test). */
  serve(options: GraphOptions): Promise<GraphServer>;
  /** The server of the running test. */
  server(): GraphServer;
  /** A new folder path (not created) under this file's temporary folder. */
  newOut(): string;
  dir(): string;
}

export function useGraph(prefix: string): GraphFixture {
  let dir = '';
  let server: GraphServer | undefined;
  let folders = 0;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), prefix));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });
  return {
    async serve(options) {
      await server?.close();
      server = await startGraph(options);
      return server;
    },
    server: () => server!,
    newOut: () => join(dir, `out-${++folders}`),
    dir: () => dir,
  };
}

/** What a promise rejected with: its code and message (fails when it resolves). */
export async function rejection(promise: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await promise;
  } catch (error) {
    return error as { code: string; message: string };
  }
  throw new Error('expected a rejection');
}
