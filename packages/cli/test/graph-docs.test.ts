/**
 * validate --fail-on-rejects on the hand-made Graph-docs-shaped documents (datasets/sample/graph-docs):
 * exit 4 when something is neither a callRecord nor a PSTN / Direct Routing row, 6 when nothing is
 * (6 wins over 4: sessions pages without their call too), 0 on calls or log rows only, and on a call
 * with its sessions pages (stitched).
 */
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './helpers.js';

const DOCS = resolve(import.meta.dirname, '../../../datasets/sample/graph-docs');

describe('validate --fail-on-rejects on Graph documentation shapes', () => {
  it.each([
    ['v1-sessions-page-1.json', 6],
    ['v1-participants-page.json', 6],
    ['v1-pstn-calls.json', 0],
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

  it('a record and its sessions pages saved on their own: stitched, nothing rejected, nothing truncated (exit 0)', async () => {
    const files = ['v1-sessions-page-2.json', 'v1-get-expanded.json', 'v1-sessions-page-1.json'].map((f) => resolve(DOCS, f));
    const run = await runCli(['validate', ...files, '--fail-on-rejects', '--workers', '0']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('records: 3 read, 1 accepted, 0 rejected, 1 duplicate, 1 sessions stitched');
    expect(run.stdout).not.toMatch(/truncated sessions/);
  });
});
