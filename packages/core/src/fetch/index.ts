/**
 * Fetching from Microsoft Graph: complete call records (every session and participant page merged
 * in), PSTN and Direct Routing logs, as gzip NDJSON shards with a manifest to resume from. See
 * README.md in this folder.
 */
export { DEFAULT_AUTHORITY_URL, redact } from './auth.js';
export type { GraphAuth } from './auth.js';
export { DEFAULT_CONCURRENCY, DEFAULT_GRAPH_URL, GraphClient, MAX_CONCURRENCY } from './http.js';
export type { GraphClientOptions, GraphResult, GraphRetryEvent, GraphStats } from './http.js';
export { fetchCompleteRecord, listCallRecordIds } from './record.js';
export type { RecordFetch } from './record.js';
export { fetchCallRecords } from './run.js';
export type { FetchOptions, FetchProgress, FetchResult } from './run.js';
export { fetchCallLogs } from './logs.js';
export type { CallLogKind } from './logs.js';
export { LISTED, MANIFEST, MISSING, SHARD_FOLDER } from './manifest.js';
export type { FetchCounts, FetchKind, FetchStatus, LogPiece, Manifest, MissingEntry, ShardEntry } from './manifest.js';
export type { ShardLimits } from './shards.js';
export { listFilter, MAX_LOG_WINDOW_DAYS, RETENTION_DAYS, retentionWarning, splitWindow } from './window.js';
export type { FetchWindow } from './window.js';
