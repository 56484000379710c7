import { describe, expect, it } from 'vitest';
import { emptyCounts } from '../../src/engine/result.js';
import type { ReportResult } from '../../src/engine/run.js';
import { buildSummary, describeBreach, findBreaches, renderSummaryText } from '../../src/engine/summary.js';
import { finalizeRollups, RollupAccumulator, type RollupOptions } from '../../src/rollup/index.js';
import { audio, batches, dump, record, rowsOf, type Row, type TestRecord } from './fixtures.js';

/** Audio streams of one building (caller side; the callee side unmatched): `good` good, `poor` poor, `over` on each. */
function building(name: string, good: number, poor: number, over: Row = {}, extra: readonly Row[] = []): TestRecord {
  const streams = [
    ...Array.from({ length: good }, () => audio({ caller_building: name, ...over })),
    ...Array.from({ length: poor }, () => audio({ caller_building: name, cqd_class: 'poor', cqd_reasons: 'jitter', ...over })),
    ...extra.map((row) => ({ caller_building: name, ...row })),
  ];
  return record({ call_id: name, call_start: 0 }, streams);
}

function rows(list: readonly TestRecord[], table: string, options: RollupOptions = {}): Map<unknown, Row> {
  const accumulator = new RollupAccumulator(options);
  accumulator.add(...batches(list));
  const batch = finalizeRollups(accumulator.toPartial(), options).find((t) => t.name === table)!.batch;
  const key = table === 'rollup_day' ? 'day' : 'building';
  return new Map(rowsOf(batch).map((row) => [row[key], row]));
}

const pick = (row: Row | undefined, names: readonly string[]) => Object.fromEntries(names.map((name) => [name, row?.[name]]));
const HEALTH = ['audio_classified', 'audio_poor', 'audio_poor_pct', 'health', 'poor_target_pct', 'meets_targets'] as const;

describe('rollup health and targets', () => {
  it('grades the poor rate of classified audio streams at, below and above each threshold, with the minimum volume', () => {
    const got = rows(
      [
        building('A29', 0, 29), // under the minimum of 30: insufficient however poor
        building('B30', 30, 0), // exactly the minimum
        building('C4', 96, 4),
        building('D5', 95, 5), // at degraded_pct: degraded
        building('E19', 81, 19),
        building('F20', 80, 20), // at critical_pct: critical
        building('G21', 79, 21),
      ],
      'rollup_building',
    );
    expect(pick(got.get('A29'), HEALTH)).toEqual({
      audio_classified: 29,
      audio_poor: 29,
      audio_poor_pct: 100,
      health: 'insufficient',
      poor_target_pct: 3,
      meets_targets: null,
    });
    expect(pick(got.get('B30'), HEALTH)).toEqual({
      audio_classified: 30,
      audio_poor: 0,
      audio_poor_pct: 0,
      health: 'healthy',
      poor_target_pct: 3,
      meets_targets: true,
    });
    expect(pick(got.get('C4'), HEALTH)).toEqual({
      audio_classified: 100,
      audio_poor: 4,
      audio_poor_pct: 4,
      health: 'healthy',
      poor_target_pct: 3,
      meets_targets: false,
    });
    expect(got.get('D5')!.health).toBe('degraded');
    expect(got.get('E19')!.health).toBe('degraded');
    expect(got.get('F20')!.health).toBe('critical');
    expect(got.get('G21')!.health).toBe('critical');
    // The callee sides are unmatched: one group of every stream, 29 + 30 + 5 * 100 = 559 classified, 98 poor = 17.5%: degraded.
    expect(pick(got.get(null), ['audio_classified', 'audio_poor', 'health'])).toEqual({ audio_classified: 559, audio_poor: 98, health: 'degraded' });
  });

  it('judges audio alone: poor video and unclassified audio do not count', () => {
    const poorVideo = { modality: 'video', audio_codec: null, cqd_class: 'poor', cqd_reasons: 'frame_rate' };
    const got = rows(
      [
        building(
          'V',
          30,
          0,
          {},
          Array.from({ length: 30 }, () => audio(poorVideo)),
        ),
        building(
          'U',
          29,
          0,
          {},
          Array.from({ length: 10 }, () => audio({ cqd_class: 'unclassified', cqd_reasons: 'no_metrics' })),
        ),
      ],
      'rollup_building',
    );
    expect(pick(got.get('V'), ['classified', 'poor', 'poor_pct', 'audio_classified', 'audio_poor_pct', 'health'])).toEqual({
      classified: 60,
      poor: 30,
      poor_pct: 50,
      audio_classified: 30,
      audio_poor_pct: 0,
      health: 'healthy',
    });
    expect(pick(got.get('U'), ['streams', 'audio_classified', 'health'])).toEqual({ streams: 39, audio_classified: 29, health: 'insufficient' });
  });

  it('applies the inside-corp targets when every stream of the group is inside corp, the overall ones otherwise', () => {
    const inside = { caller_inside_corp: true };
    const got = rows(
      [
        building('In3', 97, 3, inside), // 3% > 2% inside
        building('In2', 98, 2, inside), // 2% = 2%: met
        building('Out3', 97, 3), // 3% = 3% overall: met
        building('Mixed', 97, 2, inside, [audio({ cqd_class: 'poor', cqd_reasons: 'rtt' })]), // one stream not inside: overall targets
      ],
      'rollup_building',
    );
    const names = ['streams', 'inside_corp_streams', 'poor_target_pct', 'setup_failure_target_pct', 'drop_target_pct', 'meets_targets'];
    expect(pick(got.get('In3'), names)).toEqual({
      streams: 100,
      inside_corp_streams: 100,
      poor_target_pct: 2,
      setup_failure_target_pct: 0.5,
      drop_target_pct: 2,
      meets_targets: false,
    });
    expect(pick(got.get('In2'), names)).toEqual({
      streams: 100,
      inside_corp_streams: 100,
      poor_target_pct: 2,
      setup_failure_target_pct: 0.5,
      drop_target_pct: 2,
      meets_targets: true,
    });
    expect(pick(got.get('Out3'), names)).toEqual({
      streams: 100,
      inside_corp_streams: 0,
      poor_target_pct: 3,
      setup_failure_target_pct: 1,
      drop_target_pct: 3,
      meets_targets: true,
    });
    expect(pick(got.get('Mixed'), names)).toEqual({
      streams: 100,
      inside_corp_streams: 99,
      poor_target_pct: 3,
      setup_failure_target_pct: 1,
      drop_target_pct: 3,
      meets_targets: true,
    });
    // Call-keyed rollups hold whole streams: inside only when both endpoints are; here the callees are not.
    expect(rows([building('In2', 98, 2, inside)], 'rollup_day').get('1970-01-01')!.inside_corp_streams).toBe(0);
    const both = rows([building('In2', 98, 2, { ...inside, callee_inside_corp: true })], 'rollup_day').get('1970-01-01')!;
    expect(pick(both, ['inside_corp_streams', 'poor_target_pct', 'meets_targets'])).toEqual({
      inside_corp_streams: 100,
      poor_target_pct: 2,
      meets_targets: true,
    });
  });

  it('counts each side as inside corp on its own, and a stream within one group only when both of its endpoints are', () => {
    const got = rows(
      [
        record({ call_id: 'x', call_start: 0 }, [
          audio({ caller_building: 'HQ', caller_inside_corp: true, callee_building: 'Home', callee_inside_corp: false }),
        ]),
        record({ call_id: 'y', call_start: 0 }, [
          audio({ caller_building: 'Lab', caller_inside_corp: true, callee_building: 'Lab', callee_inside_corp: false }),
        ]),
        record({ call_id: 'z', call_start: 0 }, [
          audio({ caller_building: 'Lab', caller_inside_corp: true, callee_building: 'Lab', callee_inside_corp: true }),
        ]),
      ],
      'rollup_building',
    );
    expect(pick(got.get('HQ'), ['streams', 'inside_corp_streams'])).toEqual({ streams: 1, inside_corp_streams: 1 });
    expect(pick(got.get('Home'), ['streams', 'inside_corp_streams'])).toEqual({ streams: 1, inside_corp_streams: 0 });
    expect(pick(got.get('Lab'), ['streams', 'inside_corp_streams'])).toEqual({ streams: 2, inside_corp_streams: 1 });
  });

  it('meets the setup-failure and drop targets at the target and misses them just above', () => {
    const failed = (stage: string) => audio({ failure_stage: stage, failure_reason: 'x' });
    const got = rows(
      [
        building('S1', 99, 0, {}, [failed('callSetup')]), // 1/100 = 1% overall: met
        building('S1in', 99, 0, { caller_inside_corp: true }, [{ ...failed('callSetup'), caller_inside_corp: true }]), // 1% > 0.5%
        building('S2', 98, 0, {}, [failed('callSetup'), failed('callSetup')]), // 2% > 1%
        building('D3', 97, 0, {}, [failed('midcall'), failed('midcall'), failed('midcall')]), // 3/100 = 3%: met
        building('D4', 96, 0, {}, [failed('midcall'), failed('midcall'), failed('midcall'), failed('midcall')]), // 4% > 3%
      ],
      'rollup_building',
    );
    const names = ['setup_failure_pct', 'drop_pct', 'health', 'meets_targets'];
    expect(pick(got.get('S1'), names)).toEqual({ setup_failure_pct: 1, drop_pct: 0, health: 'healthy', meets_targets: true });
    expect(pick(got.get('S1in'), names)).toEqual({ setup_failure_pct: 1, drop_pct: 0, health: 'healthy', meets_targets: false });
    expect(pick(got.get('S2'), names)).toEqual({ setup_failure_pct: 2, drop_pct: 0, health: 'healthy', meets_targets: false });
    expect(pick(got.get('D3'), names)).toEqual({ setup_failure_pct: 0, drop_pct: 3, health: 'healthy', meets_targets: true });
    expect(pick(got.get('D4'), names)).toEqual({ setup_failure_pct: 0, drop_pct: 4, health: 'healthy', meets_targets: false });
  });

  it('takes its thresholds from the options (the rule set), critical before degraded, and no data is insufficient at minimum 0', () => {
    const health = { degraded_pct: 10, critical_pct: 10, min_classified_audio: 0 };
    const got = rows([building('T10', 9, 1), building('T9', 91, 9), building('None', 0, 0, {}, [audio({ cqd_class: 'unclassified' })])], 'rollup_building', {
      health,
    });
    expect(got.get('T10')!.health).toBe('critical');
    expect(got.get('T9')!.health).toBe('healthy');
    expect(pick(got.get('None'), ['audio_classified', 'health', 'meets_targets'])).toEqual({
      audio_classified: 0,
      health: 'insufficient',
      meets_targets: null,
    });
    expect(() => rows([], 'rollup_day', { health: { degraded_pct: 30, critical_pct: 20, min_classified_audio: 30 } })).toThrow(/degraded <= critical/);
    expect(() => rows([], 'rollup_day', { health: { degraded_pct: 5, critical_pct: 20, min_classified_audio: 2.5 } })).toThrow(/integer/);
  });

  it('keeps the new counters exactly mergeable and subtractable', () => {
    const a = [building('HQ', 40, 5, { caller_inside_corp: true }), building('Lab', 10, 1)];
    const b = [building('HQ2', 3, 3, { caller_inside_corp: true, callee_inside_corp: true })];
    const whole = new RollupAccumulator({});
    whole.add(...batches([...a, ...b]));
    const left = new RollupAccumulator({});
    left.add(...batches(a));
    const right = new RollupAccumulator({});
    right.add(...batches(b));
    left.merge(right.toPartial());
    expect(dump(left.toPartial())).toBe(dump(whole.toPartial()));
    const retract = new RollupAccumulator({});
    retract.add(...batches(b), -1);
    whole.merge(retract.toPartial());
    const only = new RollupAccumulator({});
    only.add(...batches(a));
    expect(dump(whole.toPartial())).toBe(dump(only.toPartial()));
  });

  it('reports the MOS low tail, p1 and p10, by nearest rank', () => {
    // 100 streams with MOS 1.000, 1.025, ..., 3.475: p1 = rank 1, p10 = rank 10, p50 = rank 50.
    const streams = Array.from({ length: 100 }, (_, i) => audio({ caller_building: 'M', mos: 1 + i / 40 }));
    const row = rows([record({ call_id: 'm', call_start: 0 }, streams)], 'rollup_building').get('M')!;
    expect(row.mos_p1 as number).toBeGreaterThanOrEqual(1); // MOS is 1..4.5: a bucket's value never falls below
    expect(Math.abs((row.mos_p1 as number) - 1) / 1).toBeLessThanOrEqual(0.0105); // the sketch's 1%, then 4 significant digits
    expect(Math.abs((row.mos_p10 as number) - 1.225) / 1.225).toBeLessThanOrEqual(0.0105);
    expect(Math.abs((row.mos_p50 as number) - 2.225) / 2.225).toBeLessThanOrEqual(0.0105);
  });

  it('keeps MOS percentiles inside 1..4.5 where the sketch bucket straddles the bounds', () => {
    const streams = [
      ...Array.from({ length: 50 }, () => audio({ caller_building: 'E', mos: 1 })),
      ...Array.from({ length: 50 }, () => audio({ caller_building: 'E', mos: 4.5 })),
    ];
    const row = rows([record({ call_id: 'e', call_start: 0 }, streams)], 'rollup_building').get('E')!;
    expect([row.mos_p1, row.mos_p99]).toEqual([1, 4.5]);
  });
});

describe('findBreaches and the headline targets', () => {
  function result(list: readonly TestRecord[], options: RollupOptions = {}): ReportResult {
    const accumulator = new RollupAccumulator(options);
    accumulator.add(...batches(list));
    const counts = { ...emptyCounts(), read: 1, accepted: 1 };
    const rollups = finalizeRollups(accumulator.toPartial(), options);
    return {
      rollups,
      logRollups: [],
      startedAt: new Date(0),
      elapsedMs: 1,
      jsonBytes: 0,
      bytesRead: 0,
      counts,
      workers: 0,
      rules: { name: 'cqd', description: '' },
      inputs: [],
      outputs: [],
      out: null,
      warnings: [],
      ledgerBytes: 0,
    } as unknown as ReportResult;
  }
  const audioOnly = (name: string, good: number, poor: number, over: Row = {}) =>
    building(name, good, poor, { caller_inside_corp: true, callee_inside_corp: true, ...over });

  it('finds nothing when every figure is at its target and no entity is critical', () => {
    const run = result([audioOnly('A', 98, 2), audioOnly('B', 96, 4), audioOnly('C', 100, 0)]);
    // 6 of 300 = 2% exactly: the inside-corp target is met.
    expect(buildSummary(run).headline.targets).toEqual({
      inside_corp: true,
      meets_targets: true,
      figures: [
        { figure: 'audio_poor_pct', part: 6, whole: 300, value: 2, target: 2, meets: true },
        { figure: 'setup_failure_pct', part: 0, whole: 300, value: 0, target: 0.5, meets: true },
        { figure: 'drop_pct', part: 0, whole: 300, value: 0, target: 2, meets: true },
      ],
    });
    expect(findBreaches(run, ['rollup_building', 'subnet'])).toEqual([]);
  });

  it('names the critical entities worst first, then the headline targets missed by how far', () => {
    const run = result([audioOnly('A', 80, 20), audioOnly('B', 70, 30), audioOnly('C', 40, 10), audioOnly('D', 19, 10), building('E', 100, 0)]);
    const breaches = findBreaches(run, ['building']);
    // D has 10 of 29: insufficient, never critical. B 30%, C 20% (ties A at 20%: more volume first), A 20%.
    expect(breaches.map((b) => [b.kind, b.group?.building ?? null, b.part, b.whole])).toEqual([
      ['critical', 'B', 30, 100],
      ['critical', 'A', 20, 100],
      ['critical', 'C', 10, 50],
      ['target', null, 70, 379],
    ]);
    // E is outside corp, so the headline is judged on the overall target: 70 / 379 = 18.5% > 3%.
    expect(breaches[3]).toMatchObject({ figure: 'audio_poor_pct', target: 3 });
    expect(describeBreach(breaches[0]!)).toBe('rollup_building "B" is critical: 30.0% poor audio streams (30 of 100)');
    expect(describeBreach(breaches[3]!)).toBe('headline 18.5% poor audio streams (70 of 379) misses the CQD target of 3%');
    // A rollup without those groups, or the unattributed (empty) group, is no entity.
    expect(findBreaches(run, ['codec', 'no_such_rollup']).map((b) => b.kind)).toEqual(['target']);
  });

  it('misses the setup-failure target just above it, and ranks the misses by how far they are over', () => {
    const failed = (stage: string) => audio({ failure_stage: stage, failure_reason: 'x' });
    const run = result([
      building('S', 195, 0, {}, [failed('callSetup'), failed('callSetup'), failed('callSetup'), ...Array.from({ length: 7 }, () => failed('midcall'))]),
    ]);
    // 205 streams: setup 3/205 = 1.46%, 0.46 over 1%; drops 7/202 = 3.47%, 0.47 over 3%: the drops first.
    expect(findBreaches(run, []).map((b) => [b.figure, b.part, b.whole, b.target])).toEqual([
      ['drop_pct', 7, 202, 3],
      ['setup_failure_pct', 3, 205, 1],
    ]);
    // 2 of 200 streams = 1%: at the overall target, met; 2 of 199 = 1.005%: missed.
    expect(findBreaches(result([building('S', 198, 0, {}, [failed('callSetup'), failed('callSetup')])]), [])).toEqual([]);
    expect(findBreaches(result([building('S', 197, 0, {}, [failed('callSetup'), failed('callSetup')])]), []).map((b) => [b.figure, b.part, b.whole])).toEqual([
      ['setup_failure_pct', 2, 199],
    ]);
  });

  it('shows the audio MOS low tail and the targets in the terminal summary', () => {
    const text = renderSummaryText(buildSummary(result([audioOnly('A', 96, 4)])));
    expect(text).toContain('audio MOS: p1 ');
    expect(text).toContain('CQD targets (inside corp): poor audio streams 4.0% > 2% MISSED, setup failures 0.0% <= 0.5%, drops 0.0% <= 2%');
  });
});
