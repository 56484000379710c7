/** Rate My Call in the rollups: rollup_rating, rollup_feedback_token and the rated columns, worked by hand. */
import { describe, expect, it } from 'vitest';
import { finalizeRollups, mergePartial, RollupAccumulator } from '../../src/rollup/index.js';
import { audio, batches, record, rowsOf, type Row, type TestRecord } from './fixtures.js';

const RATED = [
  'feedback_endpoints',
  'rated',
  'rated_poor',
  'rated_poor_pct',
  'rating_stars',
  'mean_rating',
  'rated_share_pct',
  'rated_audio_poor',
  'rated_audio_good',
] as const;

const u = (side: 'caller' | 'callee', id: string, rating: string | null, tokens: string | null = null): Row => ({
  [`${side}_user_id`]: id,
  [`${side}_feedback_rating`]: rating,
  [`${side}_feedback_tokens`]: tokens,
});
const mcu = { callee_role: 'skypeForBusinessAudioVideoMcu' };
const poor = { cqd_class: 'poor', cqd_reasons: 'jitter', jitter_avg_ms: 45, mos: 2.5 };

/**
 * P: u1 rated bad (DistortedSpeech, NoSound) and u2 excellent (DistortedSpeech) in one session with a
 *    poor and a good audio stream (two segments: one endpoint each side, counted once).
 * Q: u3 rated "Bad" (a PowerShell spelling: one group with bad) and u4 notRated with the token Echo, on
 *    two good audio streams: a bad rating on streams measured good.
 * R: a meeting: u5 rated good on a poor audio stream (session s3), u6 gave an unknown rating on a good
 *    one (s4); the MCU sides gave nothing.
 */
const DATA: TestRecord[] = [
  record({ call_id: 'P', call_type: 'peerToPeer', verdict: 'poor' }, [
    audio({
      session_id: 's1',
      segment_id: 'g1',
      ...u('caller', 'u1', 'bad', 'DistortedSpeech;NoSound'),
      ...u('callee', 'u2', 'excellent', 'DistortedSpeech'),
      ...poor,
    }),
    audio({
      session_id: 's1',
      segment_id: 'g2',
      stream_direction: 'calleeToCaller',
      ...u('caller', 'u1', 'bad', 'DistortedSpeech;NoSound'),
      ...u('callee', 'u2', 'excellent', 'DistortedSpeech'),
    }),
  ]),
  record({ call_id: 'Q', call_type: 'peerToPeer', verdict: 'good' }, [
    audio({ session_id: 's2', ...u('caller', 'u3', 'Bad'), ...u('callee', 'u4', 'notRated', 'Echo') }),
    audio({ session_id: 's2', stream_direction: 'calleeToCaller', ...u('caller', 'u3', 'Bad'), ...u('callee', 'u4', 'notRated', 'Echo') }),
  ]),
  record({ call_id: 'R', call_type: 'groupCall', verdict: 'poor' }, [
    audio({ session_id: 's3', ...u('caller', 'u5', 'good'), ...mcu, ...poor }),
    audio({ session_id: 's4', ...u('caller', 'u6', 'terrible'), ...mcu }),
  ]),
];

function finalize(accumulator: RollupAccumulator): Map<string, Row[]> {
  return new Map(finalizeRollups(accumulator.toPartial(), {}).map(({ name, batch }) => [name, rowsOf(batch)]));
}

function rollups(records: readonly TestRecord[]): Map<string, Row[]> {
  const accumulator = new RollupAccumulator({});
  accumulator.add(...batches(records));
  return finalize(accumulator);
}

/** The rows as value arrays under `columns` (a header row first), so a table reads as one. */
function grid(rows: readonly Row[] | undefined, columns: readonly string[]): unknown[][] {
  return [[...columns], ...(rows ?? []).map((row) => columns.map((name) => row[name]))];
}

describe('Rate My Call rollups, worked by hand', () => {
  const tables = rollups(DATA);
  const measured = ['streams', 'poor', 'calls', ...RATED];

  it('rollup_rating: each endpoint once under its rating, with what its streams measured', () => {
    expect(grid(tables.get('rollup_rating'), ['rating', ...measured])).toEqual([
      ['rating', ...measured],
      // the sides that gave nothing (the MCU's): R's two streams
      [null, 2, 1, 1, /* feedback */ 0, 0, 0, null, 0, null, 0, /* audio */ 0, 0],
      // u1 (poor + good streams) and u3 ("Bad", good streams only): 2 of the 4 rated endpoints
      ['bad', 4, 1, 2, /* feedback */ 2, 2, 2, 100, 2, 1, 50, /* audio */ 1, 1],
      // u2 rated excellent in a session with a poor stream
      ['excellent', 2, 1, 1, /* feedback */ 1, 1, 0, 0, 5, 5, 25, /* audio */ 1, 0],
      ['good', 1, 1, 1, /* feedback */ 1, 1, 0, 0, 4, 4, 25, /* audio */ 1, 0],
      // notRated and an unknown value: feedback, but no rating
      ['notRated', 2, 0, 1, /* feedback */ 1, 0, 0, null, 0, null, 0, /* audio */ 0, 0],
      ['terrible', 1, 0, 1, /* feedback */ 1, 0, 0, null, 0, null, 0, /* audio */ 0, 0],
    ]);
  });

  it('rollup_feedback_token: each token reported true, ranked by streams then name, with its ratings', () => {
    expect(grid(tables.get('rollup_feedback_token'), ['feedback_token', ...measured])).toEqual([
      ['feedback_token', ...measured],
      // u1 and u2, one session: its two streams once each
      ['DistortedSpeech', 2, 1, 1, /* feedback */ 2, 2, 1, 50, 6, 3, 50, /* audio */ 2, 0],
      ['Echo', 2, 0, 1, /* feedback */ 1, 0, 0, null, 0, null, 0, /* audio */ 0, 0],
      ['NoSound', 2, 1, 1, /* feedback */ 1, 1, 1, 100, 1, 1, 25, /* audio */ 1, 0],
    ]);
  });

  it('every rollup gets the rated columns: per user, per call type (each endpoint of a call once), per codec (both endpoints of a stream)', () => {
    const columns = ['rated', 'rated_poor_pct', 'mean_rating', 'rated_audio_poor', 'rated_audio_good'];
    expect(grid(tables.get('rollup_user'), ['user_id', ...columns])).toEqual([
      ['user_id', ...columns],
      [null, 0, null, null, 0, 0],
      ['u1', 1, 100, 1, 1, 0],
      ['u2', 1, 0, 5, 1, 0],
      ['u3', 1, 100, 1, 0, 1],
      ['u4', 0, null, null, 0, 0],
      ['u5', 1, 0, 4, 1, 0],
      ['u6', 0, null, null, 0, 0],
    ]);
    const counts = ['feedback_endpoints', 'rated', 'rated_poor', 'rating_stars', 'rated_share_pct', 'rated_audio_poor', 'rated_audio_good'];
    expect(grid(tables.get('rollup_call_type'), ['call_type', ...counts])).toEqual([
      ['call_type', ...counts],
      ['groupCall', 2, 1, 0, 4, 25, 1, 0],
      ['peerToPeer', 4, 3, 2, 7, 75, 2, 1],
    ]);
    expect(grid(tables.get('rollup_codec'), ['audio_codec', ...counts])).toEqual([
      ['audio_codec', ...counts],
      ['opus', 6, 4, 2, 11, 100, 3, 1],
    ]);
  });

  it('merges and retracts exactly: one record per batch gives the same tables; adding and retracting gives none', () => {
    const total = new RollupAccumulator({}).toPartial();
    for (const one of DATA) {
      const accumulator = new RollupAccumulator({});
      accumulator.add(...batches([one]));
      mergePartial(total, accumulator.takePartial());
    }
    const merged = new Map(finalizeRollups(total, {}).map(({ name, batch }) => [name, rowsOf(batch)]));
    expect(merged).toEqual(tables);

    const accumulator = new RollupAccumulator({});
    accumulator.add(...batches(DATA));
    accumulator.add(...batches(DATA.slice(1)), -1);
    expect(finalize(accumulator)).toEqual(rollups(DATA.slice(0, 1)));
  });

  it('a run without feedback: every rated count 0, the ratios empty, rollup_feedback_token empty', () => {
    const plain = rollups([record({ call_id: 'Z', verdict: 'good' }, [audio({ session_id: 'z', caller_user_id: 'a', callee_user_id: 'b' })])]);
    const columns = ['streams', 'feedback_endpoints', 'rated', 'rated_poor_pct', 'mean_rating', 'rated_share_pct'];
    expect(grid(plain.get('rollup_rating'), ['rating', ...columns])).toEqual([
      ['rating', ...columns],
      [null, 1, 0, 0, null, null, null],
    ]);
    expect(plain.get('rollup_feedback_token')).toEqual([]);
  });
});
