/**
 * generateRecords: a deterministic stream of Graph callRecords. Most are new calls; a configurable
 * share repeats an id seen a little earlier: an identical copy, an update with a higher version and
 * a later lastModifiedDateTime, or a stale copy with a lower version (exports are not ordered).
 */
import type { Anomaly } from './anomalies.js';
import { ANOMALIES, NETWORK_WEIGHT_MEAN } from './anomalies.js';
import type { JsonObject } from './json.js';
import { makePopulation } from './population.js';
import { Rng, deriveSeed } from './random.js';
import type { World } from './record.js';
import { buildRecord } from './record.js';
import type { GenerateOptions, Settings } from './settings.js';
import { resolveSettings } from './settings.js';
import { isoTime } from './time.js';

/** A callRecord as plain JSON data. */
export type GraphRecord = JsonObject;

/** Salt of the random stream that decides which slots are repeats. */
const SCHEDULE_STREAM = 0x7ffffffe;
/** Repeats re-emit one of the last this many new records. */
const REPEAT_WINDOW = 500;

/** Checks the options, then returns the (lazy) stream of records. */
export function generateRecords(options: GenerateOptions): Generator<GraphRecord> {
  return _generateRecords(resolveSettings(options));
}

export function makeWorld(settings: Settings): World {
  const poorPerWeight = {} as Record<Anomaly, number>;
  for (const key of ANOMALIES) poorPerWeight[key] = settings.poor[key] / NETWORK_WEIGHT_MEAN;
  return { settings, population: makePopulation(settings.seed, settings.users), poorPerWeight };
}

export function* _generateRecords(settings: Settings): Generator<GraphRecord> {
  const world = makeWorld(settings);
  const schedule = new Rng(deriveSeed(settings.seed, SCHEDULE_STREAM));
  /** How often each recent record was re-emitted with another version, so versions never collide. */
  const bumps = new Map<number, number>();
  let fresh = 0;
  for (let slot = 0; slot < settings.records; slot++) {
    if (fresh === 0 || !schedule.chance(settings.duplicateShare)) {
      bumps.delete(fresh - REPEAT_WINDOW);
      yield buildRecord(world, fresh++);
      continue;
    }
    const index = fresh - 1 - schedule.int(0, Math.min(REPEAT_WINDOW, fresh) - 1);
    const record = buildRecord(world, index);
    if (schedule.chance(settings.identicalCopyShare)) {
      yield record;
      continue;
    }
    const version = record.version as number;
    const bump = (bumps.get(index) ?? 0) + 1;
    bumps.set(index, bump);
    const stale = bump === 1 && version > 1 && schedule.chance(0.25);
    const modified = Date.parse(`${(record.lastModifiedDateTime as string).slice(0, 23)}Z`);
    // A stale copy was written a little before the record we already emitted, an update later.
    const minutes = stale ? -schedule.float(0.5, 1.9) : (bump - 1) * 600 + schedule.float(5, 600);
    record.version = stale ? version - 1 : version + bump;
    record.lastModifiedDateTime = isoTime(modified + minutes * 60_000, schedule.int(0, 9999));
    yield record;
  }
}
