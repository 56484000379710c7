/**
 * @callaudit/core: the public API. One explicit list; internals stay out.
 * A test snapshots this list so that the API changes only on purpose.
 */
export { CallauditError, ErrorCode, fail, isCallauditError } from './errors.js';

// Tables: contracts as data.
export type { CellValue, ColumnBatch, ColumnDef, ColumnType, TableSchema } from './table/schema.js';
export { ColumnBuilder } from './table/schema.js';
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
  loadRuleFile,
  parseRuleSet,
  POOR_REASONS,
  resolveRules,
  streamKind,
  UNCLASSIFIED_REASONS,
} from './quality/index.js';

// The report run.
export type { OutputFormat, Progress, ReportOptions, TableName } from './engine/options.js';
export type { InputReport, ReportResult, RunCounts } from './engine/run.js';
export { runReport } from './engine/run.js';
export type { ModalityHeadline, RunSummary, SummaryCounts, WorstGroup } from './engine/summary.js';
export { buildSummary, renderSummaryText } from './engine/summary.js';

// Ingest: read records from files, folders, globs or stdin, with provenance.
export type { IngestEvent, IngestProblem, InputFormat, InputInfo, ProblemKind, ReadOptions, RecordKey, RecordSlice } from './ingest/index.js';
export { DEFAULT_MAX_RECORD_BYTES, expandInputs, readRecords, readRecordsReference, RecordFramer } from './ingest/index.js';

// Schema and flattening.
export type { CallRecord, DocumentKind, ValidationResult } from './schema/index.js';
export { callRecordSchema, dateTimeToMs, durationToMs, recognizeDocument, validateCallRecord } from './schema/index.js';
export type { FlattenOutput } from './flatten/index.js';
export { flattenRecord, flattenToBatches } from './flatten/index.js';

// Rollups.
export type { RollupOptions, RollupPartial } from './rollup/index.js';
export { finalizeRollups, mergePartial, RollupAccumulator, rollupSchemas, validateRollupOptions } from './rollup/index.js';

// Writers.
export type { AppendFile, CsvOptions, OutputDirOptions, ParquetCompression, ParquetOptions, RejectEntry, TableFormat } from './io/index.js';
export {
  batchToIPC,
  csvHeader,
  encodeCsv,
  encodeJsonLines,
  encodeParquet,
  encodeParquetBatches,
  encodeRejectLine,
  OutputDir,
  writeTable,
} from './io/index.js';

// Exchange Unified Messaging (GetCallInfo, PlayOnPhone, Disconnect).
export type {
  CallInfo,
  CallInfoSample,
  CallOptions,
  CallState,
  EnvelopeOptions,
  EventCause,
  Outcome,
  PollLogOptions,
  PollLogs,
  PollObservation,
  PollReject,
  ResponseReadOptions,
  RetryEvent,
  SoapFault,
  UmAudit,
  UmAuth,
  UmClient,
  UmClientOptions,
  UmOperation,
  UmReportFormat,
  UmReportOptions,
  UmReportResult,
  UmReportSummary,
  UmRequest,
  UmResult,
  UnrecognizedField,
  WatchOptions,
} from './um/index.js';
export {
  auditPolls,
  CALL_STATES,
  createUmClient,
  disconnectRequest,
  EVENT_CAUSES,
  faultError,
  getCallInfoRequest,
  isCallState,
  isEventCause,
  OUTCOMES,
  parseDisconnectResponse,
  parseGetCallInfoResponse,
  parsePlayOnPhoneResponse,
  parsePollLine,
  parseResponseFileName,
  playOnPhoneRequest,
  readPollLogs,
  runUmReport,
  SOAP_ENVELOPE_NAMESPACE,
  soapAction,
  UM_CALLS,
  UM_CAUSES,
  UM_DAILY,
  UM_MESSAGES_NAMESPACE,
  UM_MESSAGES_NAMESPACE_HTTPS,
  UM_TABLES,
  watchCallInfo,
} from './um/index.js';
