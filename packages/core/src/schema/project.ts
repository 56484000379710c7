/**
 * parseProjected: a record's JSON bytes straight to the part of it the analysis reads.
 *
 * A callRecord is ~40 KB of JSON of which the schema (callrecord.ts) declares a small part: most of
 * networkInfo and deviceInfo, traceRouteHops, cpu names, ... are carried and never read. Decoding
 * the bytes to a string and JSON.parse building every object costs ~0.57 s CPU per 100 MB; this
 * parser reads the bytes once, builds only the properties the schema declares (recursively) and
 * checks everything else against the JSON grammar without building it: ~0.22 s per 100 MB
 * (benchmarks/measure/project.ts).
 *
 * The projection is derived from `documentSchema` (callRecordSchema and the properties that tell
 * other documents apart: document.ts) when the module loads (object -> its shape keys;
 * optional and nullable unwrapped; array -> its element; anything else is a leaf, kept whole), so a
 * schema change changes what is built. Nothing here lists fields. Whatever reads a record after it
 * (validate, flatten) must therefore read declared properties only.
 *
 * Contract, for the text `buffer.toString('utf8', start, end)` (invalid UTF-8 becomes U+FFFD):
 * - a value returned means JSON.parse(text) succeeds and the value deep-equals its projection: at
 *   every object the schema describes only the declared keys (in JSON.parse's order, the last of
 *   duplicate keys winning), leaves as JSON.parse gives them (same doubles, -0 kept, same strings);
 * - when JSON.parse(text) would throw, the answer is NOT_PROJECTED;
 * - NOT_PROJECTED is also the answer to anything unusual: a top value that is not an object, an
 *   escaped key in a described object, a described object or array holding another JSON type,
 *   nesting deeper than MAX_DEPTH. The caller then parses the text with JSON.parse as before.
 *
 * Why the byte-level reasoning is sound: UTF-8 decoding with replacement never merges an ASCII byte
 * into a neighbouring sequence, so every ASCII byte of the input is the same character of the text
 * and every other byte becomes characters >= U+0080, which JSON allows only inside strings. Grammar
 * checks can therefore run on bytes, and the text of a string is the decoding of its byte slice.
 *
 * Where the time goes, and what keeps it low (each measured on generated records):
 * - three quarters of the bytes are string bodies: scanned four and eight bytes at a time (scanString);
 * - most keys are members of described objects (streams, networks, devices, endpoints): each is
 *   matched against the key that followed the previous one last time, as words of bytes (Keys);
 * - most built strings repeat one seen shortly before: a small cache of strings by bytes (cachedString);
 * - members are stored by a small function per declared key, not by one megamorphic store (Field.set);
 * - numbers are exact doubles from digits where that is exact, V8's own conversion otherwise.
 * State (the cursor, the caches, the learned keys) is module-level: one parse at a time, synchronous.
 */
import { Buffer } from 'node:buffer';
import type * as z from 'zod';
import { fail } from '../errors.js';
import { documentSchema } from './document.js';

/** What parseProjected answers when it cannot decide: parse the text with JSON.parse instead. */
export const NOT_PROJECTED: unique symbol = Symbol('NOT_PROJECTED');

/**
 * Containers open at once beyond which the parser gives up (JSON.parse decides). Generated records
 * nest ~10 deep; the limit only has to keep a hostile input from costing more than a fallback.
 */
export const MAX_DEPTH = 512;

// ---- bytes ------------------------------------------------------------------------------------------

const TAB = 0x09;
const NEWLINE = 0x0a;
const CR = 0x0d;
const SPACE = 0x20;
const QUOTE = 0x22;
const PLUS = 0x2b;
const COMMA = 0x2c;
const MINUS = 0x2d;
const DOT = 0x2e;
const DIGIT_0 = 0x30;
const DIGIT_9 = 0x39;
const COLON = 0x3a;
const LBRACKET = 0x5b;
const BACKSLASH = 0x5c;
const RBRACKET = 0x5d;
const LOWER_E = 0x65;
const LOWER_F = 0x66;
const LOWER_N = 0x6e;
const LOWER_T = 0x74;
const LBRACE = 0x7b;
const RBRACE = 0x7d;
/** '{' + 2 is '}' and '[' + 2 is ']': the closer of an open container is its opener + 2. */
const CLOSER_OFFSET = 2;

// ---- the projection, derived from the schema --------------------------------------------------------

const LEAF = 0;
const OBJECT = 1;
const ARRAY = 2;
type Kind = typeof LEAF | typeof OBJECT | typeof ARRAY;

/** What to build of a value: all of it (leaf), the declared keys of an object, or each element. */
class Projection {
  constructor(
    readonly kind: Kind,
    /** OBJECT: its declared keys (set after construction, so a schema may refer to itself). */
    public keys: Keys | null,
    /** ARRAY: the projection of every element. */
    readonly element: Projection | null,
  ) {}
}

/** A declared key: what to build of its value, and how. */
class Field {
  /**
   * Adds the member to an object being built. A function of its own per key (made by `new Function`
   * from the JSON-quoted name, never from input): its store sees one key and the few maps of the
   * objects this key goes into, where one shared `out[name] = value` store sees every key and map
   * (megamorphic) and cost ~20 ms per 100 MB more. `__proto__` gets Object.defineProperty instead, so
   * that it becomes an own property, as JSON.parse makes it, never the prototype.
   */
  readonly set: (target: Record<string, unknown>, value: unknown) => void;

  constructor(
    readonly name: string,
    readonly projection: Projection,
  ) {
    this.set =
      name === '__proto__'
        ? (target, value) => Object.defineProperty(target, name, { value, writable: true, enumerable: true, configurable: true })
        : setterOf(name);
  }
}

function setterOf(name: string): Field['set'] {
  try {
    return new Function('target', 'value', `target[${JSON.stringify(name)}] = value;`) as Field['set'];
  } catch {
    // code generation disallowed (--disallow-code-generation-from-strings): the shared store, slower
    return (target, value) => {
      target[name] = value;
    };
  }
}

/**
 * A key as the input spells it, without escapes: a declared one (`field` set) or one seen in the input
 * and skipped (`field` null). Matched against input bytes, never decoded.
 */
class Key {
  /** The key's UTF-8 bytes and the closing quote after them. */
  readonly quoted: Uint8Array;
  /** quoted.length, and (when it is 4 or more) its first and last four bytes as little-endian words. */
  readonly size: number;
  readonly first: number;
  readonly last: number;
  /** The words between: at 4, 8, ... up to the last one (which ends at the quote and may overlap). */
  readonly middle: Int32Array;
  /** The next key in the same slot of Keys.slots. */
  chain: Key | null = null;
  /** The key that followed this one in the last object of its schema: most likely the next one. */
  after: Key | null = null;

  constructor(
    bytes: Uint8Array,
    readonly field: Field | null,
  ) {
    const quoted = new Uint8Array(bytes.length + 1);
    quoted.set(bytes);
    quoted[bytes.length] = QUOTE;
    this.quoted = quoted;
    const size = quoted.length;
    this.size = size;
    const view = new DataView(quoted.buffer);
    const words = size < 4 ? 0 : (size + 3) >> 2;
    this.first = words > 0 ? view.getInt32(0, true) : 0;
    this.last = words > 0 ? view.getInt32(size - 4, true) : 0;
    // words at 0, 4, 8, ... and the last one at size - 4: together they cover every byte
    this.middle = Int32Array.from({ length: Math.max(0, words - 2) }, (_, w) => view.getInt32((w + 1) * 4, true));
  }

  /**
   * Whether the input at `start` (after an opening quote) is this key and its closing quote. Such a
   * match needs no scan: the key's bytes hold no quote, backslash or control byte.
   */
  matchesAt(b: Uint8Array, v: DataView, start: number, end: number): boolean {
    const size = this.size;
    if (start + size > end) return false;
    if (size < 4) {
      const quoted = this.quoted;
      for (let j = 0; j < size; j++) if (b[start + j] !== quoted[j]) return false;
      return true;
    }
    // four bytes a step: the last word (ending at the quote) first, then the first, then any between
    // (the first three unrolled: most keys are shorter than 21 bytes)
    if (v.getInt32(start + size - 4, true) !== this.last || v.getInt32(start, true) !== this.first) return false;
    const middle = this.middle;
    const count = middle.length;
    if (count === 0) return true;
    if (v.getInt32(start + 4, true) !== middle[0]) return false;
    if (count === 1) return true;
    if (v.getInt32(start + 8, true) !== middle[1]) return false;
    if (count === 2) return true;
    if (v.getInt32(start + 12, true) !== middle[2]) return false;
    for (let w = 3; w < count; w++) if (v.getInt32(start + (w + 1) * 4, true) !== middle[w]) return false;
    return true;
  }
}

/** Slots of a Keys table: 2^SLOT_BITS at least, more if declared keys would collide. */
const SLOT_BITS = 7;
const MAX_SLOT_BITS = 10;
/**
 * Skipped keys a Keys table learns at most. A schema object's input has a few dozen distinct keys;
 * the cap bounds memory and work whatever an input holds (past it, unknown keys are just not learned).
 */
const MAX_LEARNED = 64;

/**
 * The keys of an object schema: the declared ones, and skipped ones learned from the input, in a small
 * hash table keyed by length and three bytes. Records repeat their key order, so each key also
 * remembers the key that followed it; the parser checks that guess first, which spares most keys the
 * scan for their closing quote and the hash lookup.
 */
class Keys {
  readonly slots: (Key | null)[];
  /** 32 - log2(slots.length): the hash's top bits index the table. */
  readonly shift: number;
  /** Stands before the first member: its `after` is the likely first key. */
  readonly start: Key;
  /** Stands for an unknown key not learned (past MAX_LEARNED): what follows it is a guess like any. */
  readonly unknown: Key;
  /**
   * Every declared key is ASCII: an input key holding a byte >= 0x80 then cannot be one of them (it
   * decodes to characters >= U+0080). Otherwise such a key makes the parser give up.
   */
  readonly asciiOnly: boolean;
  private learned = 0;

  constructor(fields: readonly Field[]) {
    const keys = fields.map((field) => new Key(Buffer.from(field.name, 'utf8'), field));
    const hashes = keys.map((key) => keyHash(key.quoted, 0, key.quoted.length - 1));
    let bits = SLOT_BITS;
    // the smallest table without collisions among declared keys, if one is small enough; chains otherwise
    while (bits < MAX_SLOT_BITS && new Set(hashes.map((hash) => hash >>> (32 - bits))).size < keys.length) bits++;
    this.shift = 32 - bits;
    this.slots = new Array<Key | null>(1 << bits).fill(null);
    for (const key of keys) this.insert(key);
    this.start = new Key(new Uint8Array(0), null);
    this.unknown = new Key(new Uint8Array(0), null);
    this.asciiOnly = fields.every((field) => Buffer.byteLength(field.name, 'utf8') === field.name.length);
  }

  /** The known key spelled by `b[start, end)` (no escapes: b[end] is its closing quote), learning a skipped one. */
  find(b: Uint8Array, v: DataView, start: number, end: number): Key | null {
    let key = this.slots[keyHash(b, start, end) >>> this.shift] as Key | null;
    // the compare takes in the closing quote, so a key of another length never matches
    while (key !== null && !key.matchesAt(b, v, start, end + 1)) key = key.chain;
    if (key !== null || this.learned >= MAX_LEARNED) return key;
    // not declared (else it would be in the table): remember it as skipped
    this.learned++;
    return this.insert(new Key(b.slice(start, end), null));
  }

  private insert(key: Key): Key {
    const slot = keyHash(key.quoted, 0, key.quoted.length - 1) >>> this.shift;
    key.chain = this.slots[slot]!;
    this.slots[slot] = key;
    return key;
  }
}

/** A hash of the key `b[start, end)` from its length, first, middle and last bytes (reads stay inside the key). */
function keyHash(b: Uint8Array, start: number, end: number): number {
  const length = end - start;
  if (length === 0) return 0;
  return Math.imul(length ^ (b[start]! << 8) ^ (b[start + (length >> 1)]! << 16) ^ (b[end - 1]! << 24), 0x9e3779b1);
}

const LEAF_PROJECTION = new Projection(LEAF, null, null);

type Schema = z.core.$ZodType;

function projectionOf(schema: Schema, objects: Map<Schema, Projection>): Projection {
  const def = (schema as z.ZodType).def;
  switch (def.type) {
    case 'optional':
    case 'nullable':
      // null is kept wherever it stands; absence needs nothing built
      return projectionOf((def as z.core.$ZodOptionalDef | z.core.$ZodNullableDef).innerType, objects);
    case 'array':
      return new Projection(ARRAY, null, projectionOf((def as z.core.$ZodArrayDef).element, objects));
    case 'object': {
      const known = objects.get(schema);
      if (known !== undefined) return known;
      const projection = new Projection(OBJECT, null, null);
      objects.set(schema, projection);
      const shape = (def as z.core.$ZodObjectDef).shape;
      projection.keys = new Keys(Object.keys(shape).map((key) => new Field(key, projectionOf(shape[key]!, objects))));
      return projection;
    }
    default:
      return LEAF_PROJECTION;
  }
}

const ROOT = projectionOf(documentSchema, new Map());
if (ROOT.keys === null) throw fail('E_INTERNAL', 'parseProjected: documentSchema is not an object schema');
const ROOT_KEYS: Keys = ROOT.keys;

/** Inside a string: 1 for the bytes that need attention (`"`, `\\`, control bytes; not bytes >= 0x80). */
const SKIP_CLASS = new Uint8Array(256);
SKIP_CLASS.fill(1, 0, 0x20);
SKIP_CLASS[QUOTE] = 1;
SKIP_CLASS[BACKSLASH] = 1;

/** After a backslash: 1 for the one-letter escapes JSON has (`u` is checked apart). */
const SIMPLE_ESCAPE = new Uint8Array(256);
for (const c of '"\\/bfnrt') SIMPLE_ESCAPE[c.charCodeAt(0)] = 1;

const HEX = new Uint8Array(256);
for (const c of '0123456789abcdefABCDEF') HEX[c.charCodeAt(0)] = 1;

/** Exactly representable powers of ten: m * 10^p with m < 2^53 and |p| <= 22 rounds once. */
const POW10 = Array.from({ length: 23 }, (_, p) => Number(`1e${p}`));
const MAX_FAST_MANTISSA = Number.MAX_SAFE_INTEGER;

/**
 * Thrown (preallocated: no stack captured per throw) wherever the parser gives up; parseProjected
 * turns it into NOT_PROJECTED. Unwinding by exception keeps every return path free of checks.
 */
const BAIL = new Error('parseProjected: not projected');

// ---- parser state -----------------------------------------------------------------------------------
// One parse at a time (it is synchronous); the state is module-level so the recursive functions share
// the cursor without allocating. Hot loops copy it into locals.

const EMPTY: Buffer = Buffer.alloc(0);
/** The input, and the same memory as a Buffer for decoding strings. */
let src: Uint8Array = EMPTY;
let text: Buffer = EMPTY;
/** The same memory again, for reading four bytes at a time (scanString). */
let view: DataView = new DataView(EMPTY.buffer, EMPTY.byteOffset, 0);
const EMPTY_VIEW = view;
/** The cursor, and the end of the record (bytes past it belong to someone else: never read). */
let pos = 0;
let limit = 0;

/**
 * The projected value of the JSON text `bytes[start, end)` (UTF-8), or NOT_PROJECTED when it cannot
 * tell (the caller then runs JSON.parse on the decoded text): see the module comment for the contract.
 */
export function parseProjected(bytes: Uint8Array, start: number, end: number): unknown {
  if (!(Number.isInteger(start) && Number.isInteger(end) && start >= 0 && start <= end && end <= bytes.length)) {
    throw new RangeError(`parseProjected: bad range [${start}, ${end}) of ${bytes.length} bytes`);
  }
  src = bytes;
  text = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  limit = end;
  try {
    const i = skipWhitespace(bytes, start, end);
    if (i >= end || bytes[i] !== LBRACE) return NOT_PROJECTED;
    pos = i;
    const value = parseObject(ROOT_KEYS, 0);
    return skipWhitespace(bytes, pos, end) === end ? value : NOT_PROJECTED;
  } catch (error) {
    if (error === BAIL) return NOT_PROJECTED;
    throw error;
  } finally {
    // keep no reference to the caller's buffer
    src = EMPTY;
    text = EMPTY;
    view = EMPTY_VIEW;
  }
}

// ---- building ---------------------------------------------------------------------------------------

/** The value at `pos` (whitespace skipped), built as `projection` says; `depth` containers enclose it. */
function parseValue(projection: Projection, depth: number): unknown {
  const b = src;
  const i = pos;
  if (i >= limit) throw BAIL;
  const c = b[i]!;
  if (c === LOWER_N) {
    pos = literalEnd(b, i, limit);
    return null;
  }
  switch (projection.kind) {
    case OBJECT:
      if (c !== LBRACE) throw BAIL; // a described object holding another type: JSON.parse decides
      return parseObject(projection.keys!, depth);
    case ARRAY:
      if (c !== LBRACKET) throw BAIL;
      return parseArray(projection.element!, depth);
    default:
      return parseLeaf(c, depth);
  }
}

/**
 * The object at `pos` with its declared keys only; other members are checked and skipped. Most keys of
 * a record are members of described objects (streams, networks, devices, endpoints), so this loop is
 * the hot one: it checks for compact JSON (no whitespace) first, and skips scalar members in place.
 */
function parseObject(keys: Keys, depth: number): Record<string, unknown> {
  if (depth >= MAX_DEPTH) throw BAIL;
  const b = src;
  const v = view;
  const end = limit;
  const out: Record<string, unknown> = {};
  let i = skipWhitespace(b, pos + 1, end);
  if (i < end && b[i] === RBRACE) {
    pos = i + 1;
    return out;
  }
  let previous = keys.start;
  for (;;) {
    if (i >= end || b[i] !== QUOTE) throw BAIL;
    const keyStart = i + 1;
    let key = previous.after;
    if (key?.matchesAt(b, v, keyStart, end)) {
      i = keyStart + key.size;
    } else {
      const keyEnd = scanString(b, v, keyStart, end);
      // an escaped key might spell a declared one: not worth decoding here (a control byte: invalid)
      if (keyEnd >= end || b[keyEnd] !== QUOTE) throw BAIL;
      if (!keys.asciiOnly && !isAscii(b, keyStart, keyEnd)) throw BAIL;
      key = keys.find(b, v, keyStart, keyEnd);
      if (key !== null) previous.after = key;
      i = keyEnd + 1;
    }
    previous = key ?? keys.unknown;
    // compact JSON first: the colon right after the key, the value right after the colon
    if (i < end && b[i] !== COLON) i = skipWhitespace(b, i, end);
    if (i >= end || b[i] !== COLON) throw BAIL;
    i++;
    if (i < end && b[i]! <= SPACE) i = skipWhitespace(b, i, end);
    if (i >= end) throw BAIL;
    const c = b[i]!;
    const field = key === null ? null : key.field;
    if (field === null) {
      if (c === QUOTE) i = skipStringBody(b, i + 1, end);
      else if (c === LBRACE || c === LBRACKET) i = skipValue(b, i, end, depth + 1);
      else if (c === MINUS || (c >= DIGIT_0 && c <= DIGIT_9)) i = skipNumber(b, i, end);
      else i = literalEnd(b, i, end);
    } else {
      pos = i;
      const value = parseValue(field.projection, depth + 1);
      i = pos;
      field.set(out, value); // a repeated key overwrites in place: the last wins, as with JSON.parse
    }
    if (i < end && b[i]! <= SPACE) i = skipWhitespace(b, i, end);
    if (i >= end) throw BAIL;
    if (b[i] === COMMA) {
      i++;
      if (i < end && b[i]! <= SPACE) i = skipWhitespace(b, i, end);
    } else if (b[i] === RBRACE) {
      pos = i + 1;
      return out;
    } else {
      throw BAIL;
    }
  }
}

/** The array at `pos`, each element built as `element` says. */
function parseArray(element: Projection, depth: number): unknown[] {
  if (depth >= MAX_DEPTH) throw BAIL;
  const b = src;
  const end = limit;
  const out: unknown[] = [];
  let i = skipWhitespace(b, pos + 1, end);
  if (i < end && b[i] === RBRACKET) {
    pos = i + 1;
    return out;
  }
  for (;;) {
    pos = i;
    out.push(parseValue(element, depth + 1));
    i = pos;
    if (i < end && b[i]! <= SPACE) i = skipWhitespace(b, i, end);
    if (i >= end) throw BAIL;
    const c = b[i];
    if (c === COMMA) {
      i++;
      if (i < end && b[i]! <= SPACE) i = skipWhitespace(b, i, end);
    } else if (c === RBRACKET) {
      pos = i + 1;
      return out;
    } else {
      throw BAIL;
    }
  }
}

/** A leaf is kept whole: scalars are built here, a (rare) container by JSON.parse once checked. */
function parseLeaf(c: number, depth: number): unknown {
  const b = src;
  const i = pos;
  if (c === QUOTE) return parseString();
  if (c === MINUS || (c >= DIGIT_0 && c <= DIGIT_9)) return parseNumber();
  if (c === LOWER_T || c === LOWER_F) {
    pos = literalEnd(b, i, limit);
    return c === LOWER_T;
  }
  if (c === LBRACE || c === LBRACKET) {
    pos = skipValue(b, i, limit, depth);
    return parseText(i, pos);
  }
  throw BAIL;
}

/** The string at `pos`. */
function parseString(): string {
  const b = src;
  const end = limit;
  const start = pos + 1;
  const i = scanString(b, view, start, end);
  if (i >= end) throw BAIL;
  const c = b[i];
  if (c === QUOTE) {
    pos = i + 1;
    return cachedString(start, i);
  }
  if (c !== BACKSLASH) throw BAIL; // a raw control character
  // escapes are rare in what the schema reads: check them, then let JSON.parse decode the string
  pos = skipStringBody(b, i, end);
  return parseText(start - 1, pos) as string;
}

// ---- repeated strings -------------------------------------------------------------------------------
// Of the strings a record's projection holds, four in five repeat one seen shortly before (user and
// endpoint ids all over a record, enum values, durations like PT0.016S), and making a string (a call
// into Buffer's decoder, ~100 ns) costs more than recognising its bytes. A direct-mapped cache keyed by a hash of a few words of the bytes
// answers those; equal bytes always decode to the same string, so a hit is exact whatever the bytes.

const CACHE_BITS = 12;
const CACHE_SLOTS = 1 << CACHE_BITS;
/** Longer strings are not cached (they rarely repeat); shorter than four bytes neither (rare). */
const CACHE_MAX_BYTES = 48;
const CACHE_WORDS = CACHE_MAX_BYTES / 4;
/** Slot s: the string's bytes as little-endian words at s * CACHE_WORDS (the last word ends at its end). */
const cacheWords = new Int32Array(CACHE_SLOTS * CACHE_WORDS);
const cacheLength = new Int32Array(CACHE_SLOTS).fill(-1);
const cacheString: string[] = new Array<string>(CACHE_SLOTS).fill('');

/** The decoded string of the body `b[start, end)`, which holds no backslash. */
function cachedString(start: number, end: number): string {
  const length = end - start;
  if (length < 4 || length > CACHE_MAX_BYTES) return text.toString('utf8', start, end);
  const v = view;
  const first = v.getInt32(start, true);
  const last = v.getInt32(end - 4, true);
  // first, middle and last four bytes: ids differ anywhere, date-times and durations at the end
  let hash = Math.imul(length ^ first, 0x9e3779b1);
  hash = Math.imul(hash ^ v.getInt32((start + end - 4) >> 1, true), 0x85ebca77);
  hash = Math.imul(hash ^ last, 0xc2b2ae3d);
  const slot = hash >>> (32 - CACHE_BITS);
  const at = slot * CACHE_WORDS;
  const lastWord = (length - 1) >> 2;
  if (cacheLength[slot] === length && cacheWords[at + lastWord] === last) {
    let w = 0;
    while (w < lastWord && v.getInt32(start + w * 4, true) === cacheWords[at + w]) w++;
    if (w === lastWord) return cacheString[slot]!;
  }
  const value = text.toString('utf8', start, end);
  for (let w = 0; w < lastWord; w++) cacheWords[at + w] = v.getInt32(start + w * 4, true);
  cacheWords[at + lastWord] = last;
  cacheLength[slot] = length;
  cacheString[slot] = value;
  return value;
}

/** The number at `pos`, the very double JSON.parse gives. */
function parseNumber(): number {
  const b = src;
  const end = limit;
  const start = pos;
  let i = start;
  const negative = b[i] === MINUS;
  if (negative) i++;
  if (i >= end) throw BAIL;
  let c = b[i]!;
  let mantissa = 0;
  if (c === DIGIT_0) {
    i++;
  } else if (c > DIGIT_0 && c <= DIGIT_9) {
    // once the mantissa reaches 2^53 it stays >= 2^53 (rounding is monotonic): the check below sees it
    do {
      mantissa = mantissa * 10 + (c - DIGIT_0);
      i++;
    } while (i < end && (c = b[i]!) >= DIGIT_0 && c <= DIGIT_9);
  } else {
    throw BAIL;
  }
  let power = 0;
  if (i < end && b[i] === DOT) {
    const first = ++i;
    while (i < end && (c = b[i]!) >= DIGIT_0 && c <= DIGIT_9) {
      mantissa = mantissa * 10 + (c - DIGIT_0);
      i++;
    }
    if (i === first) throw BAIL;
    power = first - i;
  }
  if (i < end && (b[i]! | 0x20) === LOWER_E) {
    i++;
    let exponentNegative = false;
    if (i < end && (b[i] === PLUS || b[i] === MINUS)) exponentNegative = b[i++] === MINUS;
    const first = i;
    let exponent = 0;
    while (i < end && (c = b[i]!) >= DIGIT_0 && c <= DIGIT_9) {
      if (exponent < 1e6) exponent = exponent * 10 + (c - DIGIT_0); // past that, only the slow path's answer matters
      i++;
    }
    if (i === first) throw BAIL;
    power += exponentNegative ? -exponent : exponent;
  }
  pos = i;
  if (mantissa <= MAX_FAST_MANTISSA && power >= -22 && power <= 22) {
    // both operands exact, one correctly rounded operation: the nearest double, as JSON.parse's
    const value = power < 0 ? mantissa / POW10[-power]! : mantissa * POW10[power]!;
    return negative ? -value : value;
  }
  // V8's string-to-double, which JSON.parse uses too (1e400 is Infinity for both)
  return Number(text.toString('latin1', start, i));
}

/** JSON.parse of the checked slice `[start, end)`: escaped strings and containers at leaves. */
function parseText(start: number, end: number): unknown {
  try {
    return JSON.parse(text.toString('utf8', start, end));
  } catch {
    throw BAIL; // the grammar check passed, so this is not expected; JSON.parse decides on the whole
  }
}

// ---- checking without building ------------------------------------------------------------------------

function skipWhitespace(b: Uint8Array, i: number, end: number): number {
  while (i < end) {
    const c = b[i]!;
    // one compare for what usually follows a token (compact JSON: a structural byte or a value)
    if (c > SPACE || (c !== SPACE && c !== NEWLINE && c !== CR && c !== TAB)) break;
    i++;
  }
  return i;
}

/** Open containers of skipValue, innermost last: their opening bytes. */
const OPEN = new Uint8Array(MAX_DEPTH);

/**
 * Checks the value at `i` against the JSON grammar and returns the index after it. Iterative: a deep
 * value costs a byte of OPEN per level, never a stack frame. `depth` containers enclose the value.
 */
function skipValue(b: Uint8Array, i: number, end: number, depth: number): number {
  let top = 0;
  for (;;) {
    // a value starts at i
    if (i >= end) throw BAIL;
    let c = b[i]!;
    if (c === QUOTE) {
      i = skipStringBody(b, i + 1, end);
    } else if (c === LBRACE || c === LBRACKET) {
      if (depth + top >= MAX_DEPTH) throw BAIL;
      i = skipWhitespace(b, i + 1, end);
      if (i < end && b[i] === c + CLOSER_OFFSET) {
        i++; // empty
      } else {
        OPEN[top++] = c;
        if (c === LBRACE) i = skipKey(b, i, end);
        continue;
      }
    } else if (c === MINUS || (c >= DIGIT_0 && c <= DIGIT_9)) {
      i = skipNumber(b, i, end);
    } else {
      i = literalEnd(b, i, end);
    }
    // the value ended at i: what follows closes containers or starts the next member
    for (;;) {
      if (top === 0) return i;
      if (i < end && b[i]! <= SPACE) i = skipWhitespace(b, i, end);
      if (i >= end) throw BAIL;
      c = b[i]!;
      const open = OPEN[top - 1]!;
      if (c === COMMA) {
        i++;
        if (i < end && b[i]! <= SPACE) i = skipWhitespace(b, i, end);
        if (open === LBRACE) i = skipKey(b, i, end);
        break;
      }
      if (c !== open + CLOSER_OFFSET) throw BAIL;
      top--;
      i++;
    }
  }
}

/** Checks `"key" :` at `i` and returns the index of the member's value. */
function skipKey(b: Uint8Array, i: number, end: number): number {
  if (i >= end || b[i] !== QUOTE) throw BAIL;
  i = skipStringBody(b, i + 1, end);
  if (i < end && b[i] !== COLON) i = skipWhitespace(b, i, end);
  if (i >= end || b[i] !== COLON) throw BAIL;
  i++;
  return i < end && b[i]! <= SPACE ? skipWhitespace(b, i, end) : i;
}

/** Checks a string's body from `i` (after the opening quote); returns the index after the closing one. */
function skipStringBody(b: Uint8Array, i: number, end: number): number {
  const stop = scanString(b, view, i, end);
  // kept this small so that it inlines: escapes and errors are the rare case
  return stop < end && b[stop] === QUOTE ? stop + 1 : skipStringRest(b, stop, end);
}

/** skipStringBody from a stop of scanString that is not the closing quote. */
function skipStringRest(b: Uint8Array, i: number, end: number): number {
  const v = view;
  for (;;) {
    if (i >= end) throw BAIL;
    const c = b[i];
    if (c === QUOTE) return i + 1;
    if (c !== BACKSLASH) throw BAIL; // a raw control character
    i++;
    if (i >= end) throw BAIL;
    if (b[i] === 0x75 /* u */) {
      if (i + 4 >= end || (HEX[b[i + 1]!]! & HEX[b[i + 2]!]! & HEX[b[i + 3]!]! & HEX[b[i + 4]!]!) === 0) throw BAIL;
      i += 5;
    } else {
      if (SIMPLE_ESCAPE[b[i]!] === 0) throw BAIL;
      i++;
    }
    i = scanString(b, v, i, end);
  }
}

/**
 * The index of the first `"`, `\` or control byte (< 0x20) at or after `i` in a string body, or `end`.
 * Bytes >= 0x80 need no attention (see the module comment). Words at a time: three of every four
 * bytes of a record are string bodies, and a byte-at-a-time loop spent twice as long here.
 *
 * Per little-endian 32-bit word x, `(x - 0x01010101 * n) & ~x & 0x80808080` flags the bytes of x below
 * n (n <= 0x80; n = 1: the zero bytes). A borrow can only flag bytes above a truly flagged one, so the
 * lowest flag is the first such byte, exactly; bytes >= 0x80 are never flagged by themselves.
 */
function scanString(b: Uint8Array, v: DataView, i: number, end: number): number {
  // eight bytes a step where there is room (a string body is ~17 bytes on average), then four, then one
  while (i <= end - 8) {
    const low = stringFlags(v.getInt32(i, true));
    const high = stringFlags(v.getInt32(i + 4, true));
    if ((low | high) !== 0) return low !== 0 ? i + firstFlagged(low) : i + 4 + firstFlagged(high);
    i += 8;
  }
  if (i <= end - 4) {
    const flags = stringFlags(v.getInt32(i, true));
    if (flags !== 0) return i + firstFlagged(flags);
    i += 4;
  }
  while (i < end && SKIP_CLASS[b[i]!] === 0) i++;
  return i;
}

/**
 * The high bit of each byte of the word `w` that is `"`, `\` or below 0x20 (see scanString). XOR 0x02
 * turns `"` into a space and control bytes into control bytes, so one "below 0x21" test finds both.
 */
function stringFlags(w: number): number {
  const low = w ^ 0x02020202;
  const backslash = w ^ 0x5c5c5c5c;
  return (((low - 0x21212121) & ~low) | ((backslash - 0x01010101) & ~backslash)) & 0x80808080;
}

/** The index (0-3) of the lowest flagged byte of non-zero flags. */
function firstFlagged(flags: number): number {
  return (31 - Math.clz32(flags & -flags)) >> 3;
}

function isAscii(b: Uint8Array, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (b[i]! >= 0x80) return false;
  return true;
}

/** Checks a number at `i` (JSON grammar: no `01`, `1.`, `.5`, `+1`); returns the index after it. */
function skipNumber(b: Uint8Array, i: number, end: number): number {
  if (b[i] === MINUS) i++;
  if (i >= end) throw BAIL;
  let c = b[i]!;
  if (c === DIGIT_0) {
    i++;
  } else if (c > DIGIT_0 && c <= DIGIT_9) {
    do i++;
    while (i < end && (c = b[i]!) >= DIGIT_0 && c <= DIGIT_9);
  } else {
    throw BAIL;
  }
  if (i < end && b[i] === DOT) {
    const first = ++i;
    while (i < end && (c = b[i]!) >= DIGIT_0 && c <= DIGIT_9) i++;
    if (i === first) throw BAIL;
  }
  if (i < end && (b[i]! | 0x20) === LOWER_E) {
    i++;
    if (i < end && (b[i] === PLUS || b[i] === MINUS)) i++;
    const first = i;
    while (i < end && (c = b[i]!) >= DIGIT_0 && c <= DIGIT_9) i++;
    if (i === first) throw BAIL;
  }
  return i;
}

/** Checks `true`, `false` or `null` at `i` exactly; returns the index after it. */
function literalEnd(b: Uint8Array, i: number, end: number): number {
  const c = b[i];
  if (c === LOWER_T) {
    if (i + 3 < end && b[i + 1] === 0x72 && b[i + 2] === 0x75 && b[i + 3] === LOWER_E) return i + 4;
  } else if (c === LOWER_F) {
    if (i + 4 < end && b[i + 1] === 0x61 && b[i + 2] === 0x6c && b[i + 3] === 0x73 && b[i + 4] === LOWER_E) return i + 5;
  } else if (c === LOWER_N) {
    if (i + 3 < end && b[i + 1] === 0x75 && b[i + 2] === 0x6c && b[i + 3] === 0x6c) return i + 4;
  }
  throw BAIL;
}
