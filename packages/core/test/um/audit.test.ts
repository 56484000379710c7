import { describe, expect, it } from 'vitest';
import type { ColumnBatch } from '../../src/table/schema.js';
import type { PollObservation } from '../../src/um/audit.js';
import { auditPolls } from '../../src/um/audit.js';
import { UM_CALLS, UM_CAUSES, UM_DAILY } from '../../src/um/tables.js';

/** Rows as objects, for readable assertions (tests only: tables travel as columns). */
function rows(batch: ColumnBatch): Record<string, unknown>[] {
  return Array.from({ length: batch.length }, (_, i) => Object.fromEntries(batch.schema.columns.map((column, j) => [column.name, batch.columns[j]![i]])));
}

const at = (iso: string): number => Date.parse(iso);
const poll = (callId: string, iso: string, callState: string, eventCause: string): PollObservation => ({
  time: at(iso),
  callId,
  callState,
  eventCause,
  fault: null,
});
const fault = (callId: string, iso: string): PollObservation => ({
  time: at(iso),
  callId,
  callState: null,
  eventCause: null,
  fault: 'a:InvalidCallIdException: gone',
});

/** Nine calls over two days; every number below is worked by hand in the comments. */
const POLLS: PollObservation[] = [
  // Day 1, 2026-03-14.
  poll('A', '2026-03-14T10:00:00Z', 'Connecting', 'None'), // answered: Alerted after 2 s, Connected after 6 s
  poll('A', '2026-03-14T10:00:02Z', 'Alerted', 'None'),
  poll('A', '2026-03-14T10:00:06Z', 'Connected', 'None'),
  poll('A', '2026-03-14T10:01:00Z', 'Disconnected', 'None'),
  poll('B', '2026-03-14T11:00:00Z', 'Connecting', 'None'), // busy
  poll('B', '2026-03-14T11:00:01Z', 'Disconnected', 'UserBusy'),
  poll('C', '2026-03-14T12:00:00Z', 'Alerted', 'None'), // no_answer, though the last poll says Idle/None
  poll('C', '2026-03-14T12:00:30Z', 'Disconnected', 'NoAnswer'),
  poll('C', '2026-03-14T12:00:32Z', 'Idle', 'None'),
  poll('H', '2026-03-14T13:00:00Z', 'Connecting', 'None'), // unknown: ended, no Connected, no failure cause
  poll('H', '2026-03-14T13:00:20Z', 'Disconnected', 'None'),
  poll('I', '2026-03-14T14:00:00Z', 'Alerted', 'None'), // other
  poll('I', '2026-03-14T14:00:09Z', 'Disconnected', 'Other'),
  // Day 2, 2026-03-15.
  poll('D', '2026-03-15T09:00:00Z', 'Connecting', 'None'), // in_progress: the log ends while Alerted
  poll('D', '2026-03-15T09:00:04Z', 'Alerted', 'None'),
  poll('E', '2026-03-15T09:30:00Z', 'Ringing', 'None'), // unavailable; Ringing is not a documented state
  poll('E', '2026-03-15T09:30:05Z', 'Disconnected', 'Unavailable'),
  fault('F', '2026-03-15T10:00:00Z'), // unknown: only faults
  fault('F', '2026-03-15T10:00:02Z'),
  poll('G', '2026-03-15T11:00:10Z', 'Connected', 'None'), // answered; out of order and duplicated in the log
  poll('G', '2026-03-15T11:00:00Z', 'Alerted', 'None'),
  poll('G', '2026-03-15T11:00:10Z', 'Connected', 'None'),
  poll('G', '2026-03-15T11:02:00Z', 'Disconnected', 'Other'),
];

describe('auditPolls on a hand-worked fixture', () => {
  const audit = auditPolls(POLLS);

  it('builds one um_calls row per call, sorted by CallId', () => {
    expect(audit.calls.schema).toBe(UM_CALLS);
    const byId = Object.fromEntries(rows(audit.calls).map((row) => [row.call_id, row]));
    expect(Object.keys(byId)).toEqual(['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'I']);
    expect(byId.A).toEqual({
      call_id: 'A',
      first_seen: at('2026-03-14T10:00:00Z'),
      last_seen: at('2026-03-14T10:01:00Z'),
      polls: 4,
      faults: 0,
      final_state: 'Disconnected',
      final_cause: 'None',
      end_cause: 'None',
      state_path: 'Connecting;Alerted;Connected;Disconnected',
      time_to_alerted_s: 2,
      time_to_connected_s: 6,
      connected: true,
      outcome: 'answered',
      unrecognized: null,
    });
    expect(byId.B).toMatchObject({ outcome: 'busy', end_cause: 'UserBusy', time_to_alerted_s: null, time_to_connected_s: null, connected: false });
    expect(byId.C).toMatchObject({
      outcome: 'no_answer',
      final_state: 'Idle',
      final_cause: 'None',
      end_cause: 'NoAnswer',
      state_path: 'Alerted;Disconnected;Idle',
      time_to_alerted_s: 0,
    });
    expect(byId.D).toMatchObject({ outcome: 'in_progress', final_state: 'Alerted', time_to_alerted_s: 4 });
    expect(byId.E).toMatchObject({ outcome: 'unavailable', state_path: 'Ringing;Disconnected', unrecognized: 'CallState=Ringing', time_to_alerted_s: null });
    expect(byId.F).toMatchObject({ outcome: 'unknown', polls: 2, faults: 2, final_state: null, final_cause: null, end_cause: null, state_path: null });
    expect(byId.G).toMatchObject({
      outcome: 'answered',
      polls: 3,
      first_seen: at('2026-03-15T11:00:00Z'),
      state_path: 'Alerted;Connected;Disconnected',
      time_to_alerted_s: 0,
      time_to_connected_s: 10,
      end_cause: 'Other',
    });
    expect(byId.H).toMatchObject({ outcome: 'unknown', end_cause: 'None' });
    expect(byId.I).toMatchObject({ outcome: 'other', time_to_alerted_s: 0 });
  });

  it('rolls up by UTC day of first_seen', () => {
    expect(audit.daily.schema).toBe(UM_DAILY);
    expect(rows(audit.daily)).toEqual([
      // A answered, B busy, C no_answer, H unknown, I other. Alerted: A 2, C 0, I 0 -> median 0.
      {
        day: '2026-03-14',
        calls: 5,
        answered: 1,
        busy: 1,
        no_answer: 1,
        other: 1,
        unavailable: 0,
        unknown: 1,
        in_progress: 0,
        answer_rate: 0.2,
        median_time_to_alerted_s: 0,
        median_time_to_connected_s: 6,
      },
      // D in_progress, E unavailable, F unknown, G answered: 1 / (4 - 1). Alerted: D 4, G 0 -> 2.
      {
        day: '2026-03-15',
        calls: 4,
        answered: 1,
        busy: 0,
        no_answer: 0,
        other: 0,
        unavailable: 1,
        unknown: 1,
        in_progress: 1,
        answer_rate: 1 / 3,
        median_time_to_alerted_s: 2,
        median_time_to_connected_s: 10,
      },
    ]);
  });

  it('rolls up by end cause, documented causes first, calls with only faults last', () => {
    expect(audit.causes.schema).toBe(UM_CAUSES);
    const table = rows(audit.causes).map(
      ({ end_cause, recognized, share, calls, answered, answer_rate, median_time_to_alerted_s, median_time_to_connected_s }) => ({
        end_cause,
        recognized,
        share,
        calls,
        answered,
        answer_rate,
        median_time_to_alerted_s,
        median_time_to_connected_s,
      }),
    );
    expect(table).toEqual([
      // A (answered), D (in_progress), H (unknown): 1 / (3 - 1). Alerted: A 2, D 4 -> 3.
      {
        end_cause: 'None',
        recognized: true,
        share: 3 / 9,
        calls: 3,
        answered: 1,
        answer_rate: 0.5,
        median_time_to_alerted_s: 3,
        median_time_to_connected_s: 6,
      },
      {
        end_cause: 'UserBusy',
        recognized: true,
        share: 1 / 9,
        calls: 1,
        answered: 0,
        answer_rate: 0,
        median_time_to_alerted_s: null,
        median_time_to_connected_s: null,
      },
      {
        end_cause: 'NoAnswer',
        recognized: true,
        share: 1 / 9,
        calls: 1,
        answered: 0,
        answer_rate: 0,
        median_time_to_alerted_s: 0,
        median_time_to_connected_s: null,
      },
      // G answered (cause Other after talking), I other.
      {
        end_cause: 'Other',
        recognized: true,
        share: 2 / 9,
        calls: 2,
        answered: 1,
        answer_rate: 0.5,
        median_time_to_alerted_s: 0,
        median_time_to_connected_s: 10,
      },
      {
        end_cause: 'Unavailable',
        recognized: true,
        share: 1 / 9,
        calls: 1,
        answered: 0,
        answer_rate: 0,
        median_time_to_alerted_s: null,
        median_time_to_connected_s: null,
      },
      {
        end_cause: null,
        recognized: false,
        share: 1 / 9,
        calls: 1,
        answered: 0,
        answer_rate: 0,
        median_time_to_alerted_s: null,
        median_time_to_connected_s: null,
      },
    ]);
  });

  it('totals outcomes, answer rate, duplicates and the time window', () => {
    expect(audit.outcomes).toEqual({ answered: 2, busy: 1, no_answer: 1, other: 1, unavailable: 1, unknown: 2, in_progress: 1 });
    expect(audit.answerRate).toBe(2 / 8);
    expect(audit.duplicates).toBe(1);
    expect(audit.firstSeen).toBe(at('2026-03-14T10:00:00Z'));
    expect(audit.lastSeen).toBe(at('2026-03-15T11:02:00Z'));
  });

  it('gives the same tables whatever the input order', () => {
    const reversed = auditPolls([...POLLS].reverse());
    expect(rows(reversed.calls)).toEqual(rows(audit.calls));
    expect(rows(reversed.daily)).toEqual(rows(audit.daily));
  });
});

describe('auditPolls edge cases', () => {
  it('handles no polls at all', () => {
    const audit = auditPolls([]);
    expect([audit.calls.length, audit.daily.length, audit.causes.length]).toEqual([0, 0, 0]);
    expect(audit.answerRate).toBeNull();
    expect(audit.firstSeen).toBeNull();
  });

  it('keeps unrecognized causes raw, flags them, and ranks them after documented ones', () => {
    const audit = auditPolls([poll('X', '2026-01-01T00:00:00Z', 'Disconnected', 'Rejected'), poll('Y', '2026-01-01T00:00:00Z', 'Disconnected', 'UserBusy')]);
    expect(rows(audit.calls)[0]).toMatchObject({ outcome: 'unknown', end_cause: 'Rejected', unrecognized: 'EventCause=Rejected' });
    expect(rows(audit.causes).map((row) => [row.end_cause, row.recognized])).toEqual([
      ['UserBusy', true],
      ['Rejected', false],
    ]);
  });

  it('does not mistake a CallState named like an Object.prototype member for a cause mapping', () => {
    const audit = auditPolls([poll('X', '2026-01-01T00:00:00Z', 'Disconnected', 'constructor')]);
    expect(rows(audit.calls)[0]).toMatchObject({ outcome: 'unknown', end_cause: 'constructor' });
  });

  it('scales to many calls without recursion limits', () => {
    const polls = Array.from({ length: 20_000 }, (_, i) => poll(`C${i}`, '2026-01-01T00:00:00Z', 'Disconnected', 'NoAnswer'));
    const audit = auditPolls(polls);
    expect(audit.calls.length).toBe(20_000);
    expect(audit.outcomes.no_answer).toBe(20_000);
    expect(audit.firstSeen).toBe(at('2026-01-01T00:00:00Z'));
  });
});
