/** report --fail-on-breach in a real process: exit 7, one line naming the worst entity and figure, the report still written. */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUILTIN_RULE_SETS } from '@callaudit/core';
import { runCliProcess } from './child.js';
import { readCsv, runCli } from './helpers.js';

const SAMPLE = resolve(import.meta.dirname, '../../../datasets/sample');
const BUILDINGS = resolve(import.meta.dirname, '../../../datasets/sites/buildings.csv');

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'callaudit-cli-breach-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const base = (out: string) => ['report', SAMPLE, '--out', join(dir, out), '--format', 'csv', '--workers', '0', '--quiet', '--buildings', BUILDINGS];

describe('report --fail-on-breach', () => {
  it('exits 7 naming the headline figure when no entity is critical; the report is written', async () => {
    // The sample: 25 of 196 classified audio streams poor (12.8% > 3%; graph-docs/ call A's sessions page 2,
    // stitched into it, brings 2 of them), and its setup failures over 1%;
    // no building reaches 30 classified audio streams, so none is critical under the default rules.
    const run = await runCliProcess([...base('headline'), '--fail-on-breach'], { cwd: dir });
    expect(run.code, run.stderr).toBe(7);
    expect(run.stderr).toBe('callaudit: quality breach: headline 12.8% poor audio streams (25 of 196) misses the CQD target of 3% (and 1 more breach)\n');
    const buildings = await readCsv(join(dir, 'headline', 'rollup_building.csv'));
    expect(new Set(buildings.map((b) => b.health))).toEqual(new Set(['insufficient', 'degraded']));
  });

  it('names the worst critical building first, with the rule file health block; 7 wins over 4', async () => {
    // SEA-B40: 5 poor of 23 classified audio streams = 21.7% (with call A's stitched session), the worst;
    // SYD-BARANGAROO: 2 poor of 10 = 20% >= 15%, critical too, with the minimum lowered to 10.
    const rules = join(dir, 'strict.json');
    await writeFile(rules, JSON.stringify({ ...BUILTIN_RULE_SETS.cqd, name: 'strict', health: { critical_pct: 15, min_classified_audio: 10 } }));
    const run = await runCliProcess([...base('critical'), '--rules', rules, '--fail-on-breach=building', '--fail-on-rejects'], { cwd: dir });
    expect(run.code, run.stderr).toBe(7);
    const lines = run.stderr.trimEnd().split('\n');
    expect(lines[0]).toBe(
      'callaudit: quality breach: rollup_building "SEA-B40 / Seattle / US / NA" is critical: 21.7% poor audio streams (5 of 23) (and 4 more breaches)',
    );
    expect(lines[1]).toMatch(/^callaudit: \d+ record\(s\) rejected; see .*rejects\.jsonl$/);
    const syd = (await readCsv(join(dir, 'critical', 'rollup_building.csv'))).find((b) => b.building === 'SYD-BARANGAROO')!;
    expect([syd.audio_classified, syd.audio_poor, syd.health]).toEqual(['10', '2', 'critical']);
  });

  it('without the option exits 0 with the same data', async () => {
    const run = await runCli(base('plain'));
    expect(run.code, run.stderr).toBe(0);
  });

  it('refuses an unknown rollup before reading anything (exit 2), and is in the help', async () => {
    const run = await runCli([...base('unknown'), '--fail-on-breach=buildings']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("--fail-on-breach: unknown rollup 'buildings'");
    const help = await runCli(['report', '--help']);
    expect(help.stdout).toContain('--fail-on-breach [rollups]');
    expect((await runCli(['--help'])).stdout).toContain('7 quality breach');
    await expect(readFile(join(dir, 'unknown', 'summary.json'))).rejects.toThrow();
  });
});
