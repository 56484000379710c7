/**
 * RecordFramer: cuts a byte stream into record slices without parsing it. Pure and synchronous
 * (no node:* imports): push chunks of any size, then end(); records and problems go to a sink as
 * they are found.
 *
 * The input is read as a sequence of top-level JSON values. With `pages` on, a top-level array's
 * elements and top-level objects are each a page (an object with a depth-1 key "value" whose value
 * is an array: its elements are the records) or a record. With `pages` off every top-level value
 * is one record. With `lines` on, a newline ends any value still open (NDJSON: a bad line is one
 * problem and the next line is read afresh).
 *
 * The scan tracks depth, string and escape state across chunk boundaries anywhere; string bodies
 * are skipped with indexOf('"') (a Buffer's native indexOf when the chunk is a Buffer), then the
 * run of backslashes before the quote decides whether it closes the string. A record that lies in
 * one chunk is handed on as a view of it; one spanning chunks is assembled from views of its pieces
 * (one copy). So the caller must not modify a chunk after pushing it. A record longer than
 * maxRecordBytes stops being buffered as soon as it is known to be too long.
 */
import { BACKSLASH, BOM, COMMA, CR, LBRACE, LBRACKET, MINUS, NEWLINE, QUOTE, RBRACE, RBRACKET, concatBytes, isWhitespace } from './bytes.js';
import { ErrorCode, fail } from '../errors.js';
import { Snippet } from './snippet.js';
import {
  CONTEXT_KEY,
  NEXT_LINK_KEY,
  KEY_CONTEXT,
  KEY_ID,
  KEY_LAST_MODIFIED,
  KEY_NAMES,
  KEY_VERSION,
  SESSIONS_KEY,
  VALUE_KEY,
  readContext,
  readKey,
} from './record-key.js';
import { DEFAULT_MAX_RECORD_BYTES } from './types.js';
import type { IngestProblem, PageEnd, ProblemKind, RecordKey, RecordSlice } from './types.js';

export interface FramerOptions {
  /** The name events carry. */
  file: string;
  /** Recognise pages and top-level arrays (default true). Off: each top-level value is a record. */
  pages?: boolean;
  /** A newline ends any open value (NDJSON). Default false. */
  lines?: boolean;
  maxRecordBytes?: number;
  /**
   * Offset of the first pushed byte in the file (default 0), for framing a part of a file: events
   * carry file offsets, and a byte order mark is recognised only at offset 0.
   */
  offset?: number;
  /**
   * Report an input that holds no value as `empty` (default true). Off when framing a part of a
   * file, where an empty part says nothing about the file.
   */
  reportEmpty?: boolean;
}

/** Where the framer sends what it finds; called synchronously from push() and end(). */
export interface FramerSink {
  record(record: RecordSlice): void;
  problem(problem: IngestProblem): void;
  /** A page closed (optional): its context and whether it has an @odata.nextLink member, before or after its "value". */
  pageEnd?(page: PageEnd): void;
}

// What the open unit (the value being scanned) is.
const NONE = 0;
/** An object in record position: buffered, its key members located. */
const RECORD = 1;
/** An object that is a record unless a depth-1 "value": [ makes it a page. */
const CANDIDATE = 2;
/** An array in record position (not_a_record), skipped. */
const SKIP_VALUE = 3;
/** A string in record position (not_a_record). */
const SKIP_STRING = 4;
/** A number or literal in record position (not_a_record). */
const SKIP_TOKEN = 5;
/** Bytes that start no value (malformed), up to the next value start or line. */
const GARBAGE = 6;
/** The rest of a page after its "value" array, up to the page's closing brace. */
const PAGE_TAIL = 7;

// Byte classes inside a container.
const C_QUOTE = 1;
const C_OPEN = 2;
const C_CLOSE = 3;
const C_COMMA = 4;
const CLASS = new Uint8Array(256);
CLASS[QUOTE] = C_QUOTE;
CLASS[LBRACE] = CLASS[LBRACKET] = C_OPEN;
CLASS[RBRACE] = CLASS[RBRACKET] = C_CLOSE;
CLASS[COMMA] = C_COMMA;

/** Bytes a number or literal is made of. */
const TOKEN = new Uint8Array(256);
for (const char of '0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.+-') TOKEN[char.charCodeAt(0)] = 1;

/** A whole JSON number or literal; any other run of token bytes is garbage. */
const SCALAR = /^(?:true|false|null|-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?)$/;

const EMPTY = new Uint8Array(0);
const SESSIONS_OFF = 0;
const SESSIONS_PENDING = 1;
const SESSIONS_COUNTING = 2;
const KEY_KINDS = [KEY_ID, KEY_VERSION, KEY_LAST_MODIFIED];
const KEY_CAPACITY = 20;

export class RecordFramer {
  private readonly sink: FramerSink;
  private readonly file: string;
  private readonly pages: boolean;
  private readonly lines: boolean;
  private readonly maxBytes: number;
  private readonly reportEmpty: boolean;

  /** Offset of chunk[0] in the stream. */
  private base = 0;
  private chunk: Uint8Array = EMPTY;
  private ended = false;
  /** Brackets open, counting the containers around the unit. */
  private depth = 0;
  private sawValue = false;
  private nextIndex = 0;
  private recordCount = 0;

  private topArray = false;
  /** Depth before the open page's brace; -1 outside a page. */
  private pageOpen = -1;
  private pageInValue = false;
  /** The open page's @odata.context (given before its "value"), or null. */
  private pageContext: string | null = null;
  /** The open page (or page candidate) has an "@odata.nextLink" member. */
  private pageNextLink = false;
  private candidateNextLink = false;

  private kind = NONE;
  private unitStart = 0;
  /** Depth before the unit's opening bracket: the unit ends when depth comes back to it. */
  private unitOpen = 0;
  private pieces: Uint8Array[] = [];
  private piecesBytes = 0;
  private overflow = false;
  private readonly snippet = new Snippet();
  /** Where the bytes of a skipped unit not yet in the snippet begin (stream offset). */
  private collectFrom = 0;
  /** Why the open unit is malformed, found while framing it (a closer that does not match), or null. */
  private bad: string | null = null;
  /** The opening byte of each open container, by depth: a closer must match it. */
  private stack: Uint8Array = new Uint8Array(64);

  private inString = false;
  /** The chunk before ended inside a string with an odd run of backslashes. */
  private escapeCarry = false;
  /** Where indexOf last found the next line feed / carriage return in the chunk (the chunk's length: none). */
  private nextLf = -1;
  private nextCr = -1;
  /** The nearer of the two: a string body that ends before it holds no line break. */
  private nextBreak = -1;

  private expectKey = false;
  private keyCapture = false;
  private keyLength = 0;
  private readonly keyBytes = new Uint8Array(KEY_CAPACITY);
  /** A page candidate's "value" key was just read: a '[' next makes it a page. */
  private pendingValue = false;
  private member = 0;
  private memberFrom = 0;
  private members: number[] = [];
  /** The record's top-level "sessions": SESSIONS_OFF, _PENDING (its key was read), _COUNTING (its array is open). */
  private sessionsState = SESSIONS_OFF;
  /** Objects counted under it (see RecordKey); sessionCount -1: no sessions array. */
  private sessionCount = -1;
  private segmentCount = 0;
  private streamCount = 0;

  constructor(sink: FramerSink, options: FramerOptions) {
    this.sink = sink;
    this.file = options.file;
    this.pages = options.pages ?? true;
    this.lines = options.lines ?? false;
    this.maxBytes = options.maxRecordBytes ?? DEFAULT_MAX_RECORD_BYTES;
    this.reportEmpty = options.reportEmpty ?? true;
    this.base = options.offset ?? 0;
  }

  /** Offset after the last byte pushed (bytes pushed so far, plus options.offset). */
  get bytes(): number {
    return this.base;
  }

  /** Records emitted so far. */
  get records(): number {
    return this.recordCount;
  }

  /** Record slots used so far: records, and problems that take a record's place (their `index`). */
  get slots(): number {
    return this.nextIndex;
  }

  push(chunk: Uint8Array): void {
    if (this.ended) throw fail(ErrorCode.Internal, `RecordFramer.push after end (${this.file})`);
    const n = chunk.length;
    if (n === 0) return;
    this.chunk = chunk;
    this.nextLf = -1;
    this.nextCr = -1;
    this.nextBreak = -1;
    if (!this.lines) {
      this.scan(0, n);
    } else {
      let i = 0;
      while (i < n) {
        const newline = chunk.indexOf(NEWLINE, i);
        const end = newline < 0 ? n : newline;
        this.scan(i, end);
        if (newline < 0) break;
        this.lineEnd(newline);
        i = newline + 1;
      }
    }
    this.retain(n);
    this.base += n;
    this.chunk = EMPTY;
  }

  /**
   * The input is complete. `cause` says why it stopped early (a corrupt gzip stream): the input is
   * then reported truncated even where no value was cut.
   */
  end(cause?: string): void {
    if (this.ended) return;
    this.ended = true;
    const eof = this.base;
    const why = cause === undefined ? '' : ` (${cause})`;
    let truncated = true;
    switch (this.kind) {
      case SKIP_TOKEN:
      case GARBAGE:
        this.finishSkip(0);
        truncated = false;
        break;
      case RECORD:
      case CANDIDATE:
        this.unitHead(0);
        if (this.bad === null) {
          this.report('truncated', this.unitStart, this.nextIndex++, `input ends inside a record that begins here${why}`);
        } else {
          // The framing could not find where the malformed value ends: what follows it is lost.
          this.report('malformed', this.unitStart, this.nextIndex++, this.bad);
          this.problemAt(
            'truncated',
            eof,
            null,
            `input ends inside the malformed value that begins at byte ${this.unitStart}: no record after it could be framed${why}`,
            '',
          );
        }
        break;
      case SKIP_VALUE:
      case SKIP_STRING:
        this.report('truncated', this.unitStart, this.nextIndex++, `input ends inside a value that begins here${why}`);
        break;
      case PAGE_TAIL:
        this.problemAt('truncated', eof, null, `input ends inside a page, after its records${why}`, '');
        break;
      default:
        if (this.depth > 0) this.problemAt('truncated', eof, null, `input ends inside ${this.openContainer()}${why}`, '');
        else truncated = false;
    }
    this.resetToTop();
    if (cause !== undefined && !truncated) this.problemAt('truncated', eof, null, `input ends early (${cause})`, '');
    else if (!this.sawValue && cause === undefined && this.reportEmpty)
      this.problemAt('empty', 0, null, eof === 0 ? 'file is empty' : 'file holds only whitespace', '');
  }

  private scan(i: number, end: number): void {
    while (i < end) {
      switch (this.kind) {
        case NONE:
          i = this.scanBetween(i, end);
          break;
        case SKIP_STRING: {
          const after = this.skipString(i, end, i);
          if (after < 0) return;
          this.finishSkip(after);
          i = after;
          break;
        }
        case SKIP_TOKEN:
          i = this.scanToken(i, end);
          break;
        case GARBAGE:
          i = this.scanGarbage(i, end);
          break;
        default:
          i = this.scanContainer(i, end);
      }
    }
  }

  /** Between values, at a position where a record (or a container of records) may begin. */
  private scanBetween(i: number, end: number): number {
    const buf = this.chunk;
    while (i < end) {
      const c = buf[i]!;
      if (isWhitespace(c)) {
        i++;
        continue;
      }
      const at = this.base + i;
      if (!this.sawValue && at < BOM.length && c === BOM[at]) {
        i++;
        continue;
      }
      this.sawValue = true;
      switch (c) {
        case LBRACE:
          this.openUnit(this.pages && this.pageOpen < 0 ? CANDIDATE : RECORD, i, this.depth);
          this.opened(LBRACE);
          return i + 1;
        case LBRACKET:
          if (this.depth === 0 && this.pages) {
            this.topArray = true;
            this.opened(LBRACKET);
            i++;
            continue;
          }
          this.openUnit(SKIP_VALUE, i, this.depth);
          this.opened(LBRACKET);
          return i + 1;
        case RBRACKET:
          if (this.pageOpen >= 0 && this.pageInValue) {
            this.pageInValue = false;
            this.depth--;
            this.openUnit(PAGE_TAIL, i, this.pageOpen);
            return i + 1;
          }
          if (this.topArray && this.depth === 1) {
            this.topArray = false;
            this.depth = 0;
            i++;
            continue;
          }
          break;
        case COMMA:
          if (this.depth > 0) {
            i++;
            continue;
          }
          break;
        case QUOTE:
          this.openUnit(SKIP_STRING, i, this.depth);
          return i + 1;
        default:
          if (c === MINUS || (c >= 0x30 && c <= 0x39) || c === 0x74 || c === 0x66 || c === 0x6e) {
            this.openUnit(SKIP_TOKEN, i, this.depth);
            return i;
          }
      }
      this.openUnit(GARBAGE, i, this.depth);
      return i + 1;
    }
    return end;
  }

  /** Inside an object or array: the hot loop. Returns where scanning should go on. */
  private scanContainer(i: number, end: number): number {
    const buf = this.chunk;
    if (this.inString) {
      const after = this.skipString(i, end, i);
      if (after < 0) return end;
      if (this.keyCapture) this.endKey(after);
      i = after;
    }
    let depth = this.depth;
    let stack = this.stack;
    const closeDepth = this.unitOpen;
    const keyDepth = closeDepth + 1;
    // A page's tail is keyed too (for its @odata.nextLink; see endKey).
    const keyed = this.kind === RECORD || this.kind === CANDIDATE || this.kind === PAGE_TAIL;
    while (i < end) {
      const cls = CLASS[buf[i]!]!;
      if (cls === 0) {
        i++;
        continue;
      }
      if (cls === C_QUOTE) {
        if (depth === keyDepth && keyed) {
          if (this.expectKey) {
            this.expectKey = false;
            this.keyCapture = true;
            this.keyLength = 0;
          } else {
            this.pendingValue = false;
            if (this.sessionsState === SESSIONS_PENDING) this.sessionsState = SESSIONS_OFF;
          }
        }
        this.escapeCarry = false;
        const after = this.skipString(i + 1, end, i + 1);
        if (after < 0) {
          this.depth = depth;
          return end;
        }
        if (this.keyCapture) this.endKey(after);
        i = after;
        continue;
      }
      if (cls === C_OPEN) {
        if (depth >= stack.length) stack = this.growStack();
        const c = buf[i]!;
        stack[depth++] = c;
        if (this.sessionsState !== SESSIONS_OFF && depth > keyDepth) this.countOpen(c, depth - 1 - keyDepth);
        if (this.pendingValue && depth === keyDepth + 1) {
          this.pendingValue = false;
          if (c === LBRACKET) {
            this.depth = depth;
            this.becomePage(i);
            return i + 1;
          }
        }
      } else if (cls === C_CLOSE) {
        depth--;
        // '{' + 2 === '}', '[' + 2 === ']'
        if (stack[depth] !== buf[i]! - 2) {
          const to = this.mismatch(i, depth);
          if (to < 0) {
            // It closes the container around the unit: the unit ends before it.
            this.depth = closeDepth;
            this.closeMember(i);
            this.finishContainer(i);
            return i;
          }
          depth = to;
        }
        if (depth === closeDepth) {
          this.depth = depth;
          this.closeMember(i);
          this.finishContainer(i + 1);
          return i + 1;
        }
      } else if (depth === keyDepth && keyed) {
        this.closeMember(i);
        this.expectKey = true;
        this.pendingValue = false;
      }
      i++;
    }
    this.depth = depth;
    return end;
  }

  /**
   * Skips a string body from i, where the body (or its part in this chunk) begins at bodyStart.
   * Returns the index after the closing quote, or -1 when the string is still open at `end`, or the
   * index of a raw line break in it (see brokenString).
   */
  private skipString(i: number, end: number, bodyStart: number): number {
    const buf = this.chunk;
    let j = i;
    for (;;) {
      j = buf.indexOf(QUOTE, j);
      if (j < 0 || j >= end) break;
      if ((this.backslashesBefore(j, bodyStart) & 1) === 0) {
        if (j > this.nextBreak) {
          const broken = this.lineBreakIn(i, j);
          if (broken >= 0) return this.brokenString(broken, bodyStart);
        }
        this.inString = false;
        this.escapeCarry = false;
        if (this.keyCapture) this.captureKey(bodyStart, j);
        return j + 1;
      }
      j++;
    }
    if (end > this.nextBreak) {
      const broken = this.lineBreakIn(i, end);
      if (broken >= 0) return this.brokenString(broken, bodyStart);
    }
    this.inString = true;
    this.escapeCarry = (this.backslashesBefore(end, bodyStart) & 1) === 1;
    if (this.keyCapture) this.captureKey(bodyStart, end);
    return -1;
  }

  /**
   * The index of the first raw line feed or carriage return in [from, to) of the chunk, or -1.
   * Where indexOf found the next of each is remembered (scanning only moves forward), so in
   * minified JSON one search per chunk finds there is none, and skipString's check is one
   * comparison with `nextBreak`; in pretty-printed JSON it is about one search per line.
   */
  private lineBreakIn(from: number, to: number): number {
    const buf = this.chunk;
    let lf = this.nextLf;
    if (lf < from) {
      lf = buf.indexOf(NEWLINE, from);
      this.nextLf = lf = lf < 0 ? buf.length : lf;
    }
    let cr = this.nextCr;
    if (cr < from) {
      cr = buf.indexOf(CR, from);
      this.nextCr = cr = cr < 0 ? buf.length : cr;
    }
    const first = Math.min(lf, cr);
    this.nextBreak = first;
    return first < to ? first : -1;
  }

  /**
   * A raw line break inside a string (JSON.parse: "Bad control character in string literal"): the
   * value it is in is malformed. The likeliest cause is a string whose closing quote is missing, so
   * the string is taken to end there and framing goes on with the next line (in pretty-printed
   * JSON, the next member or element). Returns the index of the line break.
   */
  private brokenString(at: number, bodyStart: number): number {
    this.inString = false;
    this.escapeCarry = false;
    if (this.keyCapture) this.captureKey(bodyStart, at);
    const name = this.chunk[at] === NEWLINE ? 'line feed (U+000A)' : 'carriage return (U+000D)';
    this.markBad(`raw ${name} inside a string at byte ${this.base + at}`);
    return at;
  }

  /** The length (parity is what counts) of the run of backslashes just before j, across chunks. */
  private backslashesBefore(j: number, bodyStart: number): number {
    const buf = this.chunk;
    let k = j - 1;
    while (k >= bodyStart && buf[k] === BACKSLASH) k--;
    const run = j - 1 - k;
    return k < bodyStart && this.escapeCarry ? run + 1 : run;
  }

  private scanToken(i: number, end: number): number {
    const buf = this.chunk;
    while (i < end && TOKEN[buf[i]!] === 1) i++;
    if (i < end) {
      if (this.lines) {
        // In line mode a run of token bytes that is no number or literal makes the rest of the line garbage.
        this.collectUnit(i);
        if (!SCALAR.test(this.snippet.text())) {
          this.kind = GARBAGE;
          return i;
        }
      }
      this.finishSkip(i);
    }
    return i;
  }

  private scanGarbage(i: number, end: number): number {
    // In line mode garbage runs to the end of the line: a bad line is one problem.
    if (this.lines) return end;
    const buf = this.chunk;
    const inArray = this.depth > 0;
    for (; i < end; i++) {
      const c = buf[i]!;
      if (c === LBRACE || c === LBRACKET || c === NEWLINE || (inArray && (c === COMMA || c === RBRACKET))) {
        this.finishSkip(i);
        return i;
      }
    }
    return end;
  }

  private openUnit(kind: number, i: number, openDepth: number): void {
    this.kind = kind;
    this.unitStart = this.base + i;
    this.collectFrom = this.unitStart;
    this.unitOpen = openDepth;
    this.bad = null;
    this.snippet.reset();
    this.escapeCarry = false;
    this.inString = false;
    this.expectKey = kind === RECORD || kind === CANDIDATE;
    this.candidateNextLink = false;
  }

  /** A container opened at the current depth. */
  private opened(bracket: number): void {
    if (this.depth >= this.stack.length) this.growStack();
    this.stack[this.depth++] = bracket;
  }

  private growStack(): Uint8Array {
    const grown = new Uint8Array(this.stack.length * 2);
    grown.set(this.stack);
    this.stack = grown;
    return grown;
  }

  /**
   * The closer at index i does not match the container open at `depth`: the unit is malformed.
   * Returns the depth it closes: the nearest enclosing container of its kind within the unit
   * (so a missing closer costs only the unit it is in), -1 when it closes the container around
   * the unit, else `depth` (counted like a matching one).
   */
  private mismatch(i: number, depth: number): number {
    const stack = this.stack;
    const want = this.chunk[i]! - 2;
    this.markBad(`'${String.fromCharCode(want + 2)}' at byte ${this.base + i} does not close the ${stack[depth] === LBRACE ? 'object' : 'array'} open there`);
    let d = depth - 1;
    while (d >= this.unitOpen && stack[d] !== want) d--;
    if (d >= this.unitOpen) return d;
    if (this.unitOpen > 0 && stack[this.unitOpen - 1] === want) return -1;
    return depth;
  }

  private markBad(reason: string): void {
    if (this.bad === null) this.bad = reason;
  }

  private closeUnit(): void {
    this.kind = NONE;
    this.bad = null;
    this.pieces = [];
    this.piecesBytes = 0;
    this.overflow = false;
    this.expectKey = false;
    this.keyCapture = false;
    this.pendingValue = false;
    this.member = 0;
    this.members = [];
    this.sessionsState = SESSIONS_OFF;
    this.sessionCount = -1;
    this.segmentCount = 0;
    this.streamCount = 0;
  }

  /** The candidate's "value" array opens at index i: it is a page. */
  private becomePage(i: number): void {
    if (this.bad !== null) {
      this.recordHead(i);
      this.report('malformed', this.unitStart, null, `page: ${this.bad}`);
    }
    this.pageContext = null;
    if (this.members.includes(KEY_CONTEXT)) {
      // Read from the page's bytes so far (once per page).
      const from = Math.max(this.unitStart - this.base, 0);
      const head = this.chunk.subarray(from, i);
      this.pageContext = readContext(this.pieces.length === 0 ? head : concatBytes([...this.pieces, head], this.piecesBytes + head.length), this.members);
    }
    this.pageOpen = this.unitOpen;
    this.pageInValue = true;
    this.pageNextLink = this.candidateNextLink;
    this.closeUnit();
  }

  private captureKey(from: number, to: number): void {
    const room = KEY_CAPACITY - this.keyLength;
    if (room > 0) this.keyBytes.set(this.chunk.subarray(from, Math.min(to, from + room)), this.keyLength);
    this.keyLength += to - from;
  }

  /** A depth-1 key ended just before `after` (index in the chunk). */
  private endKey(after: number): void {
    this.keyCapture = false;
    const length = this.keyLength;
    if (this.kind === PAGE_TAIL) {
      if (this.keyIs(NEXT_LINK_KEY, length)) this.pageNextLink = true;
      return;
    }
    if (this.kind === CANDIDATE && this.keyIs(NEXT_LINK_KEY, length)) this.candidateNextLink = true;
    for (const kind of KEY_KINDS) {
      if (this.keyIs(KEY_NAMES[kind]!, length)) {
        this.member = kind;
        this.memberFrom = this.base + after;
        return;
      }
    }
    if (this.kind === CANDIDATE && this.keyIs(VALUE_KEY, length)) this.pendingValue = true;
    else if (this.kind === CANDIDATE && this.keyIs(CONTEXT_KEY, length)) {
      this.member = KEY_CONTEXT;
      this.memberFrom = this.base + after;
    } else if (this.keyIs(SESSIONS_KEY, length)) {
      // A repeated key wins, as in JSON.parse: counting starts afresh.
      this.sessionsState = SESSIONS_PENDING;
      this.sessionCount = -1;
      this.segmentCount = 0;
      this.streamCount = 0;
    }
  }

  /**
   * A bracket `c` opened at `level` below the record's members, under its "sessions" member: counts
   * sessions (objects in the sessions array), segments (objects in arrays that are members of a
   * session) and streams (objects in arrays that are members of objects in arrays that are members
   * of a segment: segment.media[].streams[]). Only brackets are looked at, never keys below the
   * record's own.
   */
  private countOpen(c: number, level: number): void {
    if (this.sessionsState === SESSIONS_PENDING) {
      this.sessionsState = SESSIONS_OFF;
      if (level === 0 && c === LBRACKET) {
        this.sessionsState = SESSIONS_COUNTING;
        this.sessionCount = 0;
      }
      return;
    }
    if (c !== LBRACE) return;
    const s = this.stack;
    const k = this.unitOpen + 1;
    if (level === 1) this.sessionCount++;
    else if (level === 3 && s[k + 2] === LBRACKET && s[k + 1] === LBRACE) this.segmentCount++;
    else if (
      level === 7 &&
      s[k + 6] === LBRACKET &&
      s[k + 5] === LBRACE &&
      s[k + 4] === LBRACKET &&
      s[k + 3] === LBRACE &&
      s[k + 2] === LBRACKET &&
      s[k + 1] === LBRACE
    )
      this.streamCount++;
  }

  private keyIs(name: readonly number[], length: number): boolean {
    if (name.length !== length) return false;
    for (let k = 0; k < length; k++) if (this.keyBytes[k] !== name[k]) return false;
    return true;
  }

  private closeMember(i: number): void {
    this.sessionsState = SESSIONS_OFF;
    if (this.member === 0) return;
    this.members.push(this.member, this.memberFrom - this.unitStart, this.base + i - this.unitStart);
    this.member = 0;
  }

  /** The open unit's part of the chunk, at the end of the chunk. */
  private retain(n: number): void {
    const kind = this.kind;
    if (kind === NONE || kind === PAGE_TAIL) return;
    if (kind !== RECORD && kind !== CANDIDATE) {
      this.collectUnit(n);
      return;
    }
    const from = Math.max(this.unitStart - this.base, 0);
    if (this.overflow) {
      this.collect(from, n);
      return;
    }
    const piece = this.chunk.subarray(from, n);
    this.pieces.push(piece);
    this.piecesBytes += piece.length;
    if (this.piecesBytes > this.maxBytes) this.dropPieces();
  }

  /** The record is too long: keep its first bytes for the problem and buffer no more. */
  private dropPieces(): void {
    this.recordHead(0);
    this.pieces = [];
    this.piecesBytes = 0;
    this.overflow = true;
  }

  private collect(from: number, to: number): void {
    this.snippet.add(this.chunk, from, to);
  }

  /** Collects a skipped unit's bytes not collected yet, up to index `end` of the chunk. */
  private collectUnit(end: number): void {
    this.collect(Math.max(this.collectFrom - this.base, 0), end);
    this.collectFrom = this.base + end;
  }

  /** A container unit closed; `end` is the index after its closing bracket. */
  private finishContainer(end: number): void {
    switch (this.kind) {
      case RECORD:
      case CANDIDATE:
        this.finishRecord(end);
        break;
      case SKIP_VALUE:
        this.finishSkip(end);
        return;
      case PAGE_TAIL:
        this.sink.pageEnd?.({ file: this.file, offset: this.base + end, context: this.pageContext, nextLink: this.pageNextLink });
        this.pageOpen = -1;
        this.pageContext = null;
        this.pageNextLink = false;
        break;
    }
    this.closeUnit();
  }

  private finishRecord(end: number): void {
    const from = Math.max(this.unitStart - this.base, 0);
    const size = this.base + end - this.unitStart;
    if (this.bad !== null) {
      this.recordHead(end);
      this.report('malformed', this.unitStart, this.nextIndex++, this.bad);
      return;
    }
    if (this.overflow || size > this.maxBytes) {
      this.recordHead(end);
      this.problemAt('oversized', this.unitStart, this.nextIndex++, `record is ${size} bytes, more than the limit of ${this.maxBytes}`, this.snippet.text());
      return;
    }
    // A plain Uint8Array view even when the chunk is a Buffer (whose slice() would not copy).
    const chunk = this.chunk;
    const last = new Uint8Array(chunk.buffer, chunk.byteOffset + from, end - from);
    const bytes = this.pieces.length === 0 ? last : concatBytes([...this.pieces, last], size);
    const key: RecordKey = readKey(bytes, this.members, this.sessionCount < 0 ? null : this.sessionCount, this.segmentCount, this.streamCount);
    this.recordCount++;
    this.sink.record({ bytes, file: this.file, offset: this.unitStart, index: this.nextIndex++, key, context: this.pageOpen >= 0 ? this.pageContext : null });
  }

  /** Fills the snippet with the open unit's first bytes, up to index `end` of the chunk. */
  private unitHead(end: number): void {
    if (this.kind === RECORD || this.kind === CANDIDATE) this.recordHead(end);
    else this.collectUnit(end);
  }

  private recordHead(end: number): void {
    if (this.overflow) {
      this.collect(Math.max(this.unitStart - this.base, 0), end);
      return;
    }
    this.snippet.reset();
    for (const piece of this.pieces) this.snippet.add(piece, 0, piece.length);
    this.collect(Math.max(this.unitStart - this.base, 0), end);
  }

  /** A skipped value or a run of garbage ends before index `end` of the chunk. */
  private finishSkip(end: number): void {
    const kind = this.kind;
    const at = this.base + end;
    this.collectUnit(end);
    const text = this.snippet.text();
    if (kind === GARBAGE || (kind === SKIP_TOKEN && !SCALAR.test(text))) {
      this.problemAt('malformed', this.unitStart, null, `${at - this.unitStart} bytes between values are not JSON`, text.trimEnd());
    } else {
      const what =
        kind === SKIP_VALUE
          ? 'an array'
          : kind === SKIP_STRING
            ? 'a string'
            : text[0] === '-' || (text[0]! >= '0' && text[0]! <= '9')
              ? 'a number'
              : `the literal ${text}`;
      this.problemAt('not_a_record', this.unitStart, this.nextIndex++, `${what} stands where a record (an object) should be`, text);
    }
    this.closeUnit();
  }

  /** Lines mode: a newline at index `at` ends whatever is still open. */
  private lineEnd(at: number): void {
    const kind = this.kind;
    if (kind === SKIP_TOKEN || kind === GARBAGE) {
      this.finishSkip(at);
      return;
    }
    if (kind === NONE && this.depth === 0) return;
    if (kind === RECORD || kind === CANDIDATE || kind === SKIP_VALUE || kind === SKIP_STRING) {
      this.unitHead(at);
      this.report('malformed', this.unitStart, this.nextIndex++, `line ends inside the value that begins here${this.bad === null ? '' : ` (${this.bad})`}`);
    } else {
      this.problemAt('malformed', this.base + at, null, `line ends inside ${this.openContainer()}`, '');
    }
    this.resetToTop();
  }

  private openContainer(): string {
    return this.pageOpen >= 0 ? 'a page' : this.topArray ? 'the top-level array' : 'a value';
  }

  private resetToTop(): void {
    this.closeUnit();
    this.depth = 0;
    this.topArray = false;
    this.pageOpen = -1;
    this.pageInValue = false;
    this.pageContext = null;
    this.pageNextLink = false;
    this.inString = false;
    this.escapeCarry = false;
  }

  /** A problem about the open unit, quoting the first bytes collected (see unitHead). */
  private report(kind: ProblemKind, offset: number, index: number | null, reason: string): void {
    this.problemAt(kind, offset, index, reason, this.snippet.text());
  }

  private problemAt(kind: ProblemKind, offset: number, index: number | null, reason: string, snippet: string): void {
    this.sink.problem({ kind, file: this.file, offset, index, reason, snippet });
  }
}
