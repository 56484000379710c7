import { isCallauditError } from '../../src/errors.js';
import { rng } from '../io/fixtures.js';
import { ColumnBuilder, type CellValue, type ColumnBatch, type TableSchema } from '../../src/table/schema.js';
import { CALLS, STREAMS } from '../../src/table/tables.js';

export type Row = Record<string, CellValue>;

/** A batch from row objects (tests only): unknown column names are a test bug and throw. */
export function batchOf(schema: TableSchema, rows: readonly Row[]): ColumnBatch {
  const names = new Set(schema.columns.map((column) => column.name));
  const builder = new ColumnBuilder(schema);
  for (const row of rows) {
    for (const name of Object.keys(row)) if (!names.has(name)) throw new Error(`${schema.name} has no column ${name}`);
    builder.push(schema.columns.map((column) => row[column.name] ?? null));
  }
  return builder.finish();
}

/** A record: its call row and its stream rows (call_id/call_version copied onto the streams). */
export interface TestRecord {
  readonly call: Row;
  readonly streams: readonly Row[];
}

export function record(call: Row, streams: readonly Row[]): TestRecord {
  const ref = { call_id: call.call_id ?? null, call_version: call.call_version ?? 1 };
  return {
    call: { call_version: 1, call_type: 'peerToPeer', setup_failed: false, dropped: false, ...call },
    streams: streams.map((stream) => ({ call_type: call.call_type ?? 'peerToPeer', call_start: call.call_start ?? null, ...stream, ...ref })),
  };
}

export function batches(records: readonly TestRecord[]): [ColumnBatch, ColumnBatch] {
  return [
    batchOf(
      STREAMS,
      records.flatMap((r) => r.streams),
    ),
    batchOf(
      CALLS,
      records.map((r) => r.call),
    ),
  ];
}

/** A good audio stream from caller to callee, with the endpoint sides given. */
export function audio(over: Row = {}): Row {
  return {
    media_label: 'main-audio',
    modality: 'audio',
    stream_direction: 'callerToCallee',
    audio_codec: 'opus',
    cqd_class: 'good',
    cqd_reasons: '',
    jitter_avg_ms: 5,
    rtt_avg_ms: 40,
    packet_loss_avg: 0.001,
    mos: 4.3,
    ...over,
  };
}

/** Reads a rollup table's rows as objects keyed by column name (tests only). */
export function rowsOf(batch: ColumnBatch): Row[] {
  return Array.from({ length: batch.length }, (_, row) => Object.fromEntries(batch.schema.columns.map((column, i) => [column.name, batch.columns[i]![row]!])));
}

/** A seeded pseudo-random generator (mulberry32), for reproducible shuffles and data. */
export const seeded = rng;

export function shuffle<T>(values: readonly T[], seed: number): T[] {
  const random = seeded(seed);
  const out = [...values];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** An exact, order-preserving text form of plain data (Maps in insertion order, -0 kept apart from 0). */
export function dump(value: unknown): string {
  if (value instanceof Map) return `Map{${[...value].map(([k, v]) => `${dump(k)}=>${dump(v)}`).join(',')}}`;
  if (Array.isArray(value)) return `[${value.map(dump).join(',')}]`;
  if (typeof value === 'number') return Object.is(value, -0) ? '-0' : String(value);
  if (typeof value === 'object' && value !== null)
    return `{${Object.entries(value)
      .map(([k, v]) => `${k}:${dump(v)}`)
      .join(',')}}`;
  return JSON.stringify(value) ?? 'undefined';
}

/** The CallauditError code `run` throws ('no error' when it does not throw; other errors propagate). */
export function errorCode(run: () => void): string {
  try {
    run();
  } catch (error) {
    if (isCallauditError(error)) return error.code;
    throw error;
  }
  return 'no error';
}
