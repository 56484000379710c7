/**
 * A batch whose worker dies is retried once; a second death lists its records as rejects, nothing
 * lost. A task that threw (a CallauditError by then) is not retried.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { settle } from '../../src/engine/settle.js';
import { ErrorCode, fail, isCallauditError } from '../../src/errors.js';
import type { Executor } from '../../src/engine/pool.js';
import type { BatchResult, BatchTask } from '../../src/engine/protocol.js';
import { mergePacked, packPartial, RollupAccumulator, validateRollupOptions } from '../../src/rollup/index.js';

const task: BatchTask = {
  kind: 'records',
  seq: 3,
  buffer: new Uint8Array(10),
  records: [
    { ordinal: 7, file: 'a.json', offset: 0, index: 0, start: 0, end: 5, context: null },
    { ordinal: 8, file: 'a.json', offset: 120, index: 1, start: 5, end: 10, context: null },
  ],
  sign: 1,
};

const good: BatchResult = {
  seq: 3,
  streamsCsv: new TextEncoder().encode('x\r\n'),
  callsCsv: new Uint8Array(0),
  streamsIpc: null,
  logTables: [],
  callsIpc: null,
  outcomes: [],
  partial: packPartial(new RollupAccumulator({ groupBy: [] }).toPartial()),
  framing: null,
};

function executor(...answers: Array<BatchResult | Error>): Executor & { calls: number } {
  const e = {
    workers: 1,
    calls: 0,
    runBatch: async (): Promise<BatchResult> => {
      const answer = answers[e.calls++];
      if (answer instanceof Error) throw answer;
      return answer!;
    },
    runPart: async () => 0,
    close: async () => {},
  };
  return e;
}

describe('settle', () => {
  it('returns the first result when the worker succeeds', async () => {
    const e = executor();
    expect(await settle(e, task, Promise.resolve(good))).toBe(good);
    expect(e.calls).toBe(0);
  });

  it('does not retry a task that threw (a bug, a write error) or was interrupted: the run stops with that error', async () => {
    for (const code of [ErrorCode.Internal, ErrorCode.Output, ErrorCode.Interrupted]) {
      const e = executor(good);
      const error = await settle(e, task, Promise.reject(fail(code, 'stop'))).then(
        () => null,
        (x: unknown) => x,
      );
      expect(isCallauditError(error) && error.code).toBe(code);
      expect(e.calls).toBe(0);
    }
  });

  it('retries once after a failure and keeps the retry`s result', async () => {
    const e = executor(good);
    expect(await settle(e, task, Promise.reject(new Error('worker exited')))).toBe(good);
    expect(e.calls).toBe(1);
  });

  it('turns every record of a batch that fails twice into a worker_failed reject with its provenance', async () => {
    const e = executor(new Error('out of memory'));
    const result = await settle(e, task, Promise.reject(new Error('worker exited')));
    expect(e.calls).toBe(1);
    expect(result.streamsCsv.byteLength).toBe(0);
    expect(result.outcomes.map((o) => o.reject)).toEqual([
      expect.objectContaining({ file: 'a.json', offset: 0, index: 0, kind: 'worker_failed' }),
      expect.objectContaining({ file: 'a.json', offset: 120, index: 1, kind: 'worker_failed' }),
    ]);
    expect(result.outcomes[0]!.reject!.reason).toContain('out of memory');
    expect(result.outcomes.map((o) => [o.ordinal, o.accepted])).toEqual([
      [7, false],
      [8, false],
    ]);
    // Its empty partial merges into a run with other options as a no-op.
    const total = new RollupAccumulator(validateRollupOptions({ groupBy: [['audio_codec']], tz: 'Europe/Helsinki' })).toPartial();
    expect(() => mergePacked(total, result.partial)).not.toThrow();
  });

  it('lists the records of a range task that fails twice one by one, framing the range itself', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'callaudit-settle-'));
    try {
      const path = join(dir, 'r.ndjson');
      const lines = ['{"id":"a"}', '{"id":"b","n":[1,2]}', 'oops', '{"id":"c"}'];
      writeFileSync(path, `${lines.join('\n')}\n`);
      const range = { kind: 'range' as const, seq: 1, path, file: 'r.ndjson', start: 0, end: 40, pages: true, maxRecordBytes: 1000 };
      const result = await settle(executor(new Error('killed')), range, Promise.reject(new Error('killed')));
      expect(result.outcomes.map((o) => [o.reject?.kind, o.reject?.offset, o.reject?.index, o.reject?.file])).toEqual([
        ['worker_failed', 0, 0, 'r.ndjson'],
        ['worker_failed', 11, 1, 'r.ndjson'],
        ['worker_failed', 37, 2, 'r.ndjson'], // garbage takes no record slot
      ]);
      // The malformed line stays a problem of its own, and the range ends after the line that began in it.
      expect(result.framing!.problems.map((p) => [p.problem.kind, p.problem.offset, p.before])).toEqual([['malformed', 32, 2]]);
      expect(result.framing!.end).toBe(48);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
