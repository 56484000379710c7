/**
 * The rollups' memory per group at high cardinality: feeds calls between N distinct users (each
 * with a UPN) spread over S subnets and D capture devices through the real RollupAccumulator, in
 * batches merged into one total as the main thread merges workers' partials, then reports the
 * heap the merged state holds after a full GC, per structure (keys, row index, counters, sketches,
 * labels), and the heap peak of finalizing it into tables.
 * Run: `npx tsx benchmarks/rollup-memory.ts [users] [subnets]` (default 250,000 and 20,000).
 */
import { spawnSync } from 'node:child_process';
import { ColumnBuilder } from '../packages/core/src/table/schema.js';
import type { CellValue } from '../packages/core/src/table/schema.js';
import { CALLS, STREAMS } from '../packages/core/src/table/tables.js';
import { RollupAccumulator } from '../packages/core/src/rollup/accumulator.js';
import { finalizeRollups } from '../packages/core/src/rollup/finalize.js';
import { mergePartial } from '../packages/core/src/rollup/packed.js';
import type { RollupPartial } from '../packages/core/src/rollup/partial.js';

const users = Number(process.argv[2] ?? 250_000);
const subnets = Number(process.argv[3] ?? 20_000);
const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) {
  const child = spawnSync(process.execPath, ['--expose-gc', ...process.execArgv, process.argv[1]!, String(users), String(subnets)], { stdio: 'inherit' });
  process.exit(child.status ?? 1);
}

/** A row of `schema` from named cells (the others null). */
function row(schema: typeof STREAMS, cells: Record<string, CellValue>): CellValue[] {
  return schema.columns.map((def) => cells[def.name] ?? null);
}

const BATCH_CALLS = 500;
const rollup = { groupBy: [] };
const hex = (n: number, width: number): string => n.toString(16).padStart(width, '0');
const userId = (u: number): string => `${hex(u, 8)}-5e7a-4c1d-9b1e-${hex(u * 7919, 12).slice(-12)}`;

/** Peer-to-peer calls: call i between users 2i and 2i+1 (mod N), two audio streams each way's metrics. */
function batch(first: number, count: number): { streams: ReturnType<ColumnBuilder['finish']>; calls: ReturnType<ColumnBuilder['finish']> } {
  const streams = new ColumnBuilder(STREAMS);
  const calls = new ColumnBuilder(CALLS);
  for (let call = first; call < first + count; call++) {
    const id = `${hex(call, 8)}-0000-4000-8000-${hex(call, 12)}`;
    const a = (2 * call) % users;
    const b = (2 * call + 1) % users;
    const start = Date.UTC(2026, 10, 1) + (call % 30) * 86_400_000;
    calls.push(row(CALLS, { call_id: id, call_version: 1, call_type: 'peerToPeer', call_start: start, setup_failed: false, dropped: false }));
    for (const [direction, jitter] of [
      ['callerToCallee', 4 + (call % 40)],
      ['calleeToCaller', 6 + (call % 25)],
    ] as const) {
      streams.push(
        row(STREAMS, {
          call_id: id,
          call_version: 1,
          call_type: 'peerToPeer',
          call_start: start,
          media_label: 'main-audio',
          modality: 'audio',
          stream_direction: direction,
          caller_user_id: userId(a),
          caller_upn: `user${a}@contoso.com`,
          caller_platform: 'windows',
          caller_product: 'teams',
          caller_connection_type: 'wifi',
          caller_wifi_band: 'frequency50GHz',
          caller_subnet: `10.${128 + ((a % subnets) >> 8)}.${(a % subnets) & 255}.0`,
          caller_device_capture: `Microphone (${a % 5000})`,
          callee_user_id: userId(b),
          callee_upn: `user${b}@contoso.com`,
          callee_platform: 'macOS',
          callee_product: 'teams',
          callee_connection_type: 'wired',
          callee_subnet: `10.${128 + ((b % subnets) >> 8)}.${(b % subnets) & 255}.0`,
          callee_device_capture: `Microphone (${b % 5000})`,
          audio_codec: 'opus',
          jitter_avg_ms: jitter,
          rtt_avg_ms: 20 + (call % 200),
          packet_loss_avg: (call % 50) / 5000,
          mos: 3.5 + (call % 10) / 10,
          cqd_class: 'good',
          cqd_reasons: null,
        }),
      );
    }
  }
  return { streams: streams.finish(), calls: calls.finish() };
}

const mb = (bytes: number): string => `${(bytes / 1e6).toFixed(1)} MB`;
gc!();
const before = process.memoryUsage().heapUsed;
const total = new RollupAccumulator(rollup).toPartial();
// Every user twice (2 calls per user pair on average over the loop): as many groups as users.
const callCount = users;
let mergeCpu = 0;
for (let first = 0; first < callCount; first += BATCH_CALLS) {
  const acc = new RollupAccumulator(rollup);
  const { streams, calls } = batch(first, Math.min(BATCH_CALLS, callCount - first));
  acc.add(streams, calls);
  const cpu = process.cpuUsage();
  mergePartial(total, acc.takePartial());
  mergeCpu += process.cpuUsage(cpu).user;
}
gc!();
const held = process.memoryUsage().heapUsed - before;
const groups = [...total.rollups].map(([name, t]) => `${name} ${t.keys.length.toLocaleString('en-US')}`).join(', ');
const allGroups = [...total.rollups.values()].reduce((sum, t) => sum + t.keys.length, 0);
console.log(`${callCount.toLocaleString('en-US')} calls, ${users.toLocaleString('en-US')} users, ${subnets.toLocaleString('en-US')} subnets: groups ${groups}`);
console.log(
  `merged state: heap ${mb(held)}, ${(held / allGroups).toFixed(0)} bytes per group; merging the batches' partials: ${(mergeCpu / 1000).toFixed(0)} ms CPU`,
);

/** What each structure of the merged state holds, measured by dropping it and collecting. */
function measureParts(partial: RollupPartial): void {
  const parts: Array<[string, (t: { keys: string[]; n: number[]; q: number[][]; l: Map<string, number>[] | null }) => void]> = [
    ['label tallies (UPN per user)', (t) => void (t.l !== null && (t.l.length = 0))],
    ['sketches (4 per group)', (t) => void (t.q.length = 0)],
    ['counters (17 per group)', (t) => void (t.n.length = 0)],
  ];
  for (const [what, drop] of parts) {
    gc!();
    const start = process.memoryUsage().heapUsed;
    for (const table of partial.rollups.values()) drop(table as never);
    gc!();
    console.log(`  ${what}: ${mb(start - process.memoryUsage().heapUsed)}`);
  }
}

// Finalizing: the peak above the merged state (canonical copies, arquero columns, sorted tables).
let peak = 0;
const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().heapUsed)), 5);
const base = process.memoryUsage().heapUsed;
const tables = finalizeRollups(total, rollup);
peak = Math.max(peak, process.memoryUsage().heapUsed);
clearInterval(timer);
console.log(
  `finalize: ${tables.length} tables, ${tables.reduce((s, t) => s + t.batch.length, 0).toLocaleString('en-US')} rows; heap peak ${mb(peak - base)} above the merged state (sampled)`,
);
measureParts(total);
