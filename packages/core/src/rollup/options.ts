import { ErrorCode, fail } from '../errors.js';
import { DEFAULT_HEALTH, type HealthRules } from '../quality/types.js';
import { STREAMS } from '../table/tables.js';

export interface RollupOptions {
  /** Extra group-bys, each a list of streams-table column names; one rollup table per list. */
  groupBy?: readonly (readonly string[])[];
  /** IANA time zone for the day rollup (the local day of the call start). Default UTC. */
  tz?: string;
  /** Relative accuracy of the quantile sketch, 0.0001..0.5. Default 0.01 (1%). */
  relativeAccuracy?: number;
  /** Health thresholds of every rollup row (the rule set's `health`). Default DEFAULT_HEALTH. */
  health?: HealthRules;
}

/** Options after validation: every field present and canonical. */
export interface ResolvedRollupOptions {
  readonly groupBy: readonly (readonly string[])[];
  readonly tz: string;
  readonly relativeAccuracy: number;
  readonly health: HealthRules;
}

export const DEFAULT_RELATIVE_ACCURACY = 0.01;
export const MIN_RELATIVE_ACCURACY = 0.0001;
export const MAX_RELATIVE_ACCURACY = 0.5;

/** Free text: never a rollup key (the users' own words would land in the tables and report.html, and outlive --redact's pseudonyms). */
const NEVER_GROUPED = new Set(['caller_feedback_text', 'callee_feedback_text']);
const STREAM_COLUMNS = new Set(STREAMS.columns.map((column) => column.name).filter((name) => !NEVER_GROUPED.has(name)));

function usage(message: string): never {
  throw fail(ErrorCode.Usage, message);
}

function resolveGroupBy(groupBy: unknown): string[][] {
  if (groupBy === undefined) return [];
  if (!Array.isArray(groupBy)) usage(`rollup option groupBy must be a list of column lists, got ${typeof groupBy}`);
  const seen = new Set<string>();
  const out: string[][] = [];
  groupBy.forEach((list: unknown, position) => {
    if (!Array.isArray(list) || list.some((name) => typeof name !== 'string')) {
      usage(`rollup option groupBy[${position}] must be a list of column names`);
    }
    const names = (list as string[]).map((name) => name.trim());
    if (names.length === 0 || names.some((name) => name === '')) usage(`group-by ${position + 1} is empty or has an empty column name`);
    for (const name of names) {
      if (NEVER_GROUPED.has(name)) usage(`group-by '${names.join(',')}': '${name}' is free text (Rate My Call feedback), never a rollup key`);
      if (!STREAM_COLUMNS.has(name)) {
        usage(`group-by '${names.join(',')}': unknown column '${name}'; group-by columns come from the streams table (${[...STREAM_COLUMNS].join(', ')})`);
      }
    }
    const duplicate = names.find((name, i) => names.indexOf(name) !== i);
    if (duplicate !== undefined) usage(`group-by '${names.join(',')}': column '${duplicate}' is named twice`);
    const id = names.join(',');
    if (!seen.has(id)) {
      seen.add(id);
      out.push(names);
    }
  });
  return out;
}

/** Canonical zone names by the name given: building an Intl.DateTimeFormat costs milliseconds. */
const canonicalZones = new Map<string, string>([['UTC', 'UTC']]);

function resolveTz(tz: unknown): string {
  if (tz === undefined) return 'UTC';
  if (typeof tz !== 'string' || tz.trim() === '') usage(`rollup option tz must be an IANA time zone name such as Europe/Helsinki`);
  const known = canonicalZones.get(tz);
  if (known !== undefined) return known;
  try {
    const canonical = new Intl.DateTimeFormat('en-US', { timeZone: tz.trim() }).resolvedOptions().timeZone;
    canonicalZones.set(tz, canonical);
    return canonical;
  } catch (cause) {
    throw fail(ErrorCode.Usage, `unknown time zone '${tz}': expected an IANA name such as UTC or Europe/Helsinki`, { cause });
  }
}

function resolveAccuracy(value: unknown): number {
  if (value === undefined) return DEFAULT_RELATIVE_ACCURACY;
  if (typeof value !== 'number' || !(value >= MIN_RELATIVE_ACCURACY && value <= MAX_RELATIVE_ACCURACY)) {
    usage(`rollup option relativeAccuracy must be a number from ${MIN_RELATIVE_ACCURACY} to ${MAX_RELATIVE_ACCURACY}, got ${String(value)}`);
  }
  return value;
}

function resolveHealth(value: unknown): HealthRules {
  if (value === undefined) return DEFAULT_HEALTH;
  const health = value as Partial<HealthRules> | null;
  const pct = (x: unknown): boolean => typeof x === 'number' && x >= 0 && x <= 100;
  if (
    typeof health !== 'object' ||
    health === null ||
    !pct(health.degraded_pct) ||
    !pct(health.critical_pct) ||
    !(health.degraded_pct! <= health.critical_pct!) ||
    !Number.isInteger(health.min_classified_audio) ||
    health.min_classified_audio! < 0
  ) {
    usage(
      `rollup option health must be { degraded_pct, critical_pct (0..100, degraded <= critical), min_classified_audio (an integer >= 0) }, got ${JSON.stringify(value)}`,
    );
  }
  const { degraded_pct, critical_pct, min_classified_audio } = health as HealthRules;
  return { degraded_pct, critical_pct, min_classified_audio };
}

/**
 * Checks and normalises rollup options: group-by column names trimmed and checked against the
 * streams table, identical group-bys kept once; tz canonicalised (europe/helsinki -> Europe/Helsinki);
 * defaults filled in. Throws E_USAGE naming the problem.
 */
export function validateRollupOptions(options: RollupOptions): ResolvedRollupOptions {
  if (typeof options !== 'object' || options === null) usage('rollup options must be an object');
  return {
    groupBy: resolveGroupBy(options.groupBy),
    tz: resolveTz(options.tz),
    relativeAccuracy: resolveAccuracy(options.relativeAccuracy),
    health: resolveHealth(options.health),
  };
}
