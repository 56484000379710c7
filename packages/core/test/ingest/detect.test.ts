import { describe, expect, it } from 'vitest';
import { isGzip, sniffFormat } from '../../src/ingest/index.js';
import { formatHint } from '../../src/ingest/detect.js';
import { bytes, gzip, page, records } from './fixtures.js';

describe('isGzip', () => {
  it('looks at the magic bytes only', () => {
    expect(isGzip(gzip(bytes('{}')))).toBe(true);
    expect(isGzip(new Uint8Array([0x1f]))).toBe(false);
    expect(isGzip(new Uint8Array([0x1f, 0x8c]))).toBe(false);
    expect(isGzip(bytes('{"a":1}'))).toBe(false);
    expect(isGzip(new Uint8Array(0))).toBe(false);
  });
});

describe('sniffFormat', () => {
  const one = JSON.stringify(records(0, 1)[0]);
  const cases: [string, string, 'json' | 'ndjson'][] = [
    ['two one-line objects', `{"a":1}\n{"b":2}\n`, 'ndjson'],
    ['CRLF and blank lines, no final newline', `\r\n{"a":1}\r\n\r\n{"b":"}\\"{"}`, 'ndjson'],
    ['BOM first', `\ufeff{"a":1}\n{"b":2}`, 'ndjson'],
    ['one-line pages', `${page([{ id: 'a' }])}\n${page([{ id: 'b' }], true)}\n`, 'ndjson'],
    ['a lone line', `${one}\n`, 'ndjson'],
    ['a lone record, no newline', one, 'json'],
    ['a cut second line', `{"a":1}\n{"id": "x", "sessions": [\n{"b":2}\n`, 'ndjson'],
    ['a cut first line, then two objects', `{"id": "x", "sessions": [\n{"a":1}\n\n{"b":2}\n`, 'ndjson'],
    ['a first line that is not JSON, then two objects', `this is not json\n{"a":1}\n{"b":2}`, 'ndjson'],
    ['a cut first line, then one object at the end', `{"id": "x", "s": "open\n{"a":1}`, 'ndjson'],
    ['a page with a record per line', `{"@odata.context":"x","value":[\n{"a":1},\n{"b":2}\n]}\n`, 'json'],
    ['an object pretty-printed by hand', `{ "id": "a",\n  "version": 1 }\n`, 'json'],
    ['a one-line object, then a pretty one', `{"a":1}\n\n[\n 1\n]\n`, 'json'],
    ['a top-level array', `[${one},\n${one}]`, 'json'],
    ['a pretty first object', `{\n "a": 1\n}\n{"b":2}\n`, 'json'],
    ['a pretty second object', `{"a":1}\n{\n "b": 2\n}\n`, 'json'],
    ['two values on the first line', `{"a":1} {"b":2}\n{"c":3}\n`, 'json'],
    ['a scalar on the second line', `{"a":1}\n42\n`, 'ndjson'],
    ['empty', '', 'json'],
    ['whitespace', ' \n\t', 'json'],
  ];
  for (const [name, text, format] of cases) {
    it(`says ${format} for ${name}, and never changes an answer it gave on a prefix`, () => {
      const data = bytes(text);
      expect(sniffFormat(data, true)).toBe(format);
      const changed: number[] = [];
      for (let cut = 0; cut <= data.length; cut++) {
        const early = sniffFormat(data.subarray(0, cut), false);
        if (early !== null && early !== format) changed.push(cut);
      }
      expect(changed, 'prefixes answered otherwise').toEqual([]);
    });
  }

  it('waits for more bytes while the answer is open', () => {
    expect(sniffFormat(bytes('{"a":1}\n{'), false)).toBeNull();
    expect(sniffFormat(bytes('{"a":1}\n{'), true)).toBe('ndjson');
    expect(sniffFormat(bytes('{"a":1}\n{"b":'), false)).toBe('ndjson');
    expect(sniffFormat(bytes('{"id": "x", "s": [\n{"a":1}\n{"b":'), false)).toBeNull();
    expect(sniffFormat(bytes('{"id": "x", "s": [\n{"a":1}\n{"b":'), true)).toBe('json');
    expect(sniffFormat(bytes('  '), false)).toBeNull();
  });

  it('takes the name hint unless the first line is a lone bracket, and whenever the bytes cannot tell', () => {
    expect([formatHint('a.ndjson'), formatHint('dir/b.JSONL'), formatHint('c.ndjson.gz'), formatHint('d.json'), formatHint('e.ndjson.bak')]).toEqual([
      'ndjson',
      'ndjson',
      'ndjson',
      null,
      null,
    ]);
    // A first line that is itself broken, with nothing after it to look at.
    expect(sniffFormat(bytes('{"id": "x", "s": [\n'), true)).toBe('json');
    expect(sniffFormat(bytes('{"id": "x", "s": [\n'), true, 'ndjson')).toBe('ndjson');
    expect(sniffFormat(bytes('{"id": "x"'), false, 'ndjson')).toBe('ndjson');
    // Pretty-printed JSON, whatever its name.
    expect(sniffFormat(bytes('{\n "a": 1\n}\n'), true, 'ndjson')).toBe('json');
    expect(sniffFormat(bytes('['), false, 'ndjson')).toBeNull();
    expect(sniffFormat(bytes(''), true, 'ndjson')).toBe('ndjson');
  });
});
