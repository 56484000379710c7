import { describe, expect, it } from 'vitest';
import { BUILTIN_RULE_SETS, classifyStream, parseRuleSet } from '../../src/quality/index.js';
import type { RuleSet, StreamKind, StreamMetrics } from '../../src/quality/index.js';
import { HEALTHY_AUDIO, metrics, nextDown, nextUp } from './fixtures.js';

const CQD = BUILTIN_RULE_SETS.cqd;
const CLASSIC = BUILTIN_RULE_SETS['cqd-classic'];
/** Audio under `cqd` needs more than 500 packets before anything else counts. */
const GATED = { packetUtilization: 501 };

function classify(kind: StreamKind, reported: Partial<StreamMetrics>, rules: RuleSet = CQD) {
  return classifyStream(kind, metrics(reported), rules);
}

/*
 * Every threshold, written out by hand from reference §3 (not read back from the rule sets):
 * [rule set, kind, field, boundary, poor above (>) or below (<), reason, other fields needed].
 */
type Case = [RuleSet, StreamKind, keyof StreamMetrics, number, '>' | '<', string, Partial<StreamMetrics>];
const THRESHOLDS: Case[] = [
  [CQD, 'audio', 'rttAvgMs', 500, '>', 'rtt', GATED],
  [CQD, 'audio', 'packetLossAvg', 0.1, '>', 'packet_loss', GATED],
  [CQD, 'audio', 'jitterAvgMs', 30, '>', 'jitter', GATED],
  [CLASSIC, 'audio', 'rttAvgMs', 500, '>', 'rtt', {}],
  [CLASSIC, 'audio', 'packetLossAvg', 0.1, '>', 'packet_loss', {}],
  [CLASSIC, 'audio', 'jitterAvgMs', 30, '>', 'jitter', {}],
  [CLASSIC, 'audio', 'audioDegradationAvg', 1.0, '>', 'degradation', {}],
  [CLASSIC, 'audio', 'concealedRatioAvg', 0.07, '>', 'concealed', {}],
  ...[CQD, CLASSIC].flatMap((rules): Case[] => [
    [rules, 'video', 'videoFrameLossPctAvg', 50, '>', 'frame_loss', {}],
    [rules, 'video', 'videoFrameRateAvg', 7, '<', 'frame_rate', {}],
    [rules, 'video', 'postFecPacketLoss', 0.15, '>', 'post_fec_loss', {}],
    [rules, 'vbss', 'videoFrameLossPctAvg', 50, '>', 'frame_loss', {}],
    [rules, 'vbss', 'videoFrameRateAvg', 2, '<', 'frame_rate', {}],
    [rules, 'vbss', 'postFecPacketLoss', 0.15, '>', 'post_fec_loss', {}],
  ]),
];

describe('classifyStream: each threshold at, just below and just above its boundary', () => {
  it.each(THRESHOLDS)('%#: %s %s %s boundary %d (poor if %s)', (rules, kind, field, boundary, side, reason, extra) => {
    const at = classify(kind, { ...extra, [field]: boundary }, rules);
    const below = classify(kind, { ...extra, [field]: nextDown(boundary) }, rules);
    const above = classify(kind, { ...extra, [field]: nextUp(boundary) }, rules);
    const poor = { cls: 'poor', reasons: [reason] };
    const good = { cls: 'good', reasons: [] };
    // Boundaries are strict: the boundary value itself is always good.
    expect(at).toEqual(good);
    expect(side === '>' ? above : below).toEqual(poor);
    expect(side === '>' ? below : above).toEqual(good);
  });

  it('uses the documented units: rtt and jitter in ms, loss as a fraction, frame loss in percent', () => {
    expect(classify('audio', { ...GATED, rttAvgMs: 0.6 })).toEqual({ cls: 'good', reasons: [] }); // 0.6 ms, not 0.6 s
    expect(classify('audio', { ...GATED, packetLossAvg: 0.11 }).cls).toBe('poor'); // 11 %
    expect(classify('audio', { ...GATED, packetLossAvg: 0.09 }).cls).toBe('good');
    expect(classify('video', { videoFrameLossPctAvg: 0.9 }).cls).toBe('good'); // 0.9 %, not 90 %
  });
});

describe('classifyStream: the cqd packet-utilization gate', () => {
  const bad = { rttAvgMs: 900, packetLossAvg: 0.3, jitterAvgMs: 80 };
  it('classifies only above 500 packets', () => {
    expect(classify('audio', { ...bad, packetUtilization: 501 })).toEqual({ cls: 'poor', reasons: ['rtt', 'packet_loss', 'jitter'] });
    expect(classify('audio', { ...bad, packetUtilization: 500 })).toEqual({ cls: 'unclassified', reasons: ['low_packet_utilization'] });
    expect(classify('audio', { ...bad, packetUtilization: 0 })).toEqual({ cls: 'unclassified', reasons: ['low_packet_utilization'] });
  });
  it('treats a missing packet count as not meeting the gate, good metrics or bad', () => {
    expect(classify('audio', { ...bad, packetUtilization: null }).reasons).toEqual(['low_packet_utilization']);
    expect(classify('audio', { jitterAvgMs: 3, packetUtilization: null }).reasons).toEqual(['low_packet_utilization']);
  });
  it('does not gate cqd-classic', () => {
    expect(classify('audio', { ...bad, packetUtilization: 12 }, CLASSIC)).toEqual({ cls: 'poor', reasons: ['rtt', 'packet_loss', 'jitter'] });
  });
  it('does not gate video under cqd', () => {
    expect(classify('video', { videoFrameRateAvg: 3, packetUtilization: 4 })).toEqual({ cls: 'poor', reasons: ['frame_rate'] });
  });
});

describe('classifyStream: null, 0 and absent', () => {
  it('reads 0 as a reported value', () => {
    expect(classify('audio', { ...GATED, jitterAvgMs: 0 })).toEqual({ cls: 'good', reasons: [] });
    expect(classify('video', { videoFrameRateAvg: 0 })).toEqual({ cls: 'poor', reasons: ['frame_rate'] });
    expect(classify('video', { videoFrameLossPctAvg: 0, videoFrameRateAvg: 1 })).toEqual({ cls: 'good', reasons: [] });
  });
  it('reads null as not reported, never as 0', () => {
    expect(classify('audio', { ...GATED })).toEqual({ cls: 'unclassified', reasons: ['no_metrics'] });
    expect(classify('video', { videoFrameRateAvg: null })).toEqual({ cls: 'unclassified', reasons: ['no_metrics'] });
    expect(classify('video', { videoFrameLossPctAvg: null, videoFrameRateAvg: 1 })).toEqual({ cls: 'poor', reasons: ['frame_rate'] });
  });
  it('reads an absent field (a caller that left it out) like null', () => {
    const absent = { packetUtilization: 800, jitterAvgMs: 45 } as unknown as StreamMetrics;
    expect(classifyStream('audio', absent, CQD)).toEqual({ cls: 'poor', reasons: ['jitter'] });
    expect(classifyStream('video', {} as StreamMetrics, CQD)).toEqual({ cls: 'unclassified', reasons: ['no_metrics'] });
    expect(classifyStream('audio', { jitterAvgMs: 45 } as unknown as StreamMetrics, CQD).reasons).toEqual(['low_packet_utilization']);
  });
  it('reads NaN as not reported', () => {
    expect(classify('audio', { ...GATED, jitterAvgMs: Number.NaN })).toEqual({ cls: 'unclassified', reasons: ['no_metrics'] });
    expect(classify('audio', { packetUtilization: Number.NaN, jitterAvgMs: 50 }).reasons).toEqual(['low_packet_utilization']);
  });
  it('is good on the metrics reported when others are missing (CQD classifies on the metrics available)', () => {
    expect(classify('audio', { ...GATED, jitterAvgMs: 12 })).toEqual({ cls: 'good', reasons: [] });
    expect(classify('audio', { ...GATED, jitterAvgMs: 12, rttAvgMs: 700 })).toEqual({ cls: 'poor', reasons: ['rtt'] });
    // Classic: only the concealed ratio reported.
    expect(classify('audio', { concealedRatioAvg: 0.2 }, CLASSIC)).toEqual({ cls: 'poor', reasons: ['concealed'] });
  });
  it('ignores metrics the rule set does not read', () => {
    // cqd reads neither degradation nor concealment: these alone are no metrics at all.
    expect(classify('audio', { ...GATED, audioDegradationAvg: 4, concealedRatioAvg: 0.9 })).toEqual({ cls: 'unclassified', reasons: ['no_metrics'] });
    // Audio metrics on a video stream decide nothing.
    expect(classify('video', { jitterAvgMs: 400, packetLossAvg: 0.5 })).toEqual({ cls: 'unclassified', reasons: ['no_metrics'] });
  });
});

describe('classifyStream: the video steps, in order', () => {
  it('lets frame loss decide alone when it is reported', () => {
    expect(classify('video', { videoFrameLossPctAvg: 10, videoFrameRateAvg: 1, postFecPacketLoss: 0.9 })).toEqual({ cls: 'good', reasons: [] });
    expect(classify('video', { videoFrameLossPctAvg: 60, videoFrameRateAvg: 1, postFecPacketLoss: 0.9 })).toEqual({ cls: 'poor', reasons: ['frame_loss'] });
  });
  it('falls to frame rate, then post-FEC loss', () => {
    expect(classify('video', { videoFrameRateAvg: 30, postFecPacketLoss: 0.9 })).toEqual({ cls: 'good', reasons: [] });
    expect(classify('video', { videoFrameRateAvg: 6, postFecPacketLoss: 0 })).toEqual({ cls: 'poor', reasons: ['frame_rate'] });
    expect(classify('video', { postFecPacketLoss: 0.2 })).toEqual({ cls: 'poor', reasons: ['post_fec_loss'] });
    expect(classify('video', { postFecPacketLoss: 0.01 })).toEqual({ cls: 'good', reasons: [] });
  });
  it('uses the VBSS frame-rate floor (2 fps) for screen sharing', () => {
    expect(classify('video', { videoFrameRateAvg: 5 })).toEqual({ cls: 'poor', reasons: ['frame_rate'] });
    expect(classify('vbss', { videoFrameRateAvg: 5 })).toEqual({ cls: 'good', reasons: [] });
    expect(classify('vbss', { videoFrameRateAvg: 1.5 })).toEqual({ cls: 'poor', reasons: ['frame_rate'] });
  });
});

describe('classifyStream: every unclassified cause', () => {
  it.each([
    ['appsharing', 'app_sharing'],
    ['data', 'data'],
    ['unknown', 'unknown_kind'],
  ] as const)('%s streams are unclassified (%s) whatever their metrics', (kind, reason) => {
    const worst = { ...GATED, rttAvgMs: 9_000, packetLossAvg: 1, jitterAvgMs: 900, videoFrameRateAvg: 0 };
    expect(classify(kind, worst)).toEqual({ cls: 'unclassified', reasons: [reason] });
    expect(classify(kind, worst, CLASSIC)).toEqual({ cls: 'unclassified', reasons: [reason] });
  });
  it.each(['audio', 'video', 'vbss'] as const)('%s with no rule metric is no_metrics under both sets', (kind) => {
    expect(classify(kind, {})).toEqual({ cls: 'unclassified', reasons: ['no_metrics'] });
    expect(classify(kind, {}, CLASSIC)).toEqual({ cls: 'unclassified', reasons: ['no_metrics'] });
  });
  it('says no_metrics, not low_packet_utilization, when nothing at all was reported', () => {
    expect(classify('audio', { packetUtilization: 40 })).toEqual({ cls: 'unclassified', reasons: ['no_metrics'] });
  });
  it('says gate_not_met for a custom gate on another metric', () => {
    const rules = parseRuleSet(
      { ...CLASSIC, name: 'rtt-gated', video: { ...CLASSIC.video, gate: { metric: 'video_frame_rate_avg', comparison: '>=', value: 1 } } },
      'test',
    );
    expect(classify('video', { videoFrameRateAvg: 0.5 }, rules)).toEqual({ cls: 'unclassified', reasons: ['gate_not_met'] });
    expect(classify('video', { videoFrameRateAvg: 1 }, rules)).toEqual({ cls: 'poor', reasons: ['frame_rate'] });
  });
});

describe('classifyStream: reasons', () => {
  it('lists every threshold crossed, in POOR_REASONS order', () => {
    const worst = { rttAvgMs: 501, packetLossAvg: 0.11, jitterAvgMs: 31, audioDegradationAvg: 1.1, concealedRatioAvg: 0.08, packetUtilization: 5_000 };
    expect(classify('audio', worst, CLASSIC).reasons).toEqual(['rtt', 'packet_loss', 'jitter', 'degradation', 'concealed']);
    expect(classify('audio', worst, CQD).reasons).toEqual(['rtt', 'packet_loss', 'jitter']);
    expect(classify('audio', { jitterAvgMs: 31, concealedRatioAvg: 0.08 }, CLASSIC).reasons).toEqual(['jitter', 'concealed']);
  });
  it('orders and de-duplicates reasons whatever the order of a custom rule file', () => {
    const rules = parseRuleSet(
      {
        ...CLASSIC,
        audio: {
          mode: 'any',
          thresholds: [
            { metric: 'concealed_ratio_avg', comparison: '>=', value: 0.05, reason: 'concealed' },
            { metric: 'jitter_avg_ms', comparison: '>', value: 20, reason: 'jitter' },
            { metric: 'rtt_avg_ms', comparison: '>', value: 300, reason: 'rtt' },
            { metric: 'rtt_avg_ms', comparison: '>', value: 200, reason: 'rtt' },
          ],
        },
      },
      'custom',
    );
    expect(classify('audio', { concealedRatioAvg: 0.05, jitterAvgMs: 25, rttAvgMs: 400 }, rules).reasons).toEqual(['rtt', 'jitter', 'concealed']);
    expect(classify('audio', { concealedRatioAvg: 0.049, jitterAvgMs: 20, rttAvgMs: 250 }, rules).reasons).toEqual(['rtt']);
  });
  it('honours >= and <= in custom rules', () => {
    const rules = parseRuleSet(
      { ...CQD, vbss: { mode: 'first_available', thresholds: [{ metric: 'video_frame_rate_avg', comparison: '<=', value: 2, reason: 'frame_rate' }] } },
      'custom',
    );
    expect(classify('vbss', { videoFrameRateAvg: 2 }, rules).cls).toBe('poor');
    expect(classify('vbss', { videoFrameRateAvg: nextUp(2) }, rules).cls).toBe('good');
  });
});

describe('classifyStream: both rule sets on the same input', () => {
  it.each([
    // [what, metrics, cqd, cqd-classic]
    ['a healthy call', HEALTHY_AUDIO, ['good'], ['good']],
    [
      'a short call with a bad network',
      { packetUtilization: 300, jitterAvgMs: 40, rttAvgMs: 90 },
      ['unclassified', 'low_packet_utilization'],
      ['poor', 'jitter'],
    ],
    ['fine network, degraded audio', { ...HEALTHY_AUDIO, audioDegradationAvg: 1.6, concealedRatioAvg: 0.12 }, ['good'], ['poor', 'degradation', 'concealed']],
    ['bad network, concealed ok', { ...HEALTHY_AUDIO, rttAvgMs: 640, packetLossAvg: 0.14 }, ['poor', 'rtt', 'packet_loss'], ['poor', 'rtt', 'packet_loss']],
    ['only classic metrics reported', { packetUtilization: 2_000, audioDegradationAvg: 0.2 }, ['unclassified', 'no_metrics'], ['good']],
  ] as const)('%s', (_what, reported, cqd, classic) => {
    const [cqdClass, ...cqdReasons] = cqd;
    const [classicClass, ...classicReasons] = classic;
    expect(classify('audio', reported, CQD)).toEqual({ cls: cqdClass, reasons: cqdReasons });
    expect(classify('audio', reported, CLASSIC)).toEqual({ cls: classicClass, reasons: classicReasons });
  });
});
