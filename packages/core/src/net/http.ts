/**
 * HTTP helpers shared by the clients of remote services (Exchange UM in um/, Microsoft Graph in
 * fetch/): a capped body read, Retry-After, loopback hosts, and a short reason for a network failure.
 */
import { Buffer } from 'node:buffer';
import { ErrorCode, fail } from '../errors.js';

/** Reads the body, refusing more than `maxBytes` (by Content-Length, then as it streams). */
export async function readCapped(response: Response, maxBytes: number): Promise<Uint8Array> {
  const declared = Number(response.headers.get('content-length'));
  const tooLarge = (): never => {
    throw fail(ErrorCode.Remote, `response is larger than the ${maxBytes}-byte limit`);
  };
  if (Number.isFinite(declared) && declared > maxBytes) {
    await response.body?.cancel();
    tooLarge();
  }
  if (response.body === null) return new Uint8Array(0);
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = response.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      tooLarge();
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks, size);
}

/** Retry-After: delta-seconds or an HTTP-date; undefined when absent or unreadable. */
export function retryAfter(header: string | null, now: number): number | undefined {
  if (header === null) return undefined;
  const value = header.trim();
  if (value !== '' && [...value].every((c) => c >= '0' && c <= '9')) return Number(value) * 1000;
  // An HTTP-date names its day and month; Date.parse alone would read "-5" as a year.
  const date = /[a-z]/i.test(value) ? Date.parse(value) : NaN;
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** localhost, 127.0.0.0/8 and ::1. */
export function isLoopback(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '');
  return host === 'localhost' || host === '::1' || (host.startsWith('127.') && host.split('.').length === 4);
}

export function networkReason(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown; message?: unknown } } | null)?.cause;
  if (typeof cause?.code === 'string') return cause.code;
  return messageOf(cause ?? error);
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
