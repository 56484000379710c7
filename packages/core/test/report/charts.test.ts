import { describe, expect, it } from 'vitest';
import { chartSpecs, MIN_VOLUME } from '../../src/report/index.js';
import { finalizeRollups, RollupAccumulator, rollupSchemas } from '../../src/rollup/index.js';
import { MEASURE_COLUMNS } from '../../src/rollup/schemas.js';
import type { ColumnBatch, TableSchema } from '../../src/table/schema.js';
import { rng } from '../io/fixtures.js';
import { audio, batches, record, type Row } from '../rollup/fixtures.js';
import { syntheticRollup } from './fixtures.js';

const text = (name: string) => ({ name, type: 'string' as const, doc: name });
const schema = (name: string, keys: string[], extra: TableSchema['columns'] = []): TableSchema => ({
  name: `rollup_${name}`,
  columns: [...keys.map(text), ...MEASURE_COLUMNS, ...extra],
});
const table = (s: TableSchema, rows: number, seed = 1): { name: string; batch: ColumnBatch } => ({
  name: s.name,
  batch: syntheticRollup(s, rows, (row, key) => `${key}-${row}`, rng(seed)),
});
const today = () =>
  rollupSchemas({}).map((s, i) => table(s, s.name === 'rollup_modality' ? 3 : s.name === 'rollup_feedback' || s.name === 'rollup_poor_cause' ? 6 : 30, i + 1));

describe('chartSpecs', () => {
  const LATER = ['rollup_building', 'rollup_network', 'rollup_access_point', 'rollup_capture_device', 'rollup_render_device', 'rollup_client_version'];

  it('draws the first rollups: day, reasons, causes, distributions, worst subnets, users, platforms, feedback, ratings, tokens', () => {
    const first = today().filter((t) => !LATER.includes(t.name));
    expect(chartSpecs(first).map((c) => c.id)).toEqual([
      'chart-day',
      'chart-reasons',
      'chart-rollup_poor_cause',
      'chart-distributions',
      'chart-worst-subnet',
      'chart-worst-user',
      'chart-worst-platform',
      'chart-feedback',
      'chart-rating',
      'chart-tokens',
    ]);
  });

  it('grows with the tables that land: buildings, networks, access points, devices, clients', () => {
    expect(chartSpecs(today()).map((c) => c.id)).toEqual([
      'chart-day',
      'chart-reasons',
      'chart-rollup_poor_cause',
      'chart-distributions',
      'chart-worst-building',
      'chart-worst-network',
      'chart-worst-subnet',
      'chart-worst-access_point',
      'chart-worst-user',
      'chart-worst-platform',
      'chart-worst-capture_device',
      'chart-worst-render_device',
      'chart-worst-client_version',
      'chart-feedback',
      'chart-rating',
      'chart-tokens',
    ]);
  });

  it('shows what exists: a run with only a day table has only the day chart; without rollup_poor_cause, no cause chart', () => {
    expect(chartSpecs(today().filter((t) => t.name !== 'rollup_poor_cause')).map((c) => c.id)).not.toContain('chart-rollup_poor_cause');
    const day = today().filter((t) => t.name === 'rollup_day');
    expect(chartSpecs(day).map((c) => c.id)).toEqual(['chart-day']);
    expect(chartSpecs([])).toEqual([]);
  });

  it('ranks by poor % only groups with the minimum volume and a key, and says when none qualify', () => {
    const s = schema('subnet', ['subnet']);
    const small = table(s, 50);
    const classified = small.batch.columns[s.columns.findIndex((c) => c.name === 'audio_classified')]!;
    const poor = small.batch.columns[s.columns.findIndex((c) => c.name === 'audio_poor')]!;
    poor.fill(1);
    classified.fill(MIN_VOLUME - 1);
    expect(MIN_VOLUME).toBe(30); // the health minimum volume: 30 classified audio streams
    const chart = chartSpecs([small]).find((c) => c.id === 'chart-worst-subnet')!;
    expect(chart.spec).toBeNull();
    expect(chart.empty).toContain(`${MIN_VOLUME} classified audio`);
    // a rules file's health.min_classified_audio moves the floor
    const lowered = chartSpecs([small], MIN_VOLUME - 1).find((c) => c.id === 'chart-worst-subnet')!;
    expect((lowered.spec as { data: { values: unknown[] } }).data.values).toHaveLength(15);

    // One group at the floor, one without a key: only the first is ranked.
    classified[0] = MIN_VOLUME;
    classified[1] = MIN_VOLUME;
    small.batch.columns[0]![1] = null;
    const ranked = chartSpecs([small]).find((c) => c.id === 'chart-worst-subnet')!;
    const values = (ranked.spec as { data: { values: Array<{ group: string }> } }).data.values;
    expect(values.map((v) => v.group)).toEqual(['subnet-0']);
  });

  it("feedback: poor, good and unclassified calls add up to each rating's calls", () => {
    const feedback = today().find((t) => t.name === 'rollup_feedback')!;
    const chart = chartSpecs([feedback]).find((c) => c.id === 'chart-feedback')!;
    const values = (chart.spec as { data: { values: Array<{ rating: string; calls: number }> } }).data.values;
    const calls = feedback.batch.columns[feedback.batch.schema.columns.findIndex((c) => c.name === 'calls')]!;
    const total = values.reduce((sum, v) => sum + v.calls, 0);
    expect(total).toBe(calls.reduce<number>((sum, v) => sum + (v as number), 0));
  });

  describe('Rate My Call, from real rollups', () => {
    const side = (who: 'caller' | 'callee', rating: string | null, tokens: string | null = null): Row => ({
      [`${who}_feedback_rating`]: rating,
      [`${who}_feedback_tokens`]: tokens,
    });
    const poor = { cqd_class: 'poor', cqd_reasons: 'jitter' };
    // bad on poor audio, bad on good audio, excellent on poor audio, notRated (no rating), a token-only endpoint
    const rollups = (() => {
      const accumulator = new RollupAccumulator({});
      accumulator.add(
        ...batches([
          record({ call_id: 'A' }, [audio({ session_id: 'a', ...side('caller', 'bad', 'NoSound;Echo'), ...side('callee', 'excellent', 'Echo'), ...poor })]),
          record({ call_id: 'B' }, [audio({ session_id: 'b', ...side('caller', 'bad', 'Echo'), ...side('callee', 'notRated') })]),
          record({ call_id: 'C' }, [audio({ session_id: 'c', ...side('caller', null, 'DroppedCall') })]),
        ]),
      );
      return finalizeRollups(accumulator.toPartial(), {});
    })();
    const valuesOf = (id: string) => (chartSpecs(rollups).find((c) => c.id === id)!.spec as { data: { values: Array<Record<string, unknown>> } }).data.values;

    it('ratings: the five ratings worst first, each split by what its streams measured; notRated is no rating', () => {
      expect(valuesOf('chart-rating')).toEqual([
        { rating: 'bad (2, 66.7%)', measured: 'poor audio', endpoints: 1 },
        { rating: 'bad (2, 66.7%)', measured: 'good audio', endpoints: 1 },
        { rating: 'excellent (1, 33.3%)', measured: 'poor audio', endpoints: 1 },
      ]);
    });

    it('tokens: most reported first, with the share of rated endpoints, mean rating and poor figures', () => {
      expect(valuesOf('chart-tokens')).toEqual([
        { token: 'Echo', reported: 3, share_pct: 100, mean_rating: 7 / 3, rated_poor_pct: (100 * 2) / 3, poor_pct: 50 },
        { token: 'DroppedCall', reported: 1, share_pct: 0, mean_rating: null, rated_poor_pct: null, poor_pct: 0 },
        { token: 'NoSound', reported: 1, share_pct: (100 * 1) / 3, mean_rating: 1, rated_poor_pct: 100, poor_pct: 100 },
      ]);
    });

    it('says so when nobody rated or reported a token', () => {
      const none = rollups.map(({ name, batch }) => ({ name, batch: { ...batch, length: 0, columns: batch.columns.map(() => []) } }));
      const charts = chartSpecs(none);
      expect(charts.find((c) => c.id === 'chart-rating')).toMatchObject({ spec: null, empty: 'No endpoint rated its call.' });
      expect(charts.find((c) => c.id === 'chart-tokens')).toMatchObject({ spec: null, empty: 'No endpoint reported a feedback token.' });
    });
  });
});
