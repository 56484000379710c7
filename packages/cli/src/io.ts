import { readFileSync } from 'node:fs';

/** What the CLI touches of its process: injected so tests can run commands in-process. */
export interface Io {
  readonly stdout: NodeJS.WritableStream & { isTTY?: boolean };
  readonly stderr: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  readonly stdin: NodeJS.ReadableStream;
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
  readonly version: string;
  /** A command sets this to finish with a non-zero code without throwing (e.g. --fail-on-rejects). */
  exitCode?: number;
  /** Aborted on SIGINT / SIGTERM. */
  readonly signal?: AbortSignal;
}

function cliVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

/**
 * The process's Io. SIGINT and SIGTERM abort the signal: a run stops its workers, removes its
 * temporary folder and exits 130 with one line. A second signal exits 130 at once, without
 * waiting for that clean-up.
 */
export function processIo(): Io {
  const controller = new AbortController();
  const onSignal = (): void => {
    if (controller.signal.aborted) process.exit(130);
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    env: process.env,
    cwd: process.cwd(),
    version: cliVersion(),
    signal: controller.signal,
  };
}
