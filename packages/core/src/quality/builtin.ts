import { DEFAULT_HEALTH, type KindRules, type RuleSet, type RuleThreshold } from './types.js';

/**
 * Video and VBSS are the same in both built-in sets (reference §3): the first metric reported, in
 * this order, decides alone. Only the frame-rate floor differs (7 fps video, 2 fps screen sharing).
 */
function videoRules(minFrameRate: number): KindRules {
  return {
    mode: 'first_available',
    gate: null,
    thresholds: [
      { metric: 'video_frame_loss_pct_avg', comparison: '>', value: 50, reason: 'frame_loss' },
      { metric: 'video_frame_rate_avg', comparison: '<', value: minFrameRate, reason: 'frame_rate' },
      { metric: 'post_fec_packet_loss', comparison: '>', value: 0.15, reason: 'post_fec_loss' },
    ],
  };
}

/** The three network thresholds both audio rules share (round trip, loss, jitter). */
const NETWORK_AUDIO: readonly RuleThreshold[] = [
  { metric: 'rtt_avg_ms', comparison: '>', value: 500, reason: 'rtt' },
  { metric: 'packet_loss_avg', comparison: '>', value: 0.1, reason: 'packet_loss' },
  { metric: 'jitter_avg_ms', comparison: '>', value: 30, reason: 'jitter' },
];

/** Current CQD ("Stream classification in Call Quality Dashboard"): the default. */
const CQD: RuleSet = {
  name: 'cqd',
  description: 'Microsoft Call Quality Dashboard stream classification, current rules (default)',
  audio: {
    mode: 'any',
    gate: { metric: 'packet_utilization', comparison: '>', value: 500 },
    thresholds: NETWORK_AUDIO,
  },
  video: videoRules(7),
  vbss: videoRules(2),
  health: { ...DEFAULT_HEALTH },
};

/** Older CQD documentation and the Quality Experience Review guide: five audio metrics, no gate. */
const CQD_CLASSIC: RuleSet = {
  name: 'cqd-classic',
  description: 'Microsoft Call Quality Dashboard stream classification, classic five-metric audio rule',
  audio: {
    mode: 'any',
    gate: null,
    thresholds: [
      ...NETWORK_AUDIO,
      { metric: 'audio_degradation_avg', comparison: '>', value: 1.0, reason: 'degradation' },
      { metric: 'concealed_ratio_avg', comparison: '>', value: 0.07, reason: 'concealed' },
    ],
  },
  video: videoRules(7),
  vbss: videoRules(2),
  health: { ...DEFAULT_HEALTH },
};

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

export type BuiltinRuleSetName = 'cqd' | 'cqd-classic';

export const BUILTIN_RULE_SETS: Readonly<Record<BuiltinRuleSetName, RuleSet>> = deepFreeze({
  cqd: CQD,
  'cqd-classic': CQD_CLASSIC,
});

export const DEFAULT_RULE_SET: BuiltinRuleSetName = 'cqd';

export function isBuiltinRuleSetName(name: string): name is BuiltinRuleSetName {
  return Object.hasOwn(BUILTIN_RULE_SETS, name);
}
