/**
 * parseProjected against its contract, with JSON.parse as the oracle: for any bytes, either it bails
 * (NOT_PROJECTED) or JSON.parse of the decoded text succeeds and the projected value is exactly the
 * reference projection of JSON.parse's value; whenever JSON.parse throws, it bails. The reference
 * projection below walks the zod schema on its own (it shares no code with project.ts).
 *
 * Every group also counts how often the fast path answered, so that a parser that always bails (which
 * the contract allows for odd input) cannot pass where it must not bail.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type * as z from 'zod';
import { generateRecords } from '@callaudit/datasets';
import type { GenerateOptions } from '@callaudit/datasets';
import { flattenToBatches } from '../../src/flatten/record.js';
import { resolveRules } from '../../src/quality/index.js';
import { MAX_DEPTH, NOT_PROJECTED, documentSchema, parseProjected, validateCallRecord } from '../../src/schema/index.js';

const SAMPLE = fileURLToPath(new URL('../../../../datasets/sample/', import.meta.url));
const CQD = resolveRules('cqd');

// ---- the reference projection -------------------------------------------------------------------------

type Shape = { kind: 'leaf' } | { kind: 'object'; keys: Map<string, Shape> } | { kind: 'array'; element: Shape };

function shapeOf(schema: z.core.$ZodType, seen = new Map<z.core.$ZodType, Shape>()): Shape {
  const def = schema._zod.def as unknown as { type: string; innerType?: z.core.$ZodType; element?: z.core.$ZodType; shape?: Record<string, z.core.$ZodType> };
  if (def.type === 'optional' || def.type === 'nullable') return shapeOf(def.innerType!, seen);
  if (def.type === 'array') return { kind: 'array', element: shapeOf(def.element!, seen) };
  if (def.type !== 'object') return { kind: 'leaf' };
  const known = seen.get(schema);
  if (known !== undefined) return known;
  const keys = new Map<string, Shape>();
  const shape: Shape = { kind: 'object', keys };
  seen.set(schema, shape);
  for (const [key, value] of Object.entries(def.shape!)) keys.set(key, shapeOf(value, seen));
  return shape;
}

const ROOT = shapeOf(documentSchema);
/** The reference says "bail": a described object or array holds another JSON type (or the top is no object). */
const WRONG_TYPE = Symbol('wrong type');

function project(value: unknown, shape: Shape = ROOT): unknown {
  if (value === null) return null;
  if (shape.kind === 'leaf') return value;
  if (shape.kind === 'array') {
    if (!Array.isArray(value)) return WRONG_TYPE;
    const out = value.map((item) => project(item, shape.element));
    return out.includes(WRONG_TYPE) ? WRONG_TYPE : out;
  }
  if (typeof value !== 'object' || Array.isArray(value)) return WRONG_TYPE;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    const inner = shape.keys.get(key);
    if (inner === undefined) continue;
    const projected = project((value as Record<string, unknown>)[key], inner);
    if (projected === WRONG_TYPE) return WRONG_TYPE;
    Object.defineProperty(out, key, { value: projected, writable: true, enumerable: true, configurable: true });
  }
  return out;
}

/** Where `a` and `b` differ as JSON values (numbers by Object.is, keys in order, plain prototypes), or null. */
function difference(a: unknown, b: unknown, path = '$'): string | null {
  if (typeof a !== typeof b) return `${path}: ${typeof a} vs ${typeof b}`;
  if (typeof a !== 'object' || a === null || b === null) return Object.is(a, b) ? null : `${path}: ${String(a)} vs ${String(b)}`;
  if (Array.isArray(a) !== Array.isArray(b)) return `${path}: array vs object`;
  if (Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return `${path}: prototypes differ`;
  const keysA = Object.keys(a);
  const keysB = Object.keys(b as object);
  if (keysA.join('\u0000') !== keysB.join('\u0000')) return `${path}: keys [${keysA.join(',')}] vs [${keysB.join(',')}]`;
  for (const key of keysA) {
    const found = difference((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key], `${path}.${key}`);
    if (found !== null) return found;
  }
  return null;
}

// ---- the oracle ---------------------------------------------------------------------------------------

type Outcome = 'projected' | 'bailed';

/** Checks the contract on `bytes[start, end)`; says which way parseProjected went. */
function check(bytes: Uint8Array, start = 0, end = bytes.length): Outcome {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8', start, end);
  let parsed: unknown;
  let threw = false;
  try {
    parsed = JSON.parse(text);
  } catch {
    threw = true;
  }
  const got = parseProjected(bytes, start, end);
  if (threw) {
    if (got !== NOT_PROJECTED) expect.fail(`JSON.parse throws but parseProjected answered: ${snippet(text)}`);
    return 'bailed';
  }
  const want = project(parsed);
  if (want === WRONG_TYPE) {
    if (got !== NOT_PROJECTED) expect.fail(`a described object holds another type but parseProjected answered: ${snippet(text)}`);
    return 'bailed';
  }
  if (got === NOT_PROJECTED) return 'bailed';
  const found = difference(got, want);
  if (found !== null) expect.fail(`projected value differs at ${found}: ${snippet(text)}`);
  return 'projected';
}

function snippet(text: string): string {
  return JSON.stringify(text.length > 300 ? `${text.slice(0, 150)}...${text.slice(-150)}` : text);
}

function utf8(text: string): Buffer {
  return Buffer.from(text, 'utf8');
}

/** Tallies outcomes, so a group can require that the fast path answered (or bailed) often enough. */
class Tally {
  projected = 0;
  bailed = 0;
  add(outcome: Outcome): Outcome {
    this[outcome]++;
    return outcome;
  }
}

// ---- record bytes ----------------------------------------------------------------------------------------

/**
 * The [start, end) of each value from `from` on up to an unmatched closing bracket or the end (a
 * string-aware scan): the elements of an array when `from` is just past its `[`, the top-level values
 * of a file when `from` is its start.
 */
function valueSlices(bytes: Uint8Array, from: number): [number, number][] {
  const slices: [number, number][] = [];
  let depth = 1;
  let inString = false;
  let start = -1;
  for (let i = from; i < bytes.length; i++) {
    const c = bytes[i]!;
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
      continue;
    }
    if (c === 0x22) inString = true;
    if (depth === 1 && start < 0 && c > 0x20 && c !== 0x2c && c !== 0x5d) start = i;
    if (c === 0x5b || c === 0x7b) depth++;
    else if (c === 0x5d || c === 0x7d) depth--;
    if (depth === 1 && start >= 0 && (c === 0x7d || c === 0x5d)) {
      slices.push([start, i + 1]);
      start = -1;
    }
    if (depth === 0) return slices;
  }
  return slices;
}

interface RecordBytes {
  readonly name: string;
  readonly bytes: Buffer;
  readonly start: number;
  readonly end: number;
}

/** Every record of the committed sample, as the byte slices a reader hands on (pretty ones included). */
function sampleRecords(): RecordBytes[] {
  const out: RecordBytes[] = [];
  const array = readFileSync(join(SAMPLE, 'array.json'));
  const arraySlices = valueSlices(array, array.indexOf('[') + 1);
  expect(arraySlices.map(([start, end]) => JSON.parse(array.toString('utf8', start, end)) as unknown)).toEqual(JSON.parse(array.toString('utf8')));
  for (const [start, end] of arraySlices) out.push({ name: `array.json@${start}`, bytes: array, start, end });
  // collection pages one after another (after a BOM): each page's value array holds the records
  const pages = readFileSync(join(SAMPLE, 'graph-page.json'));
  let records = 0;
  for (const [pageStart, pageEnd] of valueSlices(pages, pages[0] === 0xef ? 3 : 0)) {
    const open = pages.indexOf('[', pages.indexOf('"value"', pageStart));
    const slices = valueSlices(pages, open + 1);
    // the slicer is right if it finds exactly the page's records
    expect(slices.map(([start, end]) => JSON.parse(pages.toString('utf8', start, end)) as unknown)).toEqual(
      (JSON.parse(pages.toString('utf8', pageStart, pageEnd)) as { value: unknown }).value,
    );
    for (const [start, end] of slices) out.push({ name: `graph-page.json@${start}`, bytes: pages, start, end });
    records += slices.length;
  }
  expect(records).toBeGreaterThan(2);
  for (const file of ['single-record.json', ...readdirSync(join(SAMPLE, 'records')).map((name) => `records/${name}`)]) {
    const bytes = readFileSync(join(SAMPLE, file));
    out.push({ name: file, bytes, start: 0, end: bytes.length });
  }
  const lines = gunzipSync(readFileSync(join(SAMPLE, 'records.ndjson.gz')));
  let start = 0;
  while (start < lines.length) {
    const newline = lines.indexOf(0x0a, start);
    const end = newline < 0 ? lines.length : newline;
    if (end > start) out.push({ name: `records.ndjson.gz@${start}`, bytes: lines, start, end });
    start = end + 1;
  }
  return out;
}

const ODD: Omit<GenerateOptions, 'records' | 'seed'> = {
  poor: {
    rtt: 0.2,
    packet_loss: 0.2,
    jitter: 0.2,
    degradation: 0.1,
    concealed: 0.1,
    frame_loss: 0.15,
    frame_rate: 0.15,
    post_fec_loss: 0.15,
    low_packet_utilization: 0.2,
  },
  novelShare: 0.3,
  missingShare: 0.3,
  unreportedShare: 0.2,
  setupFailureShare: 0.2,
  dropShare: 0.2,
  feedbackShare: 0.8,
  truncatedShare: 1,
  sessionPageSize: 4,
  duplicateShare: 0.2,
  eras: { old: 1, new: 1, both: 1 },
};

/** Generated records: several seeds, default and odd settings, compact and (some) pretty. */
function generatedRecords(): RecordBytes[] {
  const out: RecordBytes[] = [];
  const runs: [string, GenerateOptions, boolean][] = [
    ['default', { records: 80, seed: 1 }, false],
    ['default', { records: 60, seed: 20250301 }, false],
    ['odd', { ...ODD, records: 80, seed: 7 }, false],
    ['odd', { ...ODD, records: 40, seed: 99, kinds: { group: 1 }, groupMedianSessions: 6 }, false],
    ['pstn', { records: 30, seed: 5, kinds: { pstn: 1 } }, false],
    ['pretty', { ...ODD, records: 30, seed: 3 }, true],
  ];
  for (const [label, options, pretty] of runs) {
    let n = 0;
    for (const record of generateRecords(options)) {
      const bytes = utf8(JSON.stringify(record, null, pretty ? 2 : undefined));
      out.push({ name: `${label} seed ${options.seed} #${n++}`, bytes, start: 0, end: bytes.length });
    }
  }
  return out;
}

/** The rows validate + flatten give for a parsed or projected value (or the reject reason). */
function rowsOf(value: unknown): unknown {
  const checked = validateCallRecord(value);
  if (!checked.ok) return { reject: checked.reason };
  const { streams, calls } = flattenToBatches([checked.record], CQD);
  return { streams: streams.columns, calls: calls.columns, streamRows: streams.length };
}

/** Every path into a JSON value, the root excluded. */
function pathsOf(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  if (typeof value !== 'object' || value === null) return [];
  const keys: (string | number)[] = Array.isArray(value) ? value.map((_, i) => i) : Object.keys(value);
  return keys.flatMap((key) => {
    const path = [...prefix, key];
    return [path, ...pathsOf((value as Record<string | number, unknown>)[key], path)];
  });
}

function setAt(root: unknown, path: readonly (string | number)[], value: unknown): void {
  let at = root as Record<string | number, unknown>;
  for (const key of path.slice(0, -1)) at = at[key] as Record<string | number, unknown>;
  at[path[path.length - 1]!] = value;
}

// ---- differential ---------------------------------------------------------------------------------------

describe('parseProjected: the committed sample and generated records', () => {
  const cases = [...sampleRecords(), ...generatedRecords()];

  it('has a few hundred records to compare', () => {
    expect(cases.length).toBeGreaterThan(350);
  });

  it('projects every record, exactly as project(JSON.parse(text))', () => {
    for (const { name, bytes, start, end } of cases) {
      expect(check(bytes, start, end), name).toBe('projected');
    }
  });

  it('gives validate + flatten the same rows as JSON.parse does', () => {
    let streamRows = 0;
    for (const { name, bytes, start, end } of cases) {
      const projected = parseProjected(bytes, start, end);
      expect(projected, name).not.toBe(NOT_PROJECTED);
      const full = JSON.parse(bytes.toString('utf8', start, end)) as unknown;
      const want = rowsOf(full);
      expect(rowsOf(projected), name).toStrictEqual(want);
      if ('streamRows' in (want as object)) streamRows += (want as { streamRows: number }).streamRows;
    }
    expect(streamRows).toBeGreaterThan(1000);
  });

  it('builds less than JSON.parse: only declared keys', () => {
    const { bytes, start, end } = cases.find((c) => c.name.startsWith('default'))!;
    const projected = parseProjected(bytes, start, end) as Record<string, unknown>;
    const full = JSON.parse(bytes.toString('utf8', start, end)) as Record<string, unknown>;
    expect(Object.keys(full)).toContain('organizer_v2@odata.context');
    expect(Object.keys(projected)).not.toContain('organizer_v2@odata.context');
    expect(Object.keys(projected).every((key) => Object.hasOwn(documentSchema.shape, key))).toBe(true);
    // The network path, Wi-Fi and device ratios are read since the where-and-why columns: about two thirds.
    expect(JSON.stringify(projected).length).toBeLessThan(JSON.stringify(full).length * 0.7);
  });

  it('reads a record anywhere in a larger buffer, and from a plain Uint8Array at any alignment', () => {
    const { bytes, start, end } = cases.find((c) => c.name.startsWith('odd'))!;
    const record = bytes.subarray(start, end);
    for (let shift = 0; shift < 8; shift++) {
      // the record between two copies of itself: reading past `end` or before `start` would show
      const memory = new Uint8Array(shift + record.length * 3);
      memory.set(record, shift);
      memory.set(record, shift + record.length);
      memory.set(record, shift + 2 * record.length);
      expect(check(memory, shift + record.length, shift + 2 * record.length)).toBe('projected');
      const view = memory.subarray(shift + record.length, shift + 2 * record.length);
      expect(check(view)).toBe('projected');
      expect(check(memory, shift + record.length, shift + 2 * record.length - 1)).toBe('bailed');
    }
  });

  it('gives validate the same verdict and reason on broken records (property)', () => {
    // a reject's reason names the first issue and counts the others: the same issues must arise
    const record = JSON.parse(readFileSync(join(SAMPLE, 'records', 'callrecord-000002.json'), 'utf8')) as unknown;
    const paths = pathsOf(record);
    let rejects = 0;
    let projected = 0;
    fc.assert(
      fc.property(fc.nat(paths.length - 1), fc.jsonValue(), (which, value) => {
        const broken = structuredClone(record);
        setAt(broken, paths[which]!, value);
        const bytes = utf8(JSON.stringify(broken));
        const got = parseProjected(bytes, 0, bytes.length);
        if (got === NOT_PROJECTED) return;
        projected++;
        const want = rowsOf(broken);
        if ('reject' in (want as object)) rejects++;
        expect(rowsOf(got)).toStrictEqual(want);
      }),
      { seed: 2718, numRuns: 600 },
    );
    expect(projected).toBeGreaterThan(400);
    expect(rejects).toBeGreaterThan(20);
  });

  it('refuses a range outside the bytes', () => {
    const bytes = utf8('{"id":"x"}');
    expect(() => parseProjected(bytes, -1, 3)).toThrow(RangeError);
    expect(() => parseProjected(bytes, 4, 3)).toThrow(RangeError);
    expect(() => parseProjected(bytes, 0, bytes.length + 1)).toThrow(RangeError);
    expect(() => parseProjected(bytes, 0.5, 3)).toThrow(RangeError);
  });
});

// ---- bad and odd input -------------------------------------------------------------------------------

/** A small real record (9 KB) as compact JSON: the base that the tests below break. */
const BASE_RECORD = JSON.parse(readFileSync(join(SAMPLE, 'records', 'callrecord-000001.json'), 'utf8')) as Record<string, unknown>;
const BASE = JSON.stringify(BASE_RECORD);

/**
 * The base with `token` as the value of a new member in a skipped place, a described leaf, a described
 * number, a described object, a described array, or a described string inside an array element.
 */
const PLACES: Record<string, (token: string) => string> = {
  'unknown key at the top': (token) => BASE.replace('{', `{"extra":${token},`),
  'skipped object member': (token) => BASE.replace('"sessions":[{', `"sessions":[{"isTestX":${token},`),
  'inside a skipped array': (token) => BASE.replace('"participants":[', `"participantsX":[1,${token},[{}]],"participants":[`),
  'described leaf (id)': (token) => BASE.replace(/"id":"[^"]*"/, `"id":${token}`),
  'described number': (token) => BASE.replace(/"averagePacketLossRate":[^,}]*/, `"averagePacketLossRate":${token}`),
  'described object (organizer)': (token) => BASE.replace(/"organizer":/, `"organizer":${token},"organizerX":`),
  'described array (sessions)': (token) =>
    BASE.replace('{', `{"sessions":${token},"sessionsY":[],`).replace(/"sessions":\[\{"modalities"/, '"sessionsX":[{"modalities"'),
  'described array of leaves': (token) => BASE.replace('"modalities":[', `"modalities":[${token},`),
};

const VALID_TOKENS = [
  '0',
  '-0',
  '-0.0',
  '0e0',
  '1E+2',
  '1e-2',
  '-12.5e10',
  '123456789012345678901234567890',
  '1e400',
  '-1e400',
  '1e-400',
  'true',
  'false',
  'null',
  '""',
  '"plain"',
  '"esc \\" \\\\ \\/ \\b \\f \\n \\r \\t \\u00e9 \\uD83D\\uDE00 \\ud800"',
  '"caf\u00e9 \u{1F600}"',
  '[]',
  '{}',
  '[1,{"a":[null,true,"x"]},[]]',
  ' \t\r\n 1 \n',
  '{"__proto__":{"x":1},"constructor":1,"a\\u0062":2,"dup":1,"dup":2}',
];

const INVALID_TOKENS = [
  '01',
  '-01',
  '1.',
  '.5',
  '+1',
  '-',
  '--1',
  '1e',
  '1e+',
  '1.e3',
  '0x10',
  'NaN',
  'Infinity',
  '-Infinity',
  'tru',
  'True',
  'nul',
  'nulll',
  'falsee',
  'undefined',
  "'a'",
  '"a',
  '"\\x"',
  '"\\u12G4"',
  '"\\u12"',
  '"\\u123G"',
  '"\\u123"',
  '"\\uD83D\\u"',
  '"\\',
  '"a\tb"',
  '"a\nb"',
  '"a\u0000b"',
  '"a\u001fb"',
  '[1,]',
  '[,1]',
  '[1 2]',
  '{"a":1,}',
  '{"a"}',
  '{"a":}',
  '{,}',
  '{"a" 1}',
  '{1:2}',
  '[}',
  '{]',
  '[1}',
  '{"a":1]',
  '[{]}',
  '{"a":[}]',
  '["a":1}',
  '[[]]]',
  '[',
  ']',
  '}',
  '\u000b1',
  '\u000c1',
  '\u00a01',
  '\ufeff1',
];

/** `json` with `space` before and after every structural character outside strings. */
function spacedOut(json: string, space: string): string {
  let out = '';
  let inString = false;
  for (let i = 0; i < json.length; i++) {
    const c = json[i]!;
    if (inString) {
      out += c;
      if (c === '\\') out += json[++i]!;
      else if (c === '"') inString = false;
    } else if (c === '"') {
      out += c;
      inString = true;
    } else {
      out += '{}[],:'.includes(c) ? `${space}${c}${space}` : c;
    }
  }
  return out;
}

describe('parseProjected: bad input bails, odd input agrees or bails', () => {
  it('answers for the base record (the tests below break a record that projects)', () => {
    expect(check(utf8(BASE))).toBe('projected');
  });

  it.each(Object.keys(PLACES))('valid values as %s', (place) => {
    const tally = new Tally();
    for (const token of VALID_TOKENS) tally.add(check(utf8(PLACES[place]!(token))));
    // only a described object or array given a scalar or the other container type bails (null, {} or [] project)
    if (place.startsWith('described object') || place.startsWith('described array (')) {
      expect(tally.bailed).toBeGreaterThan(VALID_TOKENS.length / 2);
      expect(tally.projected).toBeGreaterThanOrEqual(2);
    } else {
      expect(tally.projected).toBe(VALID_TOKENS.length);
    }
  });

  it.each(Object.keys(PLACES))('invalid values as %s', (place) => {
    for (const token of INVALID_TOKENS) {
      const text = PLACES[place]!(token);
      expect(() => JSON.parse(text), token).toThrow(SyntaxError);
      expect(check(utf8(text)), token).toBe('bailed');
    }
  });

  it('bails on every truncation (and never reads past the end)', () => {
    const bytes = utf8(BASE + BASE);
    const tally = new Tally();
    for (let cut = 0; cut < BASE.length; cut += cut < 300 || cut > BASE.length - 300 ? 1 : 7) tally.add(check(bytes, 0, cut));
    expect(tally.projected).toBe(0);
    expect(check(bytes, 0, BASE.length)).toBe('projected');
    expect(check(bytes, BASE.length, bytes.length)).toBe('projected');
  });

  it('agrees with JSON.parse after any single-byte change (property)', () => {
    const bytes = utf8(BASE);
    const special = [...'"\\{}[],:-+.eE0123456789tfnlrsu \t\r\n'].map((c) => c.charCodeAt(0));
    const tally = new Tally();
    fc.assert(
      fc.property(fc.nat(bytes.length - 1), fc.oneof(fc.constantFrom(...special), fc.integer({ min: 0, max: 255 })), (at, byte) => {
        const mutated = Buffer.from(bytes);
        mutated[at] = byte;
        tally.add(check(mutated));
      }),
      { seed: 20250417, numRuns: 3000 },
    );
    // most changes land in string bodies and keep the JSON valid; many break it
    expect(tally.projected).toBeGreaterThan(1000);
    expect(tally.bailed).toBeGreaterThan(200);
  });

  it('agrees with JSON.parse after inserting, deleting or duplicating a few bytes (property)', () => {
    const bytes = utf8(BASE);
    const tally = new Tally();
    fc.assert(
      fc.property(fc.nat(bytes.length - 1), fc.nat(8), fc.uint8Array({ maxLength: 4 }), (at, remove, insert) => {
        tally.add(check(Buffer.concat([bytes.subarray(0, at), insert, bytes.subarray(Math.min(bytes.length, at + remove))])));
      }),
      { seed: 31337, numRuns: 1500 },
    );
    expect(tally.projected).toBeGreaterThan(100);
    expect(tally.bailed).toBeGreaterThan(300);
  });

  it('keeps the JSON whitespace anywhere between tokens, and only it', () => {
    const tally = new Tally();
    for (const space of [' ', '\t', '\r\n', '\n  ', '\u000b', '\u000c', '\u00a0', '\ufeff', '\u0000']) {
      tally.add(check(utf8(spacedOut(BASE, space))));
      tally.add(check(utf8(`${space}${BASE}${space}`)));
    }
    expect(tally.projected).toBe(8);
  });

  it('bails on nesting deeper than MAX_DEPTH anywhere, and parses it below', () => {
    const tally = new Tally();
    for (const depth of [10, MAX_DEPTH - 10, MAX_DEPTH + 10, 10_000]) {
      const deep = `${'['.repeat(depth)}${']'.repeat(depth)}`;
      const deepObject = `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
      for (const place of ['unknown key at the top', 'skipped object member', 'described leaf (id)']) {
        tally.add(check(utf8(PLACES[place]!(deep))));
        tally.add(check(utf8(PLACES[place]!(deepObject))));
        // unbalanced: JSON.parse throws
        expect(check(utf8(PLACES[place]!(deep.slice(0, -1))))).toBe('bailed');
      }
      if (depth > MAX_DEPTH)
        expect(parseProjected(utf8(PLACES['skipped object member']!(deep)), 0, Buffer.byteLength(PLACES['skipped object member']!(deep)))).toBe(NOT_PROJECTED);
    }
    expect(tally.projected).toBe(12);
    expect(tally.bailed).toBe(12);
  });

  it('reads huge strings, escaped or not, skipped or built', () => {
    const big = 'x'.repeat(3_000_000);
    const tally = new Tally();
    for (const body of [big, `${big}\\n\\u00e9${big}`, `\u00e9${big}\u{1F600}`]) {
      for (const place of ['unknown key at the top', 'described leaf (id)', 'described array of leaves']) tally.add(check(utf8(PLACES[place]!(`"${body}"`))));
    }
    expect(tally.projected).toBe(9);
    expect(check(utf8(PLACES['described leaf (id)']!(`"${big}`)))).toBe('bailed');
  });

  it('keeps the last of duplicate keys, in the place of the first, as JSON.parse', () => {
    const cases = [
      BASE.replace('{', '{"id":"first",'),
      BASE.replace('{', '{"version":7,"type":null,').replace(/}$/, ',"version":8}'),
      BASE.replace('{', '{"sessions":null,'),
      BASE.replace(/}$/, ',"sessions":[]}'),
      BASE.replace(/"averagePacketLossRate":/, '"averagePacketLossRate":1,"averagePacketLossRate":'),
      BASE.replace('"organizer":', '"organizer":{"user":{"id":"a"}},"organizer":'),
    ];
    for (const text of cases) expect(check(utf8(text)), text.slice(0, 80)).toBe('projected');
    // the last is of the wrong type: the reference bails, so must the parser
    expect(check(utf8(BASE.replace(/}$/, ',"sessions":{}}')))).toBe('bailed');
  });

  it('never lets a key touch a prototype', () => {
    const text = BASE.replace('{', '{"__proto__":{"polluted":1},"constructor":{"prototype":{"polluted":1}},').replace(
      '"user":{',
      '"user":{"__proto__":{"id":"nope"},',
    );
    expect(check(utf8(text))).toBe('projected');
    const value = parseProjected(utf8(text), 0, Buffer.byteLength(text)) as Record<string, unknown>;
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(Object.hasOwn(value, '__proto__')).toBe(false);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('bails on an escaped key where it could be a declared one, reads it where it is skipped', () => {
    // in a described object, any escaped key bails (even one that is not declared)
    expect(check(utf8(BASE.replace('"type":', '"\\u0074ype":')))).toBe('bailed');
    expect(check(utf8(BASE.replace('"name":', '"n\\u0061me":')))).toBe('bailed');
    // in a skipped object it is only checked
    expect(check(utf8(BASE.replace('{', '{"skipped":{"\\u0074ype":1,"a\\"b":[{"\\\\":2}]},')))).toBe('projected');
    expect(check(utf8(BASE.replace('{', '{"skipped":{"\\u00zype":1},')))).toBe('bailed');
    // a key with non-ASCII bytes cannot be a declared (ASCII) one: skipped
    expect(check(utf8(BASE.replace('"name":', '"nam\u00e9":')))).toBe('projected');
    expect(check(utf8(BASE.replace('"type":', '"t\u00ffpe":')))).toBe('projected');
  });

  it('finds quotes, backslashes and control bytes at any position of a string, up to the very end', () => {
    // strings are scanned four and eight bytes at a time, the last few bytes one at a time
    const tally = new Tally();
    for (let length = 0; length <= 20; length++) {
      for (let j = 0; j < length; j++) {
        for (const special of ['\u0001', '\u001f', '\\n', '\\"', '\\', '"', '\u00e9', '\u007f', ' ']) {
          const body = `${'a'.repeat(j)}${special}${'b'.repeat(length - j - 1)}`;
          for (const text of [`{"id":"${body}"}`, `{"k":"${body}"}`, `{"id":"x","${body}":1}`, `{"id":"x","sessions":[],"k":["${body}"]}`])
            tally.add(check(utf8(text)));
        }
      }
    }
    expect(tally.projected).toBeGreaterThan(2000);
    expect(tally.bailed).toBeGreaterThan(2000);
  });

  it('never takes a key for a declared or already seen one that differs in one byte', () => {
    // the parser guesses each key from the one before and matches keys by words of bytes: a wrong
    // guess or a word left out of a compare would take these keys for their neighbours
    const names = [...BASE.matchAll(/"([^"\\]+)":/g)].map((match) => match[1]!);
    const tally = new Tally();
    for (const name of new Set(names)) {
      for (let j = 0; j < name.length; j++) {
        const changed = `${name.slice(0, j)}${name[j] === 'x' ? 'y' : 'x'}${name.slice(j + 1)}`;
        tally.add(check(utf8(BASE.replaceAll(`"${name}":`, `"${changed}":`))));
        tally.add(check(utf8(BASE)));
      }
      tally.add(check(utf8(BASE.replaceAll(`"${name}":`, `"${name}x":`))));
      tally.add(check(utf8(BASE.replaceAll(`"${name}":`, `"${name.slice(0, -1)}":`))));
    }
    expect(tally.bailed).toBe(0);
    expect(tally.projected).toBeGreaterThan(500);
  });

  it('never mistakes one string for another of the same length (repeated strings are reused)', () => {
    const tally = new Tally();
    for (const length of [1, 3, 4, 5, 8, 13, 17, 36, 47, 48, 49, 64]) {
      const base = 'a'.repeat(length);
      for (let j = 0; j < length; j++) {
        const changed = `${base.slice(0, j)}b${base.slice(j + 1)}`;
        for (const value of [base, changed, base, changed]) {
          for (const place of ['described leaf (id)', 'described array of leaves']) tally.add(check(utf8(PLACES[place]!(JSON.stringify(value)))));
        }
      }
    }
    expect(tally.bailed).toBe(0);
  });

  it('bails on a top value that is not an object', () => {
    for (const text of ['', ' ', '[]', `[${BASE}]`, '"x"', '1', 'null', 'true', `${BASE} ${BASE}`, `${BASE},`, `\ufeff${BASE}`]) {
      expect(parseProjected(utf8(text), 0, Buffer.byteLength(text)), text.slice(0, 20)).toBe(NOT_PROJECTED);
      check(utf8(text));
    }
    expect(check(utf8('{"id":"x"}'))).toBe('projected');
    expect(check(utf8(' {} '))).toBe('projected');
  });

  it('decodes invalid UTF-8 in strings as Buffer#toString does (U+FFFD), and bails on it outside', () => {
    const bad = [
      [0x80],
      [0xbf],
      [0xc0, 0x80],
      [0xc3],
      [0xe2, 0x82],
      [0xe2, 0x28, 0xa1],
      [0xed, 0xa0, 0x80],
      [0xf0, 0x9f, 0x98],
      [0xf4, 0x90, 0x80, 0x80],
      [0xfe],
      [0xff, 0xfe],
      [0xf8, 0x88, 0x80, 0x80, 0x80],
    ];
    const tally = new Tally();
    for (const sequence of bad) {
      const raw = Buffer.from(sequence);
      for (const [before, after] of [
        ['"', '"'],
        ['"ab', '"'],
        ['"', 'cd"'],
        ['"abcdefgh', '\\n"'],
      ]) {
        for (const place of ['unknown key at the top', 'described leaf (id)', 'described array of leaves', 'skipped object member']) {
          const [head, tail] = PLACES[place]!('\u0000').split('\u0000') as [string, string];
          tally.add(check(Buffer.concat([utf8(head + before), raw, utf8(after + tail)])));
        }
      }
      // in a key of a described object (skipped: no declared key has such bytes) and outside strings
      tally.add(check(Buffer.concat([utf8('{"id":"x","a'), raw, utf8('b":1}')])));
      expect(check(Buffer.concat([utf8('{"id":"x","a":1'), raw, utf8('}')]))).toBe('bailed');
    }
    expect(tally.bailed).toBe(0);
  });

  it('agrees on random short JSON-ish texts (property)', () => {
    const piece = fc.constantFrom(
      '{',
      '}',
      '[',
      ']',
      ',',
      ':',
      '"',
      '\\',
      '"id"',
      '"sessions"',
      '"segments"',
      '"media"',
      '"streams"',
      '"x"',
      '1',
      '-0',
      '2.5e3',
      'null',
      'true',
      ' ',
      '\n',
      '\u00e9',
      'u',
    );
    const tally = new Tally();
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 30 }), (pieces) => {
        tally.add(check(utf8(pieces.join(''))));
      }),
      { seed: 4242, numRuns: 4000 },
    );
    expect(tally.bailed).toBeGreaterThan(1000);
  });

  it('agrees on arbitrary JSON values placed anywhere in a record (property)', () => {
    const tally = new Tally();
    const places = Object.values(PLACES);
    fc.assert(
      fc.property(fc.nat(places.length - 1), fc.jsonValue(), (which, value) => {
        tally.add(check(utf8(places[which]!(JSON.stringify(value)))));
      }),
      { seed: 777, numRuns: 1500 },
    );
    expect(tally.projected).toBeGreaterThan(700);
  });
});

// ---- numbers --------------------------------------------------------------------------------------------

/** A record whose one stream's averagePacketLossRate, and whose version, are spelled `number`. */
function numberRecord(number: string): Buffer {
  return utf8(`{"id":"n","version":${number},"sessions":[{"segments":[{"media":[{"streams":[{"averagePacketLossRate":${number},"x":${number}}]}]}]}]}`);
}

const JSON_NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;

/** Checks that `spelling` is projected to JSON.parse's double, bit for bit, at a described place. */
function expectSameNumber(spelling: string): void {
  expect(spelling).toMatch(JSON_NUMBER);
  const bytes = numberRecord(spelling);
  expect(check(bytes), spelling).toBe('projected');
  const value = parseProjected(bytes, 0, bytes.length) as {
    version: unknown;
    sessions: { segments: { media: { streams: { averagePacketLossRate: unknown }[] }[] }[] }[];
  };
  const want = JSON.parse(spelling) as number;
  const got = value.sessions[0]!.segments[0]!.media[0]!.streams[0]!.averagePacketLossRate;
  if (!Object.is(got, want)) expect.fail(`${spelling}: projected ${String(got)}, JSON.parse ${want}`);
  expect(Object.is(value.version, want)).toBe(true);
}

/** Other valid spellings of the double `d`. */
function spellings(d: number): string[] {
  const out = [JSON.stringify(d)];
  if (!Number.isFinite(d)) return [];
  for (const digits of [0, 1, 5, 16, 17, 20, 40, 100]) {
    out.push(d.toExponential(digits).replace('e+', 'e'), d.toExponential(digits).toUpperCase(), d.toExponential(digits).replace(/e([+-])(\d)$/, 'e$10$2'));
    if (digits >= 1 && digits <= 21) out.push(d.toPrecision(digits).replace('e+', 'E+'));
    if (Math.abs(d) < 1e21) out.push(d.toFixed(digits));
  }
  return out.filter((s) => JSON_NUMBER.test(s));
}

describe("parseProjected: numbers are JSON.parse's doubles, bit for bit", () => {
  it('for special spellings', () => {
    for (const spelling of [
      '0',
      '-0',
      '0.0',
      '-0.0',
      '-0e5',
      '0e-999',
      '-0.000e+12',
      '1',
      '-1',
      '0.1',
      '0.3',
      '9007199254740991',
      '9007199254740992',
      '9007199254740993',
      '-9007199254740993',
      '9007199254740992.5',
      '18014398509481985',
      '123456789012345678901234567890',
      '0.1000000000000000055511151231257827',
      '1e22',
      '1e23',
      '9007199254740991e22',
      '9007199254740991e-22',
      '1.7976931348623157e308',
      '1.7976931348623158e308',
      '1.7976931348623159e308',
      '1e308',
      '1e309',
      '1e400',
      '-1e400',
      '1e-400',
      '-1e-400',
      '4.9e-324',
      '2.4e-324',
      '2.5e-324',
      '2.2250738585072011e-308',
      '2.2250738585072014e-308',
      '1.00000000000000000000000000000000000000001',
      '0.000000000000000000000000000000000000001',
      `1${'0'.repeat(400)}`,
      `0.${'0'.repeat(400)}1`,
      '1e0000000000000000000000000001',
      '1e99999999999999999999',
      '1E-7',
      '12.34e+5',
      '5e-1',
      '2.5E-3',
    ]) {
      expectSameNumber(spelling);
    }
  });

  it('for random doubles as JSON.stringify prints them and in other spellings (property)', () => {
    let count = 0;
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (d) => {
        for (const spelling of spellings(d)) {
          expectSameNumber(spelling);
          count++;
        }
      }),
      { seed: 1234, numRuns: 800 },
    );
    expect(count).toBeGreaterThan(10_000);
  });

  it('for random integers and decimals of any length (property)', () => {
    const digits = fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: 1, maxLength: 30 });
    fc.assert(
      fc.property(
        fc.boolean(),
        digits,
        fc.option(digits),
        fc.option(fc.tuple(fc.constantFrom('e', 'E'), fc.constantFrom('', '+', '-'), fc.integer({ min: 0, max: 400 }))),
        (negative, whole, fraction, exponent) => {
          const intPart = whole.replace(/^0+(?=\d)/, '');
          const spelling = `${negative ? '-' : ''}${intPart}${fraction === null ? '' : `.${fraction}`}${exponent === null ? '' : `${exponent[0]}${exponent[1]}${exponent[2]}`}`;
          expectSameNumber(spelling);
        },
      ),
      { seed: 5678, numRuns: 3000 },
    );
  });

  it("for the metrics of generated records (the fast path's own ground)", () => {
    let count = 0;
    for (const record of generateRecords({ ...ODD, records: 20, seed: 11 })) {
      JSON.stringify(record, (_, value: unknown) => {
        if (typeof value === 'number') {
          expectSameNumber(JSON.stringify(value));
          count++;
        }
        return value;
      });
    }
    expect(count).toBeGreaterThan(1000);
  });
});
