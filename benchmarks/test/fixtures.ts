/** Results as the harness makes them, for the pure parts' tests. */
import { summarize } from '../src/summarize.js';
import type { DatasetResult, DatasetSpec, Sample, VariantId } from '../src/types.js';

export const ARRAY_40MB: DatasetSpec = { format: 'array', gzip: false, bytes: 40e6, seed: 1 };
export const ARRAY_150MB: DatasetSpec = { ...ARRAY_40MB, bytes: 150e6 };

export function ok(wallMs: number, maxRssMb = 100, records = 1000, streams = 4000): Sample {
  return { ok: true, wallMs, maxRssKb: (maxRssMb * 1e6) / 1024, cpuMs: wallMs * 1.5, records, streams };
}

export const TOO_BIG: Sample = { ok: false, reason: 'too big for one string' };

/** A dataset result from wall times per variant (one entry per round; null: could not run). */
export function result(spec: DatasetSpec, times: Partial<Record<VariantId, ReadonlyArray<number | null>>>, rssMb = 100): DatasetResult {
  const samples = new Map<VariantId, Sample[]>();
  for (const [id, list] of Object.entries(times) as Array<[VariantId, ReadonlyArray<number | null>]>) {
    samples.set(
      id,
      list.map((t) => (t === null ? TOO_BIG : ok(t, rssMb))),
    );
  }
  return summarize({ ...spec, path: '/tmp/x.json', fileBytes: spec.bytes, jsonBytes: spec.bytes }, samples);
}
