/**
 * Zod schemas for the Microsoft Graph callRecords v1.0 resources: the single source of truth for what
 * a record must look like before it is flattened.
 *
 * Lenient where Graph is: every object is loose (unknown properties are kept), every property but the
 * record `id` may be null or absent, enum values are kept as raw strings (`unknownFutureValue` and
 * values newer than the docs pass). Strict where the analysis needs it: the record `id` is a non-empty
 * string; a number is a finite number (never a numeric string); `packetUtilization` is a safe integer
 * (it lands in an int column); a duration must parse as ISO-8601 and a date-time as ISO-8601 with the
 * day checked.
 *
 * The parsed `CallRecord` carries durations as milliseconds (number) and date-times as milliseconds
 * since the epoch, UTC (number): the conversion happens once, here, in the table's units.
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

const text = z.string().nullish();
/** An enum property: any string, the raw value kept. */
const enumValue = z.string().nullish();
const number = z.number().nullish();
const boolean = z.boolean().nullish();

/** ISO-8601 duration -> milliseconds. */
const duration = z
  .string()
  .transform((value, ctx) => {
    const ms = durationToMs(value);
    if (ms !== null) return ms;
    ctx.issues.push({ code: 'custom', message: `not an ISO-8601 duration (${JSON.stringify(value)})`, input: value });
    return z.NEVER;
  })
  .nullish();

/** ISO-8601 date-time -> milliseconds since the epoch, UTC. */
const dateTime = z
  .string()
  .transform((value, ctx) => {
    const ms = dateTimeToMs(value);
    if (ms !== null) return ms;
    ctx.issues.push({ code: 'custom', message: `not an ISO-8601 date-time (${JSON.stringify(value)})`, input: value });
    return z.NEVER;
  })
  .nullish();

const list = <T extends z.ZodType>(item: T) => z.array(item).nullish();

// ---- identities -----------------------------------------------------------------------------------

export const identitySchema = z.looseObject({
  id: text,
  displayName: text,
  tenantId: text,
});

/** identitySet (deprecated era): organizer, participants, participantEndpoint.identity. */
export const identitySetSchema = z.looseObject({
  user: identitySchema.nullish(),
  application: identitySchema.nullish(),
  device: identitySchema.nullish(),
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

export const communicationsIdentitySetSchema = z.looseObject({
  ...Object.fromEntries(IDENTITY_KINDS.map((kind) => [kind, identitySchema.nullish()])),
  endpointType: enumValue,
} as Record<(typeof IDENTITY_KINDS)[number], ReturnType<typeof identitySchema.nullish>> & { endpointType: typeof enumValue });

/** organizer_v2 and participants_v2 entries. */
export const participantSchema = z.looseObject({
  id: text,
  identity: communicationsIdentitySetSchema.nullish(),
});

export const associatedIdentitySchema = z.looseObject({
  id: text,
  displayName: text,
  tenantId: text,
  userPrincipalName: text,
});

// ---- endpoints ------------------------------------------------------------------------------------

const clientUserAgentFields = {
  headerValue: text,
  applicationVersion: text,
  platform: enumValue,
  productFamily: enumValue,
  azureADAppId: text,
  communicationServiceId: text,
};
const serviceUserAgentFields = {
  headerValue: text,
  applicationVersion: text,
  role: enumValue,
};

export const clientUserAgentSchema = z.looseObject({ '@odata.type': z.literal(ODATA_TYPE.clientUserAgent), ...clientUserAgentFields });
export const serviceUserAgentSchema = z.looseObject({ '@odata.type': z.literal(ODATA_TYPE.serviceUserAgent), ...serviceUserAgentFields });
/** A user agent without `@odata.type` (or with one newer than the docs): every known property. */
export const untypedUserAgentSchema = z.looseObject({ '@odata.type': text, ...clientUserAgentFields, ...serviceUserAgentFields });
export const userAgentSchema = z.union([clientUserAgentSchema, serviceUserAgentSchema, untypedUserAgentSchema]);

export const userFeedbackSchema = z.looseObject({
  rating: enumValue,
  text,
  /** An open set of booleans whose names vary between clients: kept as exported, not checked. */
  tokens: z.looseObject({}).nullish(),
});

const participantEndpointFields = {
  userAgent: userAgentSchema.nullish(),
  associatedIdentity: associatedIdentitySchema.nullish(),
  /** Deprecated (stops 2026-06-30): replaced by associatedIdentity. */
  identity: identitySetSchema.nullish(),
  feedback: userFeedbackSchema.nullish(),
  name: text,
  cpuName: text,
  cpuCoresCount: number,
  cpuProcessorSpeedInMhz: number,
};

export const participantEndpointSchema = z.looseObject({ '@odata.type': z.literal(ODATA_TYPE.participantEndpoint), ...participantEndpointFields });
export const serviceEndpointSchema = z.looseObject({ '@odata.type': z.literal(ODATA_TYPE.serviceEndpoint), userAgent: userAgentSchema.nullish() });
/** An endpoint without `@odata.type` (or with one newer than the docs): every known property. */
export const untypedEndpointSchema = z.looseObject({ '@odata.type': text, ...participantEndpointFields });
export const endpointSchema = z.union([participantEndpointSchema, serviceEndpointSchema, untypedEndpointSchema]);

export const failureInfoSchema = z.looseObject({
  stage: enumValue,
  reason: text,
});

// ---- media ----------------------------------------------------------------------------------------

export const traceRouteHopSchema = z.looseObject({
  hopCount: number,
  ipAddress: text,
  roundTripTime: duration,
});

export const networkInfoSchema = z.looseObject({
  connectionType: enumValue,
  networkTransportProtocol: enumValue,
  wifiBand: enumValue,
  wifiRadioType: enumValue,
  ipAddress: text,
  subnet: text,
  reflexiveIPAddress: text,
  relayIPAddress: text,
  macAddress: text,
  dnsSuffix: text,
  basicServiceSetIdentifier: text,
  wifiMicrosoftDriver: text,
  wifiMicrosoftDriverVersion: text,
  wifiVendorDriver: text,
  wifiVendorDriverVersion: text,
  bandwidthLowEventRatio: number,
  delayEventRatio: number,
  receivedQualityEventRatio: number,
  sentQualityEventRatio: number,
  linkSpeed: number,
  port: number,
  relayPort: number,
  wifiChannel: number,
  wifiSignalStrength: number,
  wifiBatteryCharge: number,
  traceRouteHops: list(traceRouteHopSchema),
});

export const deviceInfoSchema = z.looseObject({
  captureDeviceName: text,
  captureDeviceDriver: text,
  renderDeviceName: text,
  renderDeviceDriver: text,
  captureNotFunctioningEventRatio: number,
  cpuInsufficentEventRatio: number,
  deviceClippingEventRatio: number,
  deviceGlitchEventRatio: number,
  lowSpeechLevelEventRatio: number,
  lowSpeechToNoiseEventRatio: number,
  micGlitchRate: number,
  renderMuteEventRatio: number,
  renderNotFunctioningEventRatio: number,
  renderZeroVolumeEventRatio: number,
  speakerGlitchRate: number,
  howlingEventCount: number,
  initialSignalLevelRootMeanSquare: number,
  receivedNoiseLevel: number,
  receivedSignalLevel: number,
  sentNoiseLevel: number,
  sentSignalLevel: number,
});

export const mediaStreamSchema = z.looseObject({
  streamId: text,
  streamDirection: enumValue,
  startDateTime: dateTime,
  endDateTime: dateTime,
  audioCodec: enumValue,
  videoCodec: enumValue,
  averageJitter: duration,
  maxJitter: duration,
  averageAudioNetworkJitter: duration,
  maxAudioNetworkJitter: duration,
  averageRoundTripTime: duration,
  maxRoundTripTime: duration,
  averageFreezeDuration: duration,
  rmsFreezeDuration: duration,
  averagePacketLossRate: number,
  maxPacketLossRate: number,
  averageVideoPacketLossRate: number,
  postForwardErrorCorrectionPacketLossRate: number,
  averageRatioOfConcealedSamples: number,
  maxRatioOfConcealedSamples: number,
  lowFrameRateRatio: number,
  lowVideoProcessingCapabilityRatio: number,
  averageVideoFrameLossPercentage: number,
  averageAudioDegradation: number,
  averageVideoFrameRate: number,
  averageReceivedFrameRate: number,
  averageBandwidthEstimate: number,
  packetUtilization: z.int().nullish(),
  isAudioForwardErrorCorrectionUsed: boolean,
  wasMediaBypassed: boolean,
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
  startDateTime: dateTime,
  endDateTime: dateTime,
  caller: endpointSchema.nullish(),
  callee: endpointSchema.nullish(),
  failureInfo: failureInfoSchema.nullish(),
};

export const segmentSchema = z.looseObject({
  ...legFields,
  media: list(mediaSchema),
});

export const sessionSchema = z.looseObject({
  ...legFields,
  modalities: list(enumValue),
  isTest: boolean,
  segments: list(segmentSchema),
});

export const callRecordSchema = z.looseObject({
  id: z.string().min(1),
  version: z.int().nullish(),
  type: enumValue,
  modalities: list(enumValue),
  startDateTime: dateTime,
  endDateTime: dateTime,
  lastModifiedDateTime: dateTime,
  joinWebUrl: text,
  /** Deprecated era (stops 2026-06-30). */
  organizer: identitySetSchema.nullish(),
  participants: list(identitySetSchema),
  /** Current era. */
  organizer_v2: participantSchema.nullish(),
  participants_v2: list(participantSchema),
  'participants_v2@odata.nextLink': text,
  sessions: list(sessionSchema),
  /** Present when the export did not follow the sessions paging: the record is truncated. */
  'sessions@odata.nextLink': text,
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
