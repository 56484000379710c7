/**
 * Workers that really die (their thread exits, or runs out of its heap limit) on one record: that
 * batch is retried once, then its records are worker_failed rejects and the run goes on. A worker
 * that throws is a bug: E_INTERNAL, naming the batch's input range, no rejects invented.
 * (The faults come from the worker's test-only hook CALLAUDIT_TEST_WORKER_FAULT; see worker.ts.)
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { generateRecords } from '@callaudit/datasets';
import { runReport } from '../../src/engine/run.js';
import { ErrorCode, isCallauditError } from '../../src/errors.js';

let dir: string;
let input: string;
let victim: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'callaudit-worker-faults-'));
  const list = [...generateRecords({ records: 5, seed: 21, duplicateShare: 0 })] as Array<{ id: string }>;
  victim = list[2]!.id;
  input = join(dir, 'in.json'); // a JSON array: framed on the main thread, records sent in batches
  await writeFile(input, JSON.stringify(list));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});
afterEach(() => {
  delete process.env.CALLAUDIT_TEST_WORKER_FAULT;
});

describe('a worker that dies on a record', () => {
  it.each([
    ['exits', 'exit'],
    ['runs out of memory', 'oom'],
  ])(
    '%s: its batch is retried, then its records are worker_failed rejects; the run goes on',
    async (_, how) => {
      process.env.CALLAUDIT_TEST_WORKER_FAULT = `${how}:${victim}`;
      const out = join(dir, `out-${how}`);
      // batchBytes 1: one record per batch, so only the victim's batch fails
      const result = await runReport({ inputs: [input], out, workers: 1, batchBytes: 1, workerHeapMb: 96, formats: ['csv'] });
      expect(result.counts).toMatchObject({ read: 5, accepted: 4, rejected: 1 });
      const rejects = (await readFile(join(out, 'rejects.jsonl'), 'utf8'))
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as { kind: string; reason: string; index: number });
      expect(rejects).toHaveLength(1);
      expect(rejects[0]).toMatchObject({ kind: 'worker_failed', index: 2 });
      expect(rejects[0]!.reason).toMatch(how === 'oom' ? /memory/i : /exited with code: 1/);
    },
    120_000,
  );
});

describe('a worker that throws', () => {
  it('is a bug: E_INTERNAL naming the batch, no report written', async () => {
    process.env.CALLAUDIT_TEST_WORKER_FAULT = `throw:${victim}`;
    const out = join(dir, 'out-throw');
    const error = await runReport({ inputs: [input], out, workers: 1, batchBytes: 1, formats: ['csv'] }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(isCallauditError(error) && error.code, String(error)).toBe(ErrorCode.Internal);
    expect((error as Error).message).toMatch(
      new RegExp(
        `^a bug in callaudit \\(please report it\\): test fault: thrown in a worker, while processing ${input.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} bytes \\d+-\\d+$`,
      ),
    );
    await expect(readFile(join(out, 'rejects.jsonl'))).rejects.toThrow(/ENOENT/);
  }, 60_000);
});
