/**
 * parseProjected against decode + JSON.parse (not a test): CPU ms per 100 MiB of record bytes for
 *   - toString + JSON.parse            what a worker did before parseProjected
 *   - parseProjected                   the projecting parser (a record it bails on: + toString + JSON.parse)
 *   - ... + validate + flatten         both, followed by validateCallRecord and flattenRecord
 * Records are generated in memory (~100 MiB, seeded), or read from an NDJSON file (one record per line).
 * Subjects are interleaved trial by trial, so load on the machine falls on all of them alike; the
 * fastest trial (least disturbed) and the median are reported. CPU time (user + system) includes GC.
 * Run: npx tsx benchmarks/measure/project.ts [records.ndjson] [trials=9]
 */
import { Buffer } from 'node:buffer';
import { readFileSync } from 'node:fs';
import { generateRecords } from '@callaudit/datasets';
import { flattenRecord } from '../../packages/core/src/flatten/record.js';
import { resolveRules } from '../../packages/core/src/quality/index.js';
import { NOT_PROJECTED, parseProjected } from '../../packages/core/src/schema/project.js';
import { validateCallRecord } from '../../packages/core/src/schema/validate.js';
import { ColumnBuilder } from '../../packages/core/src/table/schema.js';
import { CALLS, STREAMS } from '../../packages/core/src/table/tables.js';

const TARGET_BYTES = 100 * 1024 * 1024;
const file = process.argv[2];
const TRIALS = Number(process.argv[3] ?? 9);

/** All records in one buffer, as a reader hands them on: [start, end) slices of it. */
function input(): { bytes: Buffer; slices: [number, number][] } {
  let bytes: Buffer;
  if (file !== undefined) {
    bytes = readFileSync(file);
  } else {
    const lines: string[] = [];
    let size = 0;
    for (const record of generateRecords({ records: Infinity, seed: 1 })) {
      const line = JSON.stringify(record);
      lines.push(line);
      size += Buffer.byteLength(line) + 1;
      if (size >= TARGET_BYTES) break;
    }
    bytes = Buffer.from(lines.join('\n'), 'utf8');
  }
  const slices: [number, number][] = [];
  let start = 0;
  while (start < bytes.length) {
    let end = bytes.indexOf(0x0a, start);
    if (end < 0) end = bytes.length;
    if (end > start) slices.push([start, end]);
    start = end + 1;
  }
  return { bytes, slices };
}

const { bytes, slices } = input();
const total = slices.reduce((sum, [start, end]) => sum + end - start, 0);
const rules = resolveRules('cqd');
let fallbacks = 0;
let sink = 0;

function parsed(start: number, end: number): unknown {
  return JSON.parse(bytes.toString('utf8', start, end));
}

function projected(start: number, end: number): unknown {
  const value = parseProjected(bytes, start, end);
  if (value !== NOT_PROJECTED) return value;
  fallbacks++;
  return parsed(start, end);
}

function flattened(value: unknown): void {
  const checked = validateCallRecord(value);
  if (!checked.ok) throw new Error(`records must be valid: ${checked.reason}`);
  const out = { streams: new ColumnBuilder(STREAMS), calls: new ColumnBuilder(CALLS) };
  flattenRecord(checked.record, rules, out);
  sink += out.streams.length;
}

const subjects: Record<string, () => void> = {
  'toString + JSON.parse': () => {
    for (const [start, end] of slices) sink += parsed(start, end) === null ? 1 : 0;
  },
  parseProjected: () => {
    for (const [start, end] of slices) sink += projected(start, end) === null ? 1 : 0;
  },
  'toString + JSON.parse + validate + flatten': () => {
    for (const [start, end] of slices) flattened(parsed(start, end));
  },
  'parseProjected + validate + flatten': () => {
    for (const [start, end] of slices) flattened(projected(start, end));
  },
};

/** CPU ms (user + system) spent in `run`. */
function cpuMs(run: () => void): number {
  const start = process.cpuUsage();
  run();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}

const times: Record<string, number[]> = Object.fromEntries(Object.keys(subjects).map((name) => [name, []]));
for (let trial = 0; trial < TRIALS; trial++) {
  for (const [name, run] of Object.entries(subjects)) times[name]!.push(cpuMs(run));
}

const per100MiB = (ms: number): number => (ms * 100 * 1024 * 1024) / total;
const sorted = (list: number[]): number[] => [...list].sort((a, b) => a - b);
const fastest = (name: string): number => per100MiB(sorted(times[name]!)[0]!);
const median = (name: string): number => per100MiB(sorted(times[name]!)[Math.floor(TRIALS / 2)]!);

console.log(`${slices.length} records, ${(total / 1024 / 1024).toFixed(1)} MiB (${file ?? 'generated, seed 1'}), ${TRIALS} interleaved trials`);
console.log(`parseProjected fell back to JSON.parse for ${fallbacks / TRIALS / 2} records per trial`);
console.log('CPU ms per 100 MiB                              fastest   median');
for (const name of Object.keys(subjects)) console.log(`  ${name.padEnd(44)} ${fastest(name).toFixed(0).padStart(6)} ${median(name).toFixed(0).padStart(8)}`);
const ratio = (a: string, b: string, of: (name: string) => number): string => (of(a) / of(b)).toFixed(2);
console.log(
  `parse alone: parseProjected is ${ratio('toString + JSON.parse', 'parseProjected', fastest)}x cheaper (fastest), ${ratio('toString + JSON.parse', 'parseProjected', median)}x (median)`,
);
console.log(
  `with validate + flatten: ${ratio('toString + JSON.parse + validate + flatten', 'parseProjected + validate + flatten', fastest)}x (fastest), ${ratio('toString + JSON.parse + validate + flatten', 'parseProjected + validate + flatten', median)}x (median)`,
);
if (sink === -1) console.log(sink);
