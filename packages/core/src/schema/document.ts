/**
 * What a document is: a callRecord, or one of the other things the callRecords API returns and
 * exports contain (a session of a sessions page, a participants_v2 entry, a PSTN, Direct Routing or
 * SMS log row), or something else altogether. Pure.
 *
 * **A callRecord** (Graph v1.0 resource `microsoft.graph.callRecords.callRecord`) has its key, a
 * non-empty string `id`, and its `version`, the Int64 that grows with every update of the record
 * (the schema requires both: callrecord.ts). Graph returns both for every record, listed or got,
 * with or without `$expand`; none of the other documents has a `version`.
 *
 * What a document is comes from, in this order:
 * 1. its own `@odata.type`, when it names a type (`#microsoft.graph.callRecords.session`, ...);
 * 2. its `@odata.context`: its own (a single GET) or its page's (the records of a collection page),
 *    when it names a collection: `$metadata#communications/callRecords('…')/sessions` is a sessions
 *    page, `…/participants_v2` a participants page, `#Collection(microsoft.graph.callRecords.pstnCallLogRow)`
 *    getPstnCalls, and so on. A context of the callRecords entity set (`#communications/callRecords`,
 *    with or without `(sessions(segments()))` and `/$entity`) leaves it to the shape; any other
 *    `$metadata#` context (`#users/$entity`) is not a call record;
 * 3. its shape: a callRecord property (`version`, `type`, `lastModifiedDateTime`, `joinWebUrl`,
 *    `organizer`, `organizer_v2`, `participants`, `participants_v2`, `sessions`) makes it a
 *    callRecord (the schema then says what is wrong with it, if anything); `segments`, `caller`,
 *    `callee` or `isTest` a session; `correlationId`, `finalSipCode` or `trunkFullyQualifiedDomainName`
 *    a Direct Routing row; `smsId`, `smsType` or `sentDateTime` an SMS log row; `callId`, `charge` or
 *    `conferenceId` a PSTN row; `identity` a participant; anything else is not a call record.
 *
 * The properties read here are declared in `documentSchema` (callRecordSchema plus these), so that
 * the projecting parser (project.ts) builds them; a callRecord carries none of the extra ones.
 */
import * as z from 'zod';
import { callRecordSchema } from './callrecord.js';

export type DocumentKind = 'call_record' | 'session' | 'participant' | 'pstn_call' | 'direct_routing_call' | 'sms_log' | 'not_a_call_record';

/** The kinds a record is rejected as, besides the schema's: every DocumentKind but call_record. */
export const DOCUMENT_REJECT_KINDS: readonly Exclude<DocumentKind, 'call_record'>[] = [
  'session',
  'participant',
  'pstn_call',
  'direct_routing_call',
  'sms_log',
  'not_a_call_record',
];

const present = z.unknown().optional();

/** Top-level properties that tell a document's kind, by the kind they mark. */
const MARKS = {
  call_record: ['version', 'type', 'lastModifiedDateTime', 'joinWebUrl', 'organizer', 'organizer_v2', 'participants', 'participants_v2', 'sessions'],
  session: ['segments', 'caller', 'callee', 'isTest'],
  direct_routing_call: ['correlationId', 'finalSipCode', 'trunkFullyQualifiedDomainName'],
  sms_log: ['smsId', 'smsType', 'sentDateTime'],
  pstn_call: ['callId', 'charge', 'conferenceId'],
  participant: ['identity'],
} as const satisfies Partial<Record<DocumentKind, readonly string[]>>;

/** Shape order: the first kind whose mark a document carries. */
const SHAPE_ORDER = ['call_record', 'session', 'direct_routing_call', 'sms_log', 'pstn_call', 'participant'] as const;

const extraKeys = [...new Set(Object.values(MARKS).flat())].filter((key) => !Object.hasOwn(callRecordSchema.shape, key));

/**
 * What the projecting parser builds of a document: the callRecord schema, its `@odata.context` and
 * `@odata.type`, and the marks of the other kinds (kept whole; absent from a callRecord).
 */
export const documentSchema = callRecordSchema.extend({
  '@odata.context': present,
  '@odata.type': present,
  ...Object.fromEntries(extraKeys.map((key) => [key, present])),
});

const TYPE_KIND: ReadonlyMap<string, DocumentKind> = new Map([
  ['callrecord', 'call_record'],
  ['session', 'session'],
  ['participant', 'participant'],
  ['organizer', 'participant'],
  ['pstncalllogrow', 'pstn_call'],
  ['directroutinglogrow', 'direct_routing_call'],
  ['smslogrow', 'sms_log'],
]);

const CALLRECORDS_TYPE = /^#?microsoft\.graph\.callRecords\.(\w+)$/i;
const GRAPH_TYPE = /^#?microsoft\.graph\./i;

/** The kind an `@odata.type` names; null when it names none (absent, or not a Graph type). */
export function kindFromType(type: unknown): DocumentKind | null {
  if (typeof type !== 'string') return null;
  const match = CALLRECORDS_TYPE.exec(type);
  if (match !== null) return TYPE_KIND.get(match[1]!.toLowerCase()) ?? 'not_a_call_record';
  return GRAPH_TYPE.test(type) ? 'not_a_call_record' : null;
}

const METADATA = /\$metadata#(.*)$/i;
const LOG_ROW = /^Collection\(microsoft\.graph\.callRecords\.(\w+)\)/i;
/** `communications/callRecords` then `(` `'id'` `)` (a quote in the id doubled) `/` the navigation: sessions, participants_v2, ... */
const NAVIGATION = /^communications\/callRecords\('(?:[^']|'')*'\)\/(\w+)/i;
const ENTITY_SET = /^communications\/callRecords(?:\(|\/\$entity|$|\/\$delta)/i;

/**
 * What an `@odata.context` says of the documents it describes: a kind, 'shape' for the callRecords
 * entity set (look at the document), or null when it is not a Graph metadata context.
 */
export function kindFromContext(context: string | null | undefined): DocumentKind | 'shape' | null {
  if (typeof context !== 'string') return null;
  const fragment = METADATA.exec(context)?.[1];
  if (fragment === undefined) return null;
  const row = LOG_ROW.exec(fragment);
  if (row !== null) return TYPE_KIND.get(row[1]!.toLowerCase()) ?? 'not_a_call_record';
  const navigation = NAVIGATION.exec(fragment);
  if (navigation !== null) {
    const name = navigation[1]!.toLowerCase();
    if (name === 'sessions') return 'session';
    if (name === 'participants_v2' || name === 'organizer_v2') return 'participant';
    return 'not_a_call_record';
  }
  return ENTITY_SET.test(fragment) ? 'shape' : 'not_a_call_record';
}

const SESSIONS_OF = /^communications\/callRecords\('((?:[^']|'')+)'\)\/sessions(?:[(/]|$)/i;

/**
 * The call a sessions context names: `$metadata#communications/callRecords('<id>')/sessions...`
 * (a sessions page, or a single session's `/$entity`) gives `<id>` (OData doubles a quote inside a
 * key); null for any other context.
 */
export function callIdFromContext(context: string | null | undefined): string | null {
  if (typeof context !== 'string') return null;
  const fragment = METADATA.exec(context)?.[1];
  if (fragment === undefined) return null;
  const match = SESSIONS_OF.exec(fragment);
  return match === null ? null : match[1]!.replaceAll("''", "'");
}

/** The kind its properties mark, in SHAPE_ORDER; not_a_call_record when none. */
export function kindFromShape(document: Readonly<Record<string, unknown>>): DocumentKind {
  for (const kind of SHAPE_ORDER) {
    for (const key of MARKS[kind]) if (document[key] !== undefined) return kind;
  }
  return 'not_a_call_record';
}

/**
 * What a parsed document is. `pageContext` is the `@odata.context` of the page it came from (null
 * when it was not in a page, or the page had none); its own `@odata.context` is read first.
 */
export function recognizeDocument(value: unknown, pageContext: string | null): DocumentKind {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'not_a_call_record';
  const document = value as Readonly<Record<string, unknown>>;
  const typed = kindFromType(document['@odata.type']);
  if (typed !== null) return typed;
  const own = document['@odata.context'];
  const context = kindFromContext(typeof own === 'string' ? own : pageContext);
  if (context !== null && context !== 'shape') return context;
  return kindFromShape(document);
}

/** Why a document of this kind is not counted, and what to do about it. */
export function rejectReason(kind: Exclude<DocumentKind, 'call_record'>): string {
  switch (kind) {
    case 'session':
      return "a session whose call is unknown: no @odata.context names its call (a sessions page of GET /communications/callRecords/{id}/sessions keeps the page's context), so it cannot be stitched into its record; save sessions pages whole, export records with $expand=sessions($expand=segments), or use callaudit fetch";
    case 'participant':
      return 'a participant (participants_v2 page), not a callRecord: participants count inside their record (participants_v2); follow participants_v2@odata.nextLink when exporting, or use callaudit fetch';
    case 'pstn_call':
      return 'a PSTN call log row (getPstnCalls), not a callRecord: report reads these rows into the pstn_calls table';
    case 'direct_routing_call':
      return 'a Direct Routing call log row (getDirectRoutingCalls), not a callRecord: report reads these rows into the direct_routing_calls table';
    case 'sms_log':
      return 'an SMS log row (getSmsLog), not a callRecord: callaudit has no table for these rows yet';
    case 'not_a_call_record':
      return 'not a callRecord: a callRecord has a string id and an integer version (Graph callRecord resource)';
  }
}
