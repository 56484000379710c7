import type { TableSchema } from '../table/schema.js';

/** `um_calls`: one row per outbound call (CallId) seen in the poll logs. */
export const UM_CALLS: TableSchema = {
  name: 'um_calls',
  columns: [
    { name: 'call_id', type: 'string', doc: 'CallId as PlayOnPhone returned it (base64; a file-name CallId is turned back from base64url).' },
    { name: 'first_seen', type: 'timestamp', doc: 'Time of the first poll of the call (UTC).' },
    { name: 'last_seen', type: 'timestamp', doc: 'Time of the last poll of the call (UTC).' },
    { name: 'polls', type: 'int', doc: 'Polls kept for the call (exact duplicates dropped), faults included.' },
    { name: 'faults', type: 'int', doc: 'Polls answered with a SOAP fault (e.g. the service no longer knows the CallId).' },
    { name: 'final_state', type: 'string', doc: 'CallState of the last answered poll, raw (unrecognized values kept). Empty when every poll faulted.' },
    { name: 'final_cause', type: 'string', doc: 'EventCause of the last answered poll, raw.' },
    {
      name: 'end_cause',
      type: 'string',
      doc: 'The last EventCause other than None seen for the call, else None: what decides the outcome when no Connected was seen.',
    },
    {
      name: 'state_path',
      type: 'string',
      doc: 'The CallStates seen, in time order, repeats collapsed, `;`-separated (Connecting;Alerted;Connected;Disconnected). Empty when every poll faulted.',
    },
    {
      name: 'time_to_alerted_s',
      type: 'float',
      doc: 'Seconds from first_seen to the first poll that saw Alerted; empty when never seen. A lower bound at poll resolution.',
    },
    { name: 'time_to_connected_s', type: 'float', doc: 'Seconds from first_seen to the first poll that saw Connected; empty when never seen.' },
    { name: 'connected', type: 'bool', doc: 'A poll saw the call Connected.' },
    {
      name: 'outcome',
      type: 'string',
      doc: 'answered (Connected seen), else busy / no_answer / other / unavailable from end_cause, else in_progress (last state not Disconnected), else unknown.',
    },
    {
      name: 'unrecognized',
      type: 'string',
      doc: 'Values outside the documented enumerations, `;`-separated (CallState=Ringing;EventCause=Rejected). Empty (null) when none.',
    },
  ],
};

/** The counts and timing columns the day and cause rollups share. */
const OUTCOME_COLUMNS: TableSchema['columns'] = [
  { name: 'calls', type: 'int', doc: 'Calls in the group.' },
  { name: 'answered', type: 'int', doc: 'Calls with outcome answered.' },
  { name: 'busy', type: 'int', doc: 'Calls with outcome busy (UserBusy).' },
  { name: 'no_answer', type: 'int', doc: 'Calls with outcome no_answer (NoAnswer).' },
  { name: 'other', type: 'int', doc: 'Calls with outcome other (Other).' },
  { name: 'unavailable', type: 'int', doc: 'Calls with outcome unavailable (Unavailable).' },
  { name: 'unknown', type: 'int', doc: 'Calls with outcome unknown (ended without Connected or a failure cause, or only faults).' },
  {
    name: 'in_progress',
    type: 'int',
    doc: 'Calls never Connected, without a failure cause, whose last answered poll was not Disconnected (the log ended mid-call).',
  },
  { name: 'answer_rate', type: 'float', doc: 'answered / (calls - in_progress); empty when that is 0.' },
  { name: 'median_time_to_alerted_s', type: 'float', doc: 'Median time_to_alerted_s of the calls that reached Alerted.' },
  { name: 'median_time_to_connected_s', type: 'float', doc: 'Median time_to_connected_s of the calls that connected.' },
];

/** `um_daily`: calls rolled up by the UTC day of first_seen. */
export const UM_DAILY: TableSchema = {
  name: 'um_daily',
  columns: [{ name: 'day', type: 'string', doc: 'UTC day of first_seen, YYYY-MM-DD.' }, ...OUTCOME_COLUMNS],
};

/** `um_causes`: calls rolled up by end_cause. */
export const UM_CAUSES: TableSchema = {
  name: 'um_causes',
  columns: [
    { name: 'end_cause', type: 'string', doc: 'end_cause as seen (documented values first, then unrecognized ones); empty for calls with only faults.' },
    { name: 'recognized', type: 'bool', doc: 'end_cause is a documented EventCause (None, UserBusy, NoAnswer, Other, Unavailable).' },
    { name: 'share', type: 'float', doc: 'calls / all calls.' },
    ...OUTCOME_COLUMNS,
  ],
};

export const UM_TABLES: readonly TableSchema[] = [UM_CALLS, UM_DAILY, UM_CAUSES];
