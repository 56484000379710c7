import { describe, expect, it } from 'vitest';
import { BUILTIN_RULE_SETS, describeRules, parseRuleSet } from '../../src/quality/index.js';

/** The table row for a threshold: metric, unit, test and reason, separated by column padding. */
function row(...cells: string[]): RegExp {
  return new RegExp(`^ +${cells.map((cell) => cell.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join(' {2,}')}$`, 'm');
}

describe('describeRules', () => {
  it('shows every cqd rule with its unit and reason, and the gate', () => {
    const text = describeRules(BUILTIN_RULE_SETS.cqd);
    expect(text.startsWith('Rule set: cqd\n')).toBe(true);
    expect(text.endsWith('\n')).toBe(true);
    expect(text).toContain('classified only when packet_utilization > 500; else (or not reported) unclassified: low_packet_utilization');
    expect(text).toMatch(row('rtt_avg_ms', 'ms', '> 500', 'rtt'));
    expect(text).toMatch(row('packet_loss_avg', 'fraction 0..1', '> 0.1', 'packet_loss'));
    expect(text).toMatch(row('jitter_avg_ms', 'ms', '> 30', 'jitter'));
    expect(text).toMatch(row('1', 'video_frame_loss_pct_avg', 'percent 0..100', '> 50', 'frame_loss'));
    expect(text).toMatch(row('2', 'video_frame_rate_avg', 'frames/s', '< 7', 'frame_rate'));
    expect(text).toMatch(row('2', 'video_frame_rate_avg', 'frames/s', '< 2', 'frame_rate'));
    expect(text).toMatch(row('3', 'post_fec_packet_loss', 'fraction 0..1', '> 0.15', 'post_fec_loss'));
    expect(text).not.toContain('audio_degradation_avg');
  });

  it('shows the classic five audio metrics and no gate', () => {
    const text = describeRules(BUILTIN_RULE_SETS['cqd-classic']);
    expect(text).toMatch(row('audio_degradation_avg', 'MOS points', '> 1', 'degradation'));
    expect(text).toMatch(row('concealed_ratio_avg', 'fraction 0..1', '> 0.07', 'concealed'));
    expect(text).not.toContain('classified only when');
  });

  it('describes a custom gate on another metric and keeps lines free of trailing spaces', () => {
    const rules = parseRuleSet(
      {
        ...BUILTIN_RULE_SETS.cqd,
        name: 'site',
        description: '',
        audio: { ...BUILTIN_RULE_SETS.cqd.audio, gate: { metric: 'rtt_avg_ms', comparison: '>=', value: 1 } },
      },
      'site.json',
    );
    const text = describeRules(rules);
    expect(text).toContain('classified only when rtt_avg_ms >= 1; else (or not reported) unclassified: gate_not_met');
    expect(text.split('\n')[1]).toBe(''); // no description line
    expect(text.split('\n').filter((line) => line !== line.trimEnd())).toEqual([]);
  });
});
