/**
 * Properties of the framer over generated input (fast-check, seeded, bounded runs):
 * - valid records in every container shape (one record, array, pages, array of pages, NDJSON),
 *   plain or gzip, in chunks of 1, 7, random sizes or whole, give the same record events;
 * - random byte damage (flip, delete, insert, truncate) to valid NDJSON never loses a line that
 *   still parses with JSON.parse as an object, never throws, and ends (every run is bounded).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readRecords } from '../../src/ingest/index.js';
import type { RecordSlice } from '../../src/ingest/index.js';
import { bytes, frame, gzip, recordsOf, seeded, text } from './fixtures.js';

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'callaudit-ingest-props-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A record: a few members of any JSON, maybe an id, version and sessions; never a "value" member (that makes a page). */
const record = fc
  .record(
    {
      id: fc.oneof(fc.uuid(), fc.string({ unit: 'binary', maxLength: 8 })),
      version: fc.integer({ min: 0, max: 9 }),
      lastModifiedDateTime: fc.constantFrom('2026-11-02T08:15:30Z', '2026-11-02T08:15:31.5Z'),
      sessions: fc.array(
        fc.record({
          id: fc.string({ maxLength: 4 }),
          segments: fc.array(
            fc.record({
              media: fc.array(
                fc.record({ streams: fc.array(fc.dictionary(fc.string({ maxLength: 3 }), fc.jsonValue({ maxDepth: 1 }), { maxKeys: 2 }), { maxLength: 3 }) }),
                { maxLength: 2 },
              ),
            }),
            { maxLength: 2 },
          ),
        }),
        { maxLength: 3 },
      ),
      extra: fc.dictionary(fc.string({ unit: 'binary', maxLength: 6 }), fc.jsonValue({ maxDepth: 3 }), { maxKeys: 4 }),
    },
    { requiredKeys: [] },
  )
  .map((r) => JSON.parse(JSON.stringify(r)) as Record<string, unknown>);

const SHAPES = ['one record', 'array', 'pages', 'array of pages', 'ndjson'] as const;
type ShapeName = (typeof SHAPES)[number];

function render(items: Record<string, unknown>[], shape: ShapeName, pretty: boolean): string {
  const json = (value: unknown): string => JSON.stringify(value, null, pretty ? 2 : undefined);
  const pagesOf = (): Record<string, unknown>[] => {
    const pages: Record<string, unknown>[] = [];
    for (let i = 0; i < items.length || pages.length === 0; i += 2)
      pages.push({ '@odata.context': `page ${i}`, value: items.slice(i, i + 2), '@odata.nextLink': 'next' });
    return pages;
  };
  switch (shape) {
    case 'one record':
      return json(items[0]);
    case 'array':
      return json(items);
    case 'pages':
      return pagesOf().map(json).join('\n');
    case 'array of pages':
      return json(pagesOf());
    case 'ndjson':
      return `${items.map((r) => JSON.stringify(r)).join('\n')}\n`;
  }
}

/** What must not depend on the shape, chunking or compression: the values and their keys. */
const events = (records: readonly RecordSlice[]): unknown[] => records.map((r) => ({ value: JSON.parse(text(r.bytes)), key: r.key }));

function chunked(data: Uint8Array, how: 'whole' | 1 | 7 | 'random', seed: number): Uint8Array[] {
  if (how === 'whole') return [data];
  const next = seeded(seed);
  const chunks: Uint8Array[] = [];
  for (let i = 0; i < data.length; ) {
    const size = how === 'random' ? 1 + Math.floor(next() * 97) : how;
    chunks.push(data.subarray(i, i + size));
    i += size;
  }
  return chunks;
}

describe('framer properties', () => {
  it('gives the same record events for every container shape, chunking and gzip', async () => {
    let file = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(record, { minLength: 1, maxLength: 5 }), fc.boolean(), fc.integer({ min: 1, max: 1000 }), async (items, pretty, seed) => {
        const reference = events(recordsOf(frame([bytes(render(items, 'ndjson', false))], { lines: true })));
        expect(reference).toHaveLength(items.length);
        for (const shape of SHAPES) {
          const expected = shape === 'one record' ? reference.slice(0, 1) : reference;
          const data = bytes(render(items, shape, pretty && shape !== 'ndjson'));
          for (const how of ['whole', 1, 7, 'random'] as const) {
            expect(events(recordsOf(frame(chunked(data, how, seed), { lines: shape === 'ndjson' }))), `${shape}, chunks ${how}`).toEqual(expected);
          }
          // gzip, read from a file in small raw chunks, the format detected
          const path = join(dir, `p${file++}.gz`);
          await writeFile(path, gzip(data, data.length > 40 ? [Math.floor(data.length / 2)] : []));
          const read: RecordSlice[] = [];
          for await (const event of readRecords([path], { highWaterMark: 1 + (seed % 61) }))
            if (event.type === 'record') read.push({ ...event.record, bytes: new Uint8Array(event.record.bytes) });
          expect(events(read), `${shape}, gzip`).toEqual(expected);
        }
      }),
      { numRuns: 25, seed: 20261206 },
    );
  }, 120_000);

  it('never loses a line of damaged NDJSON that still parses as an object, never throws', () => {
    const damage = fc.array(
      fc.record({
        op: fc.constantFrom('flip', 'delete', 'insert', 'truncate'),
        at: fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }),
        byte: fc.constantFrom(0x22, 0x5c, 0x7b, 0x7d, 0x5b, 0x5d, 0x2c, 0x0a, 0x0d, 0x09, 0x01, 0x20, 0x61, 0x31, 0xff),
      }),
      { minLength: 1, maxLength: 6 },
    );
    fc.assert(
      fc.property(fc.array(record, { minLength: 1, maxLength: 8 }), damage, fc.integer({ min: 1, max: 1000 }), (items, ops, seed) => {
        let data = Array.from(bytes(render(items, 'ndjson', false)));
        for (const { op, at, byte } of ops) {
          const i = Math.floor(at * data.length);
          if (op === 'flip') data[i] = (data[i] ?? 0) ^ (1 << (byte & 7));
          else if (op === 'delete') data.splice(i, 1);
          else if (op === 'insert') data.splice(i, 0, byte);
          else data = data.slice(0, i);
        }
        const input = Uint8Array.from(data);
        // Framed records may be invalid inside (the worker's JSON.parse rejects them): kept as text.
        const found = new Map(recordsOf(frame(chunked(input, 'random', seed), { lines: true })).map((r) => [r.offset, text(r.bytes)]));
        // Every line that JSON.parse takes as an object (and that is not a page) is a record at its first byte.
        for (let start = 0; start <= input.length; ) {
          let end = input.indexOf(0x0a, start);
          if (end < 0) end = input.length;
          const line = input.subarray(start, end);
          let value: unknown;
          try {
            value = JSON.parse(text(line));
          } catch {
            value = undefined;
          }
          if (typeof value === 'object' && value !== null && !Array.isArray(value) && !Array.isArray((value as { value?: unknown }).value)) {
            let first = start;
            while (first < end && [0x20, 0x09, 0x0d].includes(input[first]!)) first++;
            const got = found.get(first);
            expect(got, `line at ${start}: ${text(line).slice(0, 80)}`).toBeDefined();
            expect(JSON.parse(got!)).toEqual(value);
          }
          start = end + 1;
        }
      }),
      { numRuns: 300, seed: 42 },
    );
  });
});
