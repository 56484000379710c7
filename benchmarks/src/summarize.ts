/** From the samples of one dataset to its result: the count check, medians and ratios. Pure. */
import { VARIANT_LABELS } from './describe.js';
import { medians, pairedRatio, wallTimes } from './stats.js';
import type { Dataset, DatasetResult, Sample, VariantId } from './types.js';

/** The 1-worker twin of an all-cores report, for the "vs 1 worker" ratio. */
const ONE_WORKER: Readonly<Partial<Record<VariantId, VariantId>>> = {
  'report-csv-all': 'report-csv-1',
  'report-parquet-all': 'report-parquet-1',
};

type Samples = ReadonlyMap<VariantId, readonly Sample[]>;

/**
 * Every run must have seen the same records and streams; returns them. Throws naming both sides
 * at the first run that disagrees: a benchmark of a wrong answer is worse than none.
 */
export function checkCounts(path: string, samples: Samples): { records: number; streams: number } {
  // The reference is a run that counted records; a run that counts none (DuckDB) is held to the streams.
  const counted = [...samples].flatMap(([id, list]) =>
    list.flatMap((s) => (s.ok && s.records !== null ? [{ id, records: s.records, streams: s.streams }] : [])),
  );
  let reference: { id: VariantId; records: number; streams: number } | null = counted[0] ?? null;
  for (const [id, list] of samples) {
    for (const s of list) {
      if (!s.ok) continue;
      reference ??= { id, records: Number.NaN, streams: s.streams };
      if ((s.records !== null && s.records !== reference.records) || s.streams !== reference.streams) {
        throw new Error(
          `${path}: variants disagree: ${VARIANT_LABELS[reference.id]} saw ${reference.records} records / ${reference.streams} streams, ` +
            `${VARIANT_LABELS[id]} saw ${s.records ?? '?'} / ${s.streams}`,
        );
      }
    }
  }
  if (reference === null) throw new Error(`${path}: no variant could run`);
  return { records: reference.records, streams: reference.streams };
}

function ratioTo(samples: Samples, reference: VariantId | undefined, id: VariantId): number | null {
  const ref = reference === undefined || reference === id ? undefined : samples.get(reference);
  return ref === undefined ? null : pairedRatio(wallTimes(ref), wallTimes(samples.get(id) ?? []));
}

export function summarize(dataset: Dataset, samples: Samples): DatasetResult {
  const counts = checkCounts(dataset.path, samples);
  const variants = [...samples].map(([id, list]) => {
    const reasons = list.flatMap((s) => (s.ok ? [] : [s.reason]));
    return {
      id,
      samples: list,
      medians: medians(list, dataset.jsonBytes),
      ratios: {
        toA: ratioTo(samples, 'baseline-a', id),
        toB: ratioTo(samples, 'baseline-b', id),
        toDuckdb: ratioTo(samples, 'duckdb', id),
        toOneWorker: ratioTo(samples, ONE_WORKER[id], id),
      },
      unsupported: reasons.length === list.length && reasons.length > 0 ? reasons[0]! : null,
    };
  });
  return { dataset, ...counts, variants };
}
