/**
 * Workers reading NDJSON byte ranges themselves (engine/range.ts) must give exactly what the main
 * thread's framer gives: the same records and problems at the same offsets and indexes, whatever
 * the range size, and the same report (tables, rollups, rejects, counts) whatever the range size
 * and worker count, duplicates wherever they are included.
 */
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { generateRecords } from '@callaudit/datasets';
import { RecordFramer } from '../../src/ingest/index.js';
import type { IngestProblem, RecordKey } from '../../src/ingest/index.js';
import { frameRange } from '../../src/engine/range.js';
import { runReport } from '../../src/engine/run.js';
import type { ReportOptions } from '../../src/engine/options.js';

// Several full runs per test (worker counts, range sizes): ~50 s on a loaded 2-core machine, so more than the default 60 s.
vi.setConfig({ testTimeout: 240_000 });

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'callaudit-ranges-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

type Rec = Record<string, unknown> & { id: string; version?: number };

const base = [...generateRecords({ records: 14, seed: 5 })] as Rec[];
const line = (r: unknown): string => JSON.stringify(r);
const bumped = (r: Rec, by: number): Rec => ({ ...r, version: (r.version ?? 0) + by });
/** maxRecordBytes for these files: above every record but the padded one. */
const LIMIT = Math.max(...base.map((r) => Buffer.byteLength(line(r)))) + 1000;

/**
 * An NDJSON file with every line problem the framer knows and duplicates in every position:
 * a BOM, CRLF endings, blank lines, a malformed line, invalid JSON, a schema reject, a page on one
 * line, a scalar and an array where records belong, an oversized line (limit below), a later copy
 * that wins, later copies that lose (valid, and invalid), two copies on adjacent lines, and a last
 * line cut off without its newline.
 */
function trickyLines(): string[] {
  const [a, b, c, d, e, f, g, h, ...rest] = base;
  return [
    `\ufeff${line(a)}`,
    `${line(b)}\r`,
    '',
    '   ',
    '{"id": "broken", "sessions": [',
    line(c),
    '{"id": "x", "version": tru}',
    line({ ...d!, version: 'two' }),
    line({ '@odata.context': 'page', value: [e, f] }),
    '42',
    '[1, 2]',
    line({ ...g!, padding: 'x'.repeat(LIMIT) }),
    line(bumped(a!, 1)),
    line(bumped(c!, -1)),
    line({ ...bumped(b!, -1), version: 'bad' }),
    line(h),
    line(h),
    ...rest.map(line),
    line(bumped(rest[0]!, 2)),
    line(base[0]).slice(0, 500),
  ];
}

interface Framed {
  records: Array<{ offset: number; index: number; length: number; key: RecordKey; context: string | null }>;
  problems: IngestProblem[];
}

function frameWhole(bytes: Buffer, file: string, maxRecordBytes: number): Framed {
  const out: Framed = { records: [], problems: [] };
  const framer = new RecordFramer(
    {
      record: (r) => out.records.push({ offset: r.offset, index: r.index, length: r.bytes.byteLength, key: r.key, context: r.context }),
      problem: (p) => out.problems.push(p),
    },
    { file, lines: true, maxRecordBytes },
  );
  framer.push(bytes);
  framer.end();
  return out;
}

function frameInRanges(path: string, file: string, size: number, step: number, maxRecordBytes: number): Framed {
  const out: Framed = { records: [], problems: [] };
  let slots = 0;
  for (let start = 0; start < size; start += step) {
    const { framing } = frameRange({ kind: 'range', seq: 0, path, file, start, end: Math.min(size, start + step), pages: true, maxRecordBytes });
    for (const r of framing.records) out.records.push({ ...r, index: r.index + slots });
    for (const { problem } of framing.problems) out.problems.push(problem.index === null ? problem : { ...problem, index: problem.index + slots });
    slots += framing.slots;
  }
  return out;
}

async function snapshot(out: string): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  for (const name of await readdir(out)) if (name.endsWith('.csv') || name.endsWith('.jsonl')) files.set(name, await readFile(join(out, name), 'utf8'));
  return files;
}

describe('frameRange', () => {
  it('frames the same records and problems as one framer over the whole file, for any range size', async () => {
    const path = join(dir, 'tricky.ndjson');
    const text = trickyLines().join('\n');
    await writeFile(path, text);
    const bytes = Buffer.from(text);
    const whole = frameWhole(bytes, path, LIMIT);
    expect(whole.records.length).toBeGreaterThan(15);
    expect(whole.records.filter((r) => r.context === 'page')).toHaveLength(2);
    expect(new Set(whole.problems.map((p) => p.kind))).toEqual(new Set(['malformed', 'not_a_record', 'oversized', 'truncated']));
    for (const step of [397, 1000, 4096, 65_536, bytes.length, bytes.length * 2]) {
      expect(frameInRanges(path, path, bytes.length, step, LIMIT), `ranges of ${step} bytes`).toEqual(whole);
    }
  });

  it('gives the same events with ranges of 1 and 7 bytes (small lines)', async () => {
    const path = join(dir, 'small.ndjson');
    const text =
      '\ufeff{"id":"a","version":1}\r\n\n{"id":"b","x":"q\\\\"}\n{"id":[}\n7\n{"value":[{"id":"c"},{"id":"d"}]}\n  {"id":"e"} {"id":"f"}\n{"id":"g","pad":"0123456789012345"}\n{"id":"h"';
    await writeFile(path, text);
    const bytes = Buffer.from(text);
    const whole = frameWhole(bytes, path, 30);
    expect(whole.records.map((r) => r.key.id)).toEqual(['a', 'b', 'c', 'd', 'e', 'f']);
    expect(whole.records[1]!.length).toBe(20);
    expect(whole.problems.map((p) => p.kind)).toEqual(['malformed', 'not_a_record', 'oversized', 'truncated']);
    for (const step of [1, 2, 7, 13]) expect(frameInRanges(path, path, bytes.length, step, 30), `ranges of ${step} bytes`).toEqual(whole);
  });

  it('reads a line much longer than its range to its end, and no other range takes it', async () => {
    const path = join(dir, 'long.ndjson');
    const long = line({ ...base[0]!, padding: 'y'.repeat(300_000) });
    const text = `${[line(base[1]), long, line(base[2])].join('\n')}\n`;
    await writeFile(path, text);
    const size = Buffer.byteLength(text);
    const framed = frameInRanges(path, path, size, 10_000, 1 << 20);
    expect(framed.records.map((r) => r.length)).toEqual([Buffer.byteLength(line(base[1])), Buffer.byteLength(long), Buffer.byteLength(line(base[2]))]);
    expect(framed.records.map((r) => r.index)).toEqual([0, 1, 2]);
    expect(framed.problems).toEqual([]);
  });
});

describe('runReport with workers reading NDJSON ranges', () => {
  it('writes what the main thread writes, for every range size and worker count', async () => {
    const path = join(dir, 'tricky-report.ndjson');
    await writeFile(path, trickyLines().join('\n'));
    const common: Partial<ReportOptions> = { maxRecordBytes: LIMIT, partRows: 50 };
    const reference = await runReport({ inputs: [path], out: join(dir, 'main'), workers: 0, workerReads: false, ...common });
    const expected = await snapshot(join(dir, 'main'));
    // a, c, b and rest[0] have a second copy, h two adjacent ones (the generator may add more)
    expect(reference.counts.duplicate).toBeGreaterThanOrEqual(5);
    expect(reference.counts.rejected).toBeGreaterThanOrEqual(7);
    expect(reference.counts.read).toBe(reference.counts.accepted + reference.counts.rejected + reference.counts.duplicate + reference.counts.filtered);
    const runs: Array<[number, number]> = [
      [0, 7],
      [0, 997],
      [0, 16_384],
      [0, 1 << 20],
      [2, 997],
      [2, 16_384],
      [1, 1 << 20],
    ];
    for (const [workers, batchBytes] of runs) {
      const out = join(dir, `ranges-${workers}-${batchBytes}`);
      const result = await runReport({ inputs: [path], out, workers, batchBytes, ...common });
      const label = `${workers} workers, ${batchBytes}-byte ranges`;
      expect(result.counts, label).toEqual(reference.counts);
      expect(JSON.stringify(result.rollups), label).toBe(JSON.stringify(reference.rollups));
      expect(result.inputs, label).toEqual(reference.inputs);
      const got = await snapshot(out);
      expect([...got.keys()].sort(), label).toEqual([...expected.keys()].sort());
      for (const [name, text] of expected) expect(got.get(name), `${label}: ${name}`).toBe(text);
    }
  });

  it('judges records in input order across files read both ways', async () => {
    // The same record in an NDJSON file (read in ranges) and, later, in a JSON array (read by the
    // main thread): the first copy is kept, the second is a duplicate, wherever the ranges are.
    const ndjson = join(dir, 'first.ndjson');
    const array = join(dir, 'second.json');
    const again = join(dir, 'third.ndjson');
    await writeFile(ndjson, `${base.slice(0, 6).map(line).join('\n')}\n`);
    await writeFile(again, `${base.slice(0, 6).map(line).join('\n')}\n`);
    await writeFile(array, JSON.stringify([base[2], bumped(base[3]!, 1), base[7]]));
    for (const workers of [0, 2]) {
      const result = await runReport({ inputs: [ndjson, array, again], out: join(dir, `mixed-${workers}`), workers, batchBytes: 4096 });
      const reference = await runReport({
        inputs: [ndjson, array, again],
        out: join(dir, `mixed-main-${workers}`),
        workers,
        batchBytes: 4096,
        workerReads: false,
      });
      expect(result.counts).toEqual(reference.counts);
      expect(result.counts.duplicate).toBe(1 + 1 + 6);
      expect(await snapshot(join(dir, `mixed-${workers}`))).toEqual(await snapshot(join(dir, `mixed-main-${workers}`)));
    }
  });
});
