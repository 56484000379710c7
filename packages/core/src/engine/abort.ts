/** A run stopped by its AbortSignal (the CLI aborts on SIGINT / SIGTERM): one error, one message. */
import { ErrorCode, fail } from '../errors.js';
import type { CallauditError } from '../errors.js';

export function interrupted(cause?: unknown): CallauditError {
  return fail(ErrorCode.Interrupted, 'interrupted; no report was written', cause === undefined ? {} : { cause });
}

export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw interrupted();
}
