/**
 * The completeness tie-break: copies of a call with the same version and lastModifiedDateTime keep
 * the most complete one (sessions present, more sessions, more segments, more streams), whatever
 * their order, container, compression, worker count, and whether workers read NDJSON ranges.
 */
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateRecords } from '@callaudit/datasets';
import { completeness, RecordLedger } from '../../src/engine/ledger.js';
import { runReport } from '../../src/engine/run.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'callaudit-dups-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

type Rec = Record<string, unknown> & { id: string; sessions?: Array<{ segments: Array<{ media?: Array<{ streams?: unknown[] }> }> }> };

const full = [...generateRecords({ records: 8, seed: 21 })] as Rec[];

/** The list page's copy of a call: no sessions (same version and time). */
function listCopy(r: Rec): Rec {
  const copy: Rec = { ...r };
  for (const key of Object.keys(copy)) if (key.startsWith('sessions')) delete copy[key];
  return copy;
}

/** A copy with one stream fewer (or, without streams, one session fewer). */
function lessComplete(r: Rec): Rec {
  const copy = JSON.parse(JSON.stringify(r)) as Rec;
  const media = copy.sessions!.flatMap((s) => s.segments.flatMap((g) => g.media ?? [])).find((m) => (m.streams?.length ?? 0) > 0);
  if (media) media.streams!.pop();
  else copy.sessions!.pop();
  return copy;
}

const ndjson = (list: readonly Rec[]): string => `${list.map((r) => JSON.stringify(r)).join('\n')}\n`;
const pages = (list: readonly Rec[]): string =>
  JSON.stringify({ '@odata.context': 'x', value: list.slice(0, 4), '@odata.nextLink': 'n' }) +
  '\n' +
  JSON.stringify({ '@odata.context': 'x', value: list.slice(4) }, null, 2);

async function sortedTables(out: string): Promise<Map<string, string>> {
  const tables = new Map<string, string>();
  for (const name of await readdir(out)) if (name.endsWith('.csv')) tables.set(name, (await readFile(join(out, name), 'utf8')).split('\r\n').sort().join('\n'));
  return tables;
}

async function snapshot(out: string): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  for (const name of await readdir(out)) if (name.endsWith('.csv') || name.endsWith('.jsonl')) files.set(name, await readFile(join(out, name), 'utf8'));
  return files;
}

describe('completeness tie-break', () => {
  it('orders the counts like the tuple (sessions present, sessions, segments, streams)', () => {
    const order = [
      { sessions: null, segments: 0, streams: 0 },
      { sessions: 0, segments: 0, streams: 0 },
      { sessions: 1, segments: 0, streams: 900 },
      { sessions: 1, segments: 2, streams: 0 },
      { sessions: 1, segments: 2, streams: 3 },
      { sessions: 2, segments: 0, streams: 0 },
      { sessions: 5000, segments: 2 ** 21, streams: 2 ** 21 },
    ].map((counts) => completeness({ id: 'a', version: 1, lastModified: null, ...counts }));
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(new Set(order).size).toBe(order.length);
    expect(order.every((n) => Number.isSafeInteger(n))).toBe(true);
    expect(completeness({ id: 'a', version: 1, lastModified: null })).toBe(0);
  });

  it('lets version and time decide first, completeness only on their tie, and the first seen on a full tie', () => {
    const ledger = new RecordLedger();
    const key = (version: number, sessions: number | null, lastModified = 't') => ({ id: 'x', version, lastModified, sessions, segments: 0, streams: 0 });
    const where = { file: 'f', offset: 0, index: 0, context: null };
    ledger.add(key(2, null), where, 1, ledger.judge(key(2, null)));
    expect(ledger.judge(key(1, 3)).kind).toBe('duplicate');
    expect(ledger.judge(key(2, null)).kind).toBe('duplicate');
    expect(ledger.judge(key(2, 0)).kind).toBe('supersedes');
    expect(ledger.judge(key(3, null)).kind).toBe('supersedes');
  });

  it('keeps the $expand copy over the list copy, and the fuller of two, in any order, container and worker count', async () => {
    const clean = join(dir, 'clean.ndjson');
    await writeFile(clean, ndjson(full));
    const reference = await runReport({ inputs: [clean], out: join(dir, 'clean'), workers: 0 });
    const expected = await sortedTables(join(dir, 'clean'));
    const lists = full.slice(0, 5).map(listCopy);
    const fewer = full.slice(3).map(lessComplete);
    const variants: Array<{ name: string; files: Array<[string, string | Buffer]> }> = [];
    const copiesFirst = [[...lists, ...fewer], full] as const;
    const fullFirst = [full, [...fewer, ...lists]] as const;
    // Both orders for NDJSON read in ranges by the workers; one each for gzip arrays and pages.
    for (const [order, [a, b]] of [
      ['copies first', copiesFirst],
      ['full first', fullFirst],
    ] as const) {
      variants.push({ name: `${order}, one NDJSON file`, files: [['one.ndjson', ndjson([...a, ...b])]] });
    }
    variants.push({
      name: 'full first, gzip array then NDJSON',
      files: [
        ['a.json.gz', gzipSync(JSON.stringify(fullFirst[0]))],
        ['b.ndjson', ndjson(fullFirst[1])],
      ],
    });
    variants.push({
      name: 'copies first, pages',
      files: [
        ['a.json', pages(copiesFirst[0])],
        ['b.json', pages(copiesFirst[1])],
      ],
    });
    const copies = lists.length + fewer.length;
    for (const variant of variants) {
      const inputs: string[] = [];
      for (const [name, content] of variant.files) {
        const path = join(dir, `${variant.name.replace(/\W+/g, '-')}-${name}`);
        await writeFile(path, content);
        inputs.push(path);
      }
      let first: Map<string, string> | null = null;
      for (const workers of [1, 2]) {
        const out = join(dir, `${variant.name.replace(/\W+/g, '-')}-${workers}`);
        const result = await runReport({ inputs, out, workers, batchBytes: 8192 });
        const label = `${variant.name}, ${workers} workers`;
        expect(result.counts.duplicate, label).toBe(copies);
        expect(result.counts.accepted, label).toBe(reference.counts.accepted);
        expect(result.counts.streams, label).toBe(reference.counts.streams);
        expect(JSON.stringify(result.rollups), label).toBe(JSON.stringify(reference.rollups));
        expect(await sortedTables(out), label).toEqual(expected);
        const files = await snapshot(out);
        if (first === null) first = files;
        else expect(files, `${label}: byte-identical to 1 worker`).toEqual(first);
      }
    }
  }, 300_000);
});
