/**
 * Counts that add up, over the committed bad samples and the whole sample: read = accepted +
 * rejected + duplicate + filtered, and rejected = the lines of rejects.jsonl, for every kind of
 * problem (a truncated or empty file included), inline and with a worker.
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runReport } from '../../src/engine/run.js';
import { checkCounts } from '../../src/engine/commit.js';
import { emptyCounts } from '../../src/engine/result.js';
import { ErrorCode, isCallauditError } from '../../src/errors.js';

const SAMPLE = resolve(import.meta.dirname, '../../../../datasets/sample');
const BAD = join(SAMPLE, 'bad');
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'callaudit-counts-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const cases: Array<[string, string[], number]> = [
  ['empty.json', [join(BAD, 'empty.json')], 1],
  ['malformed.ndjson', [join(BAD, 'malformed.ndjson')], 1],
  ['truncated.json', [join(BAD, 'truncated.json')], 1],
  ['wrong-type.json', [join(BAD, 'wrong-type.json')], 1],
  ['not-gzip.json.gz (plain JSON: read by its bytes, not its name)', [join(BAD, 'not-gzip.json.gz')], 0],
  ['the whole sample, bad files included', [SAMPLE], -1],
];

describe.each([0, 1])('counts with %i worker(s)', (workers) => {
  it.each(cases)(
    '%s',
    async (name, inputs, rejectedAtLeast) => {
      const out = join(dir, `${workers}-${name.split(' ')[0]}`);
      const { counts } = await runReport({ inputs, out, workers, formats: ['csv'] });
      const lines = (await readFile(join(out, 'rejects.jsonl'), 'utf8')).split('\n').filter((line) => line !== '');
      expect(counts.read).toBe(
        counts.accepted + counts.pstnCalls + counts.directRoutingCalls + counts.rejected + counts.duplicate + counts.filtered + counts.sessionsStitched,
      );
      expect(counts.rejected).toBe(lines.length);
      if (rejectedAtLeast >= 0) expect(counts.rejected).toBe(rejectedAtLeast);
      // one problem per bad file but not-gzip; graph-docs/: 2 participants, 1 SMS row (2 PSTN and 1 Direct Routing
      // row kept in their tables; its 2 saved sessions are stitched into their call: one new, one its record held already)
      else expect(counts.rejected).toBe((await readdir(BAD)).length - 1 + 3);
      if (rejectedAtLeast < 0) expect(counts).toMatchObject({ pstnCalls: 2, directRoutingCalls: 1, sessionsStitched: 1 });
      if (name.startsWith('truncated')) expect(counts.truncatedFiles).toBe(1);
    },
    60_000,
  );
});

describe('checkCounts', () => {
  const ok = { ...emptyCounts(), read: 5, accepted: 2, rejected: 1, duplicate: 1, filtered: 1 };
  it('passes counts that add up', () => {
    expect(() => checkCounts(ok, 1)).not.toThrow();
  });
  it('counts log rows kept in their tables as read', () => {
    expect(() => checkCounts({ ...ok, read: 8, pstnCalls: 2, directRoutingCalls: 1 }, 1)).not.toThrow();
  });
  it.each([
    ['a record read but not accounted for', { ...ok, read: 6 }, 1],
    ['a reject line not counted', ok, 2],
    ['a rejected record without a line', { ...ok, read: 6, rejected: 2 }, 1],
    ['a log row counted twice', { ...ok, pstnCalls: 1 }, 1],
    ['a Direct Routing row read but not counted', { ...ok, read: 6 }, 1],
  ])('is an internal error for %s', (_, counts, lines) => {
    let error: unknown = null;
    try {
      checkCounts(counts, lines);
    } catch (e) {
      error = e;
    }
    expect(isCallauditError(error) && error.code).toBe(ErrorCode.Internal);
    expect((error as Error).message).toMatch(/^a bug in callaudit .*counts do not add up/);
  });
});
