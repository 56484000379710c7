/**
 * Ctrl-C and SIGTERM on a real `callaudit report` process with real worker threads, sent once the
 * run has committed results: exit 130, one line, workers stopped, no temporary folder, and the same
 * command then succeeds.
 */
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasProgress, largeNdjson, runCliProcess, startCli, tempFolders, waitFor } from './child.js';

let dir: string;
const ARGS = ['report', 'big.ndjson', '--out', 'r', '--workers', '2', '--quiet', '--batch-bytes', '262144'];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'callaudit-signals-'));
  // ~8 MB in ranges of 256 KiB: results are committed early, and the run still has most to do
  await largeNdjson(join(dir, 'big.ndjson'), 1_000_000, 8);
}, 60_000);
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe.each(['SIGINT', 'SIGTERM'] as const)('%s during a report with workers', (signal) => {
  it('exits 130 with one line, removes the temporary folder, and the same command then succeeds', async () => {
    const child = startCli(ARGS, { cwd: dir });
    await waitFor(() => hasProgress(dir), 60_000, 'the run to commit results', child);
    child.process.kill(signal);
    const run = await child.done;
    expect(run.signal).toBeNull();
    expect(run.code).toBe(130);
    expect(run.stderr).toBe('callaudit: interrupted; no report was written\n');
    expect(await tempFolders(dir)).toEqual([]);
    expect((await readdir(dir)).sort()).toEqual(['big.ndjson', 'big.ndjson.piece']);

    if (signal === 'SIGTERM') {
      const again = await runCliProcess(ARGS, { cwd: dir });
      expect(again.stderr).toBe('');
      expect(again.code).toBe(0);
      expect(await readdir(join(dir, 'r'))).toContain('summary.json');
      await rm(join(dir, 'r'), { recursive: true });
    }
  }, 180_000);
});
