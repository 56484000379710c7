/**
 * validate --fail-on-rejects on the hand-made Graph-docs-shaped documents (datasets/sample/graph-docs):
 * exit 4 when something is not a callRecord, 6 when nothing is (6 wins over 4), 0 on calls only.
 */
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './helpers.js';

const DOCS = resolve(import.meta.dirname, '../../../datasets/sample/graph-docs');

describe('validate --fail-on-rejects on Graph documentation shapes', () => {
  it.each([
    ['v1-sessions-page-1.json', 6],
    ['v1-participants-page.json', 6],
    ['v1-pstn-calls.json', 0], // kept in pstn_calls: not a reject, not nothing accepted
    ['v1-direct-routing-calls.json', 0],
    ['beta-sms-log.json', 6],
    ['.', 4],
    ['v1-get-expanded.json', 0],
    ['v1-list-page.json', 0],
    ['sdk-export.ndjson', 0],
  ])('%s -> exit %i', async (file, code) => {
    const run = await runCli(['validate', resolve(DOCS, file), '--fail-on-rejects', '--workers', '0']);
    expect(run.code).toBe(code);
    if (code === 4) expect(run.stderr).toMatch(/record\(s\) rejected/);
    if (code === 6) expect(run.stderr).not.toBe('');
    if (file === 'v1-list-page.json') expect(run.stdout).toMatch(/warning: 2 record\(s\) carry no sessions/);
  });
});
