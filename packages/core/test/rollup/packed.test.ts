import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../../src/errors.js';
import { mergePacked, packPartial, RollupAccumulator, type PackedPartial, type RollupOptions } from '../../src/rollup/index.js';
import { canonicalPartial } from '../../src/rollup/partial.js';
import { batches, dump, errorCode, shuffle, type TestRecord } from './fixtures.js';
import { chunks, records } from './generate.js';

const OPTIONS: RollupOptions = { tz: 'Europe/Helsinki', groupBy: [['caller_subnet', 'audio_codec'], ['was_media_bypassed']] };

/** What a worker hands over for a batch: its accumulator's state as it is (first-seen rows, empty rows kept), packed. */
function workerPartial(list: readonly TestRecord[], sign: 1 | -1 = 1, retracted: readonly TestRecord[] = []): PackedPartial {
  const accumulator = new RollupAccumulator(OPTIONS);
  accumulator.add(...batches(list), sign);
  // counted in and out again: rows of zeros stay in the state, as after a batch that cancels out
  if (retracted.length > 0) {
    accumulator.add(...batches(retracted), 1);
    accumulator.add(...batches(retracted), -1);
  }
  return packPartial(accumulator.takePartial());
}

/** The trip to the main thread: structured clone with the typed arrays transferred, as worker.ts does. */
function trip(packed: PackedPartial): PackedPartial {
  const transfer = packed.tables.flatMap((t) => [
    t.n.buffer,
    t.q.buffer,
    t.sketchEnd.buffer,
    ...(t.labels ? [t.labels.counts.buffer, t.labels.rowEnd.buffer] : []),
  ]);
  return structuredClone(packed, { transfer: transfer.filter((buffer, i) => buffer.byteLength > 0 && transfer.indexOf(buffer) === i) as ArrayBuffer[] });
}

const wholeOf = (list: readonly TestRecord[]) => {
  const accumulator = new RollupAccumulator(OPTIONS);
  accumulator.add(...batches(list));
  return accumulator.toPartial();
};

describe('packed rollup partials', () => {
  it('merge, after the trip between threads, to the partial of the whole, for any partition and order, empty rows included', () => {
    fc.assert(
      fc.property(records(24), records(4), fc.array(fc.nat(), { maxLength: 6 }), fc.nat(), (list, cancelled, cuts, seed) => {
        const parts = shuffle(
          chunks(list, cuts).map((chunk) => trip(workerPartial(chunk, 1, cancelled))),
          seed,
        );
        const merged = new RollupAccumulator(OPTIONS).toPartial();
        for (const part of parts) mergePacked(merged, part);
        expect(dump(canonicalPartial(merged))).toBe(dump(wholeOf(list)));
      }),
      { numRuns: 40 },
    );
  });

  it('subtract a retraction exactly', () => {
    fc.assert(
      fc.property(records(12), records(6), (kept, retracted) => {
        // the retracted records under ids of their own (as a superseded copy is a record of its own)
        const moved = retracted.map((r) => ({
          call: { ...r.call, call_id: `X${String(r.call.call_id)}` },
          streams: r.streams.map((s) => ({ ...s, call_id: `X${String(s.call_id)}` })),
        }));
        const merged = new RollupAccumulator(OPTIONS).toPartial();
        mergePacked(merged, trip(workerPartial([...kept, ...moved])));
        mergePacked(merged, trip(workerPartial(moved, -1)));
        expect(dump(canonicalPartial(merged))).toBe(dump(wholeOf(kept)));
      }),
      { numRuns: 40 },
    );
  });

  it('hold counters, sketches and label counts in typed arrays (one copy each on the trip), leaving the partial as it was', () => {
    fc.assert(
      fc.property(records(8), (list) => {
        const accumulator = new RollupAccumulator(OPTIONS);
        accumulator.add(...batches(list));
        const before = dump(accumulator.toPartial());
        const packed = packPartial(accumulator.takePartial());
        expect(dump(accumulator.toPartial())).toBe(before);
        for (const table of packed.tables) {
          expect(table.n).toBeInstanceOf(Float64Array);
          expect(table.q).toBeInstanceOf(Float64Array);
          expect(table.sketchEnd.length).toBe(table.keys.length * 4);
          if (table.labels) expect(table.labels.rowEnd.length).toBe(table.keys.length);
        }
      }),
      { numRuns: 20 },
    );
  });

  it('merge an empty partial as nothing whatever its options, and refuse other options or other data', () => {
    const total = new RollupAccumulator(OPTIONS).toPartial();
    expect(packPartial(new RollupAccumulator({ tz: 'UTC' }).toPartial()).empty).toBe(true);
    mergePacked(total, packPartial(new RollupAccumulator({ tz: 'UTC' }).toPartial()));
    expect(dump(canonicalPartial(total))).toBe(dump(new RollupAccumulator(OPTIONS).toPartial()));
    const utc = new RollupAccumulator({});
    utc.add(...batches([{ call: { call_id: 'B', call_start: 0 }, streams: [] }]));
    expect(errorCode(() => mergePacked(total, packPartial(utc.toPartial())))).toBe(ErrorCode.Internal);
    expect(errorCode(() => mergePacked(total, { format: 'callaudit.rollup-partial' } as unknown as PackedPartial))).toBe(ErrorCode.Internal);
  });
});
