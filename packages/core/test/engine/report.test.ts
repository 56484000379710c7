/**
 * The engine end to end, in-process: determinism across worker counts, de-duplication wherever
 * the copies are (tables and rollups equal those of the de-duplicated input), nothing lost.
 */
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { generateRecords } from '@callaudit/datasets';
import { runReport } from '../../src/engine/run.js';
import { isCallauditError, ErrorCode } from '../../src/errors.js';

// Several full runs per test (worker counts, range sizes): ~50 s on a loaded 2-core machine, so more than the default 60 s.
vi.setConfig({ testTimeout: 240_000 });

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'callaudit-engine-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

type Rec = Record<string, unknown> & { id: string; version?: number };

function records(n: number, seed: number): Rec[] {
  return [...generateRecords({ records: n, seed })] as Rec[];
}

async function writeArray(name: string, list: readonly unknown[]): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, JSON.stringify(list));
  return path;
}

async function writeNdjson(name: string, list: readonly unknown[]): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, `${list.map((r) => JSON.stringify(r)).join('\n')}\n`);
  return path;
}

/** Every file of a report folder except summary.json and report.html (which carry times), as text or bytes. */
async function snapshot(out: string): Promise<Map<string, Buffer>> {
  const files = new Map<string, Buffer>();
  const walk = async (sub: string): Promise<void> => {
    for (const entry of await readdir(join(out, sub), { withFileTypes: true })) {
      const rel = sub ? `${sub}/${entry.name}` : entry.name;
      if (entry.isDirectory()) await walk(rel);
      else if (rel !== 'summary.json' && rel !== 'report.html') files.set(rel, await readFile(join(out, rel)));
    }
  };
  await walk('');
  return files;
}

/** Records with unique ids: per id the highest version, then the latest lastModifiedDateTime, then the first. */
function uniqueRecords(list: readonly Rec[]): Rec[] {
  const best = new Map<string, Rec>();
  const modified = (r: Rec): number => Date.parse(String(r.lastModifiedDateTime ?? '')) || 0;
  for (const r of list) {
    const kept = best.get(r.id);
    const v = r.version ?? 0;
    const k = kept?.version ?? 0;
    if (kept === undefined || v > k || (v === k && modified(r) > modified(kept))) best.set(r.id, r);
  }
  const emitted = new Set<string>();
  return list.filter((r) => best.get(r.id) === r && !emitted.has(r.id) && emitted.add(r.id) !== undefined);
}

describe('runReport', () => {
  it('writes byte-identical outputs for 0, 1, 2 and 4 workers', async () => {
    const input = await writeArray('det.json', records(60, 7));
    const snapshots: Map<string, Buffer>[] = [];
    for (const workers of [0, 1, 2, 4]) {
      const out = join(dir, `det-${workers}`);
      const result = await runReport({ inputs: [input], out, workers, batchBytes: 48 * 1024, partRows: 400 });
      expect(result.counts.read).toBe(result.counts.accepted + result.counts.rejected + result.counts.duplicate + result.counts.filtered);
      snapshots.push(await snapshot(out));
    }
    const [first, ...rest] = snapshots;
    expect([...first!.keys()].sort()).toContain('streams.csv');
    expect([...first!.keys()].some((k) => k.startsWith('streams/part-'))).toBe(true);
    // Rate My Call is in the comparison: the generated records rate and report tokens
    expect(first!.get('rollup_rating.csv')!.toString().split('\r\n').length).toBeGreaterThan(4);
    expect(first!.get('rollup_feedback_token.csv')!.toString().split('\r\n').length).toBeGreaterThan(3);
    for (const other of rest) {
      expect([...other.keys()].sort()).toEqual([...first!.keys()].sort());
      for (const [name, bytes] of first!) expect(other.get(name)!.equals(bytes), name).toBe(true);
    }
  });

  it('keeps the highest version of a duplicated id wherever the copies are', async () => {
    const base = records(40, 11);
    // Copies of some records later in the input: a lower version (to drop), an equal one, a higher one.
    const higher = base.slice(0, 5).map((r) => ({ ...r, version: (r.version ?? 0) + 3 }));
    const lower = base.slice(5, 8).map((r) => ({ ...r, version: (r.version ?? 0) - 1 }));
    const same = base.slice(8, 10);
    const withDuplicates = [...base.slice(0, 20), ...higher, ...lower, ...base.slice(20), ...same];
    const expected = uniqueRecords(withDuplicates);
    const dupIn = await writeNdjson('dups.ndjson', withDuplicates);
    const cleanIn = await writeNdjson('clean.ndjson', expected);
    for (const workers of [0, 2]) {
      const a = await runReport({ inputs: [dupIn], out: join(dir, `dups-${workers}`), workers, batchBytes: 32 * 1024 });
      const b = await runReport({ inputs: [cleanIn], out: join(dir, `clean-${workers}`), workers, batchBytes: 32 * 1024 });
      expect(a.counts.read).toBe(withDuplicates.length);
      expect(b.counts.duplicate).toBe(0);
      expect(a.counts.duplicate).toBe(withDuplicates.length - expected.length);
      expect(a.counts.accepted).toBe(b.counts.accepted);
      expect(a.counts.streams).toBe(b.counts.streams);
      const sa = await snapshot(join(dir, `dups-${workers}`));
      const sb = await snapshot(join(dir, `clean-${workers}`));
      for (const name of ['calls.csv', 'rollup_day.csv', 'rollup_modality.csv', 'rollup_rating.csv', 'rollup_feedback_token.csv', 'rollup_user.csv']) {
        if (!sb.has(name)) continue;
        expect(sa.get(name)?.toString(), name).toBe(sb.get(name)?.toString());
      }
      // Stream rows are the same multiset (order follows the input, which differs).
      const rows = (s: Map<string, Buffer>): string[] => s.get('streams.csv')!.toString().split('\r\n').sort();
      expect(rows(sa)).toEqual(rows(sb));
    }
  });

  it('replaces a copy in the same batch by a later one with the same version and a later lastModifiedDateTime', async () => {
    const base = records(6, 21);
    const later = (r: Rec): Rec => ({ ...r, lastModifiedDateTime: new Date(Date.parse(String(r.lastModifiedDateTime)) + 60_000).toISOString() });
    const withCopies = [base[0]!, later(base[0]!), base[1]!, base[2]!, later(base[2]!), ...base.slice(3)];
    const expected = uniqueRecords(withCopies);
    for (const workers of [0, 1]) {
      const a = await runReport({ inputs: [await writeNdjson('same-batch.ndjson', withCopies)], out: join(dir, `same-${workers}`), workers });
      await runReport({ inputs: [await writeNdjson('same-clean.ndjson', expected)], out: join(dir, `same-clean-${workers}`), workers });
      expect(a.counts.rejected).toBe(0);
      expect(a.counts.duplicate).toBe(withCopies.length - expected.length);
      const sa = await snapshot(join(dir, `same-${workers}`));
      const sb = await snapshot(join(dir, `same-clean-${workers}`));
      for (const name of ['streams.csv', 'calls.csv', 'rollup_day.csv', 'rollup_user.csv'])
        expect(sa.get(name)?.toString(), name).toBe(sb.get(name)?.toString());
    }
  });

  it('retracts superseded copies from gzip and BOM-prefixed pretty inputs at the right bytes', async () => {
    const base = records(10, 44);
    const withCopies = [...base, { ...base[2]!, version: (base[2]!.version ?? 0) + 2 }, { ...base[6]!, version: (base[6]!.version ?? 0) + 1 }];
    const expected = uniqueRecords(withCopies);
    const clean = await runReport({ inputs: [await writeNdjson('bom-clean.ndjson', expected)], workers: 0 });
    const pretty = `\ufeff${JSON.stringify({ '@odata.context': 'x', value: withCopies }, null, 2).replace(/\n/g, '\r\n')}`;
    const bomPath = join(dir, 'bom-page.json');
    await writeFile(bomPath, pretty);
    const gzPath = join(dir, 'copies.ndjson.gz');
    await writeFile(gzPath, gzipSync(`${withCopies.map((r) => JSON.stringify(r)).join('\n')}\n`));
    for (const input of [bomPath, gzPath]) {
      const result = await runReport({ inputs: [input], workers: 1, batchBytes: 16 * 1024 });
      expect(result.counts.duplicate, input).toBe(2);
      expect(result.counts.accepted, input).toBe(clean.counts.accepted);
      expect(result.counts.streams, input).toBe(clean.counts.streams);
      expect(JSON.stringify(result.rollups), input).toBe(JSON.stringify(clean.rollups));
    }
  });

  it('retracts a superseded copy read from standard input, with or without an output folder', async () => {
    const base = records(8, 33);
    const withCopies = [...base, { ...base[1]!, version: (base[1]!.version ?? 0) + 5 }];
    const expected = uniqueRecords(withCopies);
    const text = `${withCopies.map((r) => JSON.stringify(r)).join('\n')}\n`;
    const clean = await runReport({ inputs: [await writeNdjson('stdin-clean.ndjson', expected)], workers: 0 });
    for (const out of [undefined, join(dir, 'stdin-out')]) {
      const result = await runReport({ inputs: ['-'], stdin: Readable.from([Buffer.from(text)]), workers: 1, batchBytes: 16 * 1024, ...(out ? { out } : {}) });
      expect(result.counts.duplicate).toBe(withCopies.length - expected.length);
      expect(result.counts.accepted).toBe(clean.counts.accepted);
      expect(result.counts.streams).toBe(clean.counts.streams);
      expect(result.rollups.map((r) => r.batch.length)).toEqual(clean.rollups.map((r) => r.batch.length));
    }
  });

  it('lists malformed and invalid records among the rejects and goes on', async () => {
    const good = records(5, 3);
    const lines = [JSON.stringify(good[0]), '{"id": "broken", "sessions": [', JSON.stringify({ ...good[1], id: 42 }), JSON.stringify(good[2])];
    const input = join(dir, 'bad.ndjson');
    await writeFile(input, `${lines.join('\n')}\n`);
    const out = join(dir, 'bad-out');
    const result = await runReport({ inputs: [input], out, workers: 0, inputFormat: 'ndjson' });
    expect(result.counts.read).toBe(4);
    expect(result.counts.accepted).toBe(2);
    expect(result.counts.rejected).toBe(2);
    const rejects = (await readFile(join(out, 'rejects.jsonl'), 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { file: string; offset: number; reason: string });
    expect(rejects).toHaveLength(2);
    const secondLineOffset = Buffer.byteLength(lines[0]!) + 1;
    expect(rejects[0]).toMatchObject({ file: input, offset: secondLineOffset });
    expect(rejects.every((r) => r.reason.length > 0)).toBe(true);
  });

  it('refuses to overwrite a report without force, and leaves nothing behind on failure', async () => {
    const input = await writeArray('small.json', records(3, 5));
    const out = join(dir, 'exists');
    await runReport({ inputs: [input], out, workers: 0 });
    const error = await runReport({ inputs: [input], out, workers: 0 }).catch((e: unknown) => e);
    expect(isCallauditError(error) && error.code).toBe(ErrorCode.Output);
    const missing = await runReport({ inputs: [join(dir, 'nope.json')], out: join(dir, 'never'), workers: 0 }).catch((e: unknown) => e);
    expect(isCallauditError(missing) && missing.code).toBe(ErrorCode.Input);
    expect((await readdir(dir)).filter((n) => n.includes('never'))).toEqual([]);
  });
});
