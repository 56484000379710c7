import { holds, metricValue } from './metrics.js';
import { POOR_REASONS } from './types.js';
import type { Classification, KindRules, PoorReason, RuleCondition, RuleSet, StreamKind, StreamMetrics, UnclassifiedReason } from './types.js';

function unclassified(reason: UnclassifiedReason): Classification {
  return Object.freeze({ cls: 'unclassified', reasons: Object.freeze([reason]) });
}

/* Shared results: classification runs once per stream, millions of times; these never change. */
const UNCLASSIFIED: Readonly<Record<UnclassifiedReason, Classification>> = {
  no_metrics: unclassified('no_metrics'),
  low_packet_utilization: unclassified('low_packet_utilization'),
  app_sharing: unclassified('app_sharing'),
  data: unclassified('data'),
  unknown_kind: unclassified('unknown_kind'),
  gate_not_met: unclassified('gate_not_met'),
};
const GOOD: Classification = Object.freeze({ cls: 'good', reasons: Object.freeze([]) });
const REASON_RANK = new Map<string, number>(POOR_REASONS.map((reason, rank) => [reason, rank]));

function poor(reasons: PoorReason[]): Classification {
  const ordered = [...new Set(reasons)].sort((a, b) => REASON_RANK.get(a)! - REASON_RANK.get(b)!);
  return { cls: 'poor', reasons: ordered };
}

/** Why a stream that misses a gate is unclassified. */
export function gateReason(gate: RuleCondition): 'low_packet_utilization' | 'gate_not_met' {
  return gate.metric === 'packet_utilization' ? 'low_packet_utilization' : 'gate_not_met';
}

function classifyKind(rules: KindRules, metrics: StreamMetrics): Classification {
  const { thresholds } = rules;
  // 1. Nothing the rule reads was reported (no QoE report, a very short or muted stream).
  if (!thresholds.some((threshold) => metricValue(metrics, threshold.metric) !== null)) return UNCLASSIFIED.no_metrics;
  // 2. The gate: a gate metric that is not reported does not meet it (as in CQD).
  if (rules.gate !== null && !holds(metrics, rules.gate)) {
    return UNCLASSIFIED[gateReason(rules.gate)];
  }
  // 3a. First available: the first threshold whose metric is reported decides, on that metric alone.
  if (rules.mode === 'first_available') {
    const decider = thresholds.find((threshold) => metricValue(metrics, threshold.metric) !== null)!;
    return holds(metrics, decider) ? poor([decider.reason]) : GOOD;
  }
  // 3b. Any: every reported metric is tested; each threshold crossed is a reason.
  const crossed: PoorReason[] = [];
  for (const threshold of thresholds) if (holds(metrics, threshold)) crossed.push(threshold.reason);
  return crossed.length === 0 ? GOOD : poor(crossed);
}

/**
 * Classifies one stream good, poor or unclassified under a rule set (reference §3).
 *
 * - appsharing, data and unknown kinds: unclassified (`app_sharing`, `data`, `unknown_kind`).
 * - none of the kind's threshold metrics reported: unclassified `no_metrics` (checked before the
 *   gate: a stream with no quality report says nothing about its packet count either).
 * - a gate not met, its metric missing included: unclassified `low_packet_utilization`
 *   (`gate_not_met` for a custom gate on another metric).
 * - otherwise the reported metrics decide; missing ones are skipped, never read as 0. A stream with
 *   only some metrics reported, all within bounds, is good (CQD classifies on the metrics available).
 * - poor lists every threshold crossed, once each, in POOR_REASONS order; good lists none.
 *
 * The result may be a shared frozen object: do not mutate it.
 */
export function classifyStream(kind: StreamKind, metrics: StreamMetrics, rules: RuleSet): Classification {
  switch (kind) {
    case 'audio':
    case 'video':
    case 'vbss':
      return classifyKind(rules[kind], metrics);
    case 'appsharing':
      return UNCLASSIFIED.app_sharing;
    case 'data':
      return UNCLASSIFIED.data;
    default:
      return UNCLASSIFIED.unknown_kind;
  }
}
