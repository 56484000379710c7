/**
 * Retraction of superseded duplicates at the end of a run: a copy of a call that a later copy
 * beat was already processed (it left for a worker, or a range's worker read it, before the
 * winner was seen). Its bytes are read again by provenance and run with sign -1, which subtracts
 * its aggregates exactly; its CSV byte ranges and Parquet rows are cut when the tables are
 * finished (sinks.ts), from the ranges the ledger noted when it was committed.
 */
import { resolve } from 'node:path';
import { ErrorCode, fail } from '../errors.js';
import { mergePacked } from '../rollup/index.js';
import type { RollupPartial } from '../rollup/index.js';
import type { RecordLedger } from './ledger.js';
import type { Executor } from './pool.js';
import type { BatchRecord, RecordOutcome } from './protocol.js';
import { readRanges } from './reread.js';
import type { RunCounts } from './result.js';
import { countNotes } from './summary.js';

export const STDIN_NAME = '<stdin>';

/** A superseded copy that had been accepted, with its table byte and row ranges. */
export type Retraction = ReturnType<RecordLedger['retractions']>[number];

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
): Promise<readonly Retraction[]> {
  const retractions = ledger.retractions();
  if (retractions.length === 0) return retractions;
  const stdinPath = stdinCopy === null ? null : await stdinCopy();
  const taken = await retract(
    retractions.map((r) => r.ordinal),
    ledger,
    executor,
    merged,
    stdinPath,
    cwd,
  );
  for (const outcome of taken) countNotes(counts, outcome, -1);
  counts.accepted -= retractions.length;
  counts.duplicate += retractions.length;
  return retractions;
}

/** Runs the superseded records again with sign -1; gives their outcomes. */
async function retract(
  ordinals: readonly number[],
  ledger: RecordLedger,
  executor: Executor,
  merged: RollupPartial,
  stdinCopy: string | null,
  cwd: string,
): Promise<RecordOutcome[]> {
  const outcomes: RecordOutcome[] = [];
  const byFile = new Map<string, number[]>();
  for (const ordinal of ordinals) {
    const file = ledger.provenance(ordinal).file;
    byFile.set(file, [...(byFile.get(file) ?? []), ordinal]);
  }
  for (const [file, list] of byFile) {
    const path = file === STDIN_NAME ? stdinCopy : resolve(cwd, file);
    if (path === null) throw fail(ErrorCode.Internal, 'cannot read standard input again to retract a superseded duplicate');
    const where = list.map((ordinal) => ledger.provenance(ordinal));
    const bytes = await readRanges(path, where);
    let filled = 0;
    const records: BatchRecord[] = list.map((ordinal, i) => {
      const p = where[i]!;
      const record = { ordinal, file: p.file, offset: p.offset, index: p.index, start: filled, end: filled + p.length, context: p.context };
      filled += p.length;
      return record;
    });
    const result = await executor.runBatch({ kind: 'records', seq: -1, buffer: Buffer.concat(bytes), records, sign: -1 });
    mergePacked(merged, result.partial);
    outcomes.push(...result.outcomes);
  }
  return outcomes;
}
