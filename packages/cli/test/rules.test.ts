import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUILTIN_RULE_SETS, describeRules, parseRuleSet } from '@callaudit/core';
import { runCli } from './helpers.js';
import type { Run } from './helpers.js';

let dir: string;

const run = (...args: string[]): Promise<Run> => runCli(['rules', ...args], { cwd: dir });

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'callaudit-cli-rules-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('callaudit rules', () => {
  it('prints the default rule set (cqd) as a table', async () => {
    const { code, stdout, stderr } = await run();
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(stdout).toBe(describeRules(BUILTIN_RULE_SETS.cqd));
    expect(stdout).toContain('packet_utilization > 500');
  });

  it('prints cqd-classic', async () => {
    const { code, stdout } = await run('--rules', 'cqd-classic');
    expect(code).toBe(0);
    expect(stdout).toBe(describeRules(BUILTIN_RULE_SETS['cqd-classic']));
  });

  it('prints JSON that is itself a valid rule file, and reads it back', async () => {
    const printed = await run('--rules', 'cqd-classic', '--json');
    expect(printed.code).toBe(0);
    expect(parseRuleSet(JSON.parse(printed.stdout), 'stdout')).toEqual(BUILTIN_RULE_SETS['cqd-classic']);
    const edited = JSON.parse(printed.stdout) as { name: string; audio: { thresholds: { value: number }[] } };
    edited.name = 'site-strict';
    edited.audio.thresholds[0]!.value = 300;
    await writeFile(join(dir, 'site.json'), JSON.stringify(edited, null, 2));
    const reread = await run('--rules', 'site.json'); // relative to the working directory
    expect(reread.code).toBe(0);
    expect(reread.stdout.startsWith('Rule set: site-strict\n')).toBe(true);
    expect(reread.stdout).toMatch(/rtt_avg_ms +ms +> 300 +rtt/);
  });

  it('rejects a bad rule file with exit code 3 and one line naming the field', async () => {
    const rules = JSON.parse(JSON.stringify(BUILTIN_RULE_SETS.cqd)) as { video: { thresholds: { comparison: string }[] } };
    rules.video.thresholds[1]!.comparison = '<<';
    const path = join(dir, 'bad.json');
    await writeFile(path, JSON.stringify(rules));
    const { code, stdout, stderr } = await run('--rules', path);
    expect(code).toBe(3);
    expect(stdout).toBe('');
    expect(stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(stderr).toContain(`${path}: video.thresholds[1].comparison:`);
    expect(stderr).toContain('got "<<"');
  });

  it('rejects a missing file and malformed JSON with exit code 3', async () => {
    const missing = await run('--rules', 'cqd-clasic');
    expect(missing.code).toBe(3);
    expect(missing.stderr).toMatch(/^callaudit: .*cqd-clasic: no such rules file\n$/);
    await writeFile(join(dir, 'half.json'), '{"name": "x", "audio": {');
    const half = await run('--rules', 'half.json');
    expect(half.code).toBe(3);
    expect(half.stderr).toMatch(/half\.json: not valid JSON/);
  });

  it('shows help with examples, and exits 2 on an unknown option', async () => {
    const help = await run('--help');
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('--rules <rules>');
    expect(help.stdout).toContain('$ callaudit rules --json > site-rules.json');
    const bad = await run('--jsn');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("unknown option '--jsn'");
  });
});
