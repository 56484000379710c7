/**
 * The real command, in a process, when its worker pool cannot start (injected: the error Node's
 * Worker throws when a thread cannot be created): exit 1, one line naming the cause and the way
 * out (--workers 0), and nothing left beside the output: no temporary folder, no lock.
 */
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateRecords } from '@callaudit/datasets';
import { runCliProcess } from './child.js';

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'callaudit-cli-start-failure-'));
  await writeFile(join(dir, 'in.ndjson'), `${[...generateRecords({ records: 2, seed: 4, duplicateShare: 0 })].map((r) => JSON.stringify(r)).join('\n')}\n`);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('a worker pool that cannot start', () => {
  it('exits 1 with one line and leaves nothing beside the output', async () => {
    const parent = join(dir, 'out');
    await mkdir(parent);
    const run = await runCliProcess(['report', 'in.ndjson', '--out', join(parent, 'r'), '--workers', '2', '--quiet'], {
      cwd: dir,
      env: { CALLAUDIT_TEST_POOL_FAULT: 'ERR_WORKER_INIT_FAILED' },
    });
    expect(run.stderr).toMatch(/^callaudit: cannot start 2 worker threads: ERR_WORKER_INIT_FAILED: [^\n]*--workers 0 \(inline\)\n$/);
    expect(run.code).toBe(1);
    expect(await readdir(parent)).toEqual([]);
  }, 60_000);
});
