/** Names for what the tables show. */
import type { DatasetSpec, VariantId } from './types.js';

export const VARIANT_LABELS: Readonly<Record<VariantId, string>> = {
  'baseline-a': 'A: read whole file + JSON.parse',
  'baseline-b': 'B: stream-json',
  duckdb: 'D: DuckDB, schema in columns= (2 threads)',
  ingest: 'callaudit ingest only (1 thread)',
  'report-csv-1': 'report CSV, 1 worker',
  'report-csv-all': 'report CSV, all cores',
  'report-parquet-1': 'report CSV+Parquet, 1 worker',
  'report-parquet-all': 'report CSV+Parquet, all cores',
};

/** "ndjson.gz 300 MB": format, gzip and target size. */
export function datasetLabel(spec: DatasetSpec): string {
  return `${spec.format}${spec.gzip ? '.gz' : ''} ${formatBytes(spec.bytes)}`;
}

/** Decimal units (MB = 10^6 bytes), as in the MB/s column. */
export function formatBytes(bytes: number): string {
  if (bytes >= 1e9) return `${trim(bytes / 1e9)} GB`;
  if (bytes >= 1e6) return `${trim(bytes / 1e6)} MB`;
  if (bytes >= 1e3) return `${trim(bytes / 1e3)} KB`;
  return `${bytes} B`;
}

function trim(value: number): string {
  return value >= 100 ? value.toFixed(0) : String(Number(value.toFixed(1)));
}
