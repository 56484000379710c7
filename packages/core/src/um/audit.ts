/**
 * The offline audit: poll observations in, the um_calls, um_daily and um_causes tables out. Pure.
 */
import type { CellValue, ColumnBatch } from '../table/schema.js';
import { ColumnBuilder } from '../table/schema.js';
import { EVENT_CAUSES, isCallState, isEventCause } from './protocol.js';
import { UM_CALLS, UM_CAUSES, UM_DAILY } from './tables.js';

/** One poll of one call: what GetCallInfo answered at `time`, or the fault it returned. */
export interface PollObservation {
  /** Epoch milliseconds, UTC. */
  readonly time: number;
  readonly callId: string;
  /** null when the poll was answered with a fault. */
  readonly callState: string | null;
  readonly eventCause: string | null;
  /** `code: message` of the fault, or null. */
  readonly fault: string | null;
}

export const OUTCOMES = ['answered', 'busy', 'no_answer', 'other', 'unavailable', 'unknown', 'in_progress'] as const;
export type Outcome = (typeof OUTCOMES)[number];

const CAUSE_OUTCOME: ReadonlyMap<string, Outcome> = new Map([
  ['UserBusy', 'busy'],
  ['NoAnswer', 'no_answer'],
  ['Other', 'other'],
  ['Unavailable', 'unavailable'],
]);

export interface UmAudit {
  readonly calls: ColumnBatch;
  readonly daily: ColumnBatch;
  readonly causes: ColumnBatch;
  /** Exact duplicate polls (same call, time, state, cause, fault) dropped. */
  readonly duplicates: number;
  readonly outcomes: Readonly<Record<Outcome, number>>;
  /** answered / (calls - in_progress); null when no call is settled. */
  readonly answerRate: number | null;
  readonly firstSeen: number | null;
  readonly lastSeen: number | null;
}

/** What one call came to; the rollups read these. */
interface CallSummary {
  readonly firstSeen: number;
  readonly lastSeen: number;
  readonly endCause: string | null;
  readonly outcome: Outcome;
  readonly timeToAlerted: number | null;
  readonly timeToConnected: number | null;
}

export function auditPolls(observations: Iterable<PollObservation>): UmAudit {
  const byCall = new Map<string, PollObservation[]>();
  for (const observation of observations) {
    const list = byCall.get(observation.callId);
    if (list === undefined) byCall.set(observation.callId, [observation]);
    else list.push(observation);
  }

  const calls = new ColumnBuilder(UM_CALLS);
  const summaries: CallSummary[] = [];
  let duplicates = 0;
  for (const callId of [...byCall.keys()].sort()) {
    const all = byCall.get(callId)!;
    const polls = all.length === 1 ? all : dedupe(all.slice().sort((a, b) => a.time - b.time));
    duplicates += all.length - polls.length;
    summaries.push(auditCall(callId, polls, calls));
  }

  const outcomes = countOutcomes(summaries);
  return {
    calls: calls.finish(),
    daily: rollup(
      UM_DAILY,
      summaries,
      (call) => utcDay(call.firstSeen),
      compareText,
      () => [],
    ),
    causes: rollup(
      UM_CAUSES,
      summaries,
      (call) => call.endCause,
      compareCauses,
      (cause, group) => [cause !== null && isEventCause(cause), group.length / summaries.length],
    ),
    duplicates,
    outcomes,
    answerRate: answerRate(outcomes),
    firstSeen: extreme(summaries, (call) => call.firstSeen, -1),
    lastSeen: extreme(summaries, (call) => call.lastSeen, 1),
  };
}

function auditCall(callId: string, polls: readonly PollObservation[], out: ColumnBuilder): CallSummary {
  const first = polls[0]!;
  const last = polls[polls.length - 1]!;
  let final: PollObservation | undefined;
  let faults = 0;
  let path = '';
  let unrecognized = '';
  let endCause: string | null = null;
  let timeToAlerted: number | null = null;
  let timeToConnected: number | null = null;
  for (const poll of polls) {
    const state = poll.callState;
    if (state === null) {
      faults++;
      continue;
    }
    const cause = poll.eventCause;
    if (final?.callState !== state) path += path === '' ? state : `;${state}`;
    final = poll;
    if (state === 'Alerted') timeToAlerted ??= (poll.time - first.time) / 1000;
    if (state === 'Connected') timeToConnected ??= (poll.time - first.time) / 1000;
    if (!isCallState(state)) unrecognized = addOnce(unrecognized, `CallState=${state}`);
    if (cause !== null && !isEventCause(cause)) unrecognized = addOnce(unrecognized, `EventCause=${cause}`);
    if (cause !== null && cause !== 'None') endCause = cause;
    else endCause ??= 'None';
  }
  const outcome = outcomeOf(timeToConnected !== null, endCause, final?.callState ?? null);
  out.push([
    callId,
    first.time,
    last.time,
    polls.length,
    faults,
    final?.callState ?? null,
    final?.eventCause ?? null,
    endCause,
    path === '' ? null : path,
    timeToAlerted,
    timeToConnected,
    timeToConnected !== null,
    outcome,
    unrecognized === '' ? null : unrecognized,
  ]);
  return { firstSeen: first.time, lastSeen: last.time, endCause, outcome, timeToAlerted, timeToConnected };
}

/** Appends `item` to a `;`-separated list unless it is there already. */
function addOnce(list: string, item: string): string {
  if (list === '') return item;
  return list.split(';').includes(item) ? list : `${list};${item}`;
}

function outcomeOf(connected: boolean, endCause: string | null, finalState: string | null): Outcome {
  if (connected) return 'answered';
  const byCause = endCause === null ? undefined : CAUSE_OUTCOME.get(endCause);
  if (byCause !== undefined) return byCause;
  if (finalState !== null && finalState !== 'Disconnected') return 'in_progress';
  return 'unknown';
}

/** Drops exact repeats of a poll (the same file read twice, overlapping logs); input sorted by time. */
function dedupe(polls: readonly PollObservation[]): PollObservation[] {
  const seen = new Set<string>();
  return polls.filter((poll) => {
    const key = JSON.stringify([poll.time, poll.callState, poll.eventCause, poll.fault]);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** One row per key: the key, the extra columns, then the outcome counts and timings. */
function rollup(
  schema: typeof UM_DAILY,
  calls: readonly CallSummary[],
  keyOf: (call: CallSummary) => string | null,
  order: (a: string | null, b: string | null) => number,
  extra: (key: string | null, group: readonly CallSummary[]) => CellValue[],
): ColumnBatch {
  const groups = new Map<string | null, CallSummary[]>();
  for (const call of calls) {
    const key = keyOf(call);
    const group = groups.get(key);
    if (group === undefined) groups.set(key, [call]);
    else group.push(call);
  }
  const out = new ColumnBuilder(schema);
  for (const key of [...groups.keys()].sort(order)) {
    const group = groups.get(key)!;
    const counts = countOutcomes(group);
    out.push([
      key,
      ...extra(key, group),
      group.length,
      ...OUTCOMES.map((outcome) => counts[outcome]),
      answerRate(counts),
      median(group.map((call) => call.timeToAlerted)),
      median(group.map((call) => call.timeToConnected)),
    ]);
  }
  return out.finish();
}

function countOutcomes(calls: readonly CallSummary[]): Record<Outcome, number> {
  const counts = Object.fromEntries(OUTCOMES.map((outcome) => [outcome, 0])) as Record<Outcome, number>;
  for (const call of calls) counts[call.outcome]++;
  return counts;
}

function answerRate(counts: Readonly<Record<Outcome, number>>): number | null {
  const settled = OUTCOMES.reduce((sum, outcome) => sum + counts[outcome], 0) - counts.in_progress;
  return settled === 0 ? null : counts.answered / settled;
}

/** Median of the non-null values; null when there are none. */
function median(values: readonly (number | null)[]): number | null {
  const present = values.filter((value): value is number => value !== null).sort((a, b) => a - b);
  if (present.length === 0) return null;
  const middle = present.length >> 1;
  return present.length % 2 === 1 ? present[middle]! : (present[middle - 1]! + present[middle]!) / 2;
}

/** The smallest (sign -1) or largest (sign 1) value; null for no calls. */
function extreme(calls: readonly CallSummary[], value: (call: CallSummary) => number, sign: 1 | -1): number | null {
  let best: number | null = null;
  for (const call of calls) if (best === null || (value(call) - best) * sign > 0) best = value(call);
  return best;
}

const DAY_MS = 86_400_000;
const dayNames = new Map<number, string>();

/** YYYY-MM-DD of a UTC time; day names are cached (a log spans few days). */
function utcDay(ms: number): string {
  const day = Math.floor(ms / DAY_MS);
  let name = dayNames.get(day);
  if (name === undefined) {
    name = new Date(day * DAY_MS).toISOString().slice(0, 10);
    if (dayNames.size < 10_000) dayNames.set(day, name);
  }
  return name;
}

function compareText(a: string | null, b: string | null): number {
  return (a ?? '') < (b ?? '') ? -1 : (a ?? '') > (b ?? '') ? 1 : 0;
}

/** Documented causes in their documented order, then unrecognized ones by name, then none (faults only). */
function compareCauses(a: string | null, b: string | null): number {
  const rank = (cause: string | null): number =>
    cause === null ? EVENT_CAUSES.length + 1 : isEventCause(cause) ? EVENT_CAUSES.indexOf(cause) : EVENT_CAUSES.length;
  return rank(a) - rank(b) || compareText(a, b);
}
