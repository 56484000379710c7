/**
 * A validated call log row -> its one row of the `pstn_calls` or `direct_routing_calls` table
 * (table/logs.ts), values in the table's column order. Pure.
 */
import { dateTimeToMs } from '../schema/datetime.js';
import type { DirectRoutingLogRow, LogRowValidation, PstnCallLogRow } from '../schema/logs.js';
import type { CellValue } from '../table/schema.js';
import type { LogTableName } from '../table/logs.js';

const time = (value: string | null | undefined): number | null => (typeof value === 'string' ? dateTimeToMs(value) : null);
const or = <T>(value: T | null | undefined): T | null => value ?? null;

function user(row: PstnCallLogRow | DirectRoutingLogRow): CellValue[] {
  return [
    row.id,
    or(row.userId),
    or(row.userPrincipalName),
    or(row.userDisplayName),
    or(row.callType),
    time(row.startDateTime),
    time(row.endDateTime),
    or(row.duration),
    or(row.callerNumber),
    or(row.calleeNumber),
    or(row.otherPartyCountryCode),
  ];
}

export function flattenPstnRow(row: PstnCallLogRow): CellValue[] {
  const duration = row.duration ?? null;
  return [
    ...user(row),
    duration === null ? null : duration > 0,
    or(row.callId),
    or(row.charge),
    or(row.connectionCharge),
    or(row.currency),
    or(row.destinationContext),
    or(row.destinationName),
    or(row.usageCountryCode),
    or(row.tenantCountryCode),
    or(row.conferenceId),
    or(row.licenseCapability),
    or(row.inventoryType),
    or(row.operator),
    or(row.callDurationSource),
  ];
}

export function flattenDirectRoutingRow(row: DirectRoutingLogRow): CellValue[] {
  return [
    ...user(row),
    or(row.successfulCall),
    or(row.correlationId),
    time(row.inviteDateTime),
    time(row.failureDateTime),
    or(row.finalSipCode),
    or(row.finalSipCodePhrase),
    or(row.callEndSubReason),
    or(row.trunkFullyQualifiedDomainName),
    or(row.mediaBypassEnabled),
    or(row.mediaPathLocation),
    or(row.signalingLocation),
  ];
}

/** A validated row -> its table and its values. */
export function flattenLogRow(checked: Extract<LogRowValidation, { ok: true }>): { table: LogTableName; values: CellValue[] } {
  return checked.kind === 'pstn_call'
    ? { table: 'pstn_calls', values: flattenPstnRow(checked.row) }
    : { table: 'direct_routing_calls', values: flattenDirectRoutingRow(checked.row) };
}
