import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { finalizeRollups, rollupSchemas, RollupAccumulator, type RollupOptions } from '../../src/rollup/index.js';
import type { CellValue } from '../../src/table/schema.js';
import { batches, rowsOf, type TestRecord } from './fixtures.js';
import { records } from './generate.js';

const OPTIONS: RollupOptions = { groupBy: [['callee_subnet'], ['was_media_bypassed', 'modality']] };

function finalOf(list: readonly TestRecord[], options = OPTIONS) {
  const accumulator = new RollupAccumulator(options);
  accumulator.add(...batches(list));
  return finalizeRollups(accumulator.toPartial(), options);
}

/** arquero's ascending order: null first, then by `<`. */
function compareCells(a: CellValue, b: CellValue): number {
  if (a === b) return 0;
  if (a === null) return -1;
  if (b === null) return 1;
  return a < b ? -1 : 1;
}

function nearestRank(values: readonly number[], percent: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(1, Math.ceil((percent / 100) * sorted.length)) - 1]!;
}

describe('finalizeRollups', () => {
  it('gives every table its schema, even with no data', () => {
    const tables = finalizeRollups(new RollupAccumulator(OPTIONS).toPartial(), OPTIONS);
    expect(tables.map((t) => t.batch.schema)).toEqual(rollupSchemas(OPTIONS));
    expect(tables.map((t) => t.name)).toEqual(rollupSchemas(OPTIONS).map((s) => s.name));
    expect(tables.at(-1)!.name).toBe('rollup_by_was_media_bypassed__modality');
    for (const { batch } of tables) {
      expect(batch.length).toBe(0);
      expect(batch.columns).toHaveLength(batch.schema.columns.length);
    }
  });

  it('sorts rows by key (nulls first) and keeps to the column types', () => {
    fc.assert(
      fc.property(records(30), (list) => {
        for (const { batch } of finalOf(list)) {
          const keyCount = batch.schema.columns.findIndex((c) => c.name === 'streams') - (batch.schema.name === 'rollup_user' ? 1 : 0);
          const keys = Array.from({ length: batch.length }, (_, row) => batch.columns.slice(0, keyCount).map((column) => column[row]!));
          const unsorted = keys.slice(1).filter((key, row) => key.reduce<number>((acc, value, i) => acc || compareCells(keys[row]![i]!, value), 0) !== -1);
          expect(unsorted).toEqual([]);
          const misfits = batch.schema.columns.flatMap((def, i) =>
            batch.columns[i]!.filter((value) => {
              if (value === null) return false;
              if (def.type === 'int') return !(Number.isSafeInteger(value) && (value as number) >= 0);
              if (def.type === 'float') return !Number.isFinite(value);
              if (def.type === 'string') return typeof value !== 'string';
              return def.type === 'bool' && typeof value !== 'boolean';
            }).map((value) => `${def.name}=${String(value)}`),
          );
          expect(misfits).toEqual([]);
          expect(batch.columns.every((column) => column.length === batch.length)).toBe(true);
        }
      }),
      { numRuns: 25 },
    );
  });

  it('reports percentiles within 1% of the exact nearest-rank percentiles, per group', () => {
    fc.assert(
      fc.property(records(30), (list) => {
        const table = finalOf(list).find((t) => t.name === 'rollup_call_type')!;
        for (const row of rowsOf(table.batch)) {
          const streams = list.filter((r) => r.call.call_type === row.call_type).flatMap((r) => r.streams);
          for (const [column, prefix, unit] of [
            ['jitter_avg_ms', 'jitter', '_ms'],
            ['rtt_avg_ms', 'rtt', '_ms'],
            ['packet_loss_avg', 'packet_loss', ''],
            ['mos', 'mos', ''],
          ] as const) {
            const values = streams.map((s) => s[column]).filter((v): v is number => typeof v === 'number');
            for (const p of [50, 90, 99]) {
              const exact = nearestRank(values, p);
              const reported = row[`${prefix}_p${p}${unit}`] as number | null;
              if (exact === null) expect(reported).toBeNull();
              else if (exact === 0) expect(reported).toBe(0);
              else expect(Math.abs(reported! - exact) / exact).toBeLessThanOrEqual(0.01 + 0.0005 + 1e-12); // the sketch's 1%, and 4 significant digits
            }
          }
        }
      }),
      { numRuns: 25 },
    );
  });

  it('is documented: the README names every rollup and every column', () => {
    const readme = readFileSync(new URL('../../src/rollup/README.md', import.meta.url), 'utf8');
    for (const schema of rollupSchemas({})) {
      expect(readme).toContain(`\`${schema.name}\``);
      for (const column of schema.columns) expect(readme).toContain(`\`${column.name}\``);
    }
  });
});
