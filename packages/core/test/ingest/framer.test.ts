import vm from 'node:vm';
import v8 from 'node:v8';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RecordFramer } from '../../src/ingest/index.js';
import type { IngestProblem } from '../../src/ingest/index.js';
import { TRICKY, bytes, callRecord, chunkings, frame, frameText, page, parsed, problemsOf, records, recordsOf, shapes, summary, text } from './fixtures.js';

describe('RecordFramer on every export shape', () => {
  for (const shape of shapes()) {
    describe(shape.name, () => {
      const data = bytes(shape.text);
      const lines = shape.format === 'ndjson';
      const whole = frame([data], { lines });
      const wholeSummary = summary(whole);

      it('frames exactly the records, as the input bytes at their offsets, with their keys', () => {
        expect(problemsOf(whole)).toEqual([]);
        const found = recordsOf(whole);
        expect(found.map(parsed)).toEqual(shape.expected);
        found.forEach((record, i) => {
          expect(record.index).toBe(i);
          expect(text(record.bytes)).toBe(text(data.subarray(record.offset, record.offset + record.bytes.length)));
          const expected = shape.expected[i]!;
          // Every fixture record has one session with one segment of two streams.
          expect(record.key).toEqual({
            id: expected.id,
            version: expected.version,
            lastModified: expected.lastModifiedDateTime,
            sessions: 1,
            segments: 1,
            streams: 2,
          });
        });
      });

      it('gives identical events for chunks of 1 byte, 7 bytes, random sizes, as Buffers or Uint8Arrays', () => {
        for (const { name, chunks } of chunkings(data)) {
          expect(summary(frame(chunks, { lines })), name).toEqual(wholeSummary);
        }
        expect(summary(frame(chunkings(data)[3]!.chunks, { lines }, false))).toEqual(wholeSummary);
      });

      if (lines) {
        it('frames line-structured input the same without line mode', () => {
          expect(summary(frame([data], { lines: false }))).toEqual(wholeSummary);
        });
      }
    });
  }
});

describe('RecordFramer keys', () => {
  it('reads id, version and lastModifiedDateTime at record depth only, never from nested objects', () => {
    const input =
      '{"sessions":[{"id":"s1","version":7,"lastModifiedDateTime":"nested"}],"caller":{"id":"c"},"id":"top","version":3,"lastModifiedDateTime":"2024-01-01T00:00:00Z"}';
    for (const { chunks } of chunkings(bytes(input))) {
      expect(recordsOf(frame(chunks))[0]!.key).toEqual({ id: 'top', version: 3, lastModified: '2024-01-01T00:00:00Z', sessions: 1, segments: 0, streams: 0 });
    }
  });

  it.each(['{"type":"groupCall"}', '{"id":5,"version":"3","lastModifiedDateTime":null}', '{"id":{"x":"y"},"version":[1],"lastModifiedDateTime":true}'])(
    'gives null for absent keys and for values of the wrong JSON type: %s',
    (text) => {
      expect(recordsOf(frameText(text))[0]!.key).toEqual({ id: null, version: null, lastModified: null, sessions: null, segments: 0, streams: 0 });
    },
  );

  it('decodes escapes, allows whitespace around the colon and lets a repeated key win as JSON.parse does', () => {
    const input = '{ "id" : "a\\"b\\u00e9" ,\n  "version"\t:\r\n 2.5e1 , "id": "second", "lastModifiedDateTime" : "x" }';
    expect(recordsOf(frameText(input))[0]!.key).toEqual({ id: 'second', version: 25, lastModified: 'x', sessions: null, segments: 0, streams: 0 });
    expect(JSON.parse(input).id).toBe('second');
    expect(recordsOf(frameText('{"id":"a\\"b\\u00e9"}'))[0]!.key.id).toBe('a"bé');
  });

  it('is not fooled by key-like text inside strings', () => {
    const input = `{"note":${JSON.stringify(TRICKY[7])},"name":"\\",\\"id\\":\\"fake\\""}`;
    for (const { chunks } of chunkings(bytes(input))) expect(recordsOf(frame(chunks))[0]!.key.id).toBeNull();
  });

  it('keeps a record whose "value" member is not an array a record', () => {
    const found = recordsOf(frameText('{"id":"r","value":{"x":[1]}}{"id":"q","value":3}'));
    expect(found.map((r) => r.key.id)).toEqual(['r', 'q']);
  });
});

describe('RecordFramer problems', () => {
  const only = (text: string, options = {}): IngestProblem[] => {
    const results = chunkings(bytes(text)).map(({ chunks }) => frame(chunks, options));
    for (const result of results) expect(summary(result)).toEqual(summary(results[0]!));
    return problemsOf(results[0]!);
  };

  it('reports an empty or whitespace-only file as empty', () => {
    for (const text of ['', '   \n\r\n\t', '\ufeff', '\ufeff  \n']) {
      expect(only(text).map((p) => [p.kind, p.offset, p.index])).toEqual([['empty', 0, null]]);
    }
    expect(frame([]).map((e) => e.type)).toEqual(['problem']);
  });

  it('keeps every complete record before a cut, wherever the cut falls, and reports where the cut one began', () => {
    const input = page(
      [
        { id: 'a', s: TRICKY.join(''), n: [1, { x: null }] },
        { id: 'b', version: 2, e: {} },
      ],
      true,
    );
    const data = bytes(input);
    const all = recordsOf(frame([data]));
    const span = (r: { offset: number; index: number; bytes: Uint8Array }) => [r.offset, r.index, r.bytes.length];
    const bracket = input.indexOf('"value":[') + '"value":'.length; // ASCII before it: chars = bytes
    for (let cut = 1; cut < data.length; cut++) {
      const events = frame([data.subarray(0, cut)]);
      expect(recordsOf(events).map(span)).toEqual(all.filter((r) => r.offset + r.bytes.length <= cut).map(span));
      const open = all.find((r) => r.offset < cut && cut < r.offset + r.bytes.length);
      const [problem, ...more] = problemsOf(events);
      expect(more).toEqual([]);
      expect(problem!.kind).toBe('truncated');
      if (cut <= bracket) expect([problem!.offset, problem!.index]).toEqual([0, 0]);
      else if (open) expect([problem!.offset, problem!.index]).toEqual([open.offset, open.index]);
      else expect([problem!.offset, problem!.index]).toEqual([cut, null]);
    }
  });

  it('quotes the cut record in a truncated problem, the same for every chunking', () => {
    const [problem] = only('{"id":"a"}\n{"id":"b","sessions":[{"x":"y"');
    expect(problem).toMatchObject({ kind: 'truncated', offset: 11, index: 1, snippet: '{"id":"b","sessions":[{"x":"y"' });
  });

  it('reports garbage between records as malformed and resyncs at the next value', () => {
    const events = frameText('{"id":"a"} garbage here {"id":"b"}\nnope\n{"id":"c"}');
    expect(recordsOf(events).map((r) => [r.key.id, r.offset, r.index])).toEqual([
      ['a', 0, 0],
      ['b', 24, 1],
      ['c', 40, 2],
    ]);
    expect(problemsOf(events).map((p) => [p.kind, p.offset, p.index, p.snippet])).toEqual([
      ['malformed', 11, null, 'garbage here'],
      ['malformed', 35, null, 'nope'],
    ]);
    expect(only('{"id":"a"} garbage here {"id":"b"}').map((p) => p.offset)).toEqual([11]);
  });

  it('reports stray commas and closers at the top level, and garbage inside an array, as malformed', () => {
    expect(only('{"id":"a"},\n{"id":"b"}]').map((p) => [p.kind, p.offset, p.snippet])).toEqual([
      ['malformed', 10, ','],
      ['malformed', 22, ']'],
    ]);
    const events = frameText('[{"id":"a"}, oops, {"id":"b"}]');
    expect(problemsOf(events).map((p) => [p.kind, p.offset, p.snippet])).toEqual([['malformed', 13, 'oops']]);
    expect(recordsOf(events).map((r) => r.key.id)).toEqual(['a', 'b']);
  });

  it('reports values in record position that are not objects as not_a_record, each taking an index', () => {
    const problems = only('[1, "x\\"y", [2, {"id":"no"}], null, -0.5e3, {"id":"a"}]');
    expect(problems.map((p) => [p.kind, p.offset, p.index, p.snippet])).toEqual([
      ['not_a_record', 1, 0, '1'],
      ['not_a_record', 4, 1, '"x\\"y"'],
      ['not_a_record', 12, 2, '[2, {"id":"no"}]'],
      ['not_a_record', 30, 3, 'null'],
      ['not_a_record', 36, 4, '-0.5e3'],
    ]);
    expect(recordsOf(frameText('[1, {"id":"a"}]'))[0]!.index).toBe(1);
    expect(only('42 "s" true').map((p) => [p.kind, p.offset])).toEqual([
      ['not_a_record', 0],
      ['not_a_record', 3],
      ['not_a_record', 7],
    ]);
    expect(only('{"value":[1,{"id":"a"}]}').map((p) => [p.kind, p.offset, p.index])).toEqual([['not_a_record', 10, 0]]);
  });

  it('frames a record that is invalid inside but balanced, so the parser can reject it with provenance', () => {
    const input = '{"id":"a", "x": tru, "y": [1,2,], }';
    const [record] = recordsOf(frameText(input));
    expect(text(record!.bytes)).toBe(input);
    expect(() => parsed(record!)).toThrow(SyntaxError);
  });

  it('reports a record longer than maxRecordBytes as oversized and goes on with the next', () => {
    const big = JSON.stringify({ id: 'big', blob: 'x'.repeat(500) });
    const input = `[{"id":"a"}, ${big}, {"id":"b"}]`;
    const problems = only(input, { maxRecordBytes: 100 });
    expect(problems.map((p) => [p.kind, p.offset, p.index, p.snippet])).toEqual([['oversized', 13, 1, big.slice(0, 200)]]);
    expect(problems[0]!.reason).toContain(`${big.length} bytes`);
    expect(recordsOf(frameText(input, { maxRecordBytes: 100 })).map((r) => [r.key.id, r.index])).toEqual([
      ['a', 0],
      ['b', 2],
    ]);
    expect(problemsOf(frameText(input, { maxRecordBytes: big.length }))).toEqual([]);
  });

  it('does not buffer an oversized record: its early chunks become garbage while it streams on', async () => {
    v8.setFlagsFromString('--expose-gc');
    const gc = vm.runInNewContext('gc') as () => void;
    const problems: IngestProblem[] = [];
    const framer = new RecordFramer({ record: () => {}, problem: (p) => problems.push(p) }, { file: 'big', maxRecordBytes: 1 << 20 });
    const pushFirst = (): WeakRef<Uint8Array> => {
      const first = new TextEncoder().encode(`{"id":"big","blob":"${'a'.repeat((1 << 16) - 20)}`);
      framer.push(first);
      return new WeakRef(first);
    };
    const early = pushFirst();
    const filler = 'a'.repeat(1 << 16);
    for (let i = 0; i < 64; i++) framer.push(new TextEncoder().encode(filler));
    await new Promise((resolve) => setTimeout(resolve, 0)); // a WeakRef holds its target until the job ends
    gc();
    expect(early.deref()).toBeUndefined();
    framer.push(new TextEncoder().encode('"}{"id":"next"}'));
    framer.end();
    expect(problems.map((p) => [p.kind, p.offset, p.index])).toEqual([['oversized', 0, 0]]);
    expect(problems[0]!.snippet).toBe(`{"id":"big","blob":"${'a'.repeat(180)}`);
  });

  it('frames deep nesting without recursion', () => {
    const depth = 20_000;
    const input = `{"id":"deep","x":${'['.repeat(depth)}${']'.repeat(depth)}}`;
    const results = chunkings(bytes(input))
      .slice(0, 3)
      .map(({ chunks }) => recordsOf(frame(chunks)));
    for (const found of results) expect(found.map((r) => [r.key.id, r.bytes.length])).toEqual([['deep', input.length]]);
  });
});

describe('RecordFramer line mode', () => {
  it('makes a bad line one problem and reads the next line afresh', () => {
    const input = '{"id":"a"}\n{"id":"b", "x": [1,\n{"id":"c","s":"open string\n{"id":"d"}\n[1,\n{"id":"e"}';
    const results = chunkings(bytes(input)).map(({ chunks }) => frame(chunks, { lines: true }));
    for (const result of results) expect(summary(result)).toEqual(summary(results[0]!));
    expect(recordsOf(results[0]!).map((r) => [r.key.id, r.index])).toEqual([
      ['a', 0],
      ['d', 3],
      ['e', 5],
    ]);
    expect(problemsOf(results[0]!).map((p) => [p.kind, p.offset, p.index, p.snippet])).toEqual([
      ['malformed', 11, 1, '{"id":"b", "x": [1,'],
      ['malformed', 31, 2, '{"id":"c","s":"open string'],
      ['not_a_record', 70, 4, '1'],
      ['malformed', 72, null, ''],
    ]);
  });

  it('without pages, makes every line one record: a page is a record, an array is not_a_record', () => {
    const input = `${page([callRecord(0)], true)}\n[${JSON.stringify(callRecord(1))}]\n`;
    const events = frameText(input, { lines: true, pages: false });
    expect(recordsOf(events).map((r) => Object.keys(parsed(r) as object))).toEqual([['@odata.context', 'value']]);
    expect(problemsOf(events).map((p) => [p.kind, p.index])).toEqual([['not_a_record', 1]]);
  });

  it('reports a last line cut by the end of the input as truncated', () => {
    const problems = problemsOf(frameText('{"id":"a"}\r\n{"id":"b",', { lines: true }));
    expect(problems.map((p) => [p.kind, p.offset, p.index])).toEqual([['truncated', 12, 1]]);
  });
});

describe('RecordFramer on generated input', () => {
  // Top-level records with a "value" array would be pages: left out here, tested above.
  const record = fc.dictionary(fc.string({ unit: 'binary' }), fc.jsonValue(), { maxKeys: 6 }).filter((r) => !Object.hasOwn(r, 'value'));

  it('frames any records in any shape and any chunking into the same values', () => {
    fc.assert(
      fc.property(
        fc.array(record, { maxLength: 6 }),
        fc.constantFrom('array', 'ndjson', 'page', 'sequence'),
        fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 8 }),
        (items, shape, sizes) => {
          const input =
            shape === 'array'
              ? JSON.stringify(items, null, 1)
              : shape === 'ndjson'
                ? items.map((r) => JSON.stringify(r)).join('\n')
                : shape === 'page'
                  ? page(items, true)
                  : items.map((r) => JSON.stringify(r, null, 2)).join(' ');
          const data = bytes(input);
          const chunks: Uint8Array[] = [];
          for (let i = 0, k = 0; i < data.length; k++) {
            const size = sizes[k % sizes.length]!;
            chunks.push(data.subarray(i, i + size));
            i += size;
          }
          const whole = frame([data]);
          expect(summary(frame(chunks))).toEqual(summary(whole));
          const found = recordsOf(whole);
          expect(found.map(parsed)).toEqual(items.map((r) => JSON.parse(JSON.stringify(r))));
          found.forEach((r, i) => {
            const item = items[i] as Record<string, unknown>;
            const id = Object.hasOwn(item, 'id') && typeof item.id === 'string' ? item.id : null;
            expect(r.key.id).toBe(id);
          });
        },
      ),
      { numRuns: 120 },
    );
  });

  it('finds every record of a larger page pushed in uneven chunks', () => {
    const input = page(records(0, 60), true, true);
    const found = recordsOf(frame(chunkings(bytes(input))[5]!.chunks));
    expect(found.map((r) => r.key.id)).toEqual(records(0, 60).map((r) => r.id));
  });
});

describe('RecordFramer completeness counts', () => {
  const counts = (input: string) => {
    const results = chunkings(bytes(input)).map(({ chunks }) => recordsOf(frame(chunks)).map((r) => [r.key.sessions, r.key.segments, r.key.streams]));
    for (const result of results) expect(result).toEqual(results[0]);
    return results[0];
  };
  const stream = { streamId: '1', x: [{ notAStream: 1 }] };
  const segment = (streams: number) => ({
    id: 's',
    caller: { identity: { user: { id: 'u' } } },
    media: [{ label: 'main-audio', streams: Array(streams).fill(stream), callerNetwork: { hops: [{}, {}] } }],
  });
  const session = (...segments: number[]) => ({ id: 'x', modalities: ['audio'], caller: { id: 'c', nested: [{}, {}] }, segments: segments.map(segment) });

  it('counts sessions, segments and streams under the top-level sessions array only', () => {
    const full = { id: 'a', sessions: [session(2, 3), session(1)], other: [session(9)] };
    const listCopy = { id: 'a', participants: [{ user: {} }] };
    expect(counts(JSON.stringify([full, listCopy, { id: 'b', sessions: [] }, { id: 'c', sessions: null }, { id: 'd', sessions: {} }], null, 2))).toEqual([
      [2, 3, 6],
      [null, 0, 0],
      [0, 0, 0],
      [null, 0, 0],
      [null, 0, 0],
    ]);
  });

  it('counts only the last "sessions" key, as JSON.parse keeps it, and ignores key-like strings', () => {
    expect(counts('{"sessions":[{"segments":[{}]}],"x":"\\"sessions\\":[{},{}]","sessions":[{},{},{}]}')).toEqual([[3, 0, 0]]);
    expect(counts('{"sessions":[{}],"sessions":null}')).toEqual([[null, 0, 0]]);
    expect(counts('{"value":{"sessions":[{}]},"nested":{"sessions":[{}]}}')).toEqual([[null, 0, 0]]);
  });
});

describe('RecordFramer page context', () => {
  const contexts = (input: string, options = {}) => {
    const results = chunkings(bytes(input)).map(({ chunks }) => recordsOf(frame(chunks, options)).map((r) => [r.key.id, r.context]));
    for (const result of results) expect(result).toEqual(results[0]);
    return results[0];
  };
  const sessionsPage = "https://graph.microsoft.com/v1.0/$metadata#communications/callRecords('e523d2ed')/sessions(segments())";

  it("gives each record of a page the page's @odata.context, given before its value array", () => {
    const input = [
      JSON.stringify({ '@odata.context': sessionsPage, value: [{ id: 's1' }, { id: 's2' }], '@odata.nextLink': 'n' }),
      JSON.stringify({ id: 'single', '@odata.context': 'entity' }),
      JSON.stringify(
        [{ '@odata.context': 'p1', x: [1, { '@odata.context': 'nested' }], value: [{ id: 'a', '@odata.context': 'own' }] }, { value: [{ id: 'b' }] }],
        null,
        2,
      ),
      JSON.stringify({ value: [{ id: 'late' }], '@odata.context': 'after the records' }),
      JSON.stringify({ '@odata.context': 7, value: [{ id: 'number' }] }),
      '{"@odata.context":"first","@odata.context":"last \\"quoted\\"","value":[{"id":"repeated"}]}',
    ].join('\n');
    const expected = [
      ['s1', sessionsPage],
      ['s2', sessionsPage],
      ['single', null],
      ['a', 'p1'],
      ['b', null],
      ['late', null],
      ['number', null],
      ['repeated', 'last "quoted"'],
    ];
    expect(contexts(input)).toEqual(expected);
    expect(contexts(input, { lines: true })).toEqual([...expected.slice(0, 3), ...expected.slice(5)].map((e) => e));
  });

  it('gives no context without pages', () => {
    expect(contexts(page([{ id: 'a' }], true), { pages: false })).toEqual([[null, null]]);
  });
});

describe('RecordFramer: page ends (for stitching sessions pages)', () => {
  const ctx = (id: string): string => `https://graph.microsoft.com/v1.0/$metadata#communications/callRecords('${id}')/sessions(segments())`;
  const session = { id: 's1', modalities: ['audio'], segments: [{ id: 'g', media: [] }], '@odata.nextLink': 'inside a record: not the page' };
  const pages = [
    // nextLink after the value (as Graph writes it), before it, absent, a key that only looks like it, an empty page
    { '@odata.context': ctx('a'), value: [session, session], '@odata.nextLink': 'https://graph.microsoft.com/v1.0/x?$skiptoken=2' },
    { '@odata.nextLink': 'https://graph.microsoft.com/v1.0/x?$skiptoken=3', '@odata.context': ctx('b'), value: [session] },
    { '@odata.context': ctx('c'), value: [session], '@odata.count': 1, tail: { '@odata.nextLink': 'nested: not the page' } },
    { '@odata.context': ctx('d'), value: [], '@odata.nextLinks': 'x' },
  ];
  const expected = [
    { context: ctx('a'), nextLink: true },
    { context: ctx('b'), nextLink: true },
    { context: ctx('c'), nextLink: false },
    { context: ctx('d'), nextLink: false },
  ];

  function ends(chunks: readonly Uint8Array[], lines: boolean): { context: string | null; nextLink: boolean; offset: number }[] {
    const out: { context: string | null; nextLink: boolean; offset: number }[] = [];
    const framer = new RecordFramer(
      { record: () => {}, problem: (problem) => out.push({ context: problem.reason, nextLink: false, offset: -1 }), pageEnd: (page) => out.push(page) },
      { file: 'pages.json', lines },
    );
    for (const chunk of chunks) framer.push(Buffer.from(chunk));
    framer.end();
    return out.map(({ context, nextLink, offset }) => ({ context, nextLink, offset }));
  }

  for (const [name, body, lines] of [
    ['concatenated pretty pages', pages.map((p) => JSON.stringify(p, null, 2)).join('\n'), false],
    ['NDJSON, a page per line', `${pages.map((p) => JSON.stringify(p)).join('\n')}\n`, true],
  ] as const) {
    it(`${name}: one end per page, whether it has its own @odata.nextLink, at its closing brace, for any chunking`, () => {
      const data = bytes(body);
      const whole = ends([data], lines);
      expect(whole.map(({ context, nextLink }) => ({ context, nextLink }))).toEqual(expected);
      for (const end of whole) expect(String.fromCharCode(data[end.offset - 1]!)).toBe('}');
      for (const { name: chunking, chunks } of chunkings(data)) expect(ends(chunks, lines), chunking).toEqual(whole);
    });
  }

  it('a page cut off is not reported as ended', () => {
    const body = JSON.stringify(pages[2]);
    expect(ends([bytes(body.slice(0, -1))], false).filter((e) => e.offset >= 0)).toEqual([]);
  });
});
