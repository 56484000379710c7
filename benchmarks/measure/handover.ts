/**
 * The main thread's share of the rollups (not a test): each batch's partial travels from a worker
 * (packed, rollup/packed.ts; structured clone: serialized there, deserialized on the main thread;
 * the engine transfers the typed arrays, which is cheaper still) and is merged into the run's total. Real batches: the ranges of an NDJSON file processed as the workers do (range.ts), then
 * the hand-over of their partials timed in CPU time (user + system, which includes GC threads).
 * Run: npx tsx benchmarks/measure/handover.ts <file.ndjson> [rounds=3]
 */
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { deserialize, serialize } from 'node:v8';
import { processRange } from '../../packages/core/src/engine/range.js';
import type { BatchContext, RangeTask } from '../../packages/core/src/engine/protocol.js';
import { resolveRules } from '../../packages/core/src/quality/index.js';
import { mergePacked, RollupAccumulator, validateRollupOptions } from '../../packages/core/src/rollup/index.js';
import type { PackedPartial } from '../../packages/core/src/rollup/index.js';

const file = resolve(process.argv[2] ?? '');
const rounds = Number(process.argv[3] ?? 3);
const rules = resolveRules(undefined);
const rollup = validateRollupOptions({ groupBy: [], health: rules.health });
const ctx: BatchContext = { rules, rollup, csv: true, csvRaw: false, ipc: false, since: null, until: null, modalities: null, redactKey: null, sites: null };
const size = (await stat(file)).size;
const partials: PackedPartial[] = [];
for (let start = 0, seq = 0; start < size; start += 1 << 20) {
  const task: RangeTask = {
    kind: 'range',
    seq: seq++,
    path: file,
    file,
    start,
    end: Math.min(size, start + (1 << 20)),
    pages: false,
    maxRecordBytes: 64 << 20,
  };
  partials.push(processRange(task, ctx).partial);
}

const cpu = (): number => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};

for (let round = 0; round < rounds; round++) {
  let t = cpu();
  const wire = partials.map((partial) => serialize(partial));
  const serializeMs = cpu() - t;
  t = cpu();
  const received = wire.map((bytes) => deserialize(bytes) as PackedPartial);
  const deserializeMs = cpu() - t;
  t = cpu();
  const total = new RollupAccumulator(rollup).toPartial();
  for (const partial of received) mergePacked(total, partial);
  const mergeMs = cpu() - t;
  const bytes = wire.reduce((sum, w) => sum + w.byteLength, 0);
  console.log(
    `${partials.length} partials, ${(bytes / 1e6).toFixed(1)} MB on the wire: serialize ${serializeMs.toFixed(0)} ms, deserialize ${deserializeMs.toFixed(0)} ms, merge ${mergeMs.toFixed(0)} ms CPU`,
  );
}
let rows = 0;
let sketches = 0;
for (const partial of partials) {
  for (const table of partial.tables) {
    rows += table.keys.length;
    sketches += table.sketchEnd.length;
  }
}
console.log(`${rows} group rows, ${sketches} sketches in ${partials[0]?.tables.length ?? 0} rollups`);
