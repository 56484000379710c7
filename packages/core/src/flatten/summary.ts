/**
 * The calls table row of one record, gathered while its streams are flattened.
 */
import { POOR_REASONS } from '../quality/index.js';
import type { Classification, EModelScore, StreamKind } from '../quality/index.js';
import type { CallRecord, Endpoint, FailureInfo } from '../schema/index.js';
import type { CellValue } from '../table/schema.js';
import { feedbackRating } from './endpoint.js';
import { organizerId, participantCount } from './identity.js';
import { epochMs } from './units.js';

/** userFeedback ratings, worst first; notRated and values newer than these are not ratings. */
const RATING_ORDER: readonly string[] = ['bad', 'poor', 'fair', 'good', 'excellent'];

export function isTruncated(record: CallRecord): boolean {
  return isLink(record['sessions@odata.nextLink']);
}

/** participants_v2 was paged and the export did not follow participants_v2@odata.nextLink. */
export function participantsTruncated(record: CallRecord): boolean {
  return isLink(record['participants_v2@odata.nextLink']);
}

function isLink(link: string | null | undefined): boolean {
  return typeof link === 'string' && link !== '';
}

/** The record carries no sessions at all (listed or got without `$expand=sessions`), not an empty list. */
export function sessionsMissing(record: CallRecord): boolean {
  return record.sessions == null;
}

export class CallSummary {
  private streams = 0;
  private audioClassified = 0;
  private audioPoor = 0;
  private readonly poorReasons = new Set<string>();
  private minMos: number | null = null;
  /** Index in RATING_ORDER of the worst rating seen. */
  private worstRating = RATING_ORDER.length;
  private setupFailed = false;
  private dropped = false;

  addStream(kind: StreamKind, classification: Classification, score: EModelScore | null): void {
    this.streams++;
    if (kind !== 'audio') return;
    if (classification.cls !== 'unclassified') this.audioClassified++;
    if (classification.cls === 'poor') {
      this.audioPoor++;
      for (const reason of classification.reasons) this.poorReasons.add(reason);
    }
    if (score !== null && (this.minMos === null || score.mos < this.minMos)) this.minMos = score.mos;
  }

  /** A session or segment: its failure and its endpoints' feedback. */
  addLeg(failure: FailureInfo | null | undefined, caller: Endpoint | null | undefined, callee: Endpoint | null | undefined): void {
    if (failure?.stage === 'callSetup') this.setupFailed = true;
    if (failure?.stage === 'midcall') this.dropped = true;
    this.addRating(feedbackRating(caller));
    this.addRating(feedbackRating(callee));
  }

  private addRating(rating: string | null): void {
    if (rating === null) return;
    const rank = RATING_ORDER.indexOf(rating);
    if (rank >= 0 && rank < this.worstRating) this.worstRating = rank;
  }

  /** The row, in CALLS column order. */
  row(record: CallRecord): CellValue[] {
    const start = epochMs(record.startDateTime);
    const end = epochMs(record.endDateTime);
    const verdict = this.audioPoor > 0 ? 'poor' : this.audioClassified > 0 ? 'good' : 'unclassified';
    return [
      record.id,
      record.version ?? null,
      record.type ?? null,
      start,
      end,
      start !== null && end !== null ? (end - start) / 1000 : null,
      record.modalities == null ? null : record.modalities.filter((m): m is string => m != null).join(';'),
      organizerId(record),
      participantCount(record),
      record.sessions?.length ?? 0,
      this.streams,
      this.audioClassified,
      this.audioPoor,
      verdict,
      POOR_REASONS.filter((reason) => this.poorReasons.has(reason)).join(';'),
      this.minMos,
      RATING_ORDER[this.worstRating] ?? null,
      this.setupFailed,
      this.dropped,
      isTruncated(record),
      sessionsMissing(record),
      participantsTruncated(record),
    ];
  }
}
