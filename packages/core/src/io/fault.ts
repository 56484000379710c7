/**
 * Test-only fault injection.
 *
 * Output writes: the n-th write from now (in this thread) fails with
 * an errno error, as a full disk (ENOSPC), a permission change (EACCES), a read-only remount (EROFS)
 * or a failing device (EIO) would make it fail. Armed by `injectWriteFault` (in-process tests) or by
 * the environment variable CALLAUDIT_TEST_WRITE_FAULT=<code>:<n>, read when a thread loads this
 * module (so worker threads and child processes fail too). Unarmed, `beforeWrite` does nothing.
 *
 * Starting a worker pool: with CALLAUDIT_TEST_POOL_FAULT=<code> set (read at each start, so
 * in-process tests set and unset it), `beforePoolStart` throws an errno-style error with that code,
 * as Node's Worker constructor does when a thread cannot be created (ERR_WORKER_INIT_FAILED).
 */
let armed: { code: string; countdown: number } | null = null;

export function injectWriteFault(code: string, nth: number): void {
  armed = { code, countdown: nth };
}

export function clearWriteFault(): void {
  armed = null;
}

/** Called before each write of an output file (or spool) with the file's path. */
export function beforeWrite(path: string): void {
  if (armed === null || --armed.countdown > 0) return;
  const { code } = armed;
  armed = null;
  throw Object.assign(new Error(`${code}: injected fault, write '${path}'`), { code, syscall: 'write', path });
}

const fromEnv = /^([A-Z]+):(\d+)$/.exec(process.env.CALLAUDIT_TEST_WRITE_FAULT ?? '');
if (fromEnv !== null) injectWriteFault(fromEnv[1]!, Number(fromEnv[2]));

/** Called before a worker pool starts its threads. */
export function beforePoolStart(): void {
  const code = process.env.CALLAUDIT_TEST_POOL_FAULT;
  if (code) throw Object.assign(new Error(`${code}: injected fault, starting a worker thread`), { code });
}
