/** Shared by the report page tests: a real run over datasets/sample, and synthetic rollup tables of any size. */
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runReport } from '../../src/engine/run.js';
import type { ReportResult } from '../../src/engine/run.js';
import type { RunSummary } from '../../src/engine/summary.js';
import { rollupSchemas } from '../../src/rollup/index.js';
import { MEASURE_COLUMNS } from '../../src/rollup/schemas.js';
import type { CellValue, ColumnBatch, TableSchema } from '../../src/table/schema.js';
import { rng } from '../io/fixtures.js';

export const SAMPLE = resolve(import.meta.dirname, '../../../../datasets/sample');
/** Where tests leave artifacts (screenshots) to look at; git-ignored. */
export const ARTIFACTS = resolve(import.meta.dirname, '../../../../test-artifacts');

export interface SampleRun {
  readonly out: string;
  readonly result: ReportResult;
  readonly summary: RunSummary;
  readonly html: string;
}

const runs = new Map<string, Promise<SampleRun>>();

/** datasets/sample reported once per set of options (inline, default formats), shared by the tests of a file. */
export function sampleRun(extra: { redactKey?: Uint8Array; groupBy?: string[][] } = {}): Promise<SampleRun> {
  const id = JSON.stringify({ ...extra, redactKey: extra.redactKey ? Buffer.from(extra.redactKey).toString('hex') : null });
  let run = runs.get(id);
  if (run === undefined) {
    run = (async () => {
      const out = join(await mkdtemp(join(tmpdir(), 'callaudit-report-')), 'out');
      const result = await runReport({ inputs: [SAMPLE], out, workers: 0, ...extra });
      const summary = JSON.parse(await readFile(join(out, 'summary.json'), 'utf8')) as RunSummary;
      return { out, result, summary, html: await readFile(join(out, 'report.html'), 'utf8') };
    })();
    runs.set(id, run);
  }
  return run;
}

/**
 * A rollup table of `rows` groups with consistent counters (poor <= classified <= streams, ...):
 * key columns from `keys(row)`, measures drawn from `random`.
 */
export function syntheticRollup(
  schema: TableSchema,
  rows: number,
  keys: (row: number, key: string) => CellValue,
  random: () => number,
  streamsPerGroup = 50,
): ColumnBatch {
  const measures = new Set(MEASURE_COLUMNS.map((c) => c.name));
  const columns: CellValue[][] = schema.columns.map(() => new Array<CellValue>(rows));
  for (let row = 0; row < rows; row++) {
    const streams = 1 + Math.floor(random() * 2 * streamsPerGroup);
    const classified = Math.floor(streams * (0.5 + random() / 2));
    const poor = Math.floor(classified * random() * 0.3);
    const calls = Math.max(1, Math.floor(streams / 4));
    const classifiedCalls = Math.floor(calls * 0.9);
    const poorCalls = Math.floor(classifiedCalls * random() * 0.3);
    const setupFailures = Math.floor(calls * random() * 0.02);
    const drops = Math.floor(calls * random() * 0.03);
    const setupFailed = Math.floor(streams * random() * 0.02);
    const dropped = Math.floor(streams * random() * 0.03);
    const values: Record<string, CellValue> = {
      streams,
      classified,
      poor,
      poor_pct: classified > 0 ? (100 * poor) / classified : null,
      calls,
      classified_calls: classifiedCalls,
      poor_calls: poorCalls,
      poor_call_pct: classifiedCalls > 0 ? (100 * poorCalls) / classifiedCalls : null,
      setup_failures: setupFailures,
      call_setup_failure_pct: (100 * setupFailures) / calls,
      established_calls: calls,
      drops,
      call_drop_pct: (100 * drops) / calls,
      setup_failed_streams: setupFailed,
      setup_failure_pct: (100 * setupFailed) / streams,
      dropped_streams: dropped,
      drop_pct: streams > setupFailed ? (100 * dropped) / (streams - setupFailed) : null,
      // every classified stream audio: the worst charts rank audio_poor_pct over audio_classified
      audio_classified: classified,
      audio_poor: poor,
      audio_poor_pct: classified > 0 ? (100 * poor) / classified : null,
      // nobody rated
      rated_poor_pct: null,
      mean_rating: null,
      rated_share_pct: null,
    };
    schema.columns.forEach((def, c) => {
      if (!measures.has(def.name)) columns[c]![row] = keys(row, def.name);
      else if (def.name in values) columns[c]![row] = values[def.name]!;
      else if (def.name.startsWith('reason_')) columns[c]![row] = Math.floor(poor * random());
      else if (def.type === 'float')
        columns[c]![row] = def.name.startsWith('mos') ? 1 + 3.5 * random() : def.name.startsWith('packet_loss') ? random() * 0.2 : random() * 300;
      else columns[c]![row] = 0;
    });
  }
  return { schema, length: rows, columns };
}

/**
 * Rollups as large as 10 million streams can make them: 100k users, 50k subnets, 3,650 days, 20k
 * platforms, 5k connections, and a group-by over capture devices with 100k groups; keys long and
 * hostile where they can be.
 */
export function largeRollups(): Array<{ name: string; batch: ColumnBatch }> {
  const random = rng(17);
  const sizes: Record<string, number> = {
    day: 3650,
    user: 100_000,
    platform: 20_000,
    connection: 5_000,
    subnet: 50_000,
    codec: 40,
    call_type: 3,
    modality: 6,
    feedback: 6,
    by_caller_device_capture: 100_000,
  };
  return rollupSchemas({ groupBy: [['caller_device_capture']] }).map((schema) => {
    const name = schema.name.replace(/^rollup_/, '');
    const rows = sizes[name] ?? 1000;
    const key = (row: number, column: string): CellValue => {
      if (column === 'day') return new Date(Date.UTC(2016, 0, 1) + row * 86_400_000).toISOString().slice(0, 10);
      if (column === 'user_id') return `${row.toString(16).padStart(8, '0')}-1111-2222-3333-444455556666`;
      if (column === 'upn') return `<b>&amp;${row}@subsidiary.example.onmicrosoft.com`; // markup-like, and inside the 60 characters a chart label keeps
      if (column === 'caller_device_capture') return `Microphone Array (Realtek(R) Audio) <script>x${row}</script> ${'"&'.repeat(row % 7)}`;
      if (column === 'subnet') return `10.${(row >> 8) & 255}.${row & 255}.0`;
      return `${column}-${row}`;
    };
    return { name: schema.name, batch: syntheticRollup(schema, rows, key, random, name === 'day' ? 2700 : 100) };
  });
}

/** RFC 4180 text -> rows of cells (quoted cells may hold commas, quotes and line breaks); null for an unquoted empty cell. */
export function parseCsv(text: string): Array<Array<string | null>> {
  const rows: Array<Array<string | null>> = [];
  let row: Array<string | null> = [];
  let at = 0;
  while (at < text.length) {
    let cell: string | null;
    if (text[at] === '"') {
      let end = at + 1;
      let value = '';
      for (;;) {
        const quote = text.indexOf('"', end);
        value += text.slice(end, quote);
        if (text[quote + 1] === '"') {
          value += '"';
          end = quote + 2;
        } else {
          at = quote + 1;
          break;
        }
      }
      cell = value;
    } else {
      let end = at;
      while (end < text.length && text[end] !== ',' && text[end] !== '\r' && text[end] !== '\n') end++;
      cell = end === at ? null : text.slice(at, end);
      at = end;
    }
    row.push(cell);
    if (text[at] === ',') at++;
    else {
      rows.push(row);
      row = [];
      at += text.startsWith('\r\n', at) ? 2 : 1;
    }
  }
  return rows;
}
