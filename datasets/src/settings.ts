/** The generator's options, checked and completed with defaults. */
import { ErrorCode, fail } from '../../packages/core/src/errors.js';
import type { Anomaly } from './anomalies.js';
import { ANOMALIES, DEFAULT_POOR_SHARES, VIDEO_ANOMALIES } from './anomalies.js';
import type { IdentityEra } from './endpoint.js';
import { MAX_SUBNETS } from './network.js';

export type CallKind = 'peerToPeer' | 'pstn' | 'group';

export interface GenerateOptions {
  /** How many records to yield (duplicates included). Infinity: until the consumer stops. */
  readonly records: number;
  readonly seed: number;
  /** Share of eligible streams made poor for each reason (audio reasons: audio streams; video reasons: video and VBSS). */
  readonly poor?: Partial<Record<Anomaly, number>>;
  /** Share of yielded records that repeat an earlier id (default 0.02). */
  readonly duplicateShare?: number;
  /** Of those repeats, the share that are identical copies; the others carry another version (default 0.3). */
  readonly identicalCopyShare?: number;
  /** Of records with more sessions than `sessionPageSize`, the share exported without following the nextLink (default 0.5). */
  readonly truncatedShare?: number;
  /** Sessions per page (Graph: 60; `Prefer: odata.maxpagesize` can lower it). */
  readonly sessionPageSize?: number;
  /** participants_v2 per page (Graph: 130). */
  readonly participantPageSize?: number;
  /** Mix of call kinds (relative weights; a kind left out gets none). Default { peerToPeer: 50, pstn: 15, group: 35 }. */
  readonly kinds?: Partial<Record<CallKind, number>>;
  /** Median sessions of a group call (log-normal, sigma 1.1), capped by maxSessions. */
  readonly groupMedianSessions?: number;
  readonly maxSessions?: number;
  /** Mix of identity eras (relative weights; an era left out gets none). Default { old: 25, new: 45, both: 30 }. */
  readonly eras?: Partial<Record<IdentityEra, number>>;
  /** Tenant users calls are drawn from. */
  readonly users?: number;
  /** Distinct subnets networks are drawn from (at most 32,768); default: the built-in few (about 500). */
  readonly subnets?: number;
  /** Calls start within `days` days after this UTC instant. */
  readonly start?: string;
  readonly days?: number;
  /** Chance of an enum value newer than the documented lists (per enum drawn). */
  readonly novelShare?: number;
  /** Chance that a metric is null, and separately that it is left out. */
  readonly missingShare?: number;
  /** Share of streams whose endpoint sent no QoE report (every metric null). */
  readonly unreportedShare?: number;
  /** Session failures: share at call setup and mid-call. */
  readonly setupFailureShare?: number;
  readonly dropShare?: number;
  /** Share of participant endpoints with userFeedback. */
  readonly feedbackShare?: number;
}

export interface Settings {
  readonly records: number;
  readonly seed: number;
  readonly poor: Readonly<Record<Anomaly, number>>;
  readonly duplicateShare: number;
  readonly identicalCopyShare: number;
  readonly truncatedShare: number;
  readonly sessionPageSize: number;
  readonly participantPageSize: number;
  readonly kinds: Readonly<Record<CallKind, number>>;
  readonly groupMedianSessions: number;
  readonly maxSessions: number;
  readonly eras: Readonly<Record<IdentityEra, number>>;
  readonly users: number;
  readonly subnets: number | null;
  readonly startMs: number;
  readonly days: number;
  readonly novelShare: number;
  readonly missingShare: number;
  readonly unreportedShare: number;
  readonly setupFailureShare: number;
  readonly dropShare: number;
  readonly feedbackShare: number;
}

export const DEFAULT_KINDS: Readonly<Record<CallKind, number>> = { peerToPeer: 50, pstn: 15, group: 35 };
export const DEFAULT_ERAS: Readonly<Record<IdentityEra, number>> = { old: 25, new: 45, both: 30 };
export const DEFAULT_START = '2025-03-03T00:00:00Z';

function usage(message: string): Error {
  return fail(ErrorCode.Usage, message);
}

function share(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !(value >= 0 && value <= 1)) throw usage(`options.${name} must be a number in 0..1, got ${String(value)}`);
  return value;
}

function count(name: string, value: number | undefined, fallback: number, min: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) throw usage(`options.${name} must be an integer >= ${min}, got ${String(value)}`);
  return value;
}

function bounded(name: string, value: number, min: number, max: number): number {
  const checked = count(name, value, min, min);
  if (checked > max) throw usage(`options.${name} must be at most ${max}, got ${value}`);
  return checked;
}

function weights<K extends string>(name: string, value: Partial<Record<K, number>> | undefined, fallback: Readonly<Record<K, number>>): Record<K, number> {
  if (value === undefined) return { ...fallback };
  // Given weights replace the defaults: a kind left out gets none.
  const out = {} as Record<K, number>;
  for (const key of Object.keys(fallback) as K[]) out[key] = 0;
  let total = 0;
  for (const key of Object.keys(value) as K[]) {
    if (!(key in fallback)) throw usage(`options.${name}.${key} is not one of ${Object.keys(fallback).join(', ')}`);
    const weight = value[key];
    if (typeof weight !== 'number' || !(weight >= 0) || !Number.isFinite(weight)) throw usage(`options.${name}.${key} must be a finite number >= 0`);
    out[key] = weight;
  }
  for (const key of Object.keys(out) as K[]) total += out[key];
  if (total <= 0) throw usage(`options.${name} must give some weight to at least one value`);
  return out;
}

export function resolveSettings(options: GenerateOptions): Settings {
  if (typeof options !== 'object' || options === null) throw usage('options must be an object');
  const { records, seed } = options;
  if (!(records === Infinity || (Number.isInteger(records) && records >= 0)))
    throw usage(`options.records must be an integer >= 0 (or Infinity), got ${String(records)}`);
  if (!Number.isInteger(seed)) throw usage(`options.seed must be an integer, got ${String(seed)}`);
  const poor = { ...DEFAULT_POOR_SHARES };
  for (const key of Object.keys(options.poor ?? {}) as Anomaly[]) {
    if (!ANOMALIES.includes(key)) throw usage(`options.poor.${key} is not one of ${ANOMALIES.join(', ')}`);
    poor[key] = share(`poor.${key}`, options.poor?.[key], poor[key]);
  }
  const videoTotal = VIDEO_ANOMALIES.reduce((sum, key) => sum + poor[key], 0);
  if (videoTotal > 0.5) throw usage(`options.poor: the video shares (${VIDEO_ANOMALIES.join(', ')}) must add up to at most 0.5, got ${videoTotal}`);
  const start = options.start ?? DEFAULT_START;
  const startMs = Date.parse(start);
  if (Number.isNaN(startMs)) throw usage(`options.start must be an ISO-8601 date, got ${JSON.stringify(start)}`);
  const sessionPageSize = count('sessionPageSize', options.sessionPageSize, 60, 1);
  return {
    records,
    seed,
    poor,
    duplicateShare: share('duplicateShare', options.duplicateShare, 0.02),
    identicalCopyShare: share('identicalCopyShare', options.identicalCopyShare, 0.3),
    truncatedShare: share('truncatedShare', options.truncatedShare, 0.5),
    sessionPageSize,
    participantPageSize: count('participantPageSize', options.participantPageSize, 130, 1),
    kinds: weights('kinds', options.kinds, DEFAULT_KINDS),
    groupMedianSessions: count('groupMedianSessions', options.groupMedianSessions, 5, 2),
    maxSessions: count('maxSessions', options.maxSessions, 400, 2),
    eras: weights('eras', options.eras, DEFAULT_ERAS),
    users: count('users', options.users, 2000, 2),
    subnets: options.subnets === undefined ? null : bounded('subnets', options.subnets, 1, MAX_SUBNETS),
    startMs,
    days: count('days', options.days, 30, 1),
    novelShare: share('novelShare', options.novelShare, 0.004),
    missingShare: share('missingShare', options.missingShare, 0.01),
    unreportedShare: share('unreportedShare', options.unreportedShare, 0.03),
    setupFailureShare: share('setupFailureShare', options.setupFailureShare, 0.01),
    dropShare: share('dropShare', options.dropShare, 0.02),
    feedbackShare: share('feedbackShare', options.feedbackShare, 0.05),
  };
}
