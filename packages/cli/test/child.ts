/**
 * The real `callaudit` command in a child process (bin/callaudit.js against the sources: the
 * package's source condition and tsx), for what only a process shows: signals, exit codes, crashes.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { appendFile, readFile, readdir, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { writeDataset } from '@callaudit/datasets';

const BIN = resolve(import.meta.dirname, '../bin/callaudit.js');
const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

export interface Child {
  readonly process: ChildProcess;
  /** Resolves when the process has exited and its output is read. */
  readonly done: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>;
}

export function startCli(args: readonly string[], options: { cwd: string; env?: NodeJS.ProcessEnv }): Child {
  const child = spawn(process.execPath, ['--conditions=@callaudit/source', '--import', TSX, BIN, ...args], {
    cwd: options.cwd,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>((resolvePromise, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolvePromise({ code, signal, stdout, stderr }));
  });
  return { process: child, done };
}

export async function runCliProcess(args: readonly string[], options: { cwd: string; env?: NodeJS.ProcessEnv }): ReturnType<() => Child['done']> {
  return startCli(args, options).done;
}

/** An NDJSON file of about `copies` x `bytes` of generated records (one generated piece, repeated: cheap to make large). */
export async function largeNdjson(path: string, bytes: number, copies: number): Promise<void> {
  const piece = `${path}.piece`;
  await writeDataset(piece, { bytes, format: 'ndjson', seed: 5 });
  const text = await readFile(piece);
  for (let i = 0; i < copies; i++) await appendFile(path, text);
}

/** Waits until `ready()` holds, polling; fails after `ms`. */
export async function waitFor(ready: () => Promise<boolean>, ms: number, what: string, child?: Child): Promise<void> {
  const until = Date.now() + ms;
  while (!(await ready())) {
    if (child !== undefined && child.process.exitCode !== null)
      throw new Error(`the process exited (${child.process.exitCode}) before ${what}: ${(await child.done).stderr}`);
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The temporary output folders (`.<name>.tmp-*`) in a folder. */
export async function tempFolders(dir: string): Promise<string[]> {
  return (await readdir(dir)).filter((name) => /^\..*\.tmp-/.test(name));
}

/** Whether a run writing `<dir>/<name>` has committed some rows to its temporary streams.csv (progress). */
export async function hasProgress(dir: string, minBytes = 64 << 10): Promise<boolean> {
  for (const temp of await tempFolders(dir)) {
    const size = await stat(join(dir, temp, 'streams.csv')).then(
      (s) => s.size,
      () => 0,
    );
    if (size >= minBytes) return true;
  }
  return false;
}
