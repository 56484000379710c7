/**
 * Stitching sessions saved on their own into their record. A session of a sessions page (GET
 * /communications/callRecords/{id}/sessions), whose context names its call, is recognized by the
 * worker that parses it (batch.ts: a valid session comes back with `sessionOf`, the call id) and
 * noted here at commit, in input order, by its ledger ordinal: the ledger already holds its byte
 * location, so the run keeps no session bytes nor parsed sessions, only one ordinal per session.
 *
 * When every input is read (the record may come before or after its sessions, in any file), each
 * call with saved sessions is looked up in the ledger: its kept copy, if accepted, is processed
 * again from its record bytes plus its sessions' bytes (a stitch task: batch.ts processStitch) and
 * its first processing is retracted (retract.ts), so its rows move to the end of the tables. A
 * call not in the inputs, or whose record was rejected, gets its sessions as rejects; a call
 * filtered out by --since/--until gets them counted as filtered. Calls are visited in the order
 * of their first saved session, and tasks cut by bytes: the same for any worker count.
 */
import type { CommitQueue } from './commit.js';
import type { RecordLedger } from './ledger.js';
import { readProvenance } from './retract.js';
import type { StitchCall, StitchTask } from './protocol.js';
import type { RunCounts } from './result.js';
import type { SessionBook } from './sessions.js';

export interface StitchPlan {
  readonly book: SessionBook;
  readonly ledger: RecordLedger;
  readonly queue: CommitQueue;
  readonly counts: RunCounts;
  readonly batchBytes: number;
  readonly stdinCopy: (() => Promise<string>) | null;
  readonly cwd: string;
}

/**
 * Sends every call with saved sessions to be stitched (or its sessions rejected), commits the
 * results; returns the ordinals of the records that were processed again, for their first
 * processing to be retracted.
 */
export async function stitchSessions(plan: StitchPlan): Promise<number[]> {
  const { book, ledger, counts } = plan;
  const replaced: number[] = [];
  let calls: Array<Omit<StitchCall, 'record' | 'sessions'> & { record: number | null; sessions: readonly number[] }> = [];
  let bytes = 0;
  const flush = async (): Promise<void> => {
    if (calls.length === 0) return;
    const ordinals = calls.flatMap((call) => (call.record === null ? call.sessions : [call.record, ...call.sessions]));
    const { buffer, records } = await readProvenance(ordinals, ledger, plan.stdinCopy, plan.cwd);
    let at = 0;
    const task: StitchTask = {
      kind: 'stitch',
      seq: plan.queue.nextSeq(),
      buffer,
      calls: calls.map((call) => ({
        ...call,
        record: call.record === null ? null : records[at++]!,
        sessions: call.sessions.map(() => records[at++]!),
      })),
    };
    calls = [];
    bytes = 0;
    await plan.queue.dispatch(task, []);
  };
  for (const [callId, sessions] of book.entries()) {
    const winner = ledger.winner(callId);
    let record: number | null = null;
    let orphanReason: string | null = null;
    if (winner === undefined) {
      orphanReason = `a session of call ${callId}, whose record is not in the inputs: add the call's record (GET /communications/callRecords/${callId}) to the inputs, or fetch complete records with callaudit fetch`;
    } else if (ledger.isAccepted(winner)) {
      record = winner;
      replaced.push(winner);
    } else if (ledger.isFiltered(winner)) {
      counts.filtered += sessions.length; // its call is outside --since/--until: so are its sessions
      continue;
    } else {
      orphanReason = `a session of call ${callId}, whose record was rejected (see its line in rejects.jsonl): fix or export the record again to count its sessions`;
    }
    calls.push({ callId, record, sessions, lastPage: book.hasLastPage(callId), orphanReason });
    for (const ordinal of record === null ? sessions : [record, ...sessions]) bytes += ledger.provenance(ordinal).length;
    if (bytes >= plan.batchBytes) await flush();
  }
  await flush();
  await plan.queue.drainAll();
  return replaced;
}
