import { mkdir, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isCallauditError } from '../../packages/core/src/errors.js';
import type { GraphRecord, WriteOptions } from '../src/index.js';
import { generateRecords, writeDataset } from '../src/index.js';
import { SMALL, splitDocuments } from './helpers.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'callaudit-datasets-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const BASE = { seed: 5, ...SMALL } as const;

async function write(
  name: string,
  options: Omit<WriteOptions, 'seed'>,
): Promise<{ path: string; text: string; result: Awaited<ReturnType<typeof writeDataset>> }> {
  const path = join(dir, name);
  const result = await writeDataset(path, { ...BASE, ...options });
  const raw = await readFile(path);
  return { path, result, text: (options.gzip === true ? gunzipSync(raw) : raw).toString('utf8') };
}

async function code(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (isCallauditError(error)) return error.code;
    throw error;
  }
  return 'no error';
}

const expected = (n: number): GraphRecord[] => [...generateRecords({ ...BASE, records: n })];
const inPage = (r: GraphRecord): GraphRecord => {
  const { '@odata.context': _c, ...rest } = r;
  return rest;
};

describe('writeDataset', () => {
  it('writes a JSON array of the generated records, minified or pretty', async () => {
    const { text, result } = await write('a.json', { format: 'array', records: 7 });
    expect(JSON.parse(text)).toEqual(expected(7));
    expect(result).toMatchObject({ records: 7, bytes: Buffer.byteLength(text), textBytes: Buffer.byteLength(text) });
    const pretty = await write('a-pretty.json', { format: 'array', records: 7, pretty: true });
    expect(pretty.text).toBe(`${JSON.stringify(expected(7), null, 2)}\n`);
  });

  it('writes NDJSON: one record per line', async () => {
    const { text } = await write('r.ndjson', { format: 'ndjson', records: 9 });
    const lines = text.split('\n');
    expect(lines.pop()).toBe('');
    expect(lines.map((line) => JSON.parse(line) as unknown)).toEqual(expected(9));
  });

  it('writes Graph collection pages one after another, linked by nextLink, without per-record contexts', async () => {
    const { text } = await write('p.json', { format: 'page', records: 7, pageSize: 3 });
    const pages = text
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(pages.map((p) => (p.value as unknown[]).length)).toEqual([3, 3, 1]);
    expect(pages.map((p) => Object.keys(p))).toEqual([
      ['@odata.context', 'value', '@odata.nextLink'],
      ['@odata.context', 'value', '@odata.nextLink'],
      ['@odata.context', 'value'],
    ]);
    expect(pages.flatMap((p) => p.value)).toEqual(expected(7).map(inPage));
    expect(new Set(pages.slice(0, 2).map((p) => p['@odata.nextLink'])).size).toBe(2);
  });

  it('pretty pages are exactly JSON.stringify(page, null, 2), and a BOM comes first when asked', async () => {
    const { text } = await write('pp.json', { format: 'page', records: 3, pageSize: 2, pretty: true, bom: true });
    expect(text.charCodeAt(0)).toBe(0xfeff);
    const docs = splitDocuments(text.slice(1));
    expect(docs).toHaveLength(2);
    for (const doc of docs) expect(text).toContain(`${JSON.stringify(JSON.parse(doc), null, 2)}\n`);
    expect(docs.flatMap((d) => (JSON.parse(d) as { value: unknown[] }).value)).toEqual(expected(3).map(inPage));
  });

  it('writes one empty page, an empty array and an empty file for zero records', async () => {
    expect(JSON.parse((await write('e.json', { format: 'page', records: 0 })).text)).toMatchObject({ value: [] });
    expect(JSON.parse((await write('e-array.json', { format: 'array', records: 0, pretty: true })).text)).toEqual([]);
    expect((await write('e.ndjson', { format: 'ndjson', records: 0 })).text).toBe('');
  });

  it('gzips to the same text as the plain file', async () => {
    const plain = await write('g.ndjson', { format: 'ndjson', records: 6 });
    const zipped = await write('g.ndjson.gz', { format: 'ndjson', records: 6, gzip: true });
    expect(zipped.text).toBe(plain.text);
    expect(zipped.result.bytes).toBe((await stat(zipped.path)).size);
    expect(zipped.result.bytes).toBeLessThan(zipped.result.textBytes / 4);
  });

  it('writes a folder of single-record GET bodies, gzipped each when asked', async () => {
    const result = await writeDataset(join(dir, 'files'), { ...BASE, format: 'record-files', records: 4, gzip: true });
    const names = (await readdir(join(dir, 'files'))).sort();
    expect(names).toEqual(['callrecord-000001.json.gz', 'callrecord-000002.json.gz', 'callrecord-000003.json.gz', 'callrecord-000004.json.gz']);
    const bodies = await Promise.all(names.map(async (n) => JSON.parse(gunzipSync(await readFile(join(dir, 'files', n))).toString('utf8')) as GraphRecord));
    expect(bodies).toEqual(expected(4));
    expect(result.records).toBe(4);
  });

  it('stops at about the asked size', async () => {
    for (const format of ['ndjson', 'array', 'page'] as const) {
      const { result } = await write(`size.${format}`, { format, bytes: 400_000 });
      expect(result.textBytes, format).toBeGreaterThanOrEqual(400_000);
      // Overshoots by at most the last record (small records here: well under 100 KB) and the framing.
      expect(result.textBytes, format).toBeLessThan(500_000);
      expect(result.bytes).toBe(result.textBytes);
    }
    const both = await write('both.ndjson', { format: 'ndjson', bytes: 10_000_000, records: 3 });
    expect(both.result.records).toBe(3);
  });

  it('is deterministic to the byte', async () => {
    const a = await write('d1.json', { format: 'page', records: 5, pretty: true });
    const b = await write('d2.json', { format: 'page', records: 5, pretty: true });
    expect(b.text).toBe(a.text);
    const other = await writeDataset(join(dir, 'd3.json'), { ...BASE, seed: 6, format: 'page', records: 5, pretty: true });
    expect(await readFile(other.path, 'utf8')).not.toBe(a.text);
  });

  it('rejects bad options with E_USAGE and an unusable output with E_OUTPUT', async () => {
    expect(await code(writeDataset(join(dir, 'x.json'), { seed: 1, format: 'array' }))).toBe('E_USAGE');
    expect(await code(writeDataset(join(dir, 'x.json'), { seed: 1, format: 'csv' as never, records: 1 }))).toBe('E_USAGE');
    expect(await code(writeDataset(join(dir, 'x.json'), { seed: 1, format: 'ndjson', records: 1, pretty: true }))).toBe('E_USAGE');
    expect(await code(writeDataset(join(dir, 'x.json'), { seed: 1, format: 'page', records: 1, pageSize: 0 }))).toBe('E_USAGE');
    expect(await code(writeDataset(join(dir, 'x.json'), { seed: 1, format: 'page', bytes: -5 }))).toBe('E_USAGE');
    expect(await code(writeDataset('', { seed: 1, format: 'page', records: 1 }))).toBe('E_USAGE');
    await writeFile(join(dir, 'blocker'), 'a file, not a folder');
    expect(await code(writeDataset(join(dir, 'blocker', 'x.json'), { seed: 1, format: 'array', records: 1 }))).toBe('E_OUTPUT');
    await mkdir(join(dir, 'full'));
    await writeFile(join(dir, 'full', 'other.json'), '{}');
    expect(await code(writeDataset(join(dir, 'full'), { seed: 1, format: 'record-files', records: 1 }))).toBe('E_OUTPUT');
  });
});
