/** One measured process: spawn `node`, time it from spawn to exit, read what the hook wrote. */
import { spawn } from 'node:child_process';
import { readFile, rm } from 'node:fs/promises';
import { EXIT_UNSUPPORTED } from '../child/walk.js';
import type { Sample } from './types.js';

const STDERR_KEEP = 8192;

export interface HookRecord {
  readonly maxRssKb: number;
  /** User + system CPU time of all the process's threads (absent in hook files of older runs). */
  readonly cpuMs?: number;
  readonly counts: { readonly records: number | null; readonly streams: number } | null;
}

export interface ProcessRun {
  readonly wallMs: number;
  readonly code: number | null;
  readonly signal: string | null;
  readonly stderr: string;
  readonly hook: HookRecord | null;
}

export async function runProcess(args: readonly string[], hookFile: string, cwd: string): Promise<ProcessRun> {
  await rm(hookFile, { force: true });
  const env: NodeJS.ProcessEnv = { ...process.env, CALLAUDIT_BENCH_OUT: hookFile };
  // Every variant runs under the same plain `node`: no inherited loader or heap flags.
  delete env.NODE_OPTIONS;
  const started = performance.now();
  const child = spawn(process.execPath, args, { cwd, env, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-STDERR_KEEP);
  });
  const [code, signal, wallMs] = await new Promise<[number | null, string | null, number]>((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (c, s) => resolve([c, s, performance.now() - started]));
  });
  await new Promise<void>((resolve) => (child.stderr.readableEnded ? resolve() : child.stderr.on('end', resolve)));
  return { wallMs, code, signal, stderr, hook: await readHook(hookFile) };
}

async function readHook(file: string): Promise<HookRecord | null> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as HookRecord;
  } catch {
    return null;
  }
}

/**
 * A run as a sample. `report`: the counts from its summary.json (null if it failed); otherwise
 * the child published them through the hook, and only a child's exit code can mean
 * "unsupported". Throws when the process failed: a benchmark that measures a crash is worse
 * than none.
 */
export function toSample(run: ProcessRun, what: string, report: { counts: { records: number; streams: number } | null } | null): Sample {
  if (report === null && run.code === EXIT_UNSUPPORTED) return { ok: false, reason: run.stderr.replace(/^unsupported:\s*/, '').trim() };
  if (run.code !== 0 || run.hook === null) {
    throw new Error(`${what} failed (exit ${run.code ?? run.signal}${run.hook === null ? ', no measurement written' : ''}):\n${run.stderr.trim()}`);
  }
  const seen = report === null ? run.hook.counts : report.counts;
  if (seen === null) throw new Error(`${what} published no counts`);
  const cpu = run.hook.cpuMs === undefined ? {} : { cpuMs: run.hook.cpuMs };
  return { ok: true, wallMs: run.wallMs, maxRssKb: run.hook.maxRssKb, ...cpu, records: seen.records, streams: seen.streams };
}
