import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BUILTIN_RULE_SETS, METRIC_INFO, POOR_REASONS, RULE_METRICS, classifyStream } from '../../src/quality/index.js';
import type { StreamMetrics } from '../../src/quality/index.js';
import { metrics } from './fixtures.js';

/**
 * A metric value: unreported, on a boundary, near one (within 10 %), or anywhere in a realistic
 * range. Built from integers: fc.double favours tiny magnitudes, which would hide every boundary.
 */
function value(max: number, boundaries: number[]): fc.Arbitrary<number | null> {
  return fc.oneof(
    fc.constant(null),
    fc.constantFrom(...boundaries, 0),
    fc.tuple(fc.constantFrom(...boundaries), fc.integer({ min: -100, max: 100 })).map(([b, k]) => b + (b * k) / 1_000),
    fc.integer({ min: 0, max: 1_000_000 }).map((i) => (i / 1_000_000) * max),
  );
}

const streamMetrics: fc.Arbitrary<StreamMetrics> = fc
  .record({
    jitterAvgMs: value(500, [30]),
    rttAvgMs: value(5_000, [500]),
    packetLossAvg: value(1, [0.1]),
    concealedRatioAvg: value(1, [0.07]),
    audioDegradationAvg: value(5, [1]),
    packetUtilization: fc.oneof(fc.constant(null), fc.constantFrom(0, 500, 501), fc.integer({ min: 0, max: 200_000 })),
    videoFrameLossPctAvg: value(100, [50]),
    videoFrameRateAvg: value(60, [2, 7]),
    postFecPacketLoss: value(1, [0.15]),
    audioCodec: fc.constantFrom(null, 'opus', 'satin', 'pcmu'),
  })
  .map((reported) => metrics(reported));

/** The quality metrics (packet utilization is a count, not a quality: it is not "improved"). */
const QUALITY_METRICS = RULE_METRICS.filter((metric) => METRIC_INFO[metric].better !== null);

describe('classifyStream properties', () => {
  it('improving any single metric never makes a stream worse, nor adds a reason', () => {
    fc.assert(
      fc.property(
        streamMetrics,
        fc.constantFrom('audio', 'video', 'vbss'),
        fc.constantFrom(BUILTIN_RULE_SETS.cqd, BUILTIN_RULE_SETS['cqd-classic']),
        fc.constantFrom(...QUALITY_METRICS),
        fc.integer({ min: 1, max: 100 }).map((percent) => percent / 100),
        (before, kind, rules, metric, fraction) => {
          const { field, better } = METRIC_INFO[metric];
          const old = before[field];
          if (typeof old !== 'number') return; // improving an unreported metric is not a thing
          // Lower is better: move toward 0 by a fraction; higher is better: raise by up to 100 %.
          const improved = better === 'lower' ? old * (1 - fraction) : old + Math.max(old, 1) * fraction;
          const after = { ...before, [field]: improved };
          const was = classifyStream(kind, before, rules);
          const now = classifyStream(kind, after, rules);
          if (was.cls === 'unclassified') expect(now).toEqual(was);
          if (was.cls === 'good') expect(now.cls).toBe('good');
          if (was.cls === 'poor') expect(now.cls).not.toBe('unclassified');
          for (const reason of now.reasons) expect(was.reasons).toContain(reason);
        },
      ),
      { numRuns: 3_000, seed: 20_240_603 },
    );
  });

  it('gives poor streams unique reasons in POOR_REASONS order, unclassified one reason, good none', () => {
    fc.assert(
      fc.property(streamMetrics, fc.constantFrom('audio', 'video', 'vbss', 'appsharing', 'data', 'unknown'), fc.boolean(), (m, kind, classic) => {
        const result = classifyStream(kind, m, classic ? BUILTIN_RULE_SETS['cqd-classic'] : BUILTIN_RULE_SETS.cqd);
        if (result.cls === 'good') expect(result.reasons).toEqual([]);
        if (result.cls === 'unclassified') expect(result.reasons).toHaveLength(1);
        if (result.cls === 'poor') {
          const ranks = result.reasons.map((reason) => POOR_REASONS.indexOf(reason as (typeof POOR_REASONS)[number]));
          expect(ranks.every((rank, i) => rank >= 0 && (i === 0 || rank > ranks[i - 1]!))).toBe(true);
        }
      }),
      { numRuns: 2_000, seed: 7 },
    );
  });
});
