/**
 * The quality model: stream kinds, CQD classification under a rule set (rules are plain data),
 * E-model scores. Pure: rule files are read by config/rules-file.ts. See README.md in this folder.
 */
export * from './types.js';
export type { BuiltinRuleSetName } from './builtin.js';
export { BUILTIN_RULE_SETS, DEFAULT_RULE_SET, isBuiltinRuleSetName } from './builtin.js';
export { METRIC_INFO } from './metrics.js';
export type { MetricInfo } from './metrics.js';
export { parseRuleSet, resolveRules } from './schema.js';
export { streamKind } from './kind.js';
export { classifyStream } from './classify.js';
export { eModel, missingEModelInputs, mosFromR, E_MODEL_REQUIRED } from './emodel.js';
export type { EModelInput } from './emodel.js';
export { describeRules } from './describe.js';
export {
  ATTRIBUTION_RULES,
  attributePoorStream,
  CPU_INSUFFICIENT_RATIO,
  DEVICE_NOT_FUNCTIONING_RATIO,
  NETWORK_EVENT_RATIO,
  POOR_CAUSES,
} from './attribution.js';
export type { Attribution, PoorCause, SideFacts } from './attribution.js';
