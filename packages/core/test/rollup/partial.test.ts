import { serialize } from 'node:v8';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../../src/errors.js';
import { finalizeRollups, mergePartial, RollupAccumulator, type RollupOptions, type RollupPartial } from '../../src/rollup/index.js';
import { canonicalPartial } from '../../src/rollup/partial.js';
import { batches, dump, errorCode, shuffle, type TestRecord } from './fixtures.js';
import { chunks, records } from './generate.js';

const OPTIONS: RollupOptions = { tz: 'Europe/Helsinki', groupBy: [['caller_subnet', 'audio_codec'], ['was_media_bypassed']] };

function partialOf(list: readonly TestRecord[], sign: 1 | -1 = 1, options = OPTIONS): RollupPartial {
  const accumulator = new RollupAccumulator(options);
  accumulator.add(...batches(list), sign);
  return accumulator.toPartial();
}

/** The same records under other call ids (`prefix` + id), so they never collide with the originals. */
const renamed = (list: readonly TestRecord[], prefix: string): TestRecord[] =>
  list.map((r) => ({
    call: { ...r.call, call_id: `${prefix}${String(r.call.call_id)}` },
    streams: r.streams.map((s) => ({ ...s, call_id: `${prefix}${String(s.call_id)}` })),
  }));

const finalBytes = (partial: RollupPartial): string => JSON.stringify(finalizeRollups(partial, OPTIONS));

describe('rollup partials', () => {
  it('merge to the partial of the whole, for any partition and merge order', () => {
    fc.assert(
      fc.property(records(24), fc.array(fc.nat(), { maxLength: 6 }), fc.nat(), (list, cuts, seed) => {
        const whole = partialOf(list);
        // Partials cross a thread boundary by structured clone.
        const parts = shuffle(
          chunks(list, cuts).map((chunk) => structuredClone(partialOf(chunk))),
          seed,
        );
        const merged = new RollupAccumulator(OPTIONS).toPartial();
        for (const part of parts) mergePartial(merged, part);
        // dump() compares exactly and in order: the canonical merge is the whole, to the last bucket.
        expect(dump(canonicalPartial(merged))).toBe(dump(whole));
        expect(finalBytes(merged)).toBe(finalBytes(whole));
      }),
      { numRuns: 40 },
    );
  });

  it('return exactly to the previous state after add(+1) then add(-1)', () => {
    fc.assert(
      fc.property(records(12), records(6), (kept, retracted) => {
        const moved = renamed(retracted, 'X');
        const accumulator = new RollupAccumulator(OPTIONS);
        accumulator.add(...batches(kept));
        const before = accumulator.toPartial();
        accumulator.add(...batches(moved));
        accumulator.add(...batches(moved), -1);
        expect(dump(accumulator.toPartial())).toBe(dump(before));
        // The same through partials: a worker's retraction partial cancels another worker's addition.
        const merged = partialOf([...kept, ...moved]);
        mergePartial(merged, structuredClone(partialOf(moved, -1)));
        expect(dump(canonicalPartial(merged))).toBe(dump(before));
      }),
      { numRuns: 60 },
    );
  });

  it('merge into a live accumulator, which keeps counting the same groups afterwards', () => {
    fc.assert(
      fc.property(records(10), records(10), (first, second) => {
        const more = renamed(second, 'Y');
        const accumulator = new RollupAccumulator(OPTIONS);
        accumulator.merge(structuredClone(partialOf(first)));
        accumulator.add(...batches(more));
        expect(dump(accumulator.toPartial())).toBe(dump(partialOf([...first, ...more])));
      }),
      { numRuns: 20 },
    );
  });

  it('stay small: size grows with groups, not streams', () => {
    const calls = (count: number): TestRecord[] =>
      Array.from({ length: count }, (_, i) => ({
        call: { call_id: `Z${i}`, call_version: 1, call_start: 0, call_type: 'peerToPeer' },
        streams: [
          {
            call_id: `Z${i}`,
            call_version: 1,
            modality: 'audio',
            cqd_class: 'good',
            jitter_avg_ms: 5 + (i % 3),
            rtt_avg_ms: 40,
            packet_loss_avg: 0.01,
            mos: 4.2,
          },
        ],
      }));
    const size = (partial: RollupPartial): number => serialize(partial).length;
    const small = size(partialOf(calls(30)));
    // 100x the streams, the same groups and buckets: only counts grow (a few bytes each).
    expect(size(partialOf(calls(3000)))).toBeLessThan(small * 1.2);
  });

  it('refuse to merge partials made with other options, except an empty one', () => {
    const [a] = [partialOf([{ call: { call_id: 'A', call_start: 0 }, streams: [] }])];
    const utc = partialOf([{ call: { call_id: 'B', call_start: 0 }, streams: [] }], 1, {});
    expect(errorCode(() => mergePartial(a, utc))).toBe(ErrorCode.Internal);
    const before = structuredClone(a);
    mergePartial(a, new RollupAccumulator({}).toPartial());
    expect(a).toEqual(before);
    expect(errorCode(() => mergePartial(a, { format: 'something else' } as unknown as RollupPartial))).toBe(ErrorCode.Internal);
  });

  it('refuse to finalize with other options or with negative counts', () => {
    const some = partialOf([{ call: { call_id: 'A', call_start: 0 }, streams: [] }]);
    expect(errorCode(() => finalizeRollups(some, {}))).toBe(ErrorCode.Internal);
    const retractedOnly = partialOf([{ call: { call_id: 'A', call_start: 0 }, streams: [] }], -1);
    expect(errorCode(() => finalizeRollups(retractedOnly, OPTIONS))).toBe(ErrorCode.Internal);
  });
});
