/**
 * The sessions saved on their own that wait, until every input is read, to be stitched into their
 * call's record (stitch.ts): by call id, each session's ledger ordinal (the ledger holds its byte
 * location), in input order; and the calls whose last sessions page was saved.
 */
import type { PageEnd } from '../ingest/index.js';
import { callIdFromContext } from '../schema/document.js';

/** Sessions waiting for their call, by call id, and the calls whose last sessions page was saved. */
export class SessionBook {
  private readonly byCall = new Map<string, number[]>();
  private readonly lastPages = new Set<string>();

  /** A session (its ledger ordinal) of call `callId`, in input order. */
  add(callId: string, ordinal: number): void {
    const list = this.byCall.get(callId);
    if (list === undefined) this.byCall.set(callId, [ordinal]);
    else list.push(ordinal);
  }

  /** A page closed: if its context names a call's sessions and it has no @odata.nextLink, that call's last page was saved. */
  pageEnded(page: PageEnd): void {
    if (page.nextLink) return;
    const callId = callIdFromContext(page.context);
    if (callId !== null) this.lastPageOf(callId);
  }

  lastPageOf(callId: string): void {
    this.lastPages.add(callId);
  }

  hasLastPage(callId: string): boolean {
    return this.lastPages.has(callId);
  }

  get size(): number {
    return this.byCall.size;
  }

  entries(): IterableIterator<[string, number[]]> {
    return this.byCall.entries();
  }
}
