/**
 * Validation and flattening cost against JSON.parse on realistic ~44 KB group-call records (5
 * sessions, ~17 streams, every duration and date converted). Seeded records; interleaved trials, the fastest and
 * the median reported (the fastest is the least disturbed by other load on the machine).
 * Run: npx tsx benchmarks/measure/flatten.ts
 */
import { flattenRecord } from '../../packages/core/src/flatten/index.js';
import { resolveRules } from '../../packages/core/src/quality/index.js';
import { callRecordSchema } from '../../packages/core/src/schema/callrecord.js';
import { validateCallRecord } from '../../packages/core/src/schema/validate.js';
import type { CallRecord } from '../../packages/core/src/schema/index.js';
import { ColumnBuilder } from '../../packages/core/src/table/schema.js';
import { CALLS, STREAMS } from '../../packages/core/src/table/tables.js';
import { bigRecord } from '../../packages/core/test/schema/fixtures.js';

const RECORDS = 16;
const ROUNDS = 1000;
const TRIALS = 15;

const texts = Array.from({ length: RECORDS }, (_, seed) => JSON.stringify(bigRecord(5, seed + 1)));
const values = texts.map((text) => JSON.parse(text) as unknown);
const records = values.map((value) => {
  const result = validateCallRecord(value);
  if (!result.ok) throw new Error(`benchmark records must be valid: ${result.reason}`);
  return result.record;
}) satisfies CallRecord[];
const rules = resolveRules('cqd');
const out = () => ({ streams: new ColumnBuilder(STREAMS), calls: new ColumnBuilder(CALLS) });
const kilobytes = texts.reduce((sum, text) => sum + text.length, 0) / RECORDS / 1024;

/** Interleaved trial by trial, so load on the machine falls on all of them alike. */
const subjects: Record<string, (index: number) => unknown> = {
  'JSON.parse': (i) => JSON.parse(texts[i]!),
  'validateCallRecord (z.compile)': (i) => validateCallRecord(values[i]),
  'flattenRecord (cqd rules)': (i) => flattenRecord(records[i]!, rules, out()),
};
/**
 * Measured after the others, not interleaved: running zod's interpreter between trials of the
 * compiled parser slows the compiled one several times over (its median, not its fastest), and in
 * production the interpreter only runs for invalid records.
 */
const runtime = { 'zod runtime safeParse (for comparison)': (i: number) => callRecordSchema.safeParse(values[i]) };

function trial(fn: (index: number) => unknown): number {
  const start = process.hrtime.bigint();
  for (let i = 0; i < ROUNDS; i++) fn(i % RECORDS);
  return Number(process.hrtime.bigint() - start) / ROUNDS / 1000;
}

const samples = new Map<string, number[]>(Object.keys(subjects).map((name) => [name, []]));
for (const fn of Object.values(subjects)) trial(fn); // warm-up
for (let t = 0; t < TRIALS; t++) for (const [name, fn] of Object.entries(subjects)) samples.get(name)!.push(trial(fn));
for (const [name, fn] of Object.entries(runtime)) {
  trial(fn);
  samples.set(
    name,
    Array.from({ length: TRIALS }, () => trial(fn)),
  );
}
const median = (list: number[]) => [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)]!;

const fastest = (list: number[]) => Math.min(...list);

const parseFastest = fastest(samples.get('JSON.parse')!);
const parseMedian = median(samples.get('JSON.parse')!);
process.stdout.write(`record: ${kilobytes.toFixed(1)} KB minified JSON; ${TRIALS} trials x ${ROUNDS} records; us/record\n`);
process.stdout.write(`${''.padEnd(40)} ${'fastest'.padStart(8)} ${'median'.padStart(8)}   x JSON.parse (fastest, median)\n`);
for (const [name, list] of samples) {
  const [best, middle] = [fastest(list), median(list)];
  process.stdout.write(
    `${name.padEnd(40)} ${best.toFixed(1).padStart(8)} ${middle.toFixed(1).padStart(8)}   ${(best / parseFastest).toFixed(2)}, ${(middle / parseMedian).toFixed(2)}\n`,
  );
}
