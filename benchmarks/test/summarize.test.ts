import { describe, expect, it } from 'vitest';
import { checkCounts } from '../src/summarize.js';
import type { Sample, VariantId } from '../src/types.js';
import { ARRAY_40MB, ok, result, TOO_BIG } from './fixtures.js';

const samples = (entries: Array<[VariantId, Sample[]]>): Map<VariantId, Sample[]> => new Map(entries);

describe('checkCounts', () => {
  it('returns the counts every run agrees on', () => {
    expect(
      checkCounts(
        'x',
        samples([
          ['baseline-a', [ok(1), ok(2)]],
          ['report-csv-all', [ok(3)]],
        ]),
      ),
    ).toEqual({ records: 1000, streams: 4000 });
  });
  it('throws naming both variants when one saw other records', () => {
    const s = samples([
      ['baseline-a', [ok(1)]],
      ['report-csv-all', [ok(1, 100, 999, 4000)]],
    ]);
    expect(() => checkCounts('/d/array.json', s)).toThrow(
      /\/d\/array\.json: variants disagree: A: .* saw 1000 records \/ 4000 streams, report CSV, all cores saw 999 \/ 4000/,
    );
  });
  it('throws when only the stream counts differ', () => {
    expect(() =>
      checkCounts(
        'x',
        samples([
          ['baseline-b', [ok(1)]],
          ['ingest', [ok(1, 100, 1000, 3999)]],
        ]),
      ),
    ).toThrow(/disagree/);
  });
  it('catches a disagreement between two runs of the same variant', () => {
    expect(() => checkCounts('x', samples([['ingest', [ok(1), ok(1, 100, 1001, 4000)]]]))).toThrow(/disagree/);
  });
  it('holds a run that counts no records (DuckDB) to the streams, and takes the records from the others', () => {
    const rowsOnly = (streams: number): Sample => ({ ok: true, wallMs: 1, maxRssKb: 1000, records: null, streams });
    expect(
      checkCounts(
        'x',
        samples([
          ['duckdb', [rowsOnly(4000)]],
          ['baseline-a', [ok(1)]],
        ]),
      ),
    ).toEqual({ records: 1000, streams: 4000 });
    expect(() =>
      checkCounts(
        'x',
        samples([
          ['duckdb', [rowsOnly(3999)]],
          ['baseline-a', [ok(1)]],
        ]),
      ),
    ).toThrow(/D: DuckDB.* saw \? \/ 3999/);
  });
  it('ignores runs that could not run, but refuses a dataset no variant could read', () => {
    expect(
      checkCounts(
        'x',
        samples([
          ['baseline-a', [TOO_BIG]],
          ['ingest', [ok(1)]],
        ]),
      ).records,
    ).toBe(1000);
    expect(() => checkCounts('x', samples([['baseline-a', [TOO_BIG]]]))).toThrow(/no variant could run/);
  });
});

describe('summarize', () => {
  it('computes every ratio pair by pair against A, B and the 1-worker twin', () => {
    const r = result(ARRAY_40MB, {
      'baseline-a': [1000, 2000],
      'baseline-b': [10000, 20000],
      duckdb: [500, 600],
      'report-csv-1': [800, 1600],
      'report-csv-all': [400, 800],
    });
    const all = r.variants.find((v) => v.id === 'report-csv-all')!;
    expect(all.ratios).toEqual({ toA: 2.5, toB: 25, toDuckdb: 1.0, toOneWorker: 2 });
    expect(all.medians!.mbPerSec).toBeCloseTo(40 / 0.6, 6);
    const a = r.variants.find((v) => v.id === 'baseline-a')!;
    expect(a.ratios).toEqual({ toA: null, toB: 10, toDuckdb: 0.4, toOneWorker: null });
  });
  it('keeps the variants in measuring order and says why one never ran', () => {
    const r = result(ARRAY_40MB, { 'baseline-a': [null, null], ingest: [500, 500] });
    expect(r.variants.map((v) => v.id)).toEqual(['baseline-a', 'ingest']);
    expect(r.variants[0]).toMatchObject({ medians: null, unsupported: 'too big for one string' });
    expect(r.variants[1]!.ratios.toA).toBeNull();
  });
});
