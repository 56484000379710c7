// STUB (replaced by the quality-model work): the signatures are the contract.
import type { Classification, EModelScore, StreamKind, StreamMetrics } from './types.js';
export * from './types.js';

/** A rule set as plain data. */
export interface RuleSet {
  readonly name: string;
  readonly [key: string]: unknown;
}

export function resolveRules(spec: string | RuleSet = 'cqd'): RuleSet {
  return typeof spec === 'string' ? { name: spec } : spec;
}

export function streamKind(label: string | null, audioCodec: string | null, videoCodec: string | null): StreamKind {
  if (label === 'main-audio') return 'audio';
  if (label === 'main-video') return 'video';
  if (label === 'applicationsharing-video') return 'vbss';
  if (audioCodec) return 'audio';
  if (videoCodec) return 'video';
  return 'unknown';
}

export function classifyStream(_kind: StreamKind, _metrics: StreamMetrics, _rules: RuleSet): Classification {
  return { cls: 'unclassified', reasons: ['no_metrics'] };
}

export function eModel(_metrics: StreamMetrics): EModelScore | null {
  return null;
}
