import { describe, expect, it } from 'vitest';
import { isGzip, sniffFormat } from '../../src/ingest/index.js';
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
    ['a lone line', `${one}\n`, 'json'],
    ['a top-level array', `[${one},\n${one}]`, 'json'],
    ['a pretty first object', `{\n "a": 1\n}\n{"b":2}\n`, 'json'],
    ['a pretty second object', `{"a":1}\n{\n "b": 2\n}\n`, 'json'],
    ['two values on the first line', `{"a":1} {"b":2}\n{"c":3}\n`, 'json'],
    ['a scalar on the second line', `{"a":1}\n42\n`, 'json'],
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
    expect(sniffFormat(bytes('{"a":1}\n{"b":'), false)).toBeNull();
    expect(sniffFormat(bytes('{"a":1}\n{"b":'), true)).toBe('json');
    expect(sniffFormat(bytes('  '), false)).toBeNull();
  });
});
