/**
 * A run that fails after its output folder is made and before it reads anything (the worker pool
 * cannot start: a thread that cannot be created, ERR_WORKER_INIT_FAILED, injected) leaves nothing:
 * no temporary folder, no `<out>.lock`, no folder it made for the output's parents.
 */
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { generateRecords } from '@callaudit/datasets';
import { runReport } from '../../src/engine/run.js';
import { ErrorCode, isCallauditError } from '../../src/errors.js';

let dir: string;
let input: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'callaudit-start-failure-'));
  input = join(dir, 'in.ndjson');
  await writeFile(input, `${[...generateRecords({ records: 2, seed: 3, duplicateShare: 0 })].map((r) => JSON.stringify(r)).join('\n')}\n`);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});
afterEach(() => {
  delete process.env.CALLAUDIT_TEST_POOL_FAULT;
});

describe('a worker pool that cannot start', () => {
  it('fails with one line naming the cause, and leaves neither the temporary folder nor the lock', async () => {
    const parent = join(dir, 'flat');
    await mkdir(parent);
    process.env.CALLAUDIT_TEST_POOL_FAULT = 'ERR_WORKER_INIT_FAILED';
    const error = await runReport({ inputs: [input], out: join(parent, 'r'), workers: 2 }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(isCallauditError(error) && error.code, String(error)).toBe(ErrorCode.Internal);
    expect((error as Error).message).toMatch(/^cannot start 2 worker threads: .*ERR_WORKER_INIT_FAILED.*--workers 0/);
    expect((error as Error).message).not.toContain('\n');
    expect(await readdir(parent)).toEqual([]);
  });

  it('removes the parent folders it made for the output, and only those', async () => {
    const parent = join(dir, 'nested');
    await mkdir(parent);
    await writeFile(join(parent, 'keep.txt'), 'not ours');
    process.env.CALLAUDIT_TEST_POOL_FAULT = 'ERR_WORKER_INIT_FAILED';
    const error = await runReport({ inputs: [input], out: join(parent, 'a', 'b', 'r'), workers: 1 }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(isCallauditError(error), String(error)).toBe(true);
    expect(await readdir(parent)).toEqual(['keep.txt']);
  });

  it('runs inline (no pool) with --workers 0 whatever the fault, and commits', async () => {
    const parent = join(dir, 'inline');
    process.env.CALLAUDIT_TEST_POOL_FAULT = 'ERR_WORKER_INIT_FAILED';
    const result = await runReport({ inputs: [input], out: join(parent, 'x', 'r'), workers: 0, formats: ['csv'] });
    expect(result.counts.accepted).toBe(2);
    expect(await readdir(join(parent, 'x'))).toEqual(['r']);
  });
});
