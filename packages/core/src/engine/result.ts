/** What a run reports: its inputs, its counts, and the result runReport resolves to. */
import type { InputReport } from '../ingest/types.js';
import type { RejectEntry } from '../io/index.js';
import type { RuleSet } from '../quality/index.js';
import type { ColumnBatch } from '../table/schema.js';

export type { InputReport };

export interface RunCounts {
  /**
   * Records found in the inputs: read = accepted + pstnCalls + directRoutingCalls + rejected +
   * duplicate + filtered + sessionsStitched (RECORD_FATES in commit.ts, checked at the end of every
   * run). What cannot be framed (malformed text, a truncated file's last record, an empty file)
   * counts as one record read and rejected.
   */
  read: number;
  /** callRecords kept (calls). */
  accepted: number;
  /** getPstnCalls rows kept in the pstn_calls table (each row id once). */
  pstnCalls: number;
  /** getDirectRoutingCalls rows kept in the direct_routing_calls table (each row id once). */
  directRoutingCalls: number;
  /** Later copies of a call id (the kept copy decided by version) or of a log row id. */
  duplicate: number;
  /** Outside --since/--until. */
  filtered: number;
  /** One per line of rejects.jsonl. */
  rejected: number;
  /**
   * Sessions saved on their own (sessions pages) merged into their call's record. A saved session
   * the record (or an earlier page) held already is a duplicate; one whose call is not accepted, a reject.
   */
  sessionsStitched: number;
  /** Files cut off mid-record (each keeps its complete records; the cut-off one is also in rejected). */
  truncatedFiles: number;
  /** Accepted records whose sessions were cut (sessions@odata.nextLink). */
  sessionsTruncated: number;
  /** Accepted records that carried no sessions (exported without $expand). */
  sessionsMissing: number;
  /** Accepted records whose participants_v2 were cut (participants_v2@odata.nextLink). */
  participantsTruncated: number;
  streams: number;
  calls: number;
}

/** Every count at zero: where a run starts. */
export function emptyCounts(): RunCounts {
  return {
    read: 0,
    accepted: 0,
    pstnCalls: 0,
    directRoutingCalls: 0,
    rejected: 0,
    duplicate: 0,
    filtered: 0,
    sessionsStitched: 0,
    truncatedFiles: 0,
    sessionsTruncated: 0,
    sessionsMissing: 0,
    participantsTruncated: 0,
    streams: 0,
    calls: 0,
  };
}

export interface ReportResult {
  readonly inputs: readonly InputReport[];
  readonly counts: RunCounts;
  readonly rules: RuleSet;
  readonly rollups: ReadonlyArray<{ name: string; batch: ColumnBatch }>;
  /** The rollups of the call log tables (rollup/logs.ts), of the tables the run saw rows of. */
  readonly logRollups: ReadonlyArray<{ name: string; batch: ColumnBatch }>;
  readonly outputs: readonly string[];
  readonly out: string | null;
  readonly workers: number;
  readonly startedAt: Date;
  readonly elapsedMs: number;
  /** Input bytes read (on disk: gzip files compressed). */
  readonly bytesRead: number;
  /** JSON text read (gzip files decompressed): throughput is reported in these. */
  readonly jsonBytes: number;
  readonly ledgerBytes: number;
  /** Non-fatal notes (empty files, files and report folders an input folder's walk skipped, ...). */
  readonly warnings: readonly string[];
  /** The first entries of rejects.jsonl (at most FIRST_REJECTS), also when no file is written. */
  readonly firstRejects: readonly RejectEntry[];
}
