/**
 * Retraction at the end of a run, of superseded duplicates (a copy of a call that a later copy
 * beat was already processed: it left for a worker, or a range's worker read it, before the
 * winner was seen) and of records processed again with their saved sessions (stitch.ts). Its bytes are read again by provenance and run with sign -1, which subtracts
 * its aggregates exactly; its CSV byte ranges and Parquet rows are cut when the tables are
 * finished (sinks.ts), from the ranges the ledger noted when it was committed.
 */
import { resolve } from 'node:path';
import { ErrorCode, fail } from '../errors.js';
import { mergePacked } from '../rollup/index.js';
import type { RollupPartial } from '../rollup/index.js';
import type { RecordLedger, TablePlace } from './ledger.js';
import type { Executor } from './pool.js';
import type { BatchRecord, RecordOutcome } from './protocol.js';
import { readRanges } from './reread.js';
import type { RunCounts } from './result.js';
import { countNotes } from './summary.js';

export const STDIN_NAME = '<stdin>';

/** A record taken out (superseded, or replaced by its stitched copy), with its table byte and row ranges. */
export type Retraction = TablePlace;

/**
 * Takes the superseded copies out of the merged aggregates and the counts (they become
 * duplicates); returns them, for their rows to be cut from the tables.
 */
export async function retractSuperseded(
  ledger: RecordLedger,
  executor: Executor,
  merged: RollupPartial,
  counts: RunCounts,
  /** The copy of standard input, once it is complete (null when the run did not read it). */
  stdinCopy: (() => Promise<string>) | null,
  cwd: string,
  /** Accepted records processed again with their saved sessions (stitch.ts): their first processing is taken out too. */
  replaced: readonly number[] = [],
): Promise<readonly Retraction[]> {
  const superseded = ledger.retractions();
  const retractions = [...superseded, ...replaced.map((ordinal) => ledger.tablePlace(ordinal))].sort((a, b) => a.ordinal - b.ordinal);
  if (retractions.length === 0) return retractions;
  const taken = await retract(
    retractions.map((r) => r.ordinal),
    ledger,
    executor,
    merged,
    stdinCopy,
    cwd,
  );
  for (const outcome of taken) countNotes(counts, outcome, -1);
  // a replaced record's acceptance was counted again by its stitched copy
  counts.accepted -= retractions.length;
  counts.duplicate += superseded.length;
  return retractions;
}

/** Runs the records again with sign -1; gives their outcomes. */
async function retract(
  ordinals: readonly number[],
  ledger: RecordLedger,
  executor: Executor,
  merged: RollupPartial,
  stdinCopy: (() => Promise<string>) | null,
  cwd: string,
): Promise<RecordOutcome[]> {
  const outcomes: RecordOutcome[] = [];
  const byFile = new Map<string, number[]>();
  for (const ordinal of ordinals) {
    const file = ledger.provenance(ordinal).file;
    byFile.set(file, [...(byFile.get(file) ?? []), ordinal]);
  }
  for (const list of byFile.values()) {
    const { buffer, records } = await readProvenance(list, ledger, stdinCopy, cwd);
    const result = await executor.runBatch({ kind: 'records', seq: -1, buffer, records, sign: -1 });
    mergePacked(merged, result.partial);
    outcomes.push(...result.outcomes);
  }
  return outcomes;
}

/**
 * Reads records' bytes again by their provenance in the ledger (files in any order; a gzip file is
 * decompressed once per call), into one buffer; gives the records in the order given.
 */
export async function readProvenance(
  ordinals: readonly number[],
  ledger: RecordLedger,
  /** The copy of standard input, once it is complete (null when the run did not read it). */
  stdinCopy: (() => Promise<string>) | null,
  cwd: string,
): Promise<{ buffer: Buffer; records: BatchRecord[] }> {
  const where = ordinals.map((ordinal) => ledger.provenance(ordinal));
  const bytes: Uint8Array[] = new Array(ordinals.length);
  const byFile = new Map<string, number[]>();
  for (const [i, p] of where.entries()) byFile.set(p.file, [...(byFile.get(p.file) ?? []), i]);
  for (const [file, list] of byFile) {
    const path = file === STDIN_NAME ? (stdinCopy === null ? null : await stdinCopy()) : resolve(cwd, file);
    if (path === null) throw fail(ErrorCode.Internal, 'cannot read standard input again: no copy was kept');
    const read = await readRanges(
      path,
      list.map((i) => where[i]!),
    );
    for (const [k, i] of list.entries()) bytes[i] = read[k]!;
  }
  let filled = 0;
  const records: BatchRecord[] = ordinals.map((ordinal, i) => {
    const p = where[i]!;
    const record = { ordinal, file: p.file, offset: p.offset, index: p.index, start: filled, end: filled + p.length, context: p.context };
    filled += p.length;
    return record;
  });
  return { buffer: Buffer.concat(bytes), records };
}
