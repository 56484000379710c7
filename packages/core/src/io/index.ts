/** The writers: CSV and Parquet encoding, the atomic output folder, rejects. */
export { csvHeader, encodeCsv } from './csv.js';
export type { CsvOptions } from './csv.js';
export { batchToIPC, DEFAULT_ROW_GROUP_ROWS, encodeParquet, encodeParquetBatches, MAX_PARQUET_IPC_BYTES } from './parquet.js';
export type { ParquetCompression, ParquetOptions } from './parquet.js';
export { isWriteFailure, OutputDir, writeFailed } from './output.js';
export { beforeWrite } from './fault.js';
export type { AppendFile, OutputDirOptions } from './output.js';
export { encodeRejectLine, readFirstRejects } from './rejects.js';
export type { RejectEntry } from './rejects.js';
export { encodeJsonLines } from './jsonl.js';
export { writeTable } from './write-table.js';
export type { TableFormat } from './write-table.js';
