/**
 * Seeded, real-shaped column batches for the writer tests and the measurement script: STREAMS-like
 * rows (GUIDs, UPNs, device names with commas and quotes, nulls where exports leave fields out).
 */
import type { CellValue, ColumnBatch, ColumnDef, TableSchema } from '../../src/table/schema.js';
import { STREAMS } from '../../src/table/tables.js';

/** mulberry32: small, fast, seeded. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const DEVICES = [
  'Headset Microphone (Jabra Evolve2 65)',
  'Microphone Array (Realtek(R) Audio)',
  'Speakers (Poly BT700, "USB")',
  'Echo Cancelling Speakerphone (Jabra Speak 510), Teams',
  'MacBook Pro Microphone',
  'Mikrofon (Logitech Zone Wireless) – Büro',
  '=cmd|" /C calc"!A0',
  '-Line In',
];
const LABELS = ['main-audio', 'main-audio', 'main-audio', 'main-video', 'applicationsharing-video', 'data'];
const PLATFORMS = ['windows', 'macOS', 'iOS', 'android', 'web', 'roomSystem', null];
const CONNECTIONS = ['wired', 'wifi', 'wifi', 'mobile', 'tunnel', 'unknown'];
const BANDS = ['frequency24GHz', 'frequency50GHz', null, null];

function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)]!;
}

function hex8(random: () => number): string {
  return ((random() * 0x100000000) >>> 0).toString(16).padStart(8, '0');
}

function guid(random: () => number): string {
  const a = hex8(random);
  const b = hex8(random);
  const c = hex8(random);
  return `${a}-${b.slice(0, 4)}-4${b.slice(5)}-a${c.slice(1, 4)}-${c.slice(4)}${hex8(random)}`;
}

type CellMaker = (random: () => number, row: number) => CellValue;

/** How one column's values are made; about one cell in six is null (exports leave fields out). */
function maker(def: ColumnDef, base: number): CellMaker {
  const make = nonNull(def, base);
  if (def.name === 'call_id') return make;
  return (random, row) => (random() < 0.16 ? null : make(random, row));
}

function nonNull(def: ColumnDef, base: number): CellMaker {
  const name = def.name;
  switch (def.type) {
    case 'int': {
      const top = name === 'packet_utilization' ? 20_000 : 12;
      return (random) => Math.floor(random() * top);
    }
    case 'float': {
      const scale = name.startsWith('packet_loss') ? 100_000 : 100;
      return (random) => Math.round(random() * 10_000) / scale;
    }
    case 'bool':
      return (random) => random() < 0.1;
    case 'timestamp':
      return (random, row) => base + row * 1_000 + Math.floor(random() * 1_000);
    case 'string':
      break;
  }
  const among =
    (items: readonly (string | null)[]): CellMaker =>
    (random) =>
      pick(random, items);
  if (name === 'call_id') return (random, row) => `${(row >> 3).toString(16)}-${guid(random)}`.slice(0, 36);
  if (name === 'media_label') return among(LABELS);
  if (name.endsWith('_platform')) return among(PLATFORMS);
  if (name.endsWith('_connection_type')) return among(CONNECTIONS);
  if (name.endsWith('_wifi_band')) return among(BANDS);
  if (name.endsWith('_upn')) return (random) => `user${Math.floor(random() * 5_000)}@contoso.com`;
  if (name.endsWith('_ip')) return (random) => `10.${Math.floor(random() * 256)}.${Math.floor(random() * 256)}.${Math.floor(random() * 256)}`;
  if (name.endsWith('_subnet')) return (random) => `10.${Math.floor(random() * 256)}.0.0`;
  if (name.includes('_device_')) return among(DEVICES);
  if (name === 'stream_direction') return among(['callerToCallee', 'calleeToCaller']);
  if (name === 'cqd_class') return among(['good', 'good', 'good', 'poor', 'unclassified']);
  if (name === 'cqd_reasons') return among(['', 'jitter', 'rtt;packet_loss', 'no_metrics']);
  return guid;
}

/** `rows` STREAMS-like rows (or rows of another schema), the same for the same seed. */
export function streamsLikeBatch(rows: number, seed = 1, schema: TableSchema = STREAMS): ColumnBatch {
  const random = rng(seed);
  const base = Date.UTC(2026, 0, 2, 3, 4, 5, 678);
  const columns = schema.columns.map((def) => {
    const make = maker(def, base);
    const values = new Array<CellValue>(rows);
    for (let i = 0; i < rows; i++) values[i] = make(random, i);
    return values;
  });
  return { schema, length: rows, columns };
}

/** A batch of one schema from rows (test convenience only: the writers never see rows). */
export function batchOf(schema: TableSchema, rows: readonly (readonly CellValue[])[]): ColumnBatch {
  const columns = schema.columns.map((_, j) => rows.map((row) => row[j] ?? null));
  return { schema, length: rows.length, columns };
}

/** A small schema with one column of every type. */
export const MIXED: TableSchema = {
  name: 'mixed',
  columns: [
    { name: 'name', type: 'string', doc: 'text' },
    { name: 'count', type: 'int', doc: 'integer' },
    { name: 'ratio', type: 'float', doc: 'double' },
    { name: 'flag', type: 'bool', doc: 'boolean' },
    { name: 'at', type: 'timestamp', doc: 'UTC instant' },
  ],
};
