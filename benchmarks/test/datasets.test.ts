/** The harness's data folders: a --ci run's folder left by a killed run is removed, a live one kept. */
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { pruneRunFolders } from '../src/datasets.js';

const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

describe('pruneRunFolders', () => {
  it('removes ci-data-<pid> folders whose process is gone, and nothing else', async () => {
    const work = await mkdtemp(join(tmpdir(), 'callaudit-bench-work-'));
    dirs.push(work);
    // 2^22 + 1 is above Linux's default pid_max (2^22): no process has it.
    for (const name of ['ci-data-4194305', `ci-data-${process.pid}`, 'data', 'child']) {
      await mkdir(join(work, name));
      await writeFile(join(work, name, 'x.ndjson'), '{}\n');
    }
    const removed: string[] = [];
    await pruneRunFolders(work, (line) => removed.push(line));
    expect((await readdir(work)).sort()).toEqual(['child', `ci-data-${process.pid}`, 'data']);
    expect(removed).toEqual(['removing ci-data-4194305 (left by an interrupted run)']);
    // A work folder that does not exist yet is no error.
    await pruneRunFolders(join(work, 'absent'), () => {});
  });
});
