/**
 * Differential: readRecords (the byte framer) against readRecordsReference (stream-json) on every
 * fixture, plain and gzip: the same records (after JSON.parse), offsets, indexes, keys and problems.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readRecords } from '../../src/ingest/index.js';
import { readRecordsReference } from './reference.js';
import type { IngestEvent, ReadOptions } from '../../src/ingest/index.js';
import { bytes, gzip, page, records, shapes, text } from './fixtures.js';

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'callaudit-ingest-ref-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** What both readers must agree on. */
async function comparable(events: AsyncIterable<IngestEvent>): Promise<unknown[]> {
  const out: unknown[] = [];
  for await (const event of events) {
    if (event.type === 'record') {
      const { offset, index, key, file, context } = event.record;
      out.push({ record: { file, offset, index, key, context, value: JSON.parse(text(event.record.bytes)) } });
    } else if (event.type === 'problem') {
      const { kind, offset, index, file } = event.problem;
      out.push({ problem: { file, kind, offset, index } });
    } else if (event.type !== 'progress') {
      out.push(event);
    }
  }
  return out;
}

let counter = 0;
async function agree(content: string | Uint8Array, options: ReadOptions = {}): Promise<unknown[]> {
  const data = typeof content === 'string' ? bytes(content) : content;
  const plain = join(dir, `f${counter++}.json`);
  const packed = join(dir, `f${counter++}.json.gz`);
  await writeFile(plain, data);
  await writeFile(packed, gzip(data, data.length > 10 ? [Math.floor(data.length / 3)] : []));
  const ours = await comparable(readRecords([plain, packed], { hash: true, ...options }));
  const theirs = await comparable(readRecordsReference([plain, packed], { hash: true, ...options }));
  expect(ours).toEqual(theirs);
  return ours;
}

const recordCount = (events: unknown[]): number => events.filter((e) => (e as { record?: unknown }).record).length;

describe('readRecords agrees with the stream-json reference', () => {
  for (const shape of shapes()) {
    it(`on ${shape.name}`, async () => {
      const events = await agree(shape.text);
      expect(recordCount(events)).toBe(2 * shape.expected.length);
    });
  }

  it('with an explicit format', async () => {
    for (const shape of shapes()) {
      if (shape.format === 'ndjson' && !shape.name.startsWith('pages')) await agree(shape.text, { format: 'ndjson' });
      if (shape.format === 'json') await agree(shape.text, { format: 'json' });
    }
  });

  it('on values in record position that are not records', async () => {
    const events = await agree('[1, "x\\"y", [2, {"id":"no"}], null, true, false, -0.5e3, {"id":"a"}]\n"top" 42 {"value":[7,{"id":"b"}]}');
    expect(recordCount(events)).toBe(4);
  });

  it('on empty and whitespace-only files', async () => {
    for (const content of ['', '  \r\n\t ', '\ufeff']) await agree(content);
  });

  it('on input cut anywhere', async () => {
    const full = page(records(0, 2), true);
    for (const cut of [1, 20, full.indexOf('"value"') + 9, 700, 1500, full.length - 300, full.length - 2, full.length - 1]) await agree(full.slice(0, cut));
    await agree(`${JSON.stringify(records(0, 2))}`.slice(0, -1));
  });

  it('on a record nested deeper than stream-json limits by default (1024)', async () => {
    const deep = `${'['.repeat(2000)}1${']'.repeat(2000)}`;
    const events = await agree(`[{"id":"a","x":${deep}},{"id":"b"}]`);
    expect(recordCount(events)).toBe(4);
  });

  it('on a record over the size limit', async () => {
    const events = await agree(JSON.stringify([{ id: 'a' }, { id: 'big', blob: 'x'.repeat(300) }, { id: 'b' }]), { maxRecordBytes: 100 });
    expect(events.filter((e) => (e as { problem?: { kind: string } }).problem?.kind === 'oversized')).toHaveLength(2);
  });
});
