/**
 * The call log tables: one row per `getPstnCalls` row (`pstn_calls`) and per `getDirectRoutingCalls`
 * row (`direct_routing_calls`). Public contracts like STREAMS and CALLS: the README documents every
 * column from these definitions. Durations in seconds (`duration_s`, as in `calls`), date-times as
 * timestamps (UTC), enum-like values as exported.
 */
import type { ColumnDef, TableSchema } from './schema.js';

/** The columns both log tables start with (the callLogRow base). */
const USER: readonly ColumnDef[] = [
  { name: 'row_id', type: 'string', doc: 'The log row id (GUID): the key a row seen twice (overlapping fetch windows) is counted once by.' },
  { name: 'user_id', type: 'string', doc: 'userId: the Microsoft Entra id of the user; empty for bot call types.' },
  { name: 'upn', type: 'string', doc: 'userPrincipalName.' },
  { name: 'user_display_name', type: 'string', doc: 'userDisplayName.' },
  { name: 'call_type', type: 'string', doc: 'callType, as exported (PSTN: user_in, user_out, conf_in, ucap_out, ...; Direct Routing: ByotIn, ByotOut, ...).' },
  { name: 'call_start', type: 'timestamp', doc: 'startDateTime (UTC): what --since/--until and the day rollups read.' },
  { name: 'call_end', type: 'timestamp', doc: 'endDateTime (UTC).' },
  { name: 'duration_s', type: 'int', doc: 'duration: seconds connected.' },
  { name: 'caller_number', type: 'string', doc: 'callerNumber (E.164, as exported).' },
  { name: 'callee_number', type: 'string', doc: 'calleeNumber (E.164, as exported).' },
  {
    name: 'other_party_country',
    type: 'string',
    doc: 'otherPartyCountryCode: the other party (caller of an inbound call, callee of an outbound one), ISO 3166-1 alpha-2.',
  },
];

export const PSTN_CALLS: TableSchema = {
  name: 'pstn_calls',
  columns: [
    ...USER,
    {
      name: 'successful',
      type: 'bool',
      doc: 'The call was connected: duration_s above 0 (a PSTN row has no success flag; empty when duration is not exported).',
    },
    { name: 'pstn_call_id', type: 'string', doc: 'callId (not unique, may name the gateway address).' },
    { name: 'charge', type: 'float', doc: 'charge: the amount charged to the account, in currency.' },
    { name: 'connection_charge', type: 'float', doc: 'connectionCharge, in currency.' },
    { name: 'currency', type: 'string', doc: 'currency (ISO 4217).' },
    { name: 'destination_context', type: 'string', doc: 'destinationContext: Domestic or International.' },
    { name: 'destination_name', type: 'string', doc: 'destinationName: the country or region dialed.' },
    { name: 'usage_country', type: 'string', doc: 'usageCountryCode: the user’s country.' },
    { name: 'tenant_country', type: 'string', doc: 'tenantCountryCode.' },
    { name: 'conference_id', type: 'string', doc: 'conferenceId of an audio conference.' },
    { name: 'license_capability', type: 'string', doc: 'licenseCapability: the license used (MCOPSTNU, MCOPSTN1, ...).' },
    { name: 'inventory_type', type: 'string', doc: 'inventoryType: the number type (Subscriber, Service, toll-free, ...).' },
    { name: 'operator', type: 'string', doc: 'operator: Microsoft, or an Operator Connect carrier.' },
    { name: 'call_duration_source', type: 'string', doc: 'callDurationSource: microsoft or operator.' },
  ],
};

export const DIRECT_ROUTING_CALLS: TableSchema = {
  name: 'direct_routing_calls',
  columns: [
    ...USER,
    { name: 'successful', type: 'bool', doc: 'successfulCall: the call was fully established.' },
    { name: 'correlation_id', type: 'string', doc: 'correlationId: the id to give Microsoft Support.' },
    { name: 'invite_time', type: 'timestamp', doc: 'inviteDateTime (UTC): when the first INVITE was sent.' },
    { name: 'failure_time', type: 'timestamp', doc: 'failureDateTime (UTC): failed calls only.' },
    { name: 'final_sip_code', type: 'int', doc: 'finalSipCode: the SIP response the call ended with (RFC 3261; 0 for a BYE).' },
    { name: 'final_sip_code_phrase', type: 'string', doc: 'finalSipCodePhrase: the SIP code and Microsoft subcode described.' },
    { name: 'call_end_sub_reason', type: 'int', doc: 'callEndSubReason: Microsoft’s subcode beside the SIP code.' },
    { name: 'trunk_fqdn', type: 'string', doc: 'trunkFullyQualifiedDomainName: the session border controller.' },
    { name: 'media_bypass', type: 'bool', doc: 'mediaBypassEnabled: the trunk was enabled for media bypass.' },
    { name: 'media_path_location', type: 'string', doc: 'mediaPathLocation: the datacenter of the media path of a non-bypass call.' },
    { name: 'signaling_location', type: 'string', doc: 'signalingLocation: the datacenter used for signaling.' },
  ],
};

export type LogTableName = 'pstn_calls' | 'direct_routing_calls';

export const LOG_TABLES: Readonly<Record<LogTableName, TableSchema>> = { pstn_calls: PSTN_CALLS, direct_routing_calls: DIRECT_ROUTING_CALLS };
