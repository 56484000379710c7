/**
 * Zod schemas for the Microsoft Graph callRecords v1.0 resources: the single source of truth for what
 * a record must look like before it is flattened.
 *
 * Lenient where Graph is: every object is loose (unknown properties are kept), every property but the
 * record's `id` and `version` may be null or absent, enum values are kept as raw strings
 * (`unknownFutureValue` and values newer than the docs pass). Strict about what a callRecord must
 * have (see document.ts): its `id`, a non-empty string, and its `version`, an integer (Graph's
 * key and the Int64 that orders a record's copies, returned with every record); a number is a finite number (never a numeric string); `packetUtilization` and
 * `version` are safe integers (they land in int columns); a duration must parse as ISO-8601 and a
 * date-time as ISO-8601 with the day checked.
 *
 * What the analysis needs is what flatten reads (flatten/*.ts, the STREAMS and CALLS tables), plus
 * `lastModifiedDateTime`, which decides between copies of a record. Only those properties are declared
 * here; the rest (MAC addresses, DNS suffixes, signal levels, traceRouteHops, Microsoft wifi drivers, cpu names, ...)
 * pass through as exported, kept and not checked, as Graph-lenient means.
 *
 * Durations and date-times are checked, not converted: the record keeps Graph's strings and flatten
 * converts the ones it reads (durationToMs, dateTimeToMs) as it writes them into the tables.
 */
import * as z from 'zod';
import { dateTimeToMs } from './datetime.js';
import { durationToMs } from './duration.js';

export const ODATA_TYPE = {
  participantEndpoint: '#microsoft.graph.callRecords.participantEndpoint',
  serviceEndpoint: '#microsoft.graph.callRecords.serviceEndpoint',
  clientUserAgent: '#microsoft.graph.callRecords.clientUserAgent',
  serviceUserAgent: '#microsoft.graph.callRecords.serviceUserAgent',
} as const;

// ---- leaves ---------------------------------------------------------------------------------------

// (exported for the call log row schemas, logs.ts)
export const text = z.string().nullish();
/** An enum property: any string, the raw value kept. */
const enumValue = z.string().nullish();
export const number = z.number().nullish();
export const integer = z.int().nullish();
export const boolean = z.boolean().nullish();

/** An ISO-8601 duration string (`PT0.016S`): durationToMs must read it. */
const duration = z
  .string()
  .refine((value) => durationToMs(value) !== null, { error: (issue) => `not an ISO-8601 duration (${JSON.stringify(issue.input)})` })
  .nullish();

/** An ISO-8601 date-time string: dateTimeToMs must read it. */
export const dateTime = z
  .string()
  .refine((value) => dateTimeToMs(value) !== null, { error: (issue) => `not an ISO-8601 date-time (${JSON.stringify(issue.input)})` })
  .nullish();

const list = <T extends z.ZodType>(item: T) => z.array(item).nullish();

// ---- identities -----------------------------------------------------------------------------------

export const identitySchema = z.looseObject({
  id: text,
});

/** The identity kinds of a communicationsIdentitySet, in the order callaudit looks for an id. */
export const IDENTITY_KINDS = [
  'user',
  'guest',
  'phone',
  'acsUser',
  'spoolUser',
  'applicationInstance',
  'onPremises',
  'encrypted',
  'azureCommunicationServicesUser',
  'assertedIdentity',
  'application',
  'device',
] as const;

export const communicationsIdentitySetSchema = z.looseObject(
  Object.fromEntries(IDENTITY_KINDS.map((kind) => [kind, identitySchema.nullish()])) as Record<
    (typeof IDENTITY_KINDS)[number],
    ReturnType<typeof identitySchema.nullish>
  >,
);

/**
 * identitySet (deprecated era): organizer, participants, participantEndpoint.identity. Graph declares
 * user, application and device; exports also carry the communicationsIdentitySet kinds there (guest,
 * phone, ...), and flatten looks for an id in every kind (flatten/identity.ts), so every kind is
 * declared: what flatten reads must be declared here (parseProjected builds nothing else).
 */
export const identitySetSchema = communicationsIdentitySetSchema;

/** organizer_v2 and participants_v2 entries. */
export const participantSchema = z.looseObject({
  id: text,
  identity: communicationsIdentitySetSchema.nullish(),
});

export const associatedIdentitySchema = z.looseObject({
  id: text,
  userPrincipalName: text,
});

// ---- endpoints ------------------------------------------------------------------------------------

/**
 * clientUserAgent (platform, productFamily) or serviceUserAgent (role), told apart by `@odata.type`
 * where it is given, by the properties present where not (see flatten/endpoint.ts): one schema.
 */
export const userAgentSchema = z.looseObject({
  '@odata.type': text,
  platform: enumValue,
  productFamily: enumValue,
  role: enumValue,
  applicationVersion: text,
  headerValue: text,
});

/**
 * userFeedback (Rate My Call). `text` and `tokens` are taken as they come: free text and an open set
 * of name -> boolean (feedbackTokenSet) whose shape a client may get wrong; flatten/feedback.ts keeps
 * what is usable (a string, `true` tokens) and a malformed one never rejects the record.
 */
export const userFeedbackSchema = z.looseObject({
  rating: enumValue,
  text: z.unknown().optional(),
  tokens: z.unknown().optional(),
});

/**
 * participantEndpoint or serviceEndpoint (which carries only a userAgent), typed or not: one schema
 * whose properties a service endpoint simply lacks.
 */
export const endpointSchema = z.looseObject({
  '@odata.type': text,
  userAgent: userAgentSchema.nullish(),
  associatedIdentity: associatedIdentitySchema.nullish(),
  /** Deprecated (stops 2026-06-30): replaced by associatedIdentity. */
  identity: identitySetSchema.nullish(),
  feedback: userFeedbackSchema.nullish(),
});

export const failureInfoSchema = z.looseObject({
  stage: enumValue,
  reason: text,
});

// ---- media ----------------------------------------------------------------------------------------

export const networkInfoSchema = z.looseObject({
  connectionType: enumValue,
  wifiBand: enumValue,
  subnet: text,
  ipAddress: text,
  reflexiveIPAddress: text,
  relayIPAddress: text,
  networkTransportProtocol: enumValue,
  linkSpeed: integer,
  basicServiceSetIdentifier: text,
  wifiSignalStrength: integer,
  wifiChannel: integer,
  wifiRadioType: enumValue,
  wifiVendorDriver: text,
  wifiVendorDriverVersion: text,
  sentQualityEventRatio: number,
  receivedQualityEventRatio: number,
  delayEventRatio: number,
  bandwidthLowEventRatio: number,
});

export const deviceInfoSchema = z.looseObject({
  captureDeviceName: text,
  renderDeviceName: text,
  captureNotFunctioningEventRatio: number,
  renderNotFunctioningEventRatio: number,
  howlingEventCount: integer,
  deviceClippingEventRatio: number,
  lowSpeechLevelEventRatio: number,
  lowSpeechToNoiseEventRatio: number,
  deviceGlitchEventRatio: number,
  micGlitchRate: number,
  speakerGlitchRate: number,
  /** Graph's spelling (sic). */
  cpuInsufficentEventRatio: number,
});

export const mediaStreamSchema = z.looseObject({
  streamId: text,
  streamDirection: enumValue,
  audioCodec: enumValue,
  videoCodec: enumValue,
  averageJitter: duration,
  maxJitter: duration,
  averageRoundTripTime: duration,
  maxRoundTripTime: duration,
  averagePacketLossRate: number,
  maxPacketLossRate: number,
  postForwardErrorCorrectionPacketLossRate: number,
  averageRatioOfConcealedSamples: number,
  averageVideoFrameLossPercentage: number,
  averageAudioDegradation: number,
  averageVideoFrameRate: number,
  averageBandwidthEstimate: number,
  packetUtilization: integer,
  wasMediaBypassed: boolean,
  averageAudioNetworkJitter: duration,
  maxAudioNetworkJitter: duration,
  averageFreezeDuration: duration,
  rmsFreezeDuration: duration,
  lowFrameRateRatio: number,
  lowVideoProcessingCapabilityRatio: number,
  averageReceivedFrameRate: number,
  isAudioForwardErrorCorrectionUsed: boolean,
});

export const mediaSchema = z.looseObject({
  label: text,
  callerNetwork: networkInfoSchema.nullish(),
  calleeNetwork: networkInfoSchema.nullish(),
  callerDevice: deviceInfoSchema.nullish(),
  calleeDevice: deviceInfoSchema.nullish(),
  streams: list(mediaStreamSchema),
});

// ---- the record -----------------------------------------------------------------------------------

const legFields = {
  id: text,
  caller: endpointSchema.nullish(),
  callee: endpointSchema.nullish(),
  failureInfo: failureInfoSchema.nullish(),
};

export const segmentSchema = z.looseObject({
  ...legFields,
  startDateTime: dateTime,
  media: list(mediaSchema),
});

export const sessionSchema = z.looseObject({
  ...legFields,
  segments: list(segmentSchema),
});

export const callRecordSchema = z.looseObject({
  id: z.string().min(1),
  /** Required: Graph returns it with every record; it decides between copies of a record. */
  version: z.int(),
  type: enumValue,
  modalities: list(enumValue),
  startDateTime: dateTime,
  endDateTime: dateTime,
  lastModifiedDateTime: dateTime,
  /** Deprecated era (stops 2026-06-30). */
  organizer: identitySetSchema.nullish(),
  participants: list(identitySetSchema),
  /** Current era. */
  organizer_v2: participantSchema.nullish(),
  participants_v2: list(participantSchema),
  sessions: list(sessionSchema),
  /** Present when the export did not follow the sessions paging: the record is truncated. */
  'sessions@odata.nextLink': text,
  /** Present when the export did not follow the participants_v2 paging (130 a page): participants are missing. */
  'participants_v2@odata.nextLink': text,
});

export type CallRecord = z.output<typeof callRecordSchema>;
export type Session = z.output<typeof sessionSchema>;
export type Segment = z.output<typeof segmentSchema>;
export type Media = z.output<typeof mediaSchema>;
export type MediaStream = z.output<typeof mediaStreamSchema>;
export type NetworkInfo = z.output<typeof networkInfoSchema>;
export type DeviceInfo = z.output<typeof deviceInfoSchema>;
export type Endpoint = z.output<typeof endpointSchema>;
export type UserAgent = z.output<typeof userAgentSchema>;
export type Identity = z.output<typeof identitySchema>;
export type IdentitySet = z.output<typeof identitySetSchema>;
export type CommunicationsIdentitySet = z.output<typeof communicationsIdentitySetSchema>;
export type Participant = z.output<typeof participantSchema>;
export type AssociatedIdentity = z.output<typeof associatedIdentitySchema>;
export type UserFeedback = z.output<typeof userFeedbackSchema>;
export type FailureInfo = z.output<typeof failureInfoSchema>;
