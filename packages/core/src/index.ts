/**
 * @callaudit/core: the public API. One explicit list; internals stay out.
 * A test snapshots this list so that the API changes only on purpose.
 */
export { CallauditError, ErrorCode, fail, isCallauditError } from './errors.js';

// Tables: contracts as data.
export type { CellValue, ColumnBatch, ColumnDef, ColumnType, TableSchema } from './table/schema.js';
export { CALLS, STREAMS } from './table/tables.js';
export { DIRECT_ROUTING_CALLS, PSTN_CALLS } from './table/logs.js';
export type { LogTableName } from './table/logs.js';

// Quality model: classify a stream, score it, rules as data.
export type {
  BuiltinRuleSetName,
  Classification,
  CqdClass,
  EModelScore,
  HealthRules,
  HealthState,
  PoorReason,
  RuleSet,
  StreamKind,
  StreamMetrics,
  TargetFigure,
  UnclassifiedReason,
} from './quality/index.js';
export {
  BUILTIN_RULE_SETS,
  classifyStream,
  CQD_TARGETS,
  DEFAULT_HEALTH,
  DEFAULT_RULE_SET,
  describeRules,
  eModel,
  HEALTH_STATES,
  isBuiltinRuleSetName,
  parseRuleSet,
  POOR_REASONS,
  resolveRules,
  STREAM_KINDS,
  streamKind,
  UNCLASSIFIED_REASONS,
} from './quality/index.js';
export { loadRuleFile } from './config/rules-file.js';

// The report run.
export type { OutputFormat, Progress, ReportOptions, TableName } from './engine/options.js';
export { OUTPUT_FORMATS } from './engine/options.js';
export type { InputReport, ReportResult, RunCounts } from './engine/run.js';
export { runReport } from './engine/run.js';
export type { Breach, HeadlineMos, HeadlineTarget, HeadlineTargets, ModalityHeadline, RunSummary, SummaryCounts, WorstGroup } from './engine/summary.js';
export { buildSummary, describeBreach, findBreaches, renderSummaryText } from './engine/summary.js';
export { rollupSchemas } from './rollup/index.js';
export { logRollupSchemas } from './rollup/logs.js';

// Ingest: read records from files, folders, globs or stdin, with provenance.
export type { IngestEvent, IngestProblem, InputFormat, InputInfo, ProblemKind, ReadOptions, RecordKey, RecordSlice } from './ingest/index.js';
export { DEFAULT_INCLUDE, DEFAULT_MAX_RECORD_BYTES, readRecords } from './ingest/index.js';

// Schema and flattening: validate a record, turn it into stream and call rows.
export type { CallRecord, DocumentKind, ValidationResult } from './schema/index.js';
export { callRecordSchema, dateTimeToMs, durationToMs, recognizeDocument, validateCallRecord } from './schema/index.js';
export { directRoutingLogRowSchema, pstnCallLogRowSchema, validateLogRow } from './schema/logs.js';
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
  GraphRetryEvent,
  GraphStats,
  LogPiece,
  Manifest,
  MissingEntry,
  ShardEntry,
  ShardLimits,
} from './fetch/index.js';
export {
  DEFAULT_AUTHORITY_URL,
  DEFAULT_CONCURRENCY,
  DEFAULT_GRAPH_URL,
  fetchCallLogs,
  fetchCallRecords,
  MAX_CONCURRENCY,
  redactSecrets,
} from './fetch/index.js';
