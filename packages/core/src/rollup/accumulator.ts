import { ErrorCode, fail } from '../errors.js';
import { POOR_RATING_MAX_STARS, POOR_REASONS, RATING_STARS } from '../quality/types.js';
import type { CellValue, ColumnBatch, TableSchema } from '../table/schema.js';
import { dayOfTimestamp } from './day.js';
import { dimensionsFor, type Dimension } from './dimensions.js';
import { canonicalColumn } from './canonical.js';
import { encodeValue } from './keys.js';
import { validateRollupOptions, type RollupOptions } from './options.js';
import {
  C_AUDIO_CLASSIFIED,
  C_AUDIO_POOR,
  C_INSIDE_CORP_STREAMS,
  C_FEEDBACK_ENDPOINTS,
  C_RATED,
  C_RATED_AUDIO_GOOD,
  C_RATED_AUDIO_POOR,
  C_RATED_POOR,
  C_RATING_STARS,
  C_CALLS,
  C_CLASSIFIED,
  C_CLASSIFIED_CALLS,
  C_DROPS,
  C_DROPPED_STREAMS,
  C_SETUP_FAILED_STREAMS,
  C_ESTABLISHED_CALLS,
  C_POOR,
  C_POOR_CALLS,
  C_REASON0,
  C_SETUP_FAILURES,
  C_STREAMS,
  COUNTER_COUNT,
  METRIC_COUNT,
  METRICS,
  addLabel,
  canonicalPartial,
  emptyTable,
  groupRow,
  type GroupTable,
  type RollupPartial,
} from './partial.js';
import { mergePartial } from './packed.js';
import { NO_INDEX, sketchAdd, sketchMapping, type SketchMapping } from './sketch.js';

// Per-stream flags.
const CLASSIFIED = 1;
const POOR = 2;
const AUDIO = 4;
const SETUP_FAILED = 8;
const DROPPED = 16;
const CALLER_INSIDE = 32;
const CALLEE_INSIDE = 64;
const BOTH_INSIDE = CALLER_INSIDE | CALLEE_INSIDE;
/** A two-sided rollup's side i (caller, callee) is inside corp when its stream has SIDE_INSIDE[i]. */
const SIDE_INSIDE = [CALLER_INSIDE, CALLEE_INSIDE] as const;
// Per call and group: what the call's streams in that group show.
const CALL_AUDIO_CLASSIFIED = 1;
const CALL_AUDIO_POOR = 2;

const REASON_BIT = new Map<string, number>(POOR_REASONS.map((reason, i) => [reason, 1 << i]));

/** Column positions by name, per schema object (batches of one table share their schema). */
const positions = new WeakMap<TableSchema, Map<string, number>>();

function column(batch: ColumnBatch, table: string, name: string): CellValue[] {
  const schema = batch.schema;
  if (schema.name !== table) throw fail(ErrorCode.Internal, `rollup add(): expected a ${table} batch, got table ${schema.name}`);
  let byName = positions.get(schema);
  if (byName === undefined) {
    byName = new Map(schema.columns.map((def, i) => [def.name, i]));
    positions.set(schema, byName);
  }
  const index = byName.get(name);
  if (index === undefined) throw fail(ErrorCode.Internal, `rollup add(): the ${table} batch has no column ${name}`);
  return batch.columns[index]!;
}

const callRef = (id: CellValue, version: CellValue): string => `${encodeValue(id)}${encodeValue(version)}`;

/** A stream batch read once per add(): what every group needs to know about each row. */
interface ScoredStreams {
  readonly flags: Uint8Array;
  readonly reasons: Uint8Array;
  /** METRICS.length bucket indexes per row (NO_INDEX: metric absent or not countable). */
  readonly buckets: Int32Array;
  /**
   * Rate My Call, two per row (caller, callee): NO_FEEDBACK, or the stars of the side's rating
   * (0: feedback without a rating, such as notRated or tokens alone; 1..5: bad..excellent).
   */
  readonly feedback: Int8Array;
  /** Some row has feedback (most batches have none: the feedback pass is skipped). */
  readonly anyFeedback: boolean;
  /** session_id per row: a side of a session is one endpoint. */
  readonly sessions: readonly CellValue[];
}

const NO_FEEDBACK = -1;
const FEEDBACK_SIDES = ['caller', 'callee'] as const;

function scoreStreams(streams: ColumnBatch, mapping: SketchMapping): ScoredStreams {
  const rows = streams.length;
  const cls = column(streams, 'streams', 'cqd_class');
  const reasonText = column(streams, 'streams', 'cqd_reasons');
  const modality = column(streams, 'streams', 'modality');
  const failure = column(streams, 'streams', 'failure_stage');
  const callerInside = column(streams, 'streams', 'caller_inside_corp');
  const calleeInside = column(streams, 'streams', 'callee_inside_corp');
  const metrics = METRICS.map((metric) => column(streams, 'streams', metric.column));
  const flags = new Uint8Array(rows);
  const reasons = new Uint8Array(rows);
  const buckets = new Int32Array(rows * METRICS.length);
  const feedback = new Int8Array(rows * 2).fill(NO_FEEDBACK);
  let anyFeedback = false;
  FEEDBACK_SIDES.forEach((side, s) => {
    const rating = canonicalColumn(`${side}_feedback_rating`, column(streams, 'streams', `${side}_feedback_rating`));
    const tokens = column(streams, 'streams', `${side}_feedback_tokens`);
    for (let row = 0; row < rows; row++) {
      const r = rating[row];
      const given = typeof r === 'string' && r !== '';
      if (!given && (typeof tokens[row] !== 'string' || tokens[row] === '')) continue;
      feedback[row * 2 + s] = given ? (RATING_STARS.get(r) ?? 0) : 0;
      anyFeedback = true;
    }
  });
  for (let row = 0; row < rows; row++) {
    const c = cls[row];
    let f = modality[row] === 'audio' ? AUDIO : 0;
    if (failure[row] === 'callSetup') f |= SETUP_FAILED;
    else if (failure[row] === 'midcall') f |= DROPPED;
    if (callerInside[row] === true) f |= CALLER_INSIDE;
    if (calleeInside[row] === true) f |= CALLEE_INSIDE;
    if (c === 'good') f |= CLASSIFIED;
    else if (c === 'poor') {
      f |= CLASSIFIED | POOR;
      const text = reasonText[row];
      if (typeof text === 'string') {
        let mask = 0;
        for (const reason of text.split(';')) mask |= REASON_BIT.get(reason) ?? 0;
        reasons[row] = mask;
      }
    }
    flags[row] = f;
    for (let m = 0; m < metrics.length; m++) {
      const value = metrics[m]![row];
      buckets[row * METRICS.length + m] = typeof value === 'number' ? mapping.index(value) : NO_INDEX;
    }
  }
  return { flags, reasons, buckets, feedback, anyFeedback, sessions: column(streams, 'streams', 'session_id') };
}

/**
 * A group as the accumulator finds it: its row in the rollup's GroupTable plus scratch space for the
 * call being counted (`mark` = the call's stamp when this group was last touched, `seen` = its flags).
 */
interface Slot {
  readonly row: number;
  mark: number;
  seen: number;
}

/**
 * One rollup's groups, found by raw cell values (nested Maps, no key string built per row) for keys
 * of one or two columns, by encoded key for longer ones. Rows are never removed from a GroupTable,
 * so a Slot stays valid for the accumulator's life.
 */
class GroupIndex {
  private readonly one = new Map<CellValue, Slot>();
  private readonly two = new Map<CellValue, Map<CellValue, Slot>>();
  private readonly many = new Map<string, Slot>();

  constructor(readonly table: GroupTable) {}

  /** The group keyed by `columns[i][row]`. */
  find(columns: readonly CellValue[][], row: number): Slot {
    if (columns.length === 1) return this.findValue(columns[0]![row] ?? null);
    if (columns.length === 2) {
      const a = columns[0]![row] ?? null;
      const b = columns[1]![row] ?? null;
      let inner = this.two.get(a);
      if (inner === undefined) {
        inner = new Map();
        this.two.set(a, inner);
      }
      let slot = inner.get(b);
      if (slot === undefined) {
        slot = this.slot(encodeValue(a) + encodeValue(b));
        inner.set(b, slot);
      }
      return slot;
    }
    const key = columns.map((values) => encodeValue(values[row])).join('');
    let slot = this.many.get(key);
    if (slot === undefined) {
      slot = this.slot(key);
      this.many.set(key, slot);
    }
    return slot;
  }

  findValue(value: CellValue): Slot {
    let slot = this.one.get(value);
    if (slot === undefined) {
      slot = this.slot(encodeValue(value));
      this.one.set(value, slot);
    }
    return slot;
  }

  private slot(key: string): Slot {
    return { row: groupRow(this.table, key), mark: -1, seen: 0 };
  }
}

/** Per call, what every group it touches learns from the call row. */
interface CallFacts {
  readonly sign: 1 | -1;
  readonly failedSetup: boolean;
  readonly dropped: boolean;
}

function countCall(table: GroupTable, group: number, seen: number, call: CallFacts): void {
  const n = table.n;
  const base = group * COUNTER_COUNT;
  const sign = call.sign;
  n[base + C_CALLS]! += sign;
  if (seen & CALL_AUDIO_CLASSIFIED) n[base + C_CLASSIFIED_CALLS]! += sign;
  if (seen & CALL_AUDIO_POOR) n[base + C_POOR_CALLS]! += sign;
  if (call.failedSetup) n[base + C_SETUP_FAILURES]! += sign;
  if (call.dropped) n[base + C_DROPS]! += sign;
  if (call.dropped || !call.failedSetup) n[base + C_ESTABLISHED_CALLS]! += sign;
}

/**
 * Counts stream `row` into group `group`; returns the call-level flags it contributes. `inside`: the
 * stream's endpoints in this group are all inside corp (the building file's InsideCorp).
 */
function countStream(table: GroupTable, group: number, row: number, scored: ScoredStreams, sign: 1 | -1, inside: boolean): number {
  const n = table.n;
  const base = group * COUNTER_COUNT;
  const f = scored.flags[row]!;
  n[base + C_STREAMS]! += sign;
  if (inside) n[base + C_INSIDE_CORP_STREAMS]! += sign;
  if (f & SETUP_FAILED) n[base + C_SETUP_FAILED_STREAMS]! += sign;
  if (f & DROPPED) n[base + C_DROPPED_STREAMS]! += sign;
  let seen = 0;
  if (f & CLASSIFIED) {
    n[base + C_CLASSIFIED]! += sign;
    if (f & AUDIO) {
      seen = CALL_AUDIO_CLASSIFIED;
      n[base + C_AUDIO_CLASSIFIED]! += sign;
    }
    if (f & POOR) {
      n[base + C_POOR]! += sign;
      if (f & AUDIO) {
        seen |= CALL_AUDIO_POOR;
        n[base + C_AUDIO_POOR]! += sign;
      }
      const mask = scored.reasons[row]!;
      for (let r = 0; r < POOR_REASONS.length; r++) if (mask & (1 << r)) n[base + C_REASON0 + r]! += sign;
    }
  }
  const q = table.q;
  const sketches = group * METRIC_COUNT;
  const buckets = row * METRIC_COUNT;
  for (let m = 0; m < METRIC_COUNT; m++) {
    const index = scored.buckets[buckets + m]!;
    if (index !== NO_INDEX) sketchAdd(q[sketches + m]!, index, sign);
  }
  return seen;
}

/** How one rollup reads a batch: the call key per call row, or the key columns per endpoint side. */
type Reader =
  | { readonly source: 'call'; readonly index: GroupIndex; readonly values: readonly CellValue[] }
  | {
      readonly source: 'stream';
      readonly index: GroupIndex;
      readonly distinctLabel: boolean;
      readonly sides: readonly { key: CellValue[][]; label: CellValue[] | null; sets: readonly (readonly string[] | null)[] | null }[];
    };

/**
 * Aggregates STREAMS and CALLS batches into rollup groups. Contract: each add() receives whole records,
 * i.e. a call's row together with all of its stream rows (a stream whose call row is missing is an
 * E_INTERNAL error). Memory grows with groups x occupied sketch buckets only.
 */
export class RollupAccumulator {
  private readonly dimensions: readonly Dimension[];
  private readonly indexes: readonly GroupIndex[];
  private readonly mapping: SketchMapping;
  private readonly dayOf: (ms: number) => string;
  private readonly state: RollupPartial;
  /** Stamps calls so a Slot knows whether the current call touched it already. */
  private stamp = 0;

  constructor(options: RollupOptions) {
    const resolved = validateRollupOptions(options);
    this.dimensions = dimensionsFor(resolved);
    this.mapping = sketchMapping(resolved.relativeAccuracy);
    this.dayOf = dayOfTimestamp(resolved.tz);
    this.state = {
      format: 'callaudit.rollup-partial',
      version: 1,
      relativeAccuracy: resolved.relativeAccuracy,
      tz: resolved.tz,
      groupBy: resolved.groupBy.map((list) => [...list]),
      rollups: new Map(this.dimensions.map((dimension) => [dimension.name, emptyTable(dimension.source === 'stream' && dimension.label !== undefined)])),
    };
    this.indexes = this.dimensions.map((dimension) => new GroupIndex(this.state.rollups.get(dimension.name)!));
  }

  /** Adds (sign 1) or exactly retracts (sign -1, e.g. a superseded duplicate record) whole records. */
  add(streams: ColumnBatch, calls: ColumnBatch, sign: 1 | -1 = 1): void {
    if (sign !== 1 && sign !== -1) throw fail(ErrorCode.Internal, `rollup add(): sign must be 1 or -1, got ${String(sign)}`);
    const scored = scoreStreams(streams, this.mapping);
    const { order, start } = streamsByCall(streams, calls);
    const setupFailed = column(calls, 'calls', 'setup_failed');
    const dropped = column(calls, 'calls', 'dropped');
    const readers = this.readers(streams, calls);
    const touched: Slot[] = [];

    for (let call = 0; call < calls.length; call++) {
      const stamp = ++this.stamp;
      const facts: CallFacts = { sign, failedSetup: setupFailed[call] === true, dropped: dropped[call] === true };
      const first = start[call]!;
      const end = start[call + 1]!;
      for (const reader of readers) {
        const table = reader.index.table;
        if (reader.source === 'call') {
          const group = reader.index.findValue(reader.values[call]!).row;
          let seen = 0;
          for (let at = first; at < end; at++) {
            const row = order[at]!;
            seen |= countStream(table, group, row, scored, sign, (scored.flags[row]! & BOTH_INSIDE) === BOTH_INSIDE);
          }
          countCall(table, group, seen, facts);
          continue;
        }
        touched.length = 0;
        if (reader.sides[0]!.sets !== null) {
          for (let at = first; at < end; at++) countInSets(reader, order[at]!, scored, sign, stamp, touched);
          for (const slot of touched) countCall(table, slot.row, slot.seen, facts);
          continue;
        }
        for (let at = first; at < end; at++) {
          const row = order[at]!;
          const f = scored.flags[row]!;
          let previous: Slot | null = null;
          for (let s = 0; s < reader.sides.length; s++) {
            const side = reader.sides[s]!;
            const slot = reader.index.find(side.key, row);
            // A distinct-count label (users of a group) hears both endpoints even when they share the group.
            if (side.label && (slot !== previous || reader.distinctLabel)) {
              const label = side.label[row];
              if (typeof label === 'string' && label !== '') addLabel(table.l![slot.row]!, label, sign);
            }
            if (slot === previous) continue; // both endpoints in one group: count the stream once
            previous = slot;
            if (slot.mark !== stamp) {
              slot.mark = stamp;
              slot.seen = 0;
              touched.push(slot);
            }
            // Inside corp: this side's endpoint, and the other one too when both share this group (or
            // for a one-sided key such as codec, where the group holds the whole stream).
            const shared = reader.sides.length === 1 || (s === 0 && reader.index.find(reader.sides[1]!.key, row) === slot);
            const inside = shared ? (f & BOTH_INSIDE) === BOTH_INSIDE : (f & SIDE_INSIDE[s as 0 | 1]) !== 0;
            slot.seen |= countStream(table, slot.row, row, scored, sign, inside);
          }
        }
        for (const slot of touched) countCall(table, slot.row, slot.seen, facts);
      }
      if (scored.anyFeedback) countFeedback(readers, call, order, first, end, scored, sign);
    }
  }

  /** Merges a partial (e.g. from another worker) into this accumulator. */
  merge(partial: RollupPartial): void {
    mergePartial(this.state, partial);
  }

  /** A canonical deep copy of the state: groups in key order, empty groups dropped. */
  toPartial(): RollupPartial {
    return canonicalPartial(this.state);
  }

  /**
   * Hands over the state itself, not a copy, for an accumulator used once (a worker's batch): the
   * partial is about to be cloned to the main thread anyway, and merging does not need rows in key
   * order. Rows stay in first-seen order; empty rows are kept (they merge as nothing). The
   * accumulator must not be used afterwards.
   */
  takePartial(): RollupPartial {
    return this.state;
  }

  private readers(streams: ColumnBatch, calls: ColumnBatch): Reader[] {
    return this.dimensions.map((dimension, d): Reader => {
      const index = this.indexes[d]!;
      if (dimension.source === 'call') {
        const raw = column(calls, 'calls', dimension.callColumn);
        const values =
          dimension.callColumn === 'call_start'
            ? raw.map((ms) => (typeof ms === 'number' ? this.dayOf(ms) : null))
            : canonicalColumn(dimension.callColumn, raw);
        return { source: 'call', index, values };
      }
      const sides = dimension.sides.map((names, side) => {
        // enum-like keys in Graph's spelling: "Windows" and "windows" are one group (canonical.ts)
        const key = names.map((name) => canonicalColumn(name, column(streams, 'streams', name)));
        return {
          key,
          label: dimension.label ? column(streams, 'streams', dimension.label.columns[side]!) : null,
          sets: dimension.multi ? splitSets(key[0]!) : null,
        };
      });
      return { source: 'stream', index, distinctLabel: dimension.label?.kind === 'distinct', sides };
    });
  }
}

/** Stream rows ordered by their call row (a counting sort), with each call's [start, end) range. */
function streamsByCall(streams: ColumnBatch, calls: ColumnBatch): { order: Int32Array; start: Int32Array } {
  const callIds = column(calls, 'calls', 'call_id');
  const callVersions = column(calls, 'calls', 'call_version');
  const byRef = new Map<string, number>();
  for (let call = 0; call < calls.length; call++) {
    const ref = callRef(callIds[call]!, callVersions[call]!);
    if (byRef.has(ref))
      throw fail(ErrorCode.Internal, `rollup add(): call ${String(callIds[call])} version ${String(callVersions[call])} appears twice in one calls batch`);
    byRef.set(ref, call);
  }
  const ids = column(streams, 'streams', 'call_id');
  const versions = column(streams, 'streams', 'call_version');
  const callOf = new Int32Array(streams.length);
  const start = new Int32Array(calls.length + 1);
  for (let row = 0; row < streams.length; row++) {
    const call = byRef.get(callRef(ids[row]!, versions[row]!));
    if (call === undefined) {
      throw fail(
        ErrorCode.Internal,
        `rollup add(): streams row ${row} (call ${String(ids[row])} version ${String(versions[row])}) has no row in the calls batch; a record's streams and call row must be added together`,
      );
    }
    callOf[row] = call;
    start[call + 1]!++;
  }
  for (let call = 0; call < calls.length; call++) start[call + 1]! += start[call]!;
  const next = start.slice(0, calls.length);
  const order = new Int32Array(streams.length);
  for (let row = 0; row < streams.length; row++) order[next[callOf[row]!]!++] = row;
  return { order, start };
}

/** A `;`-separated set per row (null when empty), each distinct text split once. */
function splitSets(values: readonly CellValue[]): (readonly string[] | null)[] {
  const split = new Map<string, readonly string[]>();
  return values.map((value) => {
    if (typeof value !== 'string' || value === '') return null;
    let set = split.get(value);
    if (set === undefined) {
      set = value.split(';').filter((item) => item !== '');
      split.set(value, set);
    }
    return set.length === 0 ? null : set;
  });
}

type StreamReader = Extract<Reader, { source: 'stream' }>;

/** The groups of stream `row` in a set-keyed rollup, each with the sides (bit 1 caller, 2 callee) whose sets name it. */
function setSlots(reader: StreamReader, row: number, slots: Slot[], sides: number[]): void {
  slots.length = 0;
  sides.length = 0;
  reader.sides.forEach((side, s) => {
    for (const value of side.sets![row] ?? []) {
      const slot = reader.index.findValue(value);
      const at = slots.indexOf(slot);
      if (at < 0) {
        slots.push(slot);
        sides.push(1 << s);
      } else sides[at]! |= 1 << s;
    }
  });
  if (slots.length === 0) {
    slots.push(reader.index.findValue(null));
    sides.push(3);
  }
}

const scratchSlots: Slot[] = [];
const scratchSides: number[] = [];

/** Counts stream `row` once in each group of its endpoints' sets (the empty key when neither has one). */
function countInSets(reader: StreamReader, row: number, scored: ScoredStreams, sign: 1 | -1, stamp: number, touched: Slot[]): void {
  setSlots(reader, row, scratchSlots, scratchSides);
  const f = scored.flags[row]!;
  scratchSlots.forEach((slot, i) => {
    if (slot.mark !== stamp) {
      slot.mark = stamp;
      slot.seen = 0;
      touched.push(slot);
    }
    const sides = scratchSides[i]!;
    const inside = sides === 3 ? (f & BOTH_INSIDE) === BOTH_INSIDE : (f & SIDE_INSIDE[sides === 1 ? 0 : 1]) !== 0;
    slot.seen |= countStream(reader.index.table, slot.row, row, scored, sign, inside);
  });
}

/**
 * Rate My Call: counts each endpoint that gave feedback (a side of a session) once in each group of
 * each rollup its streams put it in, with what its streams in that group measured: a poor audio
 * stream, or classified audio streams all good. A call rollup holds every endpoint of its call; a
 * one-sided rollup (codec, modality) both endpoints of the stream; a two-sided one the endpoint of
 * the side whose key it is.
 */
function countFeedback(readers: readonly Reader[], call: number, order: Int32Array, first: number, end: number, scored: ScoredStreams, sign: 1 | -1): void {
  const feedback = scored.feedback;
  let any = false;
  for (let at = first; at < end && !any; at++) {
    const row = order[at]!;
    any = feedback[row * 2]! !== NO_FEEDBACK || feedback[row * 2 + 1]! !== NO_FEEDBACK;
  }
  if (!any) return;
  // endpoints of this call: (side, session) -> index; their stars
  const endpoints = new Map<string, number>();
  const stars: number[] = [];
  const endpointOf = (row: number, s: number): number => {
    const key = `${s}${encodeValue(scored.sessions[row] ?? null)}`;
    let e = endpoints.get(key);
    if (e === undefined) {
      e = stars.length;
      stars.push(feedback[row * 2 + s]!);
      endpoints.set(key, e);
    }
    return e;
  };
  for (const reader of readers) {
    const seen = new Map<Slot, Map<number, number>>();
    const note = (slot: Slot, e: number, audio: number): void => {
      let bySlot = seen.get(slot);
      if (bySlot === undefined) {
        bySlot = new Map();
        seen.set(slot, bySlot);
      }
      bySlot.set(e, (bySlot.get(e) ?? 0) | audio);
    };
    const callSlot = reader.source === 'call' ? reader.index.findValue(reader.values[call]!) : null;
    for (let at = first; at < end; at++) {
      const row = order[at]!;
      const f = scored.flags[row]!;
      const audio = f & AUDIO && f & CLASSIFIED ? CALL_AUDIO_CLASSIFIED | (f & POOR ? CALL_AUDIO_POOR : 0) : 0;
      for (let s = 0; s < 2; s++) {
        if (feedback[row * 2 + s]! === NO_FEEDBACK) continue;
        const e = endpointOf(row, s);
        if (callSlot !== null) note(callSlot, e, audio);
        else if (reader.source === 'call') continue;
        else if (reader.sides.length === 1) note(reader.index.find(reader.sides[0]!.key, row), e, audio);
        else if (reader.sides[s]!.sets !== null) {
          for (const value of reader.sides[s]!.sets![row] ?? []) note(reader.index.findValue(value), e, audio);
        } else note(reader.index.find(reader.sides[s]!.key, row), e, audio);
      }
    }
    const n = reader.index.table.n;
    for (const [slot, bySlot] of seen) {
      const base = slot.row * COUNTER_COUNT;
      for (const [e, audio] of bySlot) {
        n[base + C_FEEDBACK_ENDPOINTS]! += sign;
        const given = stars[e]!;
        if (given === 0) continue;
        n[base + C_RATED]! += sign;
        n[base + C_RATING_STARS]! += sign * given;
        if (given <= POOR_RATING_MAX_STARS) n[base + C_RATED_POOR]! += sign;
        if (audio & CALL_AUDIO_POOR) n[base + C_RATED_AUDIO_POOR]! += sign;
        else if (audio & CALL_AUDIO_CLASSIFIED) n[base + C_RATED_AUDIO_GOOD]! += sign;
      }
    }
  }
}
