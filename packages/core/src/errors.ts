/**
 * Every error callaudit raises on purpose carries a stable `code`. Callers (the CLI, tests, library
 * users) branch on the code, never on message text. Errors are made by the factory below, one fresh
 * Error per use, with the underlying failure as `cause`.
 */
export const ErrorCode = {
  /** Bad options or arguments: a user mistake in how callaudit was called. */
  Usage: 'E_USAGE',
  /** An input could not be read at all (missing file, unreadable, not gzip though it says so). */
  Input: 'E_INPUT',
  /** A rules file or other configuration is invalid. */
  Config: 'E_CONFIG',
  /** The output location is unusable (exists without --force, not writable). */
  Output: 'E_OUTPUT',
  /** The run was interrupted (signal, abort). */
  Interrupted: 'E_INTERRUPTED',
  /** A remote service answered with an error (Exchange UM). */
  Remote: 'E_REMOTE',
  /** A bug: an invariant of callaudit itself broke. */
  Internal: 'E_INTERNAL',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

export class CallauditError extends Error {
  override readonly name = 'CallauditError';
  readonly code: ErrorCode;
  /** Where in an input the problem is, when it is about an input. */
  readonly file: string | undefined;
  readonly offset: number | undefined;

  constructor(code: ErrorCode, message: string, options: { cause?: unknown; file?: string; offset?: number } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.file = options.file;
    this.offset = options.offset;
  }
}

/** The one way to make a CallauditError. */
export function fail(code: ErrorCode, message: string, options: { cause?: unknown; file?: string; offset?: number } = {}): CallauditError {
  return new CallauditError(code, message, options);
}

export function isCallauditError(error: unknown): error is CallauditError {
  return (
    error instanceof CallauditError ||
    (typeof error === 'object' &&
      error !== null &&
      (error as { name?: unknown }).name === 'CallauditError' &&
      typeof (error as { code?: unknown }).code === 'string')
  );
}
