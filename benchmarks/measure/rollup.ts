/**
 * Rollup measurements (not a test): add() throughput in stream rows/s, the engine's per-batch
 * pattern (an accumulator per batch, its partial structured-cloned and merged), and the partial's size
 * for 10k user groups. Only the rollup work is timed (CPU time, user + system, which includes GC
 * threads); making the batches is not.
 * Run: npx tsx benchmarks/measure/rollup.ts [streams=200000] [users=10000]
 */
import { deserialize, serialize } from 'node:v8';
import { finalizeRollups, mergePartial, RollupAccumulator, type RollupOptions, type RollupPartial } from '../../packages/core/src/rollup/index.js';
import { ColumnBuilder, type CellValue, type ColumnBatch, type TableSchema } from '../../packages/core/src/table/schema.js';
import { CALLS, STREAMS } from '../../packages/core/src/table/tables.js';
import { seeded } from '../../packages/core/test/rollup/fixtures.js';

const STREAMS_TOTAL = Number(process.argv[2] ?? 200_000);
const USERS = Number(process.argv[3] ?? 10_000);
const STREAMS_PER_CALL = 4;
const OPTIONS: RollupOptions = { tz: 'Europe/Helsinki', groupBy: [['caller_subnet', 'audio_codec']] };
const T0 = Date.parse('2024-03-01T00:00:00Z');

function rowMaker(schema: TableSchema): (values: Record<string, CellValue>) => CellValue[] {
  const names = schema.columns.map((column) => column.name);
  return (values) => names.map((name) => values[name] ?? null);
}
const streamRow = rowMaker(STREAMS);
const callRow = rowMaker(CALLS);

/** Seeded peer-to-peer calls between two of USERS users: two audio and two video streams each. */
function makeBatch(firstCall: number, calls: number, random: () => number): [ColumnBatch, ColumnBatch] {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const streamRows = new ColumnBuilder(STREAMS);
  const callRows = new ColumnBuilder(CALLS);
  for (let i = firstCall; i < firstCall + calls; i++) {
    const side = (prefix: string): Record<string, CellValue> => {
      const user = Math.floor(random() * USERS);
      return {
        [`${prefix}_user_id`]: `user-${user}`,
        [`${prefix}_upn`]: `u${user}@contoso.com`,
        [`${prefix}_platform`]: pick(['windows', 'macOS', 'iOS', 'android', 'web']),
        [`${prefix}_product`]: 'teams',
        [`${prefix}_connection_type`]: pick(['wired', 'wifi', 'wifi', 'mobile']),
        [`${prefix}_wifi_band`]: pick([null, 'frequency24GHz', 'frequency50GHz']),
        [`${prefix}_subnet`]: `10.${user % 20}.${user % 97}.0`,
      };
    };
    const call = { call_id: `call-${i}`, call_version: 1, call_type: 'peerToPeer', call_start: T0 + Math.floor(random() * 30 * 86_400_000) };
    const ends = { ...call, ...side('caller'), ...side('callee') };
    for (const modality of ['audio', 'audio', 'video', 'video']) {
      const poor = random() < 0.04;
      streamRows.push(
        streamRow({
          ...ends,
          modality,
          audio_codec: modality === 'audio' ? pick(['opus', 'satin', 'silk']) : null,
          cqd_class: poor ? 'poor' : random() < 0.1 ? 'unclassified' : 'good',
          cqd_reasons: poor ? 'jitter' : '',
          jitter_avg_ms: Math.round(random() * 400) / 10,
          rtt_avg_ms: Math.round(random() * 3000) / 10,
          packet_loss_avg: random() < 0.3 ? 0 : random() * 0.05,
          mos: modality === 'audio' ? 1 + random() * 3.5 : null,
        }),
      );
    }
    callRows.push(callRow({ ...call, feedback_min_rating: pick([null, null, 'good', 'poor']), dropped: random() < 0.02, setup_failed: random() < 0.01 }));
  }
  return [streamRows.finish(), callRows.finish()];
}

/** CPU seconds (user + system) spent in `run`: steadier than wall time on a shared machine. */
function seconds(run: () => void): number {
  const start = process.cpuUsage();
  run();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1e6;
}

const rate = (rows: number, s: number): string => `${Math.round(rows / s).toLocaleString('en-US')} stream rows/s`;
const calls = STREAMS_TOTAL / STREAMS_PER_CALL;

for (const recordsInBatch of [25, 1000]) {
  // Made first and kept, so that the timed phases below only pay for the rollup's own garbage.
  const random = seeded(42);
  const input: [ColumnBatch, ColumnBatch][] = [];
  for (let first = 0; first < calls; first += recordsInBatch) input.push(makeBatch(first, Math.min(recordsInBatch, calls - first), random));
  // add() alone, into one long-lived accumulator.
  const one = new RollupAccumulator(OPTIONS);
  const alone = seconds(() => {
    for (const [streams, callBatch] of input) one.add(streams, callBatch);
  });
  // The engine's pattern. In the worker: a fresh accumulator per batch, its partial serialized.
  const messages: Buffer[] = [];
  const worker = seconds(() => {
    for (const [streams, callBatch] of input) {
      const accumulator = new RollupAccumulator(OPTIONS);
      accumulator.add(streams, callBatch);
      messages.push(serialize(accumulator.toPartial()));
    }
  });
  // In the main thread: each partial deserialized and merged into the total (structured clone = both halves).
  const total = new RollupAccumulator(OPTIONS).toPartial();
  const main = seconds(() => {
    for (const message of messages) mergePartial(total, deserialize(message) as RollupPartial);
  });
  const sent = messages.reduce((sum, message) => sum + message.length, 0);
  let partial = one.toPartial();
  const toPartialSeconds = seconds(() => (partial = one.toPartial()));
  let tables: ReturnType<typeof finalizeRollups> = [];
  const finalizeSeconds = seconds(() => (tables = finalizeRollups(total, OPTIONS)));
  const users = partial.rollups.get('user')!;
  const bytes = serialize(partial).length;
  const userBytes = serialize({ ...partial, rollups: new Map([['user', users]]) }).length;
  let buckets = 0;
  for (const sketch of users.q) buckets += (sketch.length - 1) / 2;
  const cloneSeconds = seconds(() => structuredClone(partial));
  console.log(
    [
      `${recordsInBatch} records (${recordsInBatch * STREAMS_PER_CALL} stream rows) per batch; ${STREAMS_TOTAL} stream rows, ${USERS} users, ${OPTIONS.groupBy!.length} user group-by`,
      `  add() alone:                     ${rate(STREAMS_TOTAL, alone)}`,
      `  engine pattern, worker side (new + add + toPartial + serialize): ${rate(STREAMS_TOTAL, worker)}`,
      `  engine pattern, main thread (deserialize + mergePartial):        ${rate(STREAMS_TOTAL, main)}; ${Math.round(sent / messages.length)} B per batch partial`,
      `  whole partial: toPartial ${(toPartialSeconds * 1000).toFixed(0)} ms, structuredClone ${(cloneSeconds * 1000).toFixed(0)} ms, finalize ${(finalizeSeconds * 1000).toFixed(0)} ms (${tables.reduce((n, t) => n + t.batch.length, 0)} rows)`,
      `  groups: ${[...partial.rollups].map(([name, g]) => `${name}=${g.keys.length}`).join(' ')}`,
      `  partial (v8 serialize): ${(bytes / 1e6).toFixed(2)} MB; user rollup alone ${(userBytes / 1e6).toFixed(2)} MB for ${users.keys.length} groups = ${Math.round(userBytes / users.keys.length)} B/group (${Math.round(buckets / users.keys.length)} sketch buckets/group)`,
      `  heap used ${Math.round(process.memoryUsage().heapUsed / 1e6)} MB`,
    ].join('\n'),
  );
}

// The same job in arquero, for the record (ARCHITECTURE.md, "Choices and measurements"): one rollup
// (by caller user) over every stream row at once: counts and three jitter percentiles. arquero needs
// every row in one table (it cannot merge partial results exactly, nor subtract a retracted record).
{
  const { op, table } = await import('arquero');
  const random = seeded(42);
  const columns: Record<string, CellValue[]> = { caller_user_id: [], cqd_class: [], jitter_avg_ms: [] };
  const at = (name: string): number => STREAMS.columns.findIndex((column) => column.name === name);
  for (let first = 0; first < calls; first += 1000) {
    const [streams] = makeBatch(first, Math.min(1000, calls - first), random);
    for (const name of Object.keys(columns)) columns[name]!.push(...streams.columns[at(name)]!);
  }
  const before = process.memoryUsage().heapUsed;
  let groups = 0;
  const arqueroSeconds = seconds(() => {
    const rolled = table(columns)
      .groupby('caller_user_id')
      .rollup({
        streams: op.count(),
        poor: (d: Record<string, CellValue>) => op.sum(d.cqd_class === 'poor' ? 1 : 0),
        jitter_p50: (d: Record<string, CellValue>) => op.quantile(d.jitter_avg_ms, 0.5),
        jitter_p90: (d: Record<string, CellValue>) => op.quantile(d.jitter_avg_ms, 0.9),
        jitter_p99: (d: Record<string, CellValue>) => op.quantile(d.jitter_avg_ms, 0.99),
      });
    groups = rolled.numRows();
  });
  console.log(
    [
      `arquero, one rollup (caller user: ${groups} groups, counts and 3 jitter percentiles) over ${STREAMS_TOTAL} rows held in one table:`,
      `  ${rate(STREAMS_TOTAL, arqueroSeconds)}; heap +${Math.round((process.memoryUsage().heapUsed - before) / 1e6)} MB besides the rows themselves`,
    ].join('\n'),
  );
}
