/**
 * Write errors (a full disk, a permission change, a read-only remount, a failing device) at every
 * write of a run, on the main thread (CSV, rejects, spool, retraction's CSV rewrite, rollups,
 * summary) and in a worker (Parquet parts): the run fails E_OUTPUT with one line naming the file
 * and the cause, and leaves nothing behind.
 */
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { generateRecords } from '@callaudit/datasets';
import { runReport } from '../../src/engine/run.js';
import { ErrorCode, isCallauditError } from '../../src/errors.js';
import { clearWriteFault, injectWriteFault } from '../../src/io/fault.js';

const CAUSES = [
  ['ENOSPC', 'no space left on device'],
  ['EACCES', 'permission denied'],
  ['EROFS', 'read-only file system'],
  ['EIO', 'input/output error'],
] as const;

let dir: string;
let input: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'callaudit-write-errors-'));
  // Two calls, a later copy of the first (so a retraction rewrites the CSV) and a bad line (a reject).
  const [a, b] = [...generateRecords({ records: 2, seed: 11, duplicateShare: 0 })] as Array<Record<string, unknown>>;
  const later = { ...a!, lastModifiedDateTime: new Date(Date.parse(String(a!.lastModifiedDateTime)) + 60_000).toISOString() };
  input = join(dir, 'in.ndjson');
  await writeFile(input, `${[a, b, later].map((r) => JSON.stringify(r)).join('\n')}\n{"id": \n`);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});
afterEach(() => {
  clearWriteFault();
  delete process.env.CALLAUDIT_TEST_WRITE_FAULT;
});

async function failedRun(out: string, workers: number): Promise<unknown> {
  return runReport({ inputs: [input], out, workers, batchBytes: 4096, progressIntervalMs: 0 }).then(
    () => null,
    (error: unknown) => error,
  );
}

describe('a write that fails', () => {
  it('fails E_OUTPUT naming the file and the cause, at every write of a run, and leaves nothing', async () => {
    let n = 1;
    for (; ; n++) {
      const [code, words] = CAUSES[n % CAUSES.length]!;
      const parent = join(dir, `main-${n}`);
      await mkdir(parent);
      injectWriteFault(code, n);
      const error = await failedRun(join(parent, 'r'), 0);
      clearWriteFault();
      if (error === null) break; // the run made fewer than n writes
      expect(isCallauditError(error) && error.code, String(error)).toBe(ErrorCode.Output);
      const message = (error as Error).message;
      expect(message).toMatch(new RegExp(`^cannot write ${parent}/\\.r\\.tmp-[^ ]+: ${words} \\(${code}\\)$`));
      expect(message).not.toContain('\n');
      expect(await readdir(parent), `write ${n}`).toEqual([]);
    }
    // CSV x2, rejects, spool x2, the retraction's CSV rewrite x2, Parquet parts x2, rollups, summary
    expect(n).toBeGreaterThan(20);
  }, 120_000);

  it.each([1, 2])(
    'in a worker (a Parquet part, write %i of the worker) fails the same way',
    async (nth) => {
      const parent = join(dir, `worker-${nth}`);
      await mkdir(parent);
      process.env.CALLAUDIT_TEST_WRITE_FAULT = `ENOSPC:${nth}`; // read by each worker thread as it loads
      const error = await failedRun(join(parent, 'r'), 1);
      expect(isCallauditError(error) && error.code, String(error)).toBe(ErrorCode.Output);
      expect((error as Error).message).toMatch(
        new RegExp(`^cannot write ${parent}/\\.r\\.tmp-[^ ]+/(streams|calls)/part-00000\\.parquet: no space left on device \\(ENOSPC\\)$`),
      );
      expect(await readdir(parent)).toEqual([]);
    },
    60_000,
  );
});
