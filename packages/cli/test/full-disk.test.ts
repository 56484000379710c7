/**
 * A real full disk: a 1 MB tmpfs as the output's parent, a report that needs more, real workers
 * (the writes of Parquet parts by workers are tested with injected faults: core/test/engine/write-errors.test.ts).
 * Exit 3, one line naming the file and "no space left on device", nothing left on the tmpfs.
 * Needs permission to mount (root in a container with CAP_SYS_ADMIN); skipped, saying so, otherwise.
 */
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { largeNdjson, runCliProcess } from './child.js';

let dir: string;
let disk: string;
let mounted: string | null = null; // why not, when the mount failed

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'callaudit-full-disk-'));
  disk = join(dir, 'disk');
  await mkdir(disk);
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', disk], { stdio: 'pipe' });
  } catch (error) {
    mounted = `mounting a tmpfs is not permitted here: ${String((error as { stderr?: Buffer }).stderr ?? error).trim()}`;
    return;
  }
  await largeNdjson(join(dir, 'in.ndjson'), 4_000_000, 1);
}, 60_000);
afterAll(async () => {
  if (mounted === null) execFileSync('umount', [disk]);
  await rm(dir, { recursive: true, force: true });
});

describe('a full disk', () => {
  it.each([
    ['csv and parquet (CSV and the spool written by the main thread)', 'csv,parquet'],
    ['parquet only (the spool: Arrow IPC written by the main thread)', 'parquet'],
  ])(
    '%s: exit 3, one line, nothing left',
    async (_, format) => {
      if (mounted !== null) {
        console.warn(`skipped: ${mounted}`);
        return;
      }
      const run = await runCliProcess(['report', join(dir, 'in.ndjson'), '--out', join(disk, 'r'), '--workers', '2', '--quiet', '--format', format], {
        cwd: dir,
      });
      expect(run.stderr).toMatch(new RegExp(`^callaudit: cannot write ${disk}/\\.r\\.tmp-[^ ]+: no space left on device \\(ENOSPC\\)\\n$`));
      expect(run.code).toBe(3);
      expect(await readdir(disk)).toEqual([]);
    },
    180_000,
  );
});
