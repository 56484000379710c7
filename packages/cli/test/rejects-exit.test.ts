/**
 * --fail-on-rejects fires on every kind of reject, a truncated or empty file included, and the
 * summary names rejects.jsonl only when something is in it; throughput is MB/s of JSON.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './helpers.js';

const SAMPLE = resolve(import.meta.dirname, '../../../datasets/sample');
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'callaudit-rejects-exit-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('validate --fail-on-rejects', () => {
  it.each(['empty.json', 'malformed.ndjson', 'truncated.json', 'wrong-type.json'])('exits 4 on bad/%s, whose reject is counted', async (name) => {
    const out = join(dir, name);
    // with a good record beside it: a run that accepts nothing has its own exit code
    const run = await runCli(['validate', join(SAMPLE, 'bad', name), join(SAMPLE, 'single-record.json'), '--out', out, '--fail-on-rejects', '--workers', '0']);
    expect(run.code).toBe(4);
    expect(run.stderr).toBe(`callaudit: 1 record(s) rejected; see ${out}/rejects.jsonl\n`);
    const summary = JSON.parse(await readFile(join(out, 'summary.json'), 'utf8')) as { counts: { read: number; rejected: number } };
    expect(summary.counts.rejected).toBe(1);
    expect(run.stdout).toContain('1 rejected, listed in rejects.jsonl)');
  });

  it('exits 0 on a clean input, and the summary does not mention rejects.jsonl', async () => {
    const out = join(dir, 'clean');
    const run = await runCli(['validate', join(SAMPLE, 'single-record.json'), '--out', out, '--fail-on-rejects', '--workers', '0']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/ MB\/s of JSON, /);
    expect(run.stdout).toMatch(/^report: .* \(\d+ outputs\)$/m);
    expect(run.stdout).not.toContain('rejects.jsonl');
  });
});

describe('throughput', () => {
  it('is MB/s of decompressed JSON for a gzip input (input_mb_per_s: bytes on disk)', async () => {
    const out = join(dir, 'gzip');
    await runCli(['validate', join(SAMPLE, 'records.ndjson.gz'), '--out', out, '--workers', '0', '--quiet']);
    const summary = JSON.parse(await readFile(join(out, 'summary.json'), 'utf8')) as {
      run_time_s: number;
      throughput: { mb_per_s: number; input_mb_per_s: number };
    };
    // the sample's NDJSON is several times its gzip size
    expect(summary.throughput.mb_per_s).toBeGreaterThan(2 * summary.throughput.input_mb_per_s);
  });
});
