/**
 * @callaudit/core: the public API. One explicit list; internals stay out.
 * A test snapshots this list so that the API changes only on purpose.
 */
export { CallauditError, ErrorCode, fail, isCallauditError } from './errors.js';

// Tables: contracts as data.
export type { CellValue, ColumnBatch, ColumnDef, ColumnType, TableSchema } from './table/schema.js';
export { CALLS, STREAMS } from './table/tables.js';

// Quality model: classify a stream, score it, rules as data.
export type {
  BuiltinRuleSetName,
  Classification,
  CqdClass,
  EModelScore,
  PoorReason,
  RuleSet,
  StreamKind,
  StreamMetrics,
  UnclassifiedReason,
} from './quality/index.js';
export {
  BUILTIN_RULE_SETS,
  classifyStream,
  DEFAULT_RULE_SET,
  describeRules,
  eModel,
  isBuiltinRuleSetName,
  parseRuleSet,
  POOR_REASONS,
  resolveRules,
  streamKind,
  UNCLASSIFIED_REASONS,
} from './quality/index.js';
export { loadRuleFile } from './config/rules-file.js';

// The report run.
export type { OutputFormat, Progress, ReportOptions, TableName } from './engine/options.js';
export type { InputReport, ReportResult, RunCounts } from './engine/run.js';
export { runReport } from './engine/run.js';
export type { ModalityHeadline, RunSummary, SummaryCounts, WorstGroup } from './engine/summary.js';
export { buildSummary, renderSummaryText } from './engine/summary.js';

// Ingest: read records from files, folders, globs or stdin, with provenance.
export type { IngestEvent, IngestProblem, InputFormat, InputInfo, ProblemKind, ReadOptions, RecordKey, RecordSlice } from './ingest/index.js';
export { DEFAULT_MAX_RECORD_BYTES, readRecords } from './ingest/index.js';

// Schema and flattening: validate a record, turn it into stream and call rows.
export type { CallRecord, ValidationResult } from './schema/index.js';
export { callRecordSchema, dateTimeToMs, durationToMs, validateCallRecord } from './schema/index.js';
export type { FlattenOutput } from './flatten/index.js';
export { flattenRecord } from './flatten/index.js';

// Writers: encode a table (a ColumnBatch) as CSV, Parquet or JSON Lines.
export type { CsvOptions, ParquetCompression, ParquetOptions } from './io/index.js';
export { csvHeader, encodeCsv, encodeJsonLines, encodeParquet } from './io/index.js';

// Exchange Unified Messaging (GetCallInfo, PlayOnPhone, Disconnect).
export type {
  CallInfo,
  CallInfoSample,
  CallOptions,
  CallState,
  EventCause,
  Outcome,
  PollLogOptions,
  PollObservation,
  RetryEvent,
  SoapFault,
  UmAuth,
  UmClient,
  UmClientOptions,
  UmOperation,
  UmReportFormat,
  UmReportOptions,
  UmReportResult,
  UmReportSummary,
  UmResult,
  WatchOptions,
} from './um/index.js';
export {
  CALL_STATES,
  createUmClient,
  EVENT_CAUSES,
  faultError,
  isCallState,
  isEventCause,
  OUTCOMES,
  runUmReport,
  UM_TABLES,
  watchCallInfo,
} from './um/index.js';

// Fetching from Microsoft Graph: complete call records, PSTN and Direct Routing logs.
export type {
  CallLogKind,
  FetchCounts,
  FetchKind,
  FetchOptions,
  FetchProgress,
  FetchResult,
  FetchStatus,
  FetchWindow,
  GraphAuth,
  GraphClientOptions,
  GraphResult,
  GraphRetryEvent,
  GraphStats,
  LogPiece,
  Manifest,
  MissingEntry,
  RecordFetch,
  ShardEntry,
  ShardLimits,
} from './fetch/index.js';
export {
  DEFAULT_AUTHORITY_URL,
  DEFAULT_CONCURRENCY,
  DEFAULT_GRAPH_URL,
  fetchCallLogs,
  fetchCallRecords,
  fetchCompleteRecord,
  GraphClient,
  LISTED,
  listCallRecordIds,
  listFilter,
  MANIFEST,
  MAX_CONCURRENCY,
  MAX_LOG_WINDOW_DAYS,
  MISSING,
  redact,
  RETENTION_DAYS,
  retentionWarning,
  SHARD_FOLDER,
  splitWindow,
} from './fetch/index.js';
