/**
 * The exit code of a finished run, for every combination of its outcomes (nothing accepted, a
 * quality breach, rejects with --fail-on-rejects), and the README's exit code table saying the same.
 */
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { ExitCode, OUTCOME_PRECEDENCE, outcomeExitCode } from '../src/exit-codes.js';
import type { RunOutcome } from '../src/exit-codes.js';

const ALL: RunOutcome[] = [false, true].flatMap((nothingAccepted) =>
  [false, true].flatMap((breach) => [false, true].map((rejects) => ({ nothingAccepted, breach, rejects }))),
);

describe('outcomeExitCode', () => {
  it.each(ALL.map((o) => [JSON.stringify(o), o] as const))('%s', (_, outcome) => {
    // written out case by case, not derived from the table under test
    const expected = outcome.nothingAccepted ? 6 : outcome.breach ? 7 : outcome.rejects ? 4 : 0;
    expect(outcomeExitCode(outcome)).toBe(expected);
  });

  it('covers every outcome, each with its own code', () => {
    expect(OUTCOME_PRECEDENCE.map(([name]) => name).sort()).toEqual(Object.keys(ALL[0]!).sort());
    expect(new Set(OUTCOME_PRECEDENCE.map(([, code]) => code)).size).toBe(OUTCOME_PRECEDENCE.length);
  });
});

describe("the README's exit code table", () => {
  it('lists each code and states the precedence the code applies', async () => {
    const readme = await readFile(new URL('../../../README.md', import.meta.url), 'utf8');
    const table = readme.slice(readme.indexOf('### Exit codes'), readme.indexOf('\n\n', readme.indexOf('| code | meaning |')));
    const rows = new Map([...table.matchAll(/^\| (\d+) \| (.*) \|$/gm)].map((m) => [Number(m[1]), m[2]!]));
    for (const code of Object.values(ExitCode)) expect(rows.has(code), `code ${code} in the README`).toBe(true);
    // every "A wins over B" the table states, A before B in the precedence
    const order = OUTCOME_PRECEDENCE.map(([, code]) => code as number);
    const stated = [...table.matchAll(/(\d+) (?:wins )?over (\d+)/g)].map((m) => [Number(m[1]), Number(m[2])] as const);
    const pairs = order.flatMap((a, i) => order.slice(i + 1).map((b) => [a, b] as const));
    for (const [a, b] of pairs) expect(stated, `the README says ${a} wins over ${b}`).toContainEqual([a, b]);
    for (const [a, b] of stated) expect(order.indexOf(a), `${a} over ${b}`).toBeLessThan(order.indexOf(b));
  });
});
