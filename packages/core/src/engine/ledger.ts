/**
 * The run's record ledger: which copy of each call id is kept, and where every dispatched record's
 * rows went, so that a copy superseded later in the input can be taken out exactly at the end.
 *
 * De-duplication is decided on the main thread, in input order, from the framer's record keys
 * (top-level id, version, lastModifiedDateTime, and the sessions, segments and streams it counted),
 * before a record is sent to a worker. So the decision is the same for every worker count. The kept
 * copy of an id is the highest version, then the latest lastModifiedDateTime, then the most complete
 * (sessions present, then more sessions, more segments, more streams: a list page's copy of a call
 * carries no sessions, its $expand copy does, and both have the same version and time), then the
 * first seen. A later copy that loses is never processed;
 * a later copy that wins is processed, and the earlier one is marked superseded and retracted at
 * the end (its rows are dropped from the tables, its aggregates subtracted). Records that workers
 * read themselves (NDJSON ranges, see range.ts) are judged when their results come back, in input
 * order, so the same decisions hold: a losing copy was processed already, and is retracted too.
 *
 * Only a key that can be a callRecord's is judged: a string id and an integer version (a callRecord
 * has both; see schema/document.ts). A session of a sessions page (whose id is often its call's), a
 * participant or a log row has no version: it is never a duplicate of a call, nor a call that a
 * later copy could supersede; it goes to a worker, which rejects it by its kind (a session whose
 * context names its call waits to be stitched into it: stitch.ts finds the call's kept copy with
 * winner() and the session's bytes by its provenance here).
 *
 * Page contexts are interned (a page's records share one entry) and packed with the file's id.
 *
 * Memory: one Map entry (id string -> ordinal) plus SLOTS float64 per dispatched record (the three
 * counts share one slot, see completeness()). Measured (`npx tsx benchmarks/ledger-memory.ts`):
 * 220 bytes per record, 220 MB per million records (86 MB of id strings and Map, 134 MB of slots
 * with the array's doubling headroom; 211 bytes before the completeness slot).
 */

import { ErrorCode, fail } from '../errors.js';

export interface Provenance {
  readonly file: string;
  readonly offset: number;
  readonly index: number;
  /** The page's @odata.context (see RecordSlice.context), so that a retraction sees the record as it was processed. */
  readonly context: string | null;
}

/** Where a record's rows went: [start, end) CSV byte ranges and row ranges of each table. */
export interface TablePlace {
  readonly ordinal: number;
  readonly streamCsv: [number, number];
  readonly callCsv: [number, number];
  readonly streamRows: [number, number];
  readonly callRows: [number, number];
}

/** The FILE slot holds the file's id and the context's id (0: none) as fileId * CONTEXTS + contextId. */
const CONTEXTS = 2 ** 26;

// Per-ordinal slots, in one growable Float64Array.
const VERSION = 0;
const MODIFIED = 1;
const FILE = 2;
const OFFSET = 3;
const LENGTH = 4;
const INDEX = 5;
const STREAM_CSV_START = 6;
const STREAM_CSV_BYTES = 7;
const CALL_CSV_START = 8;
const CALL_CSV_BYTES = 9;
const STREAM_ROW_START = 10;
const STREAM_ROWS = 11;
const CALL_ROW_START = 12;
const CALL_ROWS = 13;
const STATE = 14;
const COMPLETE = 15;
const SLOTS = 16;

const STATE_PENDING = 0;
const STATE_FILTERED = 3;
const STATE_ACCEPTED = 1;
const STATE_OTHER = 2;

export type KeyVerdict = { readonly kind: 'new' } | { readonly kind: 'duplicate' } | { readonly kind: 'supersedes'; readonly ordinal: number };

export interface RecordKeyInput {
  readonly id: string | null;
  readonly version: number | null;
  readonly lastModified: string | null;
  /** Completeness counts (see RecordKey); absent: no sessions. */
  readonly sessions?: number | null;
  readonly segments?: number;
  readonly streams?: number;
}

/**
 * The completeness counts as one number that orders like the tuple (sessions present, sessions,
 * segments, streams): 0 without sessions, else (sessions + 1, segments, streams) in 13 + 20 + 20
 * bits, each count capped (4,095 sessions, 1,048,575 segments or streams: beyond that, a tie).
 */
export function completeness(key: RecordKeyInput): number {
  const sessions = key.sessions;
  if (sessions === null || sessions === undefined) return 0;
  const cap = (count: number | undefined, max: number): number => Math.min(count ?? 0, max);
  return ((cap(sessions, 4095) + 1) * 2 ** 20 + cap(key.segments, 2 ** 20 - 1)) * 2 ** 20 + cap(key.streams, 2 ** 20 - 1);
}

export class RecordLedger {
  private slots = new Float64Array(SLOTS * 1024);
  private count = 0;
  private readonly winners = new Map<string, number>();
  private readonly files: string[] = [];
  private readonly fileIndex = new Map<string, number>();
  /** Page contexts, interned: a page's records share one entry. */
  private readonly contexts: string[] = [''];
  private readonly contextIndex = new Map<string, number>();
  /** Ordinals that were dispatched, then beaten by a later copy. */
  readonly superseded: number[] = [];

  get size(): number {
    return this.count;
  }

  /**
   * Registers a record about to be dispatched (or skipped) and says what it is. Ordinals are
   * given in input order, starting at 0, only to dispatched records.
   */
  judge(key: RecordKeyInput): KeyVerdict {
    if (!isCallKey(key)) return { kind: 'new' };
    const previous = this.winners.get(key.id);
    if (previous === undefined) return { kind: 'new' };
    const base = previous * SLOTS;
    const version = key.version;
    const modified = modifiedMs(key.lastModified);
    const oldVersion = this.slots[base + VERSION]!;
    const oldModified = this.slots[base + MODIFIED]!;
    const wins =
      version > oldVersion ||
      (version === oldVersion && (modified > oldModified || (modified === oldModified && completeness(key) > this.slots[base + COMPLETE]!)));
    return wins ? { kind: 'supersedes', ordinal: previous } : { kind: 'duplicate' };
  }

  /** Records a dispatched record; returns its ordinal. */
  add(key: RecordKeyInput, where: Provenance, length: number, verdict: KeyVerdict): number {
    const ordinal = this.count++;
    if (this.slots.length < this.count * SLOTS) {
      const grown = new Float64Array(this.slots.length * 2);
      grown.set(this.slots);
      this.slots = grown;
    }
    const base = ordinal * SLOTS;
    const s = this.slots;
    s[base + VERSION] = key.version ?? Number.NEGATIVE_INFINITY;
    s[base + MODIFIED] = modifiedMs(key.lastModified);
    s[base + COMPLETE] = completeness(key);
    s[base + FILE] = this.fileId(where.file) * CONTEXTS + this.contextId(where.context);
    s[base + OFFSET] = where.offset;
    s[base + INDEX] = where.index;
    s[base + LENGTH] = length;
    s[base + STATE] = STATE_PENDING;
    if (verdict.kind === 'duplicate') {
      // Only a record processed before it was judged (a worker framed it) is added as a loser: it is
      // taken out again at the end, like a superseded copy.
      this.superseded.push(ordinal);
    } else if (isCallKey(key)) {
      this.winners.set(key.id, ordinal);
    }
    if (verdict.kind === 'supersedes') this.superseded.push(verdict.ordinal);
    return ordinal;
  }

  /** Notes where an accepted record's rows went (called in input order). */
  placed(
    ordinal: number,
    accepted: boolean | 'filtered',
    rows: {
      streamCsvStart: number;
      streamCsvBytes: number;
      callCsvStart: number;
      callCsvBytes: number;
      streamRowStart: number;
      streamRows: number;
      callRowStart: number;
      callRows: number;
    },
  ): void {
    const base = ordinal * SLOTS;
    const s = this.slots;
    s[base + STATE] = accepted === 'filtered' ? STATE_FILTERED : accepted ? STATE_ACCEPTED : STATE_OTHER;
    s[base + STREAM_CSV_START] = rows.streamCsvStart;
    s[base + STREAM_CSV_BYTES] = rows.streamCsvBytes;
    s[base + CALL_CSV_START] = rows.callCsvStart;
    s[base + CALL_CSV_BYTES] = rows.callCsvBytes;
    s[base + STREAM_ROW_START] = rows.streamRowStart;
    s[base + STREAM_ROWS] = rows.streamRows;
    s[base + CALL_ROW_START] = rows.callRowStart;
    s[base + CALL_ROWS] = rows.callRows;
  }

  isAccepted(ordinal: number): boolean {
    return this.slots[ordinal * SLOTS + STATE] === STATE_ACCEPTED;
  }

  /** Filtered out by --since/--until. */
  isFiltered(ordinal: number): boolean {
    return this.slots[ordinal * SLOTS + STATE] === STATE_FILTERED;
  }

  /** The ordinal of the kept copy of a call id (once every record is judged: the winner), or undefined. */
  winner(id: string): number | undefined {
    return this.winners.get(id);
  }

  provenance(ordinal: number): Provenance & { length: number } {
    const base = ordinal * SLOTS;
    const s = this.slots;
    const packed = s[base + FILE]!;
    const context = packed % CONTEXTS;
    return {
      file: this.files[Math.floor(packed / CONTEXTS)]!,
      offset: s[base + OFFSET]!,
      index: s[base + INDEX]!,
      length: s[base + LENGTH]!,
      context: context === 0 ? null : this.contexts[context]!,
    };
  }

  /** The table byte/row ranges of the superseded records that had been accepted, sorted. */
  retractions(): TablePlace[] {
    return [...new Set(this.superseded)]
      .filter((ordinal) => this.isAccepted(ordinal))
      .sort((a, b) => a - b)
      .map((ordinal) => this.tablePlace(ordinal));
  }

  /** Where a record's rows went in the tables: CSV byte ranges and row ranges. */
  tablePlace(ordinal: number): TablePlace {
    const base = ordinal * SLOTS;
    const s = this.slots;
    const range = (start: number, length: number): [number, number] => [s[base + start]!, s[base + start]! + s[base + length]!];
    return {
      ordinal,
      streamCsv: range(STREAM_CSV_START, STREAM_CSV_BYTES),
      callCsv: range(CALL_CSV_START, CALL_CSV_BYTES),
      streamRows: range(STREAM_ROW_START, STREAM_ROWS),
      callRows: range(CALL_ROW_START, CALL_ROWS),
    };
  }

  /** Approximate bytes held, for the memory statement in the summary and benchmarks. */
  approximateBytes(): number {
    let idBytes = 0;
    // A one-byte string (header + characters) and its Map entry: 86 bytes for a GUID, measured.
    for (const id of this.winners.keys()) idBytes += id.length + 50;
    return this.slots.byteLength + idBytes;
  }

  private contextId(context: string | null): number {
    if (context === null) return 0;
    let id = this.contextIndex.get(context);
    if (id === undefined) {
      id = this.contexts.length;
      if (id >= CONTEXTS) throw fail(ErrorCode.Internal, `more than ${CONTEXTS - 1} distinct page contexts`);
      this.contexts.push(context);
      this.contextIndex.set(context, id);
    }
    return id;
  }

  private fileId(file: string): number {
    let id = this.fileIndex.get(file);
    if (id === undefined) {
      id = this.files.length;
      this.files.push(file);
      this.fileIndex.set(file, id);
    }
    return id;
  }
}

/** A key that can be a callRecord's: a string id and an integer version. */
export function isCallKey(key: RecordKeyInput): key is RecordKeyInput & { readonly id: string; readonly version: number } {
  return key.id !== null && key.version !== null && Number.isSafeInteger(key.version);
}

function modifiedMs(text: string | null): number {
  if (text === null) return Number.NEGATIVE_INFINITY;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? Number.NEGATIVE_INFINITY : ms;
}
