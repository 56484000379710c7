/**
 * `callaudit rules`: prints the active classification rules, as a table or as JSON. The JSON is the
 * custom rule file format, so `callaudit rules --json > site-rules.json` starts a custom rule set.
 */
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { describeRules, isBuiltinRuleSetName, loadRuleFile, resolveRules } from '@callaudit/core';
import type { RuleSet } from '@callaudit/core';
import type { Io } from '../io.js';

const EXAMPLES = `
Examples:
  $ callaudit rules                            # the default rule set (cqd), as a table
  $ callaudit rules --rules cqd-classic        # the classic five-metric audio rule
  $ callaudit rules --json > site-rules.json   # a starting point for a custom rule file
  $ callaudit rules --rules site-rules.json    # check a custom rule file and show it

A custom rule file is JSON in the --json shape; an invalid one is reported with the field at fault
(exit code 3).`;

interface RulesFlags {
  rules: string;
  json?: boolean;
}

async function activeRules(spec: string, cwd: string): Promise<RuleSet> {
  return isBuiltinRuleSetName(spec) ? resolveRules(spec) : loadRuleFile(resolve(cwd, spec));
}

export function registerRulesCommand(program: Command, io: Io): void {
  program
    .command('rules')
    .description('Show the stream classification rules in force (CQD thresholds, gate, video steps).')
    .option('--rules <rules>', 'rule set: cqd, cqd-classic, or a JSON rule file', 'cqd')
    .option('--json', 'print the rule set as JSON (the custom rule file format)')
    .addHelpText('after', EXAMPLES)
    .action(async (flags: RulesFlags) => {
      const rules = await activeRules(flags.rules, io.cwd);
      io.stdout.write(flags.json === true ? `${JSON.stringify(rules, null, 2)}\n` : describeRules(rules));
    });
}
