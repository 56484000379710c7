/**
 * Damaged input never costs more than the damaged part: a bad line is one problem and every other
 * line is read (also when the format is detected, whatever the first line looks like), and arrays
 * and pages frame on after a malformed element where the brackets allow.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readRecords } from '../../src/ingest/index.js';
import type { IngestEvent, IngestProblem, ReadOptions } from '../../src/ingest/index.js';
import { SNIFF_LIMIT } from '../../src/ingest/detect.js';
import { bytes, chunkings, frame, gzip, problemsOf, records, recordsOf, summary } from './fixtures.js';
import type { Framed } from './fixtures.js';

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'callaudit-ingest-recovery-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function read(
  name: string,
  content: string | Uint8Array,
  options: ReadOptions = {},
): Promise<{ format: string; ids: unknown[]; problems: IngestProblem[] }> {
  const file = join(dir, name);
  await writeFile(file, content);
  const events: IngestEvent[] = [];
  for await (const event of readRecords([file], { highWaterMark: 4096, ...options })) events.push(event);
  const start = events.find((e) => e.type === 'file-start');
  return {
    format: start?.type === 'file-start' ? start.info.format : '',
    ids: events.flatMap((e) => (e.type === 'record' ? [e.record.key.id] : [])),
    problems: events.flatMap((e) => (e.type === 'problem' ? [e.problem] : [])),
  };
}

/** Frames with every chunking, checks they agree, and returns the events of one. */
function framed(text: string, options = {}): Framed[] {
  const results = chunkings(bytes(text)).map(({ chunks }) => frame(chunks, options));
  for (const result of results) expect(summary(result)).toEqual(summary(results[0]!));
  return results[0]!;
}

const kinds = (problems: readonly IngestProblem[]) => problems.map((p) => [p.kind, p.offset, p.index]);
const five = records(0, 5).map((r) => JSON.stringify(r));

describe('line-delimited input keeps every good line', () => {
  it('detects NDJSON whose second line is cut, and loses only that line', async () => {
    const lines = [five[0]!, '{"id": "x", "sessions": [', ...five.slice(1)];
    const text = `${lines.join('\n')}\n`;
    for (const name of ['cut-second.json', 'cut-second.ndjson']) {
      const got = await read(name, text);
      expect(got.format, name).toBe('ndjson');
      expect(got.ids, name).toEqual(records(0, 5).map((r) => r.id));
      expect(kinds(got.problems), name).toEqual([['malformed', five[0]!.length + 1, 1]]);
    }
  });

  it('detects NDJSON whose first line is cut or not JSON, by a second look or by the name', async () => {
    for (const first of ['{"id": "x", "sessions": [', 'this is not json']) {
      const text = `${[first, ...five].join('\n')}\n`;
      const got = await read('first.json', text);
      expect(got.format, first).toBe('ndjson');
      expect(got.ids, first).toEqual(records(0, 5).map((r) => r.id));
      expect(kinds(got.problems), first).toEqual([['malformed', 0, first.startsWith('{') ? 0 : null]]);
    }
    // Only one line after the broken one: nothing to look at but the name.
    const short = `{"id": "x", "sessions": [\n${five[0]}\n`;
    expect((await read('short.ndjson', short)).ids).toEqual([records(0, 1)[0]!.id]);
    expect((await read('short.ndjson.gz', gzip(bytes(short)))).format).toBe('ndjson');
  });

  it('takes the name when the first line is longer than the sniff window', async () => {
    const long = JSON.stringify({ id: 'long', pad: 'p'.repeat(SNIFF_LIMIT + 10) });
    const text = `${long}\n{"id": "cut", "sessions": [\n${five.join('\n')}\n`;
    const named = await read('long.jsonl', text, { highWaterMark: 1 << 16 });
    expect(named.format).toBe('ndjson');
    expect(named.ids).toEqual(['long', ...records(0, 5).map((r) => r.id)]);
    expect(named.problems).toHaveLength(1);
    // Without the name JSON framing is kept (right for any valid layout): the cut line takes the rest.
    const unnamed = await read('long.json', text, { highWaterMark: 1 << 16 });
    expect(unnamed.format).toBe('json');
    expect(unnamed.ids).toEqual(['long']);
  });

  it('makes a line that is not JSON exactly one problem in line mode', async () => {
    const text = `${five[0]}\nthis is not json\n${five[1]}\n  42 x\n]\n`;
    const got = await read('words.txt', text, { format: 'ndjson' });
    expect(got.ids).toEqual(records(0, 2).map((r) => r.id));
    const at = five[0]!.length + 1;
    const second = at + 'this is not json\n'.length + five[1]!.length + 1;
    expect(got.problems.map((p) => [p.kind, p.offset, p.index, p.snippet])).toEqual([
      ['malformed', at, null, 'this is not json'],
      ['not_a_record', second + 2, 2, '42'],
      ['malformed', second + 5, null, 'x'],
      ['malformed', second + 7, null, ']'],
    ]);
    const events = framed('true false\nnull\nnullx y\n-1.5e3\n1.2.3\n', { lines: true });
    expect(kinds(problemsOf(events))).toEqual([
      ['not_a_record', 0, 0],
      ['not_a_record', 5, 1],
      ['not_a_record', 11, 2],
      ['malformed', 16, null],
      ['not_a_record', 24, 3],
      ['malformed', 31, null],
    ]);
  });
});

describe('arrays and pages frame on after a malformed element', () => {
  it('ends an element at a closer that does not match, and keeps the next element', () => {
    // A `}` typed for `]` (it closes the record: the `}` after it is stray), then a missing `]`:
    // each costs its own element only.
    const input = '[{"id":"a","x":[1,2}},{"id":"b"},{"id":"c","y":[3,{"z":4}},{"id":"d"}]';
    const events = framed(input);
    expect(recordsOf(events).map((r) => r.key.id)).toEqual(['b', 'd']);
    const problems = problemsOf(events);
    expect(problems.map((p) => [p.kind, p.offset, p.index, p.snippet])).toEqual([
      ['malformed', 1, 0, '{"id":"a","x":[1,2}'],
      ['malformed', 20, null, '}'],
      ['malformed', 33, 2, '{"id":"c","y":[3,{"z":4}}'],
    ]);
    expect(problems[0]!.reason).toBe(`'}' at byte 19 does not close the array open there`);
    expect(recordsOf(events).map((r) => r.index)).toEqual([1, 3]);
  });

  it('ends an element before a closer of the array around it', () => {
    const input = '{"value":[{"id":"a","x":{"y":1]},{"id":"b"}]}\n{"value":[{"id":"c"}]}';
    const events = framed(input);
    // The `]` closes the page's records; b, after the page, is framed as a record of its own.
    expect(recordsOf(events).map((r) => r.key.id)).toEqual(['b', 'c']);
    expect(problemsOf(events).map((p) => [p.kind, p.offset, p.index, p.snippet])).toEqual([
      ['malformed', 10, 0, '{"id":"a","x":{"y":1'],
      ['malformed', 32, null, ','],
      ['malformed', 43, null, ']}'],
    ]);
  });

  it('says where it could not find the next element: the end of the input', () => {
    // The `}` closes "s" (taking the `[` with it), so b and c fall inside a, which never closes.
    const input = '[{"id":"a","s":{"x":[}, {"id":"b"}, {"id":"c"}';
    const events = framed(input);
    expect(recordsOf(events).map((r) => r.key.id)).toEqual([]);
    const problems = problemsOf(events);
    expect(problems.map((p) => [p.kind, p.offset, p.index])).toEqual([
      ['malformed', 1, 0],
      ['truncated', input.length, null],
    ]);
    expect(problems[1]!.reason).toContain('malformed value that begins at byte 1');
  });

  it('frames valid input exactly as before (closers that match)', () => {
    const input = JSON.stringify([{ id: 'a', x: [[{}], { y: [[]] }] }, { id: 'b' }]);
    expect(recordsOf(framed(input)).map((r) => r.key.id)).toEqual(['a', 'b']);
    expect(problemsOf(framed(input))).toEqual([]);
  });
});

describe('a raw line break inside a string', () => {
  /** A getPstnCalls page as the beta docs of mid-2020 printed it: one string lacks its closing quote. */
  const row = (id: string, callId: string): string =>
    `        {\n            "id": "${id}",\n            "callId": ${callId},\n            "userPrincipalName": "richard.malk@contoso.com",\n            "duration": 219,\n            "charge": 0.00\n        }`;
  const pstnPage = (rows: string[]): string =>
    `{\n    "@odata.context": "https://graph.microsoft.com/beta/$metadata#Collection(microsoft.graph.callRecords.pstnCallLogRow)",\n    "value": [\n${rows.join(',\n')}\n    ]\n}\n`;

  it('rejects the value it is in as malformed, names it, and frames the next record (the published example)', async () => {
    const text = pstnPage([row('9c4984c7', '"1835317186_112562680@61.221.3.176'), row('a1b2c3d4', '"1835317186_112562681@61.221.3.176"')]);
    const badAt = text.indexOf('\n', text.indexOf('"1835317186_112562680'));
    for (const chunks of chunkings(bytes(text)).map((c) => c.chunks)) {
      const events = frame(chunks);
      expect(recordsOf(events).map((r) => [r.key.id, r.index])).toEqual([['a1b2c3d4', 1]]);
      const problems = problemsOf(events);
      expect(problems.map((p) => [p.kind, p.offset, p.index, p.reason])).toEqual([
        ['malformed', text.indexOf('{\n            "id": "9c4984c7"'), 0, `raw line feed (U+000A) inside a string at byte ${badAt}`],
      ]);
    }
    // The same through readRecords, plain and gzip, and as the first of two pages.
    const good = JSON.stringify({ '@odata.context': 'x', value: [{ id: 'next' }] });
    for (const [name, content] of [
      ['pstn.json', text],
      ['pstn.json.gz', gzip(bytes(text), [300])],
      ['pstn-pages.json', text + good],
    ] as const) {
      const got = await read(name, content);
      expect(got.format, name).toBe('json');
      expect(got.ids, name).toEqual(name === 'pstn-pages.json' ? ['a1b2c3d4', 'next'] : ['a1b2c3d4']);
      expect(
        got.problems.map((p) => p.kind),
        name,
      ).toEqual(['malformed']);
    }
  });

  it('takes a carriage return inside a string the same way, in JSON and in line mode', () => {
    const crlf = pstnPage([row('a', '"open'), row('b', '"closed"')]).replace(/\n/g, '\r\n');
    const events = framed(crlf);
    expect(recordsOf(events).map((r) => r.key.id)).toEqual(['b']);
    expect(problemsOf(events).map((p) => [p.kind, p.reason.slice(0, 35)])).toEqual([['malformed', 'raw carriage return (U+000D) inside']]);
    const lines = framed('{"id":"a","s":"x\ry"}\n{"id":"b"}\n{"id":"c","s":"open\n{"id":"d"}', { lines: true });
    expect(recordsOf(lines).map((r) => r.key.id)).toEqual(['b', 'd']);
    expect(problemsOf(lines).map((p) => [p.kind, p.offset, p.index])).toEqual([
      ['malformed', 0, 0],
      ['malformed', 32, 2],
    ]);
  });

  it('counts the truncation when the input then ends inside a value', () => {
    // Minified, with a raw line feed in a string that does close: taking the string to end at the
    // line feed turns the quotes after it inside out, and the input ends inside a string.
    const input = '[{"id":"a","s":"x\ny"},{"id":"b"}]';
    const events = framed(input);
    expect(recordsOf(events)).toEqual([]);
    const problems = problemsOf(events);
    expect(problems.map((p) => [p.kind, p.offset, p.index])).toEqual([
      ['malformed', 1, 0],
      ['truncated', input.length, null],
    ]);
    expect(problems[0]!.reason).toBe('raw line feed (U+000A) inside a string at byte 17');
  });

  it('leaves escaped line breaks and other raw control bytes to JSON.parse (framing is not at stake)', () => {
    const input = '[{"id":"a","s":"x\\ny\\r"},{"id":"b","t":"tab\there"}]';
    const events = framed(input);
    expect(recordsOf(events).map((r) => r.key.id)).toEqual(['a', 'b']);
    expect(problemsOf(events)).toEqual([]);
  });
});
