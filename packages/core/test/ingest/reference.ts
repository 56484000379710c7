/**
 * readRecordsReference: the same events as readRecords, framed by an independent implementation
 * built on stream-json (its tokenizer and Assembler), for differential tests and as a benchmark
 * baseline. Shares only the input handling (expansion, gzip, sniffing) with readRecords.
 *
 * Differences, by design:
 * - Record bytes are JSON.stringify of the assembled value, not the input text (compare them after
 *   JSON.parse). Problem snippets are empty.
 * - The first malformed byte ends the file (stream-json cannot resync): one 'malformed' problem,
 *   nothing after it. Explicit 'ndjson' is read line by line with JSON.parse, so a bad line is
 *   'malformed' (or 'truncated' when last) even where the framer frames a record.
 * - exactOffsets (default true) feeds the tokenizer pieces that each begin at an "anchor" byte (a
 *   bracket, a quote, or the first byte of a number or literal) and hold no other: the tokens an
 *   anchor starts come out of the call that feeds it, so their offsets are exact. Slow, for tests.
 *   With exactOffsets false it is fed whole chunks (the benchmark baseline); offsets are then those
 *   of the chunk a value began in, and the size limit is not checked.
 *
 * stream-json is a development dependency: it is loaded on first use, so this module costs
 * nothing where it is never called.
 */
import { BOM, concatBytes, isWhitespace, utf8 } from '../../src/ingest/bytes.js';
import type { FramerSink } from '../../src/ingest/framer.js';
import { readWith } from '../../src/ingest/read.js';
import type { Framing } from '../../src/ingest/read.js';
import { DEFAULT_MAX_RECORD_BYTES } from '../../src/ingest/types.js';
import type { IngestEvent, IngestProblem, ProblemKind, ReadOptions, RecordKey } from '../../src/ingest/types.js';

export interface ReferenceOptions extends ReadOptions {
  /** Feed the tokenizer byte by byte so offsets are exact (default true). */
  exactOffsets?: boolean;
}

export function readRecordsReference(inputs: readonly string[], options: ReferenceOptions = {}): AsyncIterable<IngestEvent> {
  const common = (file: string, sink: FramerSink): Common => new Common(file, sink, options.maxRecordBytes ?? DEFAULT_MAX_RECORD_BYTES);
  return readWith(inputs, options, (info, sink) =>
    options.format === 'ndjson' ? new LineReference(common(info.file, sink)) : new TokenReference(common(info.file, sink), options.exactOffsets ?? true),
  );
}

type Token = import('stream-json/parser.js').Token;
type Tokenizer = import('stream-json/parser.js').TokenSource;
type AssemblerLike = import('stream-json/assembler.js').default;
interface StreamJson {
  jsonParser: typeof import('stream-json/parser.js').jsonParser;
  Assembler: typeof import('stream-json/assembler.js').default;
}

/** stream-chain's markers (stream-json's tokenizer speaks them): "no value / flush" and "many values". */
const NONE = Symbol.for('object-stream.none');
const MANY = Symbol.for('object-stream.many');
let loaded: Promise<StreamJson> | null = null;

function streamJson(): Promise<StreamJson> {
  loaded ??= (async () => {
    const { jsonParser } = await import('stream-json/parser.js');
    const { default: Assembler } = await import('stream-json/assembler.js');
    return { jsonParser, Assembler };
  })();
  return loaded;
}

/** Emitting, shared by both reference framings. */
class Common {
  records = 0;
  index = 0;
  private readonly encoder = new TextEncoder();

  constructor(
    readonly file: string,
    private readonly sink: FramerSink,
    readonly maxBytes: number,
  ) {}

  record(value: Record<string, unknown>, bytes: Uint8Array | null, offset: number, context: string | null = null): void {
    const sessions = Array.isArray(value.sessions) ? objectsIn([value.sessions]) : null;
    const segments = sessions === null ? [] : objectsIn(sessions.flatMap(arrayMembers));
    const streams = objectsIn(objectsIn(segments.flatMap(arrayMembers)).flatMap(arrayMembers));
    const key: RecordKey = {
      id: typeof value.id === 'string' ? value.id : null,
      version: typeof value.version === 'number' ? value.version : null,
      lastModified: typeof value.lastModifiedDateTime === 'string' ? value.lastModifiedDateTime : null,
      sessions: sessions === null ? null : sessions.length,
      segments: segments.length,
      streams: streams.length,
    };
    this.records++;
    this.sink.record({ bytes: bytes ?? this.encoder.encode(JSON.stringify(value)), file: this.file, offset, index: this.index++, key, context });
  }

  problem(kind: ProblemKind, offset: number, inRecordPosition: boolean, reason: string): void {
    const problem: IngestProblem = { kind, file: this.file, offset, index: inRecordPosition ? this.index++ : null, reason, snippet: '' };
    this.sink.problem(problem);
  }

  /** What end() reports besides a cut record: a gzip cause, or an empty file. */
  finish(eof: number, truncated: boolean, sawValue: boolean, cause: string | undefined): void {
    if (cause !== undefined && !truncated) this.problem('truncated', eof, false, `input ends early (${cause})`);
    else if (!sawValue && cause === undefined) this.problem('empty', 0, false, 'file is empty or holds only whitespace');
  }
}

/** The objects among the elements of some arrays. */
function objectsIn(arrays: readonly unknown[][]): Record<string, unknown>[] {
  return arrays.flatMap((array) => array.filter(isPlainObject));
}

/** The members of an object that are arrays. */
function arrayMembers(object: Record<string, unknown>): unknown[][] {
  return Object.values(object).filter((value): value is unknown[] => Array.isArray(value));
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * stream-json's bare tokenizer (`jsonParser`, documented for embedding: `parser()` is it behind a
 * UTF-8 decoding stage), called synchronously on text decoded here: stream-chain's async generator
 * per call would make byte-at-a-time feeding far too slow. Decoding drops a leading BOM, as the
 * parser's own stage does. No depth or packed-length limit: the reference frames what the framer
 * frames (the size limit is maxRecordBytes, checked below).
 */
interface Tokens {
  /** Tokens of the next bytes; `null` flushes the decoder and the tokenizer (end of input). */
  next(bytes: Uint8Array | null): readonly Token[];
}

function tokenizer(jsonParser: StreamJson['jsonParser'], options: Parameters<StreamJson['jsonParser']>[0]): Tokens {
  const decoder = new TextDecoder('utf-8');
  const tokenize: Tokenizer = jsonParser({ ...options, maxDepth: Number.POSITIVE_INFINITY, maxPackedLength: Number.POSITIVE_INFINITY });
  const run = (input: unknown): readonly Token[] => tokensOf((tokenize as (input: unknown) => unknown)(input));
  return {
    next: (bytes) => (bytes === null ? [...run(decoder.decode()), ...run(NONE)] : run(decoder.decode(bytes, { stream: true }))),
  };
}

function tokensOf(output: unknown): readonly Token[] {
  if (output === NONE) return [];
  const many = output as { [MANY]?: number; values?: Token[] };
  return many[MANY] === 1 ? many.values! : [output as Token];
}

const LITERAL_TOKENS = new Set(['trueValue', 'falseValue', 'nullValue']);

/** Byte tables: anchors wherever they are; anchors when they start a token; token bytes. */
const table = (chars: string): Uint8Array => {
  const out = new Uint8Array(256);
  for (const c of chars) out[c.charCodeAt(0)] = 1;
  return out;
};
const ALWAYS = table('{}[]"');
const TOKEN_START = table('-0123456789tfn');
const LITERAL_START = table('tfn');
const IN_TOKEN = table('0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.+-');

function isAnchor(byte: number, before: number): boolean {
  return ALWAYS[byte] === 1 || (TOKEN_START[byte] === 1 && IN_TOKEN[before] !== 1);
}

/** JSON text sequences, pages and arrays, through stream-json's tokenizer and Assembler. */
class TokenReference implements Framing {
  private tokens: Tokens | null = null;
  private assemblerClass: StreamJson['Assembler'] | null = null;
  private base = 0;
  private failed = false;
  private sawValue = false;
  private depth = 0;
  private pageOpen = -1;
  private pageContext: string | null = null;
  private pageInValue = false;
  private pageTail = false;
  /** Depth before a not_a_record container's bracket, -1 when none is being skipped. */
  private skipOpen = -1;
  private assembler: AssemblerLike | null = null;
  private recordOpen = 0;
  private recordStart = 0;
  private pageable = false;
  private pendingValue = false;
  /** The byte before the current chunk, and where the last literal began. */
  private before = 0x20;
  private literalStart = 0;

  constructor(
    private readonly out: Common,
    private readonly exact: boolean,
  ) {}

  get records(): number {
    return this.out.records;
  }

  async push(chunk: Uint8Array): Promise<void> {
    if (this.tokens === null) {
      const { jsonParser, Assembler } = await streamJson();
      this.tokens = tokenizer(jsonParser, { jsonStreaming: true, packValues: true, streamKeys: false, streamStrings: this.exact, streamNumbers: this.exact });
      this.assemblerClass = Assembler;
    }
    let from = 0;
    for (let at = 1; at <= chunk.length && !this.failed; at++) {
      if (at < chunk.length && !(this.exact && isAnchor(chunk[at]!, chunk[at - 1]!))) continue;
      this.feed(chunk.subarray(from, at), this.base + from, from === 0 ? this.before : chunk[from - 1]!);
      from = at;
    }
    this.before = chunk[chunk.length - 1] ?? this.before;
    this.base += chunk.length;
  }

  /** Feeds one piece; `before` is the byte just before it. */
  private feed(piece: Uint8Array, offset: number, before: number): void {
    if (LITERAL_START[piece[0]!] === 1 && isAnchor(piece[0]!, before)) this.literalStart = offset;
    try {
      for (const token of this.tokens!.next(piece)) this.onToken(token, offset);
    } catch (error) {
      this.failed = true;
      this.out.problem('malformed', offset, false, `stream-json: ${(error as Error).message}`);
    }
  }

  end(cause?: string): void {
    const eof = this.base;
    let truncated = false;
    if (this.tokens !== null && !this.failed) {
      try {
        for (const token of this.tokens.next(null)) this.onToken(token, eof);
      } catch (error) {
        truncated = true;
        const why = `stream-json: ${(error as Error).message}${cause === undefined ? '' : ` (${cause})`}`;
        if (this.assembler !== null) this.out.problem('truncated', this.recordStart, true, why);
        else this.out.problem('truncated', eof, false, why);
      }
    }
    this.out.finish(eof, truncated || this.failed, this.sawValue || this.failed, cause);
  }

  private onToken(token: Token, offset: number): void {
    this.sawValue = true;
    const name = token.name;
    if (this.assembler !== null) {
      this.inRecord(token, offset);
      return;
    }
    const opens = name === 'startObject' || name === 'startArray';
    const closes = name === 'endObject' || name === 'endArray';
    if (this.skipOpen >= 0 || this.pageTail) {
      if (opens) this.depth++;
      if (closes && --this.depth === this.skipOpen) this.skipOpen = -1;
      if (closes && this.pageTail && this.depth === this.pageOpen) {
        this.pageTail = false;
        this.pageOpen = -1;
      }
      return;
    }
    switch (name) {
      case 'startObject':
        this.assembler = new this.assemblerClass!();
        this.assembler.consume(token);
        this.recordOpen = this.depth++;
        this.recordStart = offset;
        this.pageable = this.pageOpen < 0;
        this.pendingValue = false;
        return;
      case 'startArray':
        if (this.depth === 0) {
          this.depth = 1;
          return;
        }
        this.out.problem('not_a_record', offset, true, 'an array stands where a record should be');
        this.skipOpen = this.depth++;
        return;
      case 'endArray':
        this.depth--;
        if (this.pageOpen >= 0 && this.pageInValue) {
          this.pageInValue = false;
          this.pageTail = true;
        }
        return;
    }
    const scalarStart = this.exact ? name === 'startString' || name === 'startNumber' : name === 'stringValue' || name === 'numberValue';
    if (scalarStart) this.out.problem('not_a_record', offset, true, 'a scalar stands where a record should be');
    else if (LITERAL_TOKENS.has(name))
      this.out.problem('not_a_record', this.exact ? this.literalStart : offset, true, 'a literal stands where a record should be');
  }

  private inRecord(token: Token, offset: number): void {
    const name = token.name;
    if (this.pageable && this.depth === this.recordOpen + 1) {
      if (name === 'keyValue') {
        this.pendingValue = token.value === 'value';
      } else if (this.pendingValue && name === 'startArray') {
        const head = this.assembler!.current as Record<string, unknown>;
        this.pageContext = typeof head['@odata.context'] === 'string' ? head['@odata.context'] : null;
        this.assembler = null;
        this.pageOpen = this.recordOpen;
        this.pageInValue = true;
        this.depth++;
        return;
      } else {
        this.pendingValue = false;
      }
    }
    this.assembler!.consume(token);
    if (name === 'startObject' || name === 'startArray') this.depth++;
    else if ((name === 'endObject' || name === 'endArray') && --this.depth === this.recordOpen) {
      const value = this.assembler!.current as Record<string, unknown>;
      this.assembler = null;
      const size = offset + 1 - this.recordStart;
      if (this.exact && size > this.out.maxBytes) this.out.problem('oversized', this.recordStart, true, `record is ${size} bytes`);
      else this.out.record(value, null, this.recordStart, this.pageOpen >= 0 ? this.pageContext : null);
    }
  }
}

/** Explicit NDJSON: each non-blank line through JSON.parse. */
class LineReference implements Framing {
  private line: Uint8Array[] = [];
  private lineBytes = 0;
  private lineStart = 0;
  private base = 0;
  private sawValue = false;

  constructor(private readonly out: Common) {}

  get records(): number {
    return this.out.records;
  }

  push(chunk: Uint8Array): void {
    let from = 0;
    for (let newline = chunk.indexOf(0x0a); newline >= 0; newline = chunk.indexOf(0x0a, from)) {
      this.take(chunk.subarray(from, newline));
      this.onLine(false);
      from = newline + 1;
      this.lineStart = this.base + from;
    }
    this.take(chunk.subarray(from));
    this.base += chunk.length;
  }

  end(cause?: string): void {
    const truncated = this.onLine(true);
    this.out.finish(this.base, truncated, this.sawValue, cause);
  }

  private take(part: Uint8Array): void {
    this.line.push(part.slice());
    this.lineBytes += part.length;
  }

  /** Returns true when the line is a cut record (last line, invalid JSON). */
  private onLine(last: boolean): boolean {
    const bytes = concatBytes(this.line, this.lineBytes);
    this.line = [];
    this.lineBytes = 0;
    let from = 0;
    let to = bytes.length;
    while (from < to && (isWhitespace(bytes[from]!) || (this.lineStart + from < BOM.length && bytes[from] === BOM[this.lineStart + from]))) from++;
    while (to > from && isWhitespace(bytes[to - 1]!)) to--;
    if (from === to) return false;
    this.sawValue = true;
    const offset = this.lineStart + from;
    const text = bytes.subarray(from, to);
    let value: unknown;
    try {
      value = JSON.parse(utf8(text));
    } catch (error) {
      this.out.problem(last ? 'truncated' : 'malformed', offset, true, `JSON.parse: ${(error as Error).message}`);
      return last;
    }
    if (isPlainObject(value)) this.out.record(value, text, offset);
    else this.out.problem('not_a_record', offset, true, 'a line holds a value that is not an object');
    return false;
  }
}
