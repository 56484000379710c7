/** A small table written whole, in each requested format, into an output folder. */
import type { ColumnBatch } from '../table/schema.js';
import { csvHeader, encodeCsv } from './csv.js';
import { encodeJsonLines } from './jsonl.js';
import type { OutputDir } from './output.js';
import { encodeParquetBatches } from './parquet.js';

export type TableFormat = 'csv' | 'parquet' | 'json';

/** Writes `<name>.csv`, `<name>.parquet` and/or `<name>.jsonl`; returns the file names written. Other formats in the list (html: a page, not a table) are not table formats and are passed over. */
export async function writeTable(
  output: OutputDir,
  name: string,
  batch: ColumnBatch,
  formats: readonly (TableFormat | (string & {}))[],
  csvRaw: boolean,
): Promise<string[]> {
  const written: string[] = [];
  if (formats.includes('csv')) {
    await output.writeFile(`${name}.csv`, csvHeader(batch.schema) + encodeCsv(batch, { raw: csvRaw }));
    written.push(`${name}.csv`);
  }
  if (formats.includes('parquet')) {
    await output.writeFile(`${name}.parquet`, encodeParquetBatches([batch]));
    written.push(`${name}.parquet`);
  }
  if (formats.includes('json')) {
    await output.writeFile(`${name}.jsonl`, encodeJsonLines(batch));
    written.push(`${name}.jsonl`);
  }
  return written;
}
