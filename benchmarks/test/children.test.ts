/**
 * The baselines against each other on small generated files of every shape: each must find
 * every record the generator wrote. Run through the real transpile + spawn + hook path.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeDataset } from '@callaudit/datasets';
import { compileChildren } from '../src/compile.js';
import { runProcess, toSample } from '../src/measure.js';

const SHAPES = [
  { format: 'array', gzip: false },
  { format: 'page', gzip: false },
  { format: 'ndjson', gzip: false },
  { format: 'page', gzip: true },
] as const;

// The transpiled children must sit inside benchmarks/ to resolve stream-json and be ESM.
const childDir = join(import.meta.dirname, '..', '.bench', `test-${process.pid}`);
let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'callaudit-bench-'));
  await compileChildren(join(import.meta.dirname, '..', 'child'), childDir);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
  await rm(childDir, { recursive: true, force: true });
});

describe('baselines A and B', () => {
  it.each(SHAPES)('find every record of a $format file (gzip: $gzip), with the same streams', async ({ format, gzip }) => {
    const file = join(dir, `${format}${gzip ? '.json.gz' : '.json'}`);
    // pageSize 7: several pages, the last one short.
    const written = await writeDataset(file, { records: 40, seed: 3, format, gzip, duplicateShare: 0, pageSize: 7 });
    const [a, b] = await Promise.all(
      ['baseline-a', 'baseline-b'].map(async (variant) => {
        const run = await runProcess(
          ['--import', join(childDir, 'hook.js'), join(childDir, `${variant}.js`), file, format],
          join(dir, `${format}-${gzip}-${variant}.hook.json`),
          dir,
        );
        return toSample(run, variant, null);
      }),
    );
    expect(a).toMatchObject({ ok: true, records: written.records });
    expect(b).toMatchObject({ ok: true, records: written.records });
    if (a!.ok && b!.ok) {
      expect(b!.streams).toBe(a!.streams);
      expect(a!.streams).toBeGreaterThan(written.records);
    }
  });
});
