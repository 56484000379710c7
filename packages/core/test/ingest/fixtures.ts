/**
 * Small builders for ingest tests: callRecord-shaped objects, every export shape, chunkings, and a
 * framer runner that copies what it receives.
 */
import { gzipSync } from 'node:zlib';
import { RecordFramer } from '../../src/ingest/index.js';
import type { FramerOptions, IngestProblem, RecordSlice } from '../../src/ingest/index.js';

/** Strings that are hard for a framer: quotes, backslash runs, brackets, unicode, escapes. */
export const TRICKY = [
  'quote " inside',
  'backslash at end \\',
  'two backslashes then quote \\\\"',
  '{"not":"a record"}',
  '[[[ ]]] }}} {{{',
  'unicode é ü 日本語 😀 and \u2028 separator',
  'controls \n \t \r \u0001 \u001f',
  ',"id":"fake","version":99,',
];

function guid(n: number, salt: number): string {
  const hex = ((n + 1) * 2654435761 + salt * 40503).toString(16).padStart(12, '0').slice(-12);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(0, 3)}-8${hex.slice(3, 6)}-${hex}`;
}

/** A callRecord-shaped object; nested sessions/segments carry "id" and "version"-like keys of their own. */
export function callRecord(n: number): Record<string, unknown> {
  const stream = (direction: string) => ({
    streamId: String(1000 + n),
    streamDirection: direction,
    averageJitter: 'PT0.016S',
    averagePacketLossRate: 0.004,
    averageRoundTripTime: 'PT0.045S',
    packetUtilization: 1200 + n,
    audioCodec: 'satin',
  });
  const endpoint = (name: string) => ({
    '@odata.type': '#microsoft.graph.callRecords.participantEndpoint',
    userAgent: { platform: 'windows', productFamily: 'teams', headerValue: TRICKY[n % TRICKY.length] },
    associatedIdentity: { id: guid(n, 7), displayName: name, userPrincipalName: `${name}@contoso.com` },
    name: TRICKY[(n + 3) % TRICKY.length],
  });
  return {
    id: guid(n, 1),
    version: 1 + (n % 4),
    type: n % 2 === 0 ? 'groupCall' : 'peerToPeer',
    modalities: ['audio', 'video'],
    startDateTime: '2024-03-01T10:00:00Z',
    endDateTime: '2024-03-01T10:30:00Z',
    lastModifiedDateTime: `2024-03-01T11:00:0${n % 10}Z`,
    sessions: [
      {
        id: guid(n, 2),
        version: 'not the record version',
        lastModifiedDateTime: 'nested',
        caller: endpoint('alice'),
        callee: endpoint('bob'),
        segments: [{ id: guid(n, 3), media: [{ label: 'main-audio', streams: [stream('callerToCallee'), stream('calleeToCaller')] }] }],
      },
    ],
    'sessions@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#communications/callRecords/sessions',
  };
}

export function records(from: number, count: number): Record<string, unknown>[] {
  return Array.from({ length: count }, (_, i) => callRecord(from + i));
}

const CONTEXT = 'https://graph.microsoft.com/v1.0/$metadata#communications/callRecords';

export function page(items: unknown[], last = false, pretty = false): string {
  const body: Record<string, unknown> = { '@odata.context': CONTEXT, value: items };
  if (!last) body['@odata.nextLink'] = `${CONTEXT}?$skiptoken=abc`;
  return JSON.stringify(body, null, pretty ? 2 : undefined);
}

export interface Shape {
  name: string;
  text: string;
  /** The records the shape holds, in order. */
  expected: Record<string, unknown>[];
  /** What 'auto' should detect. */
  format: 'json' | 'ndjson';
}

/** Every export shape of the reference doc §2, pretty and minified. */
export function shapes(): Shape[] {
  const a = records(0, 3);
  const b = records(3, 2);
  const c = records(5, 2);
  const single = { '@odata.context': `${CONTEXT}/$entity`, ...callRecord(9) };
  return [
    { name: 'single record (GET by id)', text: JSON.stringify(single), expected: [single], format: 'json' },
    { name: 'single record, pretty', text: JSON.stringify(single, null, 2), expected: [single], format: 'json' },
    { name: 'one page', text: page(a, true), expected: a, format: 'json' },
    { name: 'one page, pretty', text: page(a, true, true), expected: a, format: 'json' },
    {
      name: 'pages one after another, pretty',
      text: `${page(a, false, true)}\n${page(b, false, true)}\n${page(c, true, true)}\n`,
      expected: [...a, ...b, ...c],
      format: 'json',
    },
    { name: 'pages one after another, one per line', text: `${page(a)}\n${page(b)}\n${page(c, true)}\n`, expected: [...a, ...b, ...c], format: 'ndjson' },
    { name: 'pages back to back, no separator', text: `${page(a)}${page(b, true)}`, expected: [...a, ...b], format: 'json' },
    { name: 'array of pages', text: `[${page(a)},${page(b, true)}]`, expected: [...a, ...b], format: 'json' },
    { name: 'array of pages, pretty', text: JSON.stringify([JSON.parse(page(a)), JSON.parse(page(b, true))], null, 2), expected: [...a, ...b], format: 'json' },
    { name: 'array of records', text: JSON.stringify(a), expected: a, format: 'json' },
    { name: 'array of records, pretty', text: JSON.stringify(a, null, 4), expected: a, format: 'json' },
    { name: 'ndjson', text: `${a.map((r) => JSON.stringify(r)).join('\n')}\n`, expected: a, format: 'ndjson' },
    { name: 'ndjson, CRLF, blank lines, no final newline', text: a.map((r) => JSON.stringify(r)).join('\r\n\r\n'), expected: a, format: 'ndjson' },
    { name: 'BOM then page', text: `\ufeff${page(a, true)}`, expected: a, format: 'json' },
    { name: 'BOM then ndjson', text: `\ufeff${a.map((r) => JSON.stringify(r)).join('\n')}\n`, expected: a, format: 'ndjson' },
    { name: 'pretty with CRLF', text: JSON.stringify(a, null, 2).replace(/\n/g, '\r\n'), expected: a, format: 'json' },
    { name: 'empty page then a page', text: `${page([])}\n\n${page(b, true, true)}`, expected: b, format: 'json' },
  ];
}

export function bytes(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}

/** Gzip, as one member or as several members concatenated (cut at the given byte positions). */
export function gzip(data: Uint8Array, cuts: number[] = []): Uint8Array {
  const bounds = [0, ...cuts, data.length];
  const members = bounds.slice(1).map((end, i) => gzipSync(data.subarray(bounds[i]!, end)));
  return Buffer.concat(members);
}

/** A small seeded generator, so "random" chunkings are the same on every run. */
export function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

/** Cuts bytes into chunks: whole, 1 byte, 7 bytes and three seeded random patterns. */
export function chunkings(data: Uint8Array): { name: string; chunks: Uint8Array[] }[] {
  const fixed = (size: number) => {
    const chunks: Uint8Array[] = [];
    for (let i = 0; i < data.length; i += size) chunks.push(data.subarray(i, i + size));
    return chunks;
  };
  const random = (seed: number, max: number) => {
    const next = seeded(seed);
    const chunks: Uint8Array[] = [];
    for (let i = 0; i < data.length; ) {
      const size = 1 + Math.floor(next() * max);
      chunks.push(data.subarray(i, i + size));
      i += size;
    }
    return chunks;
  };
  return [
    { name: 'whole', chunks: [data] },
    { name: '1 byte', chunks: fixed(1) },
    { name: '7 bytes', chunks: fixed(7) },
    { name: 'random <= 13', chunks: random(1, 13) },
    { name: 'random <= 300', chunks: random(2, 300) },
    { name: 'random <= 5000', chunks: random(3, 5000) },
  ];
}

export type Framed = { type: 'record'; record: RecordSlice } | { type: 'problem'; problem: IngestProblem };

/**
 * Runs the framer over copies of the chunks (as Buffers, whose indexOf is native, or as plain
 * Uint8Arrays); record bytes are copied too (a slice may be a view of a chunk).
 */
export function frame(chunks: readonly Uint8Array[], options: Partial<FramerOptions> = {}, asBuffer = true): Framed[] {
  const out: Framed[] = [];
  const framer = new RecordFramer(
    {
      record: (record) => out.push({ type: 'record', record: { ...record, bytes: new Uint8Array(record.bytes) } }),
      problem: (problem) => out.push({ type: 'problem', problem }),
    },
    { file: 'test.json', ...options },
  );
  for (const chunk of chunks) framer.push(asBuffer ? Buffer.from(chunk) : chunk.slice());
  framer.end();
  return out;
}

export function frameText(text: string, options: Partial<FramerOptions> = {}): Framed[] {
  return frame([bytes(text)], options);
}

export function recordsOf(events: readonly Framed[]): RecordSlice[] {
  return events.flatMap((event) => (event.type === 'record' ? [event.record] : []));
}

export function problemsOf(events: readonly Framed[]): IngestProblem[] {
  return events.flatMap((event) => (event.type === 'problem' ? [event.problem] : []));
}

/** Events in a form that compares fast: record bytes as text. */
export function summary(events: readonly Framed[]): unknown[] {
  return events.map((event) => (event.type === 'record' ? { ...event.record, bytes: text(event.record.bytes) } : event.problem));
}

export function text(data: Uint8Array): string {
  return new TextDecoder().decode(data);
}

export function parsed(record: RecordSlice): unknown {
  return JSON.parse(new TextDecoder().decode(record.bytes));
}
