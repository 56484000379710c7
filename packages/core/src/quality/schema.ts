import { z } from 'zod';
import { ErrorCode, fail } from '../errors.js';
import { BUILTIN_RULE_SETS, DEFAULT_RULE_SET, isBuiltinRuleSetName } from './builtin.js';
import { COMPARISONS, DEFAULT_HEALTH, POOR_REASONS, RULE_METRICS, RULE_MODES } from './types.js';
import type { RuleSet } from './types.js';

/*
 * The custom rule file format is the built-in rule sets' own shape (`callaudit rules --json` prints
 * one to start from). Objects are strict: a misspelt field is an error, not silently ignored.
 */
const condition = {
  metric: z.enum(RULE_METRICS),
  comparison: z.enum(COMPARISONS),
  value: z.number(), // zod 4 rejects NaN and ±Infinity
};

const kindRules = z.strictObject({
  mode: z.enum(RULE_MODES),
  gate: z.strictObject(condition).nullable().default(null),
  thresholds: z.array(z.strictObject({ ...condition, reason: z.enum(POOR_REASONS) })).min(1),
});

const percent = z.number().min(0).max(100);
const healthRules = z
  .strictObject({
    degraded_pct: percent.default(DEFAULT_HEALTH.degraded_pct),
    critical_pct: percent.default(DEFAULT_HEALTH.critical_pct),
    min_classified_audio: z.number().int().min(0).default(DEFAULT_HEALTH.min_classified_audio),
  })
  .refine((health) => health.degraded_pct <= health.critical_pct, { message: 'degraded_pct must not be above critical_pct' });

const ruleSetSchema = z.strictObject({
  $schema: z.string().optional(),
  name: z.string().trim().min(1).optional(),
  description: z.string().default(''),
  audio: kindRules,
  video: kindRules,
  vbss: kindRules,
  health: healthRules.default({ ...DEFAULT_HEALTH }),
});

/** `audio.thresholds[1].metric` from a zod path. */
function fieldPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) out += typeof key === 'number' ? `[${key}]` : `${out === '' ? '' : '.'}${String(key)}`;
  return out === '' ? '(top level)' : out;
}

function describeIssue(issue: z.core.$ZodIssue, input: unknown): string {
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => `${fieldPath([...issue.path, key])}: unknown field`).join('; ');
  }
  let value: unknown = input;
  for (const key of issue.path) value = typeof value === 'object' && value !== null ? (value as Record<PropertyKey, unknown>)[key] : undefined;
  if (value === undefined) {
    return issue.code === 'invalid_type'
      ? `${fieldPath(issue.path)}: missing (expected ${issue.expected})`
      : `${fieldPath(issue.path)}: ${issue.message} (missing)`;
  }
  const shown = JSON.stringify(value) ?? String(value);
  const got = `got ${shown.length > 60 ? `${shown.slice(0, 57)}...` : shown}`;
  return `${fieldPath(issue.path)}: ${issue.message} (${got})`;
}

/**
 * Validates a custom rule set (parsed JSON) and returns it in canonical form (gate null when absent,
 * description '' when absent, health thresholds defaulting to DEFAULT_HEALTH field by field, name defaulting to `origin`). Throws E_CONFIG naming the wrong field:
 * `rules.json: audio.thresholds[1].metric: Invalid option: expected one of ... (got "rtt")`.
 */
export function parseRuleSet(json: unknown, origin: string): RuleSet {
  const result = ruleSetSchema.safeParse(json);
  if (!result.success) {
    const shown = result.error.issues.slice(0, 3).map((issue) => describeIssue(issue, json));
    const more = result.error.issues.length - shown.length;
    throw fail(ErrorCode.Config, `${origin}: ${shown.join('; ')}${more > 0 ? ` (and ${more} more)` : ''}`);
  }
  const { name, description, audio, video, vbss, health } = result.data;
  return { name: name ?? origin, description, audio, video, vbss, health };
}

/**
 * The active rule set: a built-in name (`cqd`, the default, or `cqd-classic`) or a rule object
 * (re-validated, so one that crossed a thread or came from elsewhere is checked). Rule files are
 * read by loadRuleFile.
 */
export function resolveRules(spec: string | RuleSet = DEFAULT_RULE_SET): RuleSet {
  if (typeof spec !== 'string') return parseRuleSet(spec, `rule set "${String(spec.name)}"`);
  if (isBuiltinRuleSetName(spec)) return BUILTIN_RULE_SETS[spec];
  throw fail(ErrorCode.Config, `unknown rule set "${spec}": expected ${Object.keys(BUILTIN_RULE_SETS).join(' or ')}, or a rules file`);
}
