/**
 * Zod schemas of the two call log rows `report` reads into tables: `getPstnCalls` rows
 * (`microsoft.graph.callRecords.pstnCallLogRow`) and `getDirectRoutingCalls` rows
 * (`microsoft.graph.callRecords.directRoutingLogRow`), Graph v1.0. Pure.
 *
 * Lenient as the callRecord schema is (callrecord.ts): loose objects (unknown properties are kept,
 * not checked), every property but `id` may be null or absent, enum-like strings kept raw
 * (`callType` `ByotIn`, `user_out`, ...). Strict where the tables need it: `id` is a non-empty string
 * (the row's key: a row seen twice, in overlapping fetch windows, counts once), `duration` is a
 * non-negative Int32 of seconds, `finalSipCode` and `callEndSubReason` integers, `charge` and
 * `connectionCharge` finite numbers, `successfulCall` and `mediaBypassEnabled` booleans, and a
 * date-time parses as ISO-8601 with its day checked. A row that breaks one of these is a `schema`
 * reject naming the property (`duration: expected int, got string ("219")`).
 *
 * `otherPartyCountryCode` comes from the callLogRow base the beta endpoint documents; v1.0 exports
 * carry it too.
 */
import * as z from 'zod';
import { boolean, dateTime, integer, number, text } from './callrecord.js';
import { compileCheck } from './compile.js';
import { describeIssues } from './validate.js';

/** Seconds, an Int32 that cannot be negative. */
const seconds = z.int().min(0).max(2_147_483_647).nullish();

/** What both rows share (the callLogRow base): the row id and the user. */
const base = {
  id: z.string().min(1),
  userId: text,
  userPrincipalName: text,
  userDisplayName: text,
  otherPartyCountryCode: text,
  startDateTime: dateTime,
  endDateTime: dateTime,
  duration: seconds,
  callType: text,
  callerNumber: text,
  calleeNumber: text,
};

export const pstnCallLogRowSchema = z.looseObject({
  ...base,
  callId: text,
  charge: number,
  connectionCharge: number,
  currency: text,
  destinationContext: text,
  destinationName: text,
  usageCountryCode: text,
  tenantCountryCode: text,
  conferenceId: text,
  licenseCapability: text,
  inventoryType: text,
  operator: text,
  callDurationSource: text,
});

export const directRoutingLogRowSchema = z.looseObject({
  ...base,
  correlationId: text,
  inviteDateTime: dateTime,
  failureDateTime: dateTime,
  successfulCall: boolean,
  finalSipCode: integer,
  finalSipCodePhrase: text,
  callEndSubReason: integer,
  trunkFullyQualifiedDomainName: text,
  mediaBypassEnabled: boolean,
  mediaPathLocation: text,
  signalingLocation: text,
});

export type PstnCallLogRow = z.infer<typeof pstnCallLogRowSchema>;
export type DirectRoutingLogRow = z.infer<typeof directRoutingLogRowSchema>;

/** The document kinds (schema/document.ts) that are log rows with a table of their own. */
export type LogRowKind = 'pstn_call' | 'direct_routing_call';

export type LogRowValidation =
  | { readonly ok: true; readonly kind: 'pstn_call'; readonly row: PstnCallLogRow }
  | { readonly ok: true; readonly kind: 'direct_routing_call'; readonly row: DirectRoutingLogRow }
  | { readonly ok: false; readonly reason: string };

const isPstnRow = compileCheck(pstnCallLogRowSchema);
const isDirectRoutingRow = compileCheck(directRoutingLogRowSchema);

/**
 * Checks a parsed log row (parsed whole: JSON.parse, not the projection) against its kind's schema:
 * the compiled check first (validate.ts), zod's interpreter for the reason a row is refused.
 */
export function validateLogRow(kind: LogRowKind, value: unknown): LogRowValidation {
  if (kind === 'pstn_call') {
    if (isPstnRow(value)) return { ok: true, kind, row: value as PstnCallLogRow };
    const result = pstnCallLogRowSchema.safeParse(value);
    return result.success ? { ok: true, kind, row: value as PstnCallLogRow } : { ok: false, reason: describeIssues(result.error.issues, value, 'row') };
  }
  if (isDirectRoutingRow(value)) return { ok: true, kind, row: value as DirectRoutingLogRow };
  const result = directRoutingLogRowSchema.safeParse(value);
  return result.success ? { ok: true, kind, row: value as DirectRoutingLogRow } : { ok: false, reason: describeIssues(result.error.issues, value, 'row') };
}
