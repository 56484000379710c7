/**
 * Rollups of the call log tables (`pstn_calls`, `direct_routing_calls`): per group, calls,
 * successful calls, success %, total / mean / p50 / p90 duration and distinct users.
 *
 * Mergeable partials with exact figures: counts and the duration total are integers, the duration
 * percentiles come from an exact histogram (seconds -> calls; durations are whole seconds) and
 * users from the set of distinct user ids, so merging partials in any grouping gives the same
 * numbers. The engine adds a log row once it is known not to be a duplicate (on the main thread,
 * in input order: engine/logs.ts). Memory: per group, one entry per distinct duration and per
 * distinct user.
 */
import { ErrorCode, fail } from '../errors.js';
import type { CellValue, ColumnBatch, ColumnDef, TableSchema } from '../table/schema.js';
import { columnIndex } from '../table/schema.js';
import { DIRECT_ROUTING_CALLS, LOG_TABLES, PSTN_CALLS } from '../table/logs.js';
import type { LogTableName } from '../table/logs.js';
import { dayOfTimestamp } from './day.js';
import { float, int } from './schemas.js';

export interface LogRollupDef {
  readonly name: string;
  readonly table: LogTableName;
  /** Key columns of the log table, or 'day' (the local day of call_start in the run's zone). */
  readonly keys: readonly string[];
  /** Most calls first (then the keys), rather than by the keys. */
  readonly ranked: boolean;
  readonly doc: string;
}

export const LOG_ROLLUPS: readonly LogRollupDef[] = [
  {
    name: 'rollup_pstn_call_type',
    table: 'pstn_calls',
    keys: ['call_type'],
    ranked: false,
    doc: 'PSTN rows by callType (direction and kind: user_in, user_out, conf_in, ...).',
  },
  {
    name: 'rollup_pstn_destination',
    table: 'pstn_calls',
    keys: ['destination_context', 'destination_name'],
    ranked: true,
    doc: 'Ranked (most calls first): PSTN rows by destinationContext and destinationName (the country or region dialed).',
  },
  { name: 'rollup_pstn_day', table: 'pstn_calls', keys: ['day'], ranked: false, doc: 'PSTN rows by local day of call_start in --tz (default UTC).' },
  {
    name: 'rollup_dr_trunk',
    table: 'direct_routing_calls',
    keys: ['trunk_fqdn'],
    ranked: false,
    doc: 'Direct Routing rows by session border controller (trunk FQDN).',
  },
  {
    name: 'rollup_dr_day',
    table: 'direct_routing_calls',
    keys: ['day'],
    ranked: false,
    doc: 'Direct Routing rows by local day of call_start in --tz (default UTC).',
  },
  {
    name: 'rollup_dr_sip_code',
    table: 'direct_routing_calls',
    keys: ['final_sip_code', 'final_sip_code_phrase', 'call_end_sub_reason'],
    ranked: true,
    doc: 'Ranked (most calls first): Direct Routing rows by how they ended: finalSipCode, finalSipCodePhrase, callEndSubReason.',
  },
  {
    name: 'rollup_dr_location',
    table: 'direct_routing_calls',
    keys: ['media_path_location', 'signaling_location'],
    ranked: false,
    doc: 'Direct Routing rows by mediaPathLocation and signalingLocation (datacenters).',
  },
];

/** The measure columns of every log rollup, after its keys. */
export const LOG_MEASURE_COLUMNS: readonly ColumnDef[] = [
  int('calls', 'Log rows in the group (each row id once).'),
  int('successful', 'Of those, successful calls: Direct Routing successfulCall true; PSTN duration above 0 (connected).'),
  float('success_pct', 'successful in percent of calls (0..100).'),
  int('duration_total_s', 'Sum of duration, seconds, over the rows that report one.'),
  float('duration_mean_s', 'duration_total_s / the rows that report a duration; empty when none do.'),
  int('duration_p50_s', 'Nearest-rank median duration, seconds (exact); empty when no row reports one.'),
  int('duration_p90_s', 'Nearest-rank 90th percentile duration, seconds (exact); empty when no row reports one.'),
  int('users', 'Distinct user ids in the group (rows without a user id, such as bot calls, not counted).'),
];

const DAY: ColumnDef = { name: 'day', type: 'string', doc: 'Local day of call_start, YYYY-MM-DD.' };

function keyDefs(def: LogRollupDef): ColumnDef[] {
  const table = LOG_TABLES[def.table];
  return def.keys.map((key) => (key === 'day' ? DAY : table.columns[columnIndex(table, key)]!));
}

export function logRollupSchema(def: LogRollupDef): TableSchema {
  return { name: def.name, columns: [...keyDefs(def), ...LOG_MEASURE_COLUMNS] };
}

/** Every log rollup table's schema, in output order (for writers and the README). */
export function logRollupSchemas(): TableSchema[] {
  return LOG_ROLLUPS.map(logRollupSchema);
}

interface Group {
  readonly keys: CellValue[];
  calls: number;
  successful: number;
  durationTotal: number;
  /** Seconds -> rows. */
  readonly durations: Map<number, number>;
  readonly users: Set<string>;
}

/** Per rollup name, groups by their encoded key. Plain data: merged with mergeLogPartial. */
export interface LogRollupPartial {
  readonly tz: string;
  readonly groups: Map<string, Map<string, Group>>;
}

const COLUMNS = {
  pstn_calls: columnsOf(PSTN_CALLS),
  direct_routing_calls: columnsOf(DIRECT_ROUTING_CALLS),
};

function columnsOf(schema: TableSchema) {
  return {
    start: columnIndex(schema, 'call_start'),
    duration: columnIndex(schema, 'duration_s'),
    successful: columnIndex(schema, 'successful'),
    user: columnIndex(schema, 'user_id'),
  };
}

export function emptyLogPartial(tz: string): LogRollupPartial {
  return { tz, groups: new Map(LOG_ROLLUPS.map((def) => [def.name, new Map()])) };
}

/** Per rollup, the column index of each key in its table's rows (-1: the day). */
const KEY_INDEXES: ReadonlyMap<string, readonly number[]> = new Map(
  LOG_ROLLUPS.map((def) => [def.name, def.keys.map((key) => (key === 'day' ? -1 : columnIndex(LOG_TABLES[def.table], key)))]),
);

/** Adds one row of a log table (values in its column order) to every rollup of that table. */
export function addLogRow(partial: LogRollupPartial, table: LogTableName, values: readonly CellValue[]): void {
  const at = COLUMNS[table];
  const start = values[at.start];
  const day = typeof start === 'number' ? dayOfTimestamp(partial.tz)(start) : null;
  const duration = values[at.duration];
  const user = values[at.user];
  for (const def of LOG_ROLLUPS) {
    if (def.table !== table) continue;
    const keys = KEY_INDEXES.get(def.name)!.map((index) => (index < 0 ? day : (values[index] ?? null)));
    const group = groupOf(partial.groups.get(def.name)!, keys);
    group.calls++;
    if (values[at.successful] === true) group.successful++;
    if (typeof duration === 'number') {
      group.durationTotal += duration;
      group.durations.set(duration, (group.durations.get(duration) ?? 0) + 1);
    }
    if (typeof user === 'string' && user !== '') group.users.add(user);
  }
}

function groupOf(groups: Map<string, Group>, keys: CellValue[]): Group {
  const encoded = JSON.stringify(keys);
  let group = groups.get(encoded);
  if (group === undefined) {
    group = { keys, calls: 0, successful: 0, durationTotal: 0, durations: new Map(), users: new Set() };
    groups.set(encoded, group);
  }
  return group;
}

/** Merges `from` into `into`, in place. */
export function mergeLogPartial(into: LogRollupPartial, from: LogRollupPartial): void {
  if (into.tz !== from.tz) throw fail(ErrorCode.Internal, `log rollup partials of different time zones (${into.tz}, ${from.tz})`);
  for (const [name, groups] of from.groups) {
    const target = into.groups.get(name)!;
    for (const group of groups.values()) {
      const to = groupOf(target, group.keys);
      to.calls += group.calls;
      to.successful += group.successful;
      to.durationTotal += group.durationTotal;
      for (const [seconds, count] of group.durations) to.durations.set(seconds, (to.durations.get(seconds) ?? 0) + count);
      for (const user of group.users) to.users.add(user);
    }
  }
}

/** Nearest-rank percentile of a histogram holding `total` values. */
function percentile(durations: ReadonlyMap<number, number>, total: number, p: number): number | null {
  if (total === 0) return null;
  const rank = Math.max(1, Math.ceil((p / 100) * total));
  let seen = 0;
  for (const seconds of [...durations.keys()].sort((a, b) => a - b)) {
    seen += durations.get(seconds)!;
    if (seen >= rank) return seconds;
  }
  return null;
}

/** null first, then numbers ascending, then strings in code-unit order (as the other rollups sort). */
function compareCells(a: CellValue, b: CellValue): number {
  if (a === b) return 0;
  if (a === null) return -1;
  if (b === null) return 1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const x = String(a);
  const y = String(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

function compareKeys(a: readonly CellValue[], b: readonly CellValue[]): number {
  for (let i = 0; i < a.length; i++) {
    const order = compareCells(a[i]!, b[i]!);
    if (order !== 0) return order;
  }
  return 0;
}

/**
 * The rollup tables of the log tables `seen` names (a table the run saw no row of has none), in
 * LOG_ROLLUPS order, rows sorted by their keys (ranked rollups: most calls first, then the keys).
 */
export function finalizeLogRollups(partial: LogRollupPartial, seen: ReadonlySet<LogTableName>): Array<{ name: string; batch: ColumnBatch }> {
  const out: Array<{ name: string; batch: ColumnBatch }> = [];
  for (const def of LOG_ROLLUPS) {
    if (!seen.has(def.table)) continue;
    const groups = [...partial.groups.get(def.name)!.values()].sort((a, b) => (def.ranked ? b.calls - a.calls : 0) || compareKeys(a.keys, b.keys));
    const schema = logRollupSchema(def);
    const columns: CellValue[][] = schema.columns.map(() => []);
    for (const group of groups) {
      let reported = 0;
      for (const count of group.durations.values()) reported += count;
      const values: CellValue[] = [
        ...group.keys,
        group.calls,
        group.successful,
        group.calls > 0 ? (100 * group.successful) / group.calls : null,
        group.durationTotal,
        reported > 0 ? group.durationTotal / reported : null,
        percentile(group.durations, reported, 50),
        percentile(group.durations, reported, 90),
        group.users.size,
      ];
      for (const [i, value] of values.entries()) columns[i]!.push(value);
    }
    out.push({ name: def.name, batch: { schema, length: groups.length, columns } });
  }
  return out;
}
