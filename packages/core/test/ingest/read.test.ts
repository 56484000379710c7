import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorCode } from '../../src/errors.js';
import { readRecords } from '../../src/ingest/index.js';
import type { IngestEvent, ReadOptions } from '../../src/ingest/index.js';
import { bytes, callRecord, gzip, page, records, text } from './fixtures.js';

let dir = '';
const path = (name: string): string => join(dir, name);
const many = records(0, 40);
const pageText = page(many, true);
const ndjsonText = `${many.map((r) => JSON.stringify(r)).join('\n')}\n`;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'callaudit-ingest-read-'));
  await writeFile(path('page.json'), pageText);
  await writeFile(path('page-copy.json'), pageText);
  await mkdir(path('folder/sub'), { recursive: true });
  await writeFile(path('folder/sub/b.json'), page([callRecord(1)], true));
  await writeFile(path('folder/a.ndjson'), `${JSON.stringify(callRecord(0))}\n`);
  await writeFile(path('gzip-named-json.json'), gzip(bytes(pageText), [100, 5000, 20000]));
  await writeFile(path('plain-named.gz'), ndjsonText);
  await writeFile(path('empty.json.gz'), gzip(new Uint8Array(0)));
  const packed = gzip(bytes(pageText));
  await writeFile(path('cut.json.gz'), packed.subarray(0, Math.floor(packed.length / 2)));
  const corrupt = Buffer.from(packed);
  corrupt.fill(0x55, Math.floor(corrupt.length / 2), Math.floor(corrupt.length / 2) + 64);
  await writeFile(path('corrupt.json.gz'), corrupt);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function collect(inputs: string[], options: ReadOptions = {}): Promise<IngestEvent[]> {
  const events: IngestEvent[] = [];
  for await (const event of readRecords(inputs, options)) {
    events.push(event.type === 'record' ? { ...event, record: { ...event.record, bytes: new Uint8Array(event.record.bytes) } } : event);
  }
  return events;
}

const ids = (events: IngestEvent[]): unknown[] => events.flatMap((e) => (e.type === 'record' ? [e.record.key.id] : []));
const problems = (events: IngestEvent[]) => events.flatMap((e) => (e.type === 'problem' ? [e.problem] : []));

async function failure(run: Promise<unknown>): Promise<unknown> {
  return run.then(
    () => null,
    (error: unknown) => error,
  );
}

describe('readRecords', () => {
  it('decompresses by magic bytes, not by name, across gzip members', async () => {
    const events = await collect([path('gzip-named-json.json'), path('plain-named.gz')]);
    const starts = events.flatMap((e) => (e.type === 'file-start' ? [e.info] : []));
    expect(starts).toEqual([
      { file: path('gzip-named-json.json'), bytes: expect.any(Number), compressed: true, format: 'json' },
      { file: path('plain-named.gz'), bytes: bytes(ndjsonText).length, compressed: false, format: 'ndjson' },
    ]);
    expect(ids(events)).toEqual([...many, ...many].map((r) => r.id));
    expect(problems(events)).toEqual([]);
  });

  it('gives every record its exact bytes and offset in the decompressed stream', async () => {
    const events = await collect([path('gzip-named-json.json')]);
    const data = bytes(pageText);
    for (const event of events) {
      if (event.type !== 'record') continue;
      const { offset, bytes: slice } = event.record;
      expect(text(slice)).toBe(text(data.subarray(offset, offset + slice.length)));
      expect(slice.constructor).toBe(Uint8Array);
    }
  });

  it('keeps the records before a cut gzip stream and reports it truncated where the cut record began', async () => {
    const events = await collect([path('cut.json.gz')]);
    const found = ids(events);
    expect(found.length).toBeLessThan(many.length);
    expect(found).toEqual(many.slice(0, found.length).map((r) => r.id));
    const [problem, ...rest] = problems(events);
    expect(rest).toEqual([]);
    expect(problem).toMatchObject({ kind: 'truncated', file: path('cut.json.gz'), index: found.length });
    expect(problem!.reason).toContain('gzip');
  });

  it('ends a corrupt gzip stream with a truncated problem (what zlib decoded before noticing is passed on)', async () => {
    const events = await collect([path('corrupt.json.gz')]);
    expect(ids(events).slice(0, 5)).toEqual(many.slice(0, 5).map((r) => r.id));
    expect(ids(events).length).toBeLessThan(many.length);
    const last = problems(events).at(-1)!;
    expect(last.kind).toBe('truncated');
    expect(last.reason).toContain('gzip data is corrupt');
  });

  it('reports an empty gzip stream as an empty file', async () => {
    const events = await collect([path('empty.json.gz')]);
    expect(problems(events).map((p) => [p.kind, p.offset])).toEqual([['empty', 0]]);
    expect(events.at(-1)).toMatchObject({ type: 'file-end', records: 0 });
  });

  it('reads stdin as <stdin>, plain or gzip, even one byte at a time', async () => {
    const few = records(0, 3);
    for (const data of [bytes(few.map((r) => JSON.stringify(r)).join('\n')), gzip(bytes(page(few, true)), [7])]) {
      const stdin = Readable.from(Array.from(data, (byte) => Buffer.from([byte])));
      const events = await collect(['-'], { stdin });
      expect(events[0]).toMatchObject({ type: 'file-start', info: { file: '<stdin>', bytes: null } });
      expect(ids(events)).toEqual(few.map((r) => r.id));
      expect(events.at(-1)).toMatchObject({ type: 'file-end', file: '<stdin>', bytesRead: data.length, records: few.length });
    }
  });

  it('reports progress in raw bytes read and hashes the raw bytes', async () => {
    const size = bytes(pageText).length;
    const progress = (await collect([path('page.json')], { format: 'json', highWaterMark: 1000, progressBytes: 5000 })).flatMap((e) =>
      e.type === 'progress' ? [e.bytesRead] : [],
    );
    expect(progress.length).toBe(Math.floor(size / 5000));
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    expect(progress.every((read, i) => read >= 5000 * (i + 1) && read < 5000 * (i + 1) + 1000)).toBe(true);
    const raw = gzip(bytes(pageText), [100, 5000, 20000]);
    const events = await collect([path('gzip-named-json.json')], { hash: true });
    expect(events.at(-1)).toEqual({
      type: 'file-end',
      file: path('gzip-named-json.json'),
      bytesRead: raw.length,
      jsonBytes: bytes(pageText).length,
      records: many.length,
      sha256: createHash('sha256').update(raw).digest('hex'),
    });
    expect((await collect([path('page.json')])).at(-1)).toMatchObject({ sha256: null });
  });

  it('reads files and folders given together, in order', async () => {
    const events = await collect([path('page.json'), path('folder')]);
    expect(events.flatMap((e) => (e.type === 'file-end' ? [[e.file, e.records]] : []))).toEqual([
      [path('page.json'), many.length],
      [path('folder/a.ndjson'), 1],
      [path('folder/sub/b.json'), 1],
    ]);
    expect(ids(events).slice(-2)).toEqual([callRecord(0).id, callRecord(1).id]);
  });

  it('honours an explicit format over detection', async () => {
    const lines = `${JSON.stringify(callRecord(0))}\n${page([callRecord(1)], true)}\n`;
    await writeFile(path('lines.txt'), lines);
    expect(ids(await collect([path('lines.txt')]))).toEqual([callRecord(0).id, callRecord(1).id]);
    expect(ids(await collect([path('lines.txt')], { format: 'ndjson' }))).toEqual([callRecord(0).id, null]);
    const pretty = JSON.stringify(callRecord(2), null, 2);
    await writeFile(path('pretty.txt'), pretty);
    expect(problems(await collect([path('pretty.txt')], { format: 'ndjson' })).length).toBeGreaterThan(1);
    expect(problems(await collect([path('pretty.txt')], { format: 'json' }))).toEqual([]);
  });

  it('throws E_INPUT naming a missing input before reading anything', async () => {
    const error = await failure(collect([path('page.json'), path('missing.json')]));
    expect(error).toMatchObject({ code: ErrorCode.Input, file: path('missing.json') });
  });

  it('throws E_INTERRUPTED when the signal aborts', async () => {
    const controller = new AbortController();
    controller.abort();
    expect(await failure(collect([path('page.json')], { signal: controller.signal }))).toMatchObject({ code: ErrorCode.Interrupted });
    const later = new AbortController();
    const seen: string[] = [];
    const run = (async () => {
      for await (const event of readRecords([path('page.json'), path('page-copy.json')], { signal: later.signal, highWaterMark: 512 })) {
        seen.push(event.type);
        if (event.type === 'record') later.abort();
      }
    })();
    expect(await failure(run)).toMatchObject({ code: ErrorCode.Interrupted });
    expect(seen.filter((t) => t === 'record').length).toBeLessThan(many.length);
  });

  it('rejects bad options with E_USAGE naming the option', async () => {
    for (const options of [{ maxRecordBytes: 0 }, { highWaterMark: 1.5 }, { format: 'xml' as never }]) {
      const error = await failure(collect([path('page.json')], options));
      expect(error).toMatchObject({ code: ErrorCode.Usage });
      expect((error as Error).message).toContain(`options.${Object.keys(options)[0]}`);
    }
  });
});
