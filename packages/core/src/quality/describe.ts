import { gateReason } from './classify.js';
import { METRIC_INFO } from './metrics.js';
import { CLASSIFIED_KINDS } from './types.js';
import type { KindRules, RuleCondition, RuleSet } from './types.js';

/** Left-aligned columns, two spaces apart; trailing spaces trimmed. */
function table(rows: readonly (readonly string[])[], indent: string): string[] {
  const widths: number[] = [];
  for (const row of rows) {
    row.forEach((cell, i) => {
      widths[i] = Math.max(widths[i] ?? 0, cell.length);
    });
  }
  return rows.map((row) => (indent + row.map((cell, i) => cell.padEnd(widths[i]!)).join('  ')).trimEnd());
}

function test(condition: RuleCondition): string {
  return `${condition.comparison} ${condition.value}`;
}

function describeKind(kind: string, rules: KindRules): string[] {
  const { gate } = rules;
  const stepped = rules.mode === 'first_available';
  const lines = [`${kind}:`];
  if (gate !== null) {
    lines.push(`  classified only when ${gate.metric} ${test(gate)}; else (or not reported) unclassified: ${gateReason(gate)}`);
  }
  lines.push(stepped ? '  the first metric reported, in this order, decides alone:' : '  poor when any reported metric crosses its threshold:');
  const header = ['metric', 'unit', 'poor if', 'reason'];
  const rows = rules.thresholds.map((t) => [t.metric, METRIC_INFO[t.metric].unit, test(t), t.reason]);
  const body = stepped ? [['step', ...header], ...rows.map((row, i) => [String(i + 1), ...row])] : [header, ...rows];
  lines.push(...table(body, '    '));
  return lines;
}

/** The rule set as a readable text table for the terminal (ends with a newline). */
export function describeRules(rules: RuleSet): string {
  const lines = [`Rule set: ${rules.name}`];
  if (rules.description !== '') lines.push(rules.description);
  for (const kind of CLASSIFIED_KINDS) lines.push('', ...describeKind(kind, rules[kind]));
  lines.push(
    '',
    'Always unclassified: appsharing (app_sharing), data (data), unknown kind (unknown_kind).',
    "None of a kind's metrics reported: unclassified (no_metrics). Unreported is never read as 0.",
    'Poor lists every threshold crossed; good needs at least one metric reported, all within bounds.',
    '',
    `Health of a rollup group (poor % of classified audio streams): insufficient under ${rules.health.min_classified_audio} classified audio streams;`,
    `  critical at >= ${rules.health.critical_pct}%, degraded at >= ${rules.health.degraded_pct}%, else healthy.`,
  );
  return `${lines.join('\n')}\n`;
}
