/**
 * The report folder, written atomically: every file goes into a temporary folder beside the target
 * (`.<name>.tmp-<pid>-<random>`), which `commit` renames to the target in one step. Until then the
 * target is untouched, so an interrupted or failed run leaves no half-written report there (a
 * crash can leave the hidden temporary folder behind; `abort` removes it). No fsync: the swap is
 * atomic against interruption of this process, not against a power cut.
 *
 * Every report holds a marker file (`.callaudit-report`, see report-marker.ts). An existing
 * non-empty folder is replaced only with force, only when it is a report, and never when it is or
 * contains one of the run's inputs, or lies inside one without being a report (a report inside an
 * input folder is skipped when the folder is read, so it is no input); compared by real path. A
 * lock file beside the target (`<target>.lock`, holding the pid) keeps a second run off the same
 * target from create to commit or abort; the lock of a process that no longer runs is taken over.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { link, lstat, mkdir, open, readdir, readFile, realpath, rename, rm, rmdir, unlink, writeFile } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { homedir } from 'node:os';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { ErrorCode, fail, isCallauditError } from '../errors.js';
import { beforeWrite } from './fault.js';
import type { CallauditError } from '../errors.js';
import { isReportFolder, REPORT_MARKER, reportMarkerText } from '../report-marker.js';

export interface OutputDirOptions {
  /** Replace an existing non-empty target folder (on commit, not before). */
  readonly force?: boolean;
  /**
   * The run's inputs (files and folders): an existing target that is or contains one of them, or
   * lies inside one and is no report, is never replaced, with or without force (E_USAGE).
   */
  readonly inputs?: readonly string[];
}

/** A file written by appending, buffered. */
export interface AppendFile {
  /** The file's name inside the output folder. */
  readonly name: string;
  /**
   * Appends text (as UTF-8) or bytes. Resolves at once while the buffer has room; past the high-water
   * mark it resolves once the buffer is on disk, so a caller that awaits each write is held back.
   */
  write(data: string | Uint8Array): Promise<void>;
  /** Flushes and closes. Safe to call twice. */
  close(): Promise<void>;
}

/** Buffered characters or bytes before a write goes to disk. */
const HIGH_WATER = 1 << 20;

type State = 'open' | 'committed' | 'aborted';

export class OutputDir {
  /** The report folder, absolute. Absent or untouched until commit. */
  readonly target: string;
  /** The temporary folder the files are written to. */
  readonly temp: string;
  private readonly force: boolean;
  private readonly inputs: readonly Input[];
  private readonly lock: Lock;
  /** The first of the target's parent folders this run made (removed again on abort), or null. */
  private readonly madeParent: string | null;
  private state: State = 'open';
  private readonly files = new Set<BufferedFile>();
  private readonly pending = new Set<Promise<unknown>>();

  private constructor(target: string, temp: string, force: boolean, inputs: readonly Input[], lock: Lock, madeParent: string | null) {
    this.target = target;
    this.temp = temp;
    this.force = force;
    this.inputs = inputs;
    this.lock = lock;
    this.madeParent = madeParent;
  }

  /**
   * Checks the target, takes the lock and makes the temporary folder with the report marker.
   * Fails E_OUTPUT when the target exists and is not an empty folder (unless force), is not a
   * folder, is a folder force must never replace (the filesystem root, the home folder, the working
   * folder or one of its parents), or is locked by another run that is still running (the message
   * names its pid). Fails E_USAGE when the target is a non-empty folder that is, contains or lies
   * inside an input, or (with force) that is not a callaudit report. Parent folders it makes for
   * the target are removed again when it fails, and by abort.
   */
  static async create(dir: string, options: OutputDirOptions = {}): Promise<OutputDir> {
    const force = options.force === true;
    const target = resolve(dir);
    const inputs = await realInputs(options.inputs ?? []);
    await checkTarget(target, force, inputs);
    const parent = dirname(target);
    const temp = join(parent, `.${basename(target)}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`);
    let madeParent: string | null;
    try {
      madeParent = (await mkdir(parent, { recursive: true })) ?? null;
    } catch (cause) {
      throw fail(ErrorCode.Output, `cannot create the output folder beside ${target}: ${reason(cause)}`, { cause, file: target });
    }
    let lock: Lock | null = null;
    try {
      lock = await Lock.take(target);
      await mkdir(temp);
      await writeFile(join(temp, REPORT_MARKER), reportMarkerText());
    } catch (cause) {
      await rm(temp, { recursive: true, force: true }).catch(() => undefined);
      await lock?.release();
      await removeEmptyParents(parent, madeParent);
      if (isCallauditError(cause)) throw cause;
      throw fail(ErrorCode.Output, `cannot create the output folder beside ${target}: ${reason(cause)}`, { cause, file: target });
    }
    return new OutputDir(target, temp, force, inputs, lock, madeParent);
  }

  /** The path of a file inside the temporary folder, its sub folders created. `name` is relative. */
  path(name: string): string {
    this.assertOpen(name);
    const full = resolve(this.temp, name);
    if (isAbsolute(name) || !full.startsWith(this.temp + sep)) {
      throw fail(ErrorCode.Internal, `output file name ${JSON.stringify(name)} is not a relative path inside the output folder`);
    }
    try {
      mkdirSync(dirname(full), { recursive: true });
    } catch (cause) {
      throw fail(ErrorCode.Output, `cannot create the folder for ${name} in ${this.temp}: ${reason(cause)}`, { cause, file: full });
    }
    return full;
  }

  /** Opens (creates or truncates) a file for buffered appending. */
  async openAppend(name: string): Promise<AppendFile> {
    const full = this.path(name);
    const handle = await this.track(
      open(full, 'w').catch((cause: unknown) => {
        throw writeFailed(full, cause);
      }),
    );
    if (this.state !== 'open') {
      await handle.close();
      throw interrupted(name);
    }
    const file = new BufferedFile(name, full, handle, () => this.files.delete(file));
    this.files.add(file);
    return file;
  }

  /** Writes a whole file. */
  async writeFile(name: string, data: string | Uint8Array): Promise<void> {
    const full = this.path(name);
    const write = async (): Promise<void> => {
      beforeWrite(full);
      await writeFile(full, data);
    };
    await this.track(
      write().catch((cause: unknown) => {
        throw writeFailed(full, cause);
      }),
    );
  }

  /**
   * Moves the finished folder to the target: an existing target is renamed aside, the temporary
   * folder renamed to the target, then the old one removed. If the second rename fails the old
   * target is put back and the error is E_OUTPUT. Every appended file must be closed first.
   * A second commit is a no-op; commit after abort fails.
   */
  async commit(): Promise<void> {
    if (this.state === 'committed') return;
    if (this.state === 'aborted') throw interrupted('commit');
    await Promise.allSettled(this.pending);
    if (this.files.size > 0) {
      const names = [...this.files].map((file) => file.name).join(', ');
      throw fail(ErrorCode.Internal, `commit of ${this.target} with files still open: ${names}`);
    }
    await checkTarget(this.target, this.force, this.inputs);
    const aside = join(dirname(this.target), `.${basename(this.target)}.old-${process.pid}-${randomBytes(4).toString('hex')}`);
    let moved = false;
    try {
      await rename(this.target, aside);
      moved = true;
    } catch (cause) {
      if ((cause as NodeJS.ErrnoException).code !== 'ENOENT') {
        throw fail(ErrorCode.Output, `cannot move the existing ${this.target} aside: ${reason(cause)}`, { cause, file: this.target });
      }
    }
    try {
      await rename(this.temp, this.target);
    } catch (cause) {
      if (moved) await rename(aside, this.target).catch(() => undefined);
      throw fail(ErrorCode.Output, `cannot move the finished report to ${this.target}: ${reason(cause)}`, { cause, file: this.target });
    }
    this.state = 'committed';
    if (moved) await rm(aside, { recursive: true, force: true }).catch(() => undefined);
    await this.lock.release();
  }

  /**
   * Drops everything written: waits for writes in flight, closes open files, removes the temporary
   * folder. The target is untouched. Safe to call twice, and after commit (a no-op).
   */
  async abort(): Promise<void> {
    if (this.state !== 'open') return;
    this.state = 'aborted';
    try {
      await Promise.allSettled(this.pending);
      await Promise.allSettled([...this.files].map((file) => file.abandon()));
      await rm(this.temp, { recursive: true, force: true });
    } finally {
      await this.lock.release();
      await removeEmptyParents(dirname(this.target), this.madeParent);
    }
  }

  private assertOpen(name: string): void {
    if (this.state === 'aborted') throw interrupted(name);
    if (this.state === 'committed') throw fail(ErrorCode.Internal, `${name}: the output folder ${this.target} is already committed`);
  }

  private track<T>(work: Promise<T>): Promise<T> {
    this.pending.add(work);
    const done = (): boolean => this.pending.delete(work);
    work.then(done, done);
    return work;
  }
}

/** Appends through a buffer; flushes are chained so they reach the file in write order. */
class BufferedFile implements AppendFile {
  readonly name: string;
  private readonly full: string;
  private readonly handle: FileHandle;
  private readonly onClose: () => void;
  private chunks: (string | Uint8Array)[] = [];
  private size = 0;
  private flushed: Promise<void> = Promise.resolve();
  private error: CallauditError | null = null;
  private closing: Promise<void> | null = null;

  constructor(name: string, full: string, handle: FileHandle, onClose: () => void) {
    this.name = name;
    this.full = full;
    this.handle = handle;
    this.onClose = onClose;
  }

  write(data: string | Uint8Array): Promise<void> {
    if (this.error !== null) return Promise.reject(this.error);
    if (this.closing !== null) return Promise.reject(fail(ErrorCode.Internal, `${this.name}: write after close`));
    if (data.length === 0) return Promise.resolve();
    this.chunks.push(data);
    this.size += data.length;
    return this.size < HIGH_WATER ? Promise.resolve() : this.flush();
  }

  close(): Promise<void> {
    this.closing ??= this.flush()
      .finally(() => this.handle.close())
      .finally(this.onClose);
    return this.closing;
  }

  /** Closes without flushing what is buffered (abort); later writes fail E_INTERRUPTED. */
  abandon(): Promise<void> {
    this.error ??= interrupted(this.name);
    this.chunks = [];
    this.size = 0;
    return this.close().catch(() => undefined);
  }

  private flush(): Promise<void> {
    const chunks = this.chunks;
    this.chunks = [];
    this.size = 0;
    this.flushed = this.flushed.then(() => this.writeOut(chunks));
    return this.flushed;
  }

  private async writeOut(chunks: readonly (string | Uint8Array)[]): Promise<void> {
    if (this.error !== null) throw this.error;
    if (chunks.length === 0) return;
    // text joined and encoded once; bytes (workers' CSV) written as they are, without a copy
    const buffers = chunks.every((chunk) => typeof chunk === 'string')
      ? [Buffer.from(chunks.join(''))]
      : chunks.map((chunk) => (typeof chunk === 'string' ? Buffer.from(chunk) : chunk));
    try {
      beforeWrite(this.full);
      const written = (await this.handle.writev(buffers)).bytesWritten;
      const total = buffers.reduce((sum, buffer) => sum + buffer.byteLength, 0);
      if (written < total) {
        const rest = Buffer.concat(buffers).subarray(written);
        for (let at = 0; at < rest.length; ) at += (await this.handle.write(rest, at)).bytesWritten;
      }
    } catch (cause) {
      this.error = writeFailed(this.full, cause);
      throw this.error;
    }
  }
}

/** Whether the target may become the report folder (see OutputDir.create). `inputs` are real paths. */
async function checkTarget(target: string, force: boolean, inputs: readonly Input[]): Promise<void> {
  let isDirectory: boolean;
  try {
    isDirectory = (await lstat(target)).isDirectory();
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw fail(ErrorCode.Output, `cannot inspect the output folder ${target}: ${reason(cause)}`, { cause, file: target });
  }
  if (!isDirectory) throw fail(ErrorCode.Output, `the output path ${target} exists and is not a folder`, { file: target });
  const protectedBy = [
    dirname(target) === target ? 'the filesystem root' : null,
    target === homedir() ? 'the home folder' : null,
    contains(target, process.cwd()) ? 'the working folder or one of its parents' : null,
  ].find((why) => why !== null);
  if (protectedBy)
    throw fail(ErrorCode.Output, `the output folder ${target} is ${protectedBy}: callaudit never replaces it; choose a folder of its own`, { file: target });
  const entries = await readdir(target).catch((cause: unknown) => {
    throw fail(ErrorCode.Output, `cannot read the output folder ${target}: ${reason(cause)}`, { cause, file: target });
  });
  if (entries.length === 0) return;
  const real = await realpath(target).catch(() => target);
  const report = await isReportFolder(target);
  for (const input of inputs) {
    // A report inside an input folder is no input: the folder's walk skips it (see expandInputs).
    const relation = real === input.real ? 'is' : contains(real, input.real) ? 'contains' : contains(input.real, real) && !report ? 'lies inside' : null;
    if (relation !== null) {
      throw fail(
        ErrorCode.Usage,
        `the output folder ${target} ${relation} the input ${input.path}: callaudit never replaces a folder that is, contains or lies inside an input; choose an output folder outside the inputs`,
        { file: target },
      );
    }
  }
  if (!force) {
    throw fail(ErrorCode.Output, `the output folder ${target} exists and is not empty: use force (--force) to replace it`, { file: target });
  }
  if (!report) {
    throw fail(
      ErrorCode.Usage,
      `the output folder ${target} exists and is not a callaudit report (no ${REPORT_MARKER} file): force (--force) replaces only a report; choose another folder`,
      { file: target },
    );
  }
}

interface Input {
  /** As given (resolved), for messages. */
  readonly path: string;
  /** After symbolic links. */
  readonly real: string;
}

async function realInputs(inputs: readonly string[]): Promise<Input[]> {
  const out: Input[] = [];
  for (const input of inputs) {
    if (input === '-') continue;
    const path = resolve(input);
    out.push({ path, real: await realpath(path).catch(() => path) });
  }
  return out;
}

/**
 * `<target>.lock`, created exclusively, holding `<pid> <token>`. A lock whose pid no longer runs is
 * stale: it is moved aside (one run wins the move), checked again, and removed.
 */
class Lock {
  private released = false;

  private constructor(
    private readonly path: string,
    private readonly content: string,
  ) {}

  static async take(target: string): Promise<Lock> {
    const path = `${target}.lock`;
    const content = `${process.pid} ${randomBytes(8).toString('hex')}\n`;
    // written whole under a name of its own, then linked into place: a lock is never seen empty
    const own = `${path}.${process.pid}-${randomBytes(4).toString('hex')}`;
    try {
      await writeFile(own, content, { flag: 'wx' });
    } catch (cause) {
      throw fail(ErrorCode.Output, `cannot create the lock ${path}: ${reason(cause)}`, { cause, file: path });
    }
    try {
      for (let attempt = 0; attempt < 3; attempt++) {
        if (await claim(own, path)) return new Lock(path, content);
        const holder = lockPid(await readFile(path, 'utf8').catch(() => ''));
        if (holder !== null && running(holder)) throw locked(target, path, holder);
        // stale: moved aside (of two runs taking it over, one wins the move), checked, removed
        const aside = `${path}.stale-${process.pid}-${randomBytes(4).toString('hex')}`;
        if (
          !(await rename(path, aside).then(
            () => true,
            () => false,
          ))
        )
          continue;
        const moved = lockPid(await readFile(aside, 'utf8').catch(() => ''));
        if (moved !== null && moved !== holder && running(moved)) {
          // another run took it over in between: put its lock back
          await claim(aside, path);
          await unlink(aside).catch(() => undefined);
          throw locked(target, path, moved);
        }
        await unlink(aside).catch(() => undefined);
      }
      throw fail(ErrorCode.Output, `cannot take the lock ${path}: other runs keep taking it`, { file: path });
    } finally {
      await unlink(own).catch(() => undefined);
    }
  }

  /** Removes the lock if it is still this run's. Safe to call twice. */
  async release(): Promise<void> {
    if (this.released) return;
    this.released = true;
    if ((await readFile(this.path, 'utf8').catch(() => null)) === this.content) await unlink(this.path).catch(() => undefined);
  }
}

/**
 * Removes `folder` and its parents up to `made` (the first folder `mkdir -p` made), while they are
 * empty: what a run made for its output and left empty. A folder another run has written into stays.
 */
async function removeEmptyParents(folder: string, made: string | null): Promise<void> {
  if (made === null || !contains(made, folder)) return;
  for (let at = folder; contains(made, at); at = dirname(at)) {
    try {
      await rmdir(at);
    } catch {
      return; // not empty (another run's, or a file in it), or gone
    }
  }
}

/** Links `from` to `to` unless `to` exists (atomic). */
async function claim(from: string, to: string): Promise<boolean> {
  try {
    await link(from, to);
    return true;
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw fail(ErrorCode.Output, `cannot create the lock ${to}: ${reason(cause)}`, { cause, file: to });
  }
}

function lockPid(text: string): number | null {
  const pid = Number(/^\d+/.exec(text)?.[0]);
  return Number.isInteger(pid) && pid > 0 ? pid : null;
}

function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function locked(target: string, path: string, pid: number): CallauditError {
  return fail(ErrorCode.Output, `another callaudit run (pid ${pid}) is writing ${target}; wait for it to finish (its lock is ${path})`, { file: target });
}

/** Whether `inner` is `outer` or inside it. */
function contains(outer: string, inner: string): boolean {
  const path = relative(outer, inner);
  return path === '' || (path !== '..' && !path.startsWith(`..${sep}`) && !isAbsolute(path));
}

function interrupted(what: string): CallauditError {
  return fail(ErrorCode.Interrupted, `${what}: the output was aborted`);
}

/** What the usual write failures mean, in words (the errno code follows in parentheses). */
const WRITE_FAILURES: Readonly<Record<string, string>> = {
  ENOSPC: 'no space left on device',
  EDQUOT: 'disk quota exceeded',
  EFBIG: 'file too large',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
  EIO: 'input/output error',
};

/**
 * A failed write of an output file, as one E_OUTPUT line naming the file and the cause
 * (`cannot write <path>: no space left on device (ENOSPC)`). An error that is already a
 * CallauditError (an interrupt) is kept.
 */
export function writeFailed(path: string, cause: unknown): CallauditError {
  if (isCallauditError(cause)) return cause;
  const code = (cause as NodeJS.ErrnoException | null)?.code;
  const known = code === undefined ? undefined : WRITE_FAILURES[code];
  return fail(ErrorCode.Output, `cannot write ${path}: ${known === undefined ? reason(cause) : `${known} (${code})`}`, { cause });
}

/** Whether an error is one of the write failures above (a raw errno error from the file system). */
export function isWriteFailure(cause: unknown): cause is NodeJS.ErrnoException {
  const code = (cause as NodeJS.ErrnoException | null)?.code;
  return !isCallauditError(cause) && code !== undefined && code in WRITE_FAILURES;
}

function reason(cause: unknown): string {
  return cause instanceof Error ? cause.message : String(cause);
}
