import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { csvHeader, encodeCsv } from '../../src/io/csv.js';
import type { CellValue, ColumnBatch, TableSchema } from '../../src/table/schema.js';
import { STREAMS } from '../../src/table/tables.js';
import { duckdbRows, duckdbType } from './duckdb.js';
import { batchOf, MIXED, streamsLikeBatch } from './fixtures.js';

/**
 * An independent, strict RFC 4180 reader: CRLF records, `,` fields, quoted fields with doubled
 * quotes. An unquoted empty field reads as null, a quoted one as the empty string. Throws on
 * anything RFC 4180 does not allow (a bare quote, text after a closing quote, a bare CR or LF).
 */
function parseCsv(text: string): (string | null)[][] {
  const rows: (string | null)[][] = [];
  let row: (string | null)[] = [];
  let i = 0;
  const endField = (value: string | null): void => {
    row.push(value);
    if (text[i] === ',') {
      i++;
      if (i === text.length) throw new Error('record ends after a comma without CRLF');
    } else if (text.startsWith('\r\n', i)) {
      i += 2;
      rows.push(row);
      row = [];
    } else {
      throw new Error(`unexpected ${JSON.stringify(text[i] ?? 'end of text')} at ${i}`);
    }
  };
  while (i < text.length) {
    if (text[i] === '"') {
      let value = '';
      i++;
      for (;;) {
        const quote = text.indexOf('"', i);
        if (quote < 0) throw new Error('unterminated quoted field');
        value += text.slice(i, quote);
        i = quote + 1;
        if (text[i] !== '"') break;
        value += '"';
        i++;
      }
      endField(value);
    } else {
      let end = i;
      while (end < text.length && text[end] !== ',' && text[end] !== '\r' && text[end] !== '\n') {
        if (text[end] === '"') throw new Error(`quote inside an unquoted field at ${end}`);
        end++;
      }
      const value = text.slice(i, end);
      i = end;
      endField(value === '' ? null : value);
    }
  }
  return rows;
}

const TEXT: TableSchema = {
  name: 'text',
  columns: [
    { name: 'value', type: 'string', doc: 'text' },
    { name: 'n', type: 'int', doc: 'int' },
  ],
};

function textBatch(values: readonly (string | null)[]): ColumnBatch {
  return batchOf(
    TEXT,
    values.map((value, i) => [value, i]),
  );
}

/** The single cell of a one-column-row encoding, as written. */
function written(value: CellValue, raw = false): string {
  return encodeCsv(textBatch([value as string | null]), { raw }).replace(/,0\r\n$/, '');
}

describe('csvHeader', () => {
  it('writes the column names in schema order, CRLF-terminated', () => {
    expect(csvHeader(MIXED)).toBe('name,count,ratio,flag,at\r\n');
    const names = parseCsv(csvHeader(STREAMS))[0];
    expect(names).toEqual(STREAMS.columns.map((column) => column.name));
  });
});

describe('encodeCsv quoting', () => {
  it.each([
    ['plain', 'plain'],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['"', '""""'],
    ['line\nbreak', '"line\nbreak"'],
    ['carriage\rreturn', '"carriage\rreturn"'],
    ['crlf\r\ninside', '"crlf\r\ninside"'],
    ['trailing space ', 'trailing space '],
    ['Mikrofon – Büro 会议室 😀', 'Mikrofon – Büro 会议室 😀'],
    ["it's", "it's"],
  ])('%j is written %j', (value, expected) => {
    expect(written(value)).toBe(expected);
  });

  it('writes null as the empty field and the empty string as ""', () => {
    expect(written(null)).toBe('');
    expect(written('')).toBe('""');
    expect(parseCsv(encodeCsv(textBatch([null, '']))).map((row) => row[0])).toEqual([null, '']);
  });

  it('terminates every record with CRLF and writes nothing for an empty batch', () => {
    expect(encodeCsv(textBatch(['a', 'b']))).toBe('a,0\r\nb,1\r\n');
    expect(encodeCsv(textBatch([]))).toBe('');
  });
});

describe('encodeCsv formula neutralization', () => {
  it.each([
    ['=SUM(A1:A2)', "'=SUM(A1:A2)"],
    ['+1', "'+1"],
    ['-1', "'-1"],
    ['@cmd', "'@cmd"],
    ['\tx', "'\tx"],
    ['\rx', `"'\rx"`],
    ['=1,2', `"'=1,2"`],
    ['=cmd|" /C calc"!A0', `"'=cmd|"" /C calc""!A0"`],
    ['a=b', 'a=b'],
    [' =x', ' =x'],
    ["'=x", "'=x"],
  ])('%j is written %j', (value, expected) => {
    expect(written(value)).toBe(expected);
  });

  it('leaves text unchanged with raw: true', () => {
    expect(written('=SUM(A1:A2)', true)).toBe('=SUM(A1:A2)');
    expect(written('-1', true)).toBe('-1');
    expect(written('=1,2', true)).toBe('"=1,2"');
  });

  it('never touches numbers, negative ones included', () => {
    const batch = batchOf(MIXED, [['x', -5, -0.25, false, null]]);
    expect(encodeCsv(batch)).toBe('x,-5,-0.25,false,\r\n');
  });
});

describe('encodeCsv values', () => {
  it('writes each type as documented', () => {
    const at = Date.UTC(2026, 0, 2, 3, 4, 5, 678);
    const batch = batchOf(MIXED, [
      ['a', 42, 0.1, true, at],
      [null, null, null, null, null],
      ['b', -9007199254740991, 1e-7, false, 0],
      ['c', 0, 1e21, true, -1],
      ['d', 9007199254740991, -0, false, 253402300800000],
    ]);
    expect(encodeCsv(batch)).toBe(
      [
        'a,42,0.1,true,2026-01-02T03:04:05.678Z',
        ',,,,',
        'b,-9007199254740991,1e-7,false,1970-01-01T00:00:00.000Z',
        'c,0,1e+21,true,1969-12-31T23:59:59.999Z',
        'd,9007199254740991,0,false,+010000-01-01T00:00:00.000Z',
        '',
      ].join('\r\n'),
    );
  });

  it('writes floats that read back to the same double', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (x) => {
        const cell = encodeCsv(batchOf(MIXED, [[null, null, x, null, null]])).split(',')[2]!;
        expect(Number(cell)).toBe(x === 0 ? 0 : x);
      }),
    );
  });

  it('writes timestamps exactly as Date#toISOString, across the whole Date range', () => {
    const ms = fc.integer({ min: -8.64e15, max: 8.64e15 });
    fc.assert(
      fc.property(fc.array(ms, { minLength: 1, maxLength: 20 }), (values) => {
        const batch = batchOf(
          MIXED,
          values.map((value) => [null, null, null, null, value]),
        );
        const cells = encodeCsv(batch)
          .split('\r\n')
          .slice(0, -1)
          .map((line) => line.slice(4));
        expect(cells).toEqual(values.map((value) => new Date(value).toISOString()));
      }),
    );
  });

  it.each([
    ['a string in an int column', 1, 'x'],
    ['a fraction in an int column', 1, 1.5],
    ['an unsafe integer in an int column', 1, 2 ** 60],
    ['NaN in a float column', 2, Number.NaN],
    ['Infinity in a float column', 2, Number.POSITIVE_INFINITY],
    ['a string in a float column', 2, '0.5'],
    ['a number in a string column', 0, 5],
    ['a string in a bool column', 3, 'true'],
    ['a fraction of a millisecond', 4, 1.5],
    ['a timestamp outside the Date range', 4, 8.64e15 + 1],
    ['an ISO string in a timestamp column', 4, '2026-01-02T03:04:05Z'],
  ])('fails E_INTERNAL on %s, naming table, column and row', (_, column, value) => {
    const row: CellValue[] = ['ok', 1, 0.5, true, 0];
    row[column] = value as CellValue;
    const batch = batchOf(MIXED, [['ok', 1, 0.5, true, 0], row]);
    const name = MIXED.columns[column]!.name;
    expect(() => encodeCsv(batch)).toThrow(
      expect.objectContaining({ code: 'E_INTERNAL', message: expect.stringMatching(new RegExp(`mixed: column ${name} .* row 1 `)) }),
    );
  });

  it('fails E_INTERNAL when columns do not match the schema or the length', () => {
    const batch = batchOf(MIXED, [['a', 1, 0.5, true, 0]]);
    expect(() => encodeCsv({ ...batch, columns: batch.columns.slice(1) })).toThrow(expect.objectContaining({ code: 'E_INTERNAL' }));
    expect(() => encodeCsv({ ...batch, length: 2 })).toThrow(
      expect.objectContaining({ code: 'E_INTERNAL', message: expect.stringContaining('column name has 1 values') }),
    );
  });
});

describe('encodeCsv round trip', () => {
  const special = fc.constantFrom(',', '"', '\r', '\n', '\r\n', '=', '+', '-', '@', '\t', "'", ' ', 'a', 'é', '😀', '会');
  const text = fc.oneof(fc.string({ unit: special, maxLength: 12 }), fc.string({ unit: 'binary', maxLength: 12 }), fc.constant(null));

  it('reads back every string and null with an independent RFC 4180 reader (raw)', () => {
    fc.assert(
      fc.property(fc.array(text, { maxLength: 30 }), (values) => {
        const rows = parseCsv(csvHeader(TEXT) + encodeCsv(textBatch(values), { raw: true }));
        expect(rows[0]).toEqual(['value', 'n']);
        expect(rows.slice(1).map((row) => row[0])).toEqual(values);
        expect(rows.slice(1).map((row) => Number(row[1]))).toEqual(values.map((_, i) => i));
      }),
    );
  });

  it('reads back every string with one leading quote added exactly where neutralized', () => {
    fc.assert(
      fc.property(fc.array(text, { maxLength: 30 }), (values) => {
        const cells = parseCsv(encodeCsv(textBatch(values))).map((row) => row[0]);
        const expected = values.map((value) => (value !== null && /^[=+\-@\t\r]/.test(value) ? `'${value}` : value));
        expect(cells).toEqual(expected);
      }),
    );
  });
});

describe('encodeCsv read by DuckDB', () => {
  const dir = mkdtempSync(join(tmpdir(), 'callaudit-csv-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** Writes the batch and reads it with DuckDB's CSV reader, columns typed from the schema. */
  async function readBack(batch: ColumnBatch, file: string, raw = false): Promise<unknown[][]> {
    const path = join(dir, file);
    writeFileSync(path, csvHeader(batch.schema) + encodeCsv(batch, { raw }));
    const types = batch.schema.columns.map((column) => `'${column.name}': '${duckdbType(column.type)}'`).join(', ');
    const select = batch.schema.columns.map((column) => (column.type === 'timestamp' ? `epoch_ms("${column.name}")` : `"${column.name}"`)).join(', ');
    return duckdbRows(
      `SELECT ${select} FROM read_csv('${path}', header = true, allow_quoted_nulls = false, auto_detect = false, delim = ',', quote = '"', escape = '"', columns = {${types}})`,
    );
  }

  function expectedRows(batch: ColumnBatch, neutralize: boolean): unknown[][] {
    return Array.from({ length: batch.length }, (_, i) =>
      batch.columns.map((column, j) => {
        const value = column[i]!;
        if (neutralize && batch.schema.columns[j]!.type === 'string' && typeof value === 'string' && /^[=+\-@\t\r]/.test(value)) return `'${value}`;
        return value;
      }),
    );
  }

  it('reads every type, null and empty string as written', async () => {
    const batch = batchOf(MIXED, [
      ['a,b "c"\r\nd', 42, 0.1, true, Date.UTC(2026, 0, 2, 3, 4, 5, 678)],
      [null, null, null, null, null],
      ['', -7, -1e-7, false, 0],
      ['=HYPERLINK("x")', 9007199254740991, 1.7976931348623157e308, null, -86_400_000],
    ]);
    expect(await readBack(batch, 'mixed.csv')).toEqual(expectedRows(batch, true));
    expect(await readBack(batch, 'mixed-raw.csv', true)).toEqual(expectedRows(batch, false));
  });

  it('reads 5,000 STREAMS-like rows back equal', async () => {
    const batch = streamsLikeBatch(5_000, 11);
    expect(await readBack(batch, 'streams.csv')).toEqual(expectedRows(batch, true));
  });
});
