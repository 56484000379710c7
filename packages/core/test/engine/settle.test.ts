/** A failing batch is retried once; a second failure lists its records as rejects, nothing lost. */
import { describe, expect, it } from 'vitest';
import { settle } from '../../src/engine/settle.js';
import type { Executor } from '../../src/engine/pool.js';
import type { BatchResult, BatchTask } from '../../src/engine/protocol.js';
import { mergePartial, RollupAccumulator, validateRollupOptions } from '../../src/rollup/index.js';

const task: BatchTask = {
  seq: 3,
  buffer: new Uint8Array(10),
  records: [
    { ordinal: 7, file: 'a.json', offset: 0, index: 0, start: 0, end: 5 },
    { ordinal: 8, file: 'a.json', offset: 120, index: 1, start: 5, end: 10 },
  ],
  sign: 1,
};

const good: BatchResult = {
  seq: 3,
  streamsCsv: 'x\r\n',
  callsCsv: '',
  streamsIpc: null,
  callsIpc: null,
  outcomes: [],
  rejects: [],
  partial: new RollupAccumulator({ groupBy: [] }).toPartial(),
  sessionsTruncated: 0,
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

  it('retries once after a failure and keeps the retry`s result', async () => {
    const e = executor(good);
    expect(await settle(e, task, Promise.reject(new Error('worker exited')))).toBe(good);
    expect(e.calls).toBe(1);
  });

  it('turns every record of a batch that fails twice into a worker_failed reject with its provenance', async () => {
    const e = executor(new Error('out of memory'));
    const result = await settle(e, task, Promise.reject(new Error('worker exited')));
    expect(e.calls).toBe(1);
    expect(result.streamsCsv).toBe('');
    expect(result.rejects).toEqual([
      expect.objectContaining({ file: 'a.json', offset: 0, index: 0, kind: 'worker_failed' }),
      expect.objectContaining({ file: 'a.json', offset: 120, index: 1, kind: 'worker_failed' }),
    ]);
    expect(result.rejects[0]!.reason).toContain('out of memory');
    expect(result.outcomes.map((o) => [o.ordinal, o.accepted])).toEqual([[7, false], [8, false]]);
    // Its empty partial merges into a run with other options as a no-op.
    const total = new RollupAccumulator(validateRollupOptions({ groupBy: [['audio_codec']], tz: 'Europe/Helsinki' })).toPartial();
    expect(() => mergePartial(total, result.partial)).not.toThrow();
  });
});
