import { describe, expect, it } from 'vitest';
import { checkFloors, checkMemory, FLOORS } from '../src/floors.js';
import type { Floor } from '../src/floors.js';
import { ARRAY_150MB, ARRAY_40MB, result } from './fixtures.js';

const NDJSON_150MB = { ...ARRAY_150MB, format: 'ndjson' as const };

// The mechanism is tested with fixed floors and bound, whatever the production values are.
const UNDER_TEST: Floor[] = [
  { variant: 'report-csv-all', against: 'baseline-a', min: 1, minBytes: 100e6, why: 'test floor vs A' },
  { variant: 'report-csv-all', against: 'baseline-b', min: 3, minBytes: 0, why: 'test floor vs B' },
];
const BOUND = 300;

describe('checkFloors', () => {
  it('passes when report (all cores) beats A and is well ahead of B', () => {
    const checks = checkFloors([result(ARRAY_150MB, { 'baseline-a': [1000, 1100], 'baseline-b': [9000, 9900], 'report-csv-all': [500, 550] })], UNDER_TEST);
    expect(checks.map((c) => [c.against, c.ratio, c.ok])).toEqual([
      ['baseline-a', 2, true],
      ['baseline-b', 18, true],
    ]);
  });
  it('fails when report is slower than A, naming the dataset', () => {
    const [vsA] = checkFloors([result(NDJSON_150MB, { 'baseline-a': [1000, 1000], 'report-csv-all': [1250, 1250] })], UNDER_TEST);
    expect(vsA).toMatchObject({ ok: false, ratio: 0.8, dataset: 'ndjson 150 MB', variant: 'report-csv-all', against: 'baseline-a' });
  });
  it('does not hold small inputs to the floor vs A (start-up decides there), but does hold them to B', () => {
    const checks = checkFloors([result(ARRAY_40MB, { 'baseline-a': [500], 'baseline-b': [6000], 'report-csv-all': [1000] })], UNDER_TEST);
    expect(checks.map((c) => [c.against, c.ok])).toEqual([['baseline-b', true]]);
  });
  it('fails below 3x B even when it beats A', () => {
    const checks = checkFloors([result(ARRAY_40MB, { 'baseline-a': [1000], 'baseline-b': [2500], 'report-csv-all': [1000] })], UNDER_TEST);
    expect(checks.find((c) => c.against === 'baseline-b')).toMatchObject({ ok: false, ratio: 2.5 });
  });
  it('judges pair by pair: a slow round for everyone does not fail the floor', () => {
    // Round 2 is 5x slower for every variant; report is 1.25x A in each round.
    const [vsA] = checkFloors([result(ARRAY_150MB, { 'baseline-a': [1000, 5000, 1000], 'report-csv-all': [800, 4000, 800] })], UNDER_TEST);
    expect(vsA).toMatchObject({ ok: true, ratio: 1.25 });
  });
  it('a floor exactly met passes', () => {
    const [vsA] = checkFloors([result(ARRAY_150MB, { 'baseline-a': [1000], 'report-csv-all': [1000] })], UNDER_TEST);
    expect(vsA!.ok).toBe(true);
  });
  it('skips floors whose variants were not measured, and does not fail when the reference could not run', () => {
    expect(checkFloors([result(ARRAY_150MB, { 'baseline-a': [1000], ingest: [900] })], UNDER_TEST)).toEqual([]);
    const [vsA] = checkFloors([result(ARRAY_150MB, { 'baseline-a': [null, null], 'report-csv-all': [900, 900] })], UNDER_TEST);
    expect(vsA).toMatchObject({ ok: true, ratio: null });
  });
  it('checks every dataset separately', () => {
    const checks = checkFloors(
      [result(ARRAY_150MB, { 'baseline-a': [1000], 'report-csv-all': [500] }), result(NDJSON_150MB, { 'baseline-a': [1000], 'report-csv-all': [2000] })],
      UNDER_TEST,
    );
    expect(checks.map((c) => c.ok)).toEqual([true, false]);
  });
  it('every floor is below its target and explains itself', () => {
    for (const floor of FLOORS) {
      expect(floor.min).toBeGreaterThan(0);
      expect(floor.why).toMatch(/target \d/);
    }
  });
});

describe('checkMemory', () => {
  it('holds the worst run of every report variant to the bound', () => {
    const checks = checkMemory([result(ARRAY_150MB, { 'baseline-a': [1000], 'report-csv-all': [900], 'report-parquet-all': [1000] }, 180)], BOUND);
    expect(checks.map((c) => c.variant)).toEqual(['report-csv-all', 'report-parquet-all']);
    expect(checks[0]).toMatchObject({ ok: true, boundMb: BOUND, dataset: 'array 150 MB' });
    expect(checks[0]!.maxRssMb).toBeCloseTo(180, 6);
  });
  it('holds the ingest to its own bound', () => {
    const [ok] = checkMemory([result(NDJSON_150MB, { ingest: [1000] }, 120)], BOUND, 200);
    expect(ok).toMatchObject({ variant: 'ingest', boundMb: 200, ok: true });
    const [over] = checkMemory([result(NDJSON_150MB, { ingest: [1000] }, 201)], BOUND, 200);
    expect(over).toMatchObject({ variant: 'ingest', ok: false });
  });

  it('fails above the bound', () => {
    const [check] = checkMemory([result(NDJSON_150MB, { 'report-parquet-all': [1000] }, 301)], BOUND);
    expect(check!.ok).toBe(false);
  });
  it('never bounds the baselines (A needs ~4x its input by design)', () => {
    expect(checkMemory([result(NDJSON_150MB, { 'baseline-a': [1000], 'baseline-b': [9000] }, 900)], BOUND)).toEqual([]);
  });
});
