/**
 * What the streams table says about one side of a stream: who (id, UPN), on what (platform,
 * product, or the service role) and from where (network, devices).
 */
import { ODATA_TYPE } from '../schema/index.js';
import type { AssociatedIdentity, DeviceInfo, Endpoint, IdentitySet, NetworkInfo, UserAgent, UserFeedback } from '../schema/index.js';
import type { SideFacts } from '../quality/index.js';
import { bssidColumn } from '../sites/bssid.js';
import type { SiteLookup, SiteMatch } from '../sites/lookup.js';
import { feedbackColumns, type SideFeedback } from './feedback.js';
import { identitySetId, nonEmpty } from './identity.js';

export interface EndpointContext {
  readonly userId: string | null;
  readonly upn: string | null;
  readonly platform: string | null;
  readonly product: string | null;
  readonly role: string | null;
  readonly clientVersion: string | null;
}

const NO_ENDPOINT: EndpointContext = { userId: null, upn: null, platform: null, product: null, role: null, clientVersion: null };

/** The participant properties an endpoint may carry (participantEndpoint or untyped). */
interface ParticipantFields {
  readonly userAgent?: UserAgent | null;
  readonly associatedIdentity?: AssociatedIdentity | null;
  readonly identity?: IdentitySet | null;
  readonly feedback?: UserFeedback | null;
}

/** Every property a user agent may carry (clientUserAgent, serviceUserAgent or untyped). */
interface UserAgentFields {
  readonly '@odata.type'?: string | null;
  readonly platform?: string | null;
  readonly productFamily?: string | null;
  readonly role?: string | null;
  readonly applicationVersion?: string | null;
  readonly headerValue?: string | null;
}

/** The first `name/version` token of a header whose version starts with a digit: `Teams/1.6.00.4472 (windows)`. */
const HEADER_VERSION = /(?:^|\s)[^\s/()]+\/(\d[^\s/()]*)/;

/** userAgent.applicationVersion, else the version in userAgent.headerValue; null when neither has one. */
export function clientVersion(agent: UserAgentFields | null | undefined): string | null {
  const version = nonEmpty(agent?.applicationVersion?.trim());
  if (version !== null) return version;
  const header = agent?.headerValue;
  if (header == null) return null;
  return HEADER_VERSION.exec(header)?.[1] ?? null;
}

/** What an untyped endpoint's platform or product says when it says nothing. */
const UNKNOWN = new Set(['', 'unknown', 'unknownfuturevalue']);

function says(value: string | null | undefined): boolean {
  return typeof value === 'string' && !UNKNOWN.has(value.toLowerCase());
}

/**
 * A service endpoint (gateway, MCU, voicemail, bot, ...): typed so, or untyped with a
 * serviceUserAgent or a user agent that names a role. SDK and CLI exports drop every `@odata.type`,
 * and the serviceUserAgent's `role` with it: an untyped endpoint that names no identity (no
 * associatedIdentity id, no identity id of any kind), gave no feedback and whose user agent names
 * no platform or product is taken for a service endpoint whose role is not known (see
 * `inferredService`). A participant exported so bare cannot be told from one.
 */
export function isServiceEndpoint(endpoint: Endpoint): boolean {
  const type = endpoint['@odata.type'];
  if (type === ODATA_TYPE.serviceEndpoint) return true;
  if (type === ODATA_TYPE.participantEndpoint) return false;
  const agent = endpoint.userAgent as UserAgentFields | null | undefined;
  if (agent?.['@odata.type'] === ODATA_TYPE.serviceUserAgent || typeof agent?.role === 'string') return true;
  if (agent?.['@odata.type'] === ODATA_TYPE.clientUserAgent) return false;
  return inferredService(endpoint);
}

/** Untyped, without a role: a service endpoint by what it lacks (identity, feedback, platform, product). */
function inferredService(endpoint: Endpoint): boolean {
  const agent = endpoint.userAgent as UserAgentFields | null | undefined;
  if (agent == null || says(agent.platform) || says(agent.productFamily)) return false;
  const participant = endpoint as ParticipantFields;
  if (nonEmpty(participant.associatedIdentity?.id) !== null || identitySetId(participant.identity) !== null) return false;
  return participant.feedback?.rating == null;
}

/**
 * A participant's id is associatedIdentity.id, else the deprecated identity's (user, then the other
 * kinds: see identity.ts). A service endpoint has no id: its role and no platform; a service
 * endpoint whose role was dropped with its `@odata.type` has the role `unknown`.
 */
export function endpointContext(endpoint: Endpoint | null | undefined): EndpointContext {
  if (endpoint == null) return NO_ENDPOINT;
  const agent = endpoint.userAgent as UserAgentFields | null | undefined;
  if (isServiceEndpoint(endpoint)) {
    const role = nonEmpty(agent?.role) ?? (endpoint['@odata.type'] == null && agent?.['@odata.type'] == null ? 'unknown' : null);
    return { userId: null, upn: null, platform: null, product: null, role, clientVersion: clientVersion(agent) };
  }
  const participant = endpoint as ParticipantFields;
  const associated = participant.associatedIdentity;
  return {
    userId: nonEmpty(associated?.id) ?? identitySetId(participant.identity),
    upn: nonEmpty(associated?.userPrincipalName),
    platform: nonEmpty(agent?.platform),
    product: nonEmpty(agent?.productFamily),
    role: null,
    clientVersion: clientVersion(agent),
  };
}

/** The feedback rating a participant gave, raw; null for a service endpoint or none. */
export function feedbackRating(endpoint: Endpoint | null | undefined): string | null {
  if (endpoint == null || isServiceEndpoint(endpoint)) return null;
  return nonEmpty((endpoint as ParticipantFields).feedback?.rating);
}

function feedbackOf(endpoint: Endpoint | null | undefined): UserFeedback | null {
  if (endpoint == null || isServiceEndpoint(endpoint)) return null;
  return (endpoint as ParticipantFields).feedback ?? null;
}

/**
 * The Rate My Call columns of one side of a stream: the feedback of its session's endpoint (where
 * Graph puts it), else of its segment's; a service endpoint gives none.
 */
export function sideFeedback(session: Endpoint | null | undefined, segment: Endpoint | null | undefined): SideFeedback {
  return feedbackColumns(feedbackOf(session) ?? feedbackOf(segment));
}

/** vendor driver and its version, joined by a space; null when neither is given. */
function wifiDriver(network: NetworkInfo | null | undefined): string | null {
  const parts = [nonEmpty(network?.wifiVendorDriver), nonEmpty(network?.wifiVendorDriverVersion)].filter((part) => part !== null);
  return parts.length === 0 ? null : parts.join(' ');
}

const NO_SITE: SiteMatch = { building: null, missingSubnet: null, missingReflexiveIp: null };

/** Where the side is by the site files (nothing without them). */
export function siteOf(sites: SiteLookup | null, endpoint: EndpointContext, network: NetworkInfo | null | undefined): SiteMatch {
  if (sites === null) return NO_SITE;
  return sites.match(nonEmpty(network?.subnet), nonEmpty(network?.ipAddress), nonEmpty(network?.reflexiveIPAddress), endpoint.role !== null);
}

/** The side's columns, in streams table order: user id .. render device, then SIDE_DETAIL_COLUMNS. */
export function sideColumns(
  endpoint: EndpointContext,
  network: NetworkInfo | null | undefined,
  device: DeviceInfo | null | undefined,
  site: SiteMatch,
  sites: SiteLookup | null,
  feedback: SideFeedback,
): (string | number | boolean | null)[] {
  const building = site.building;
  const bssid = bssidColumn(network?.basicServiceSetIdentifier);
  const ap = sites === null ? null : sites.accessPoint(bssid);
  return [
    endpoint.userId,
    endpoint.upn,
    endpoint.platform,
    endpoint.product,
    endpoint.role,
    network?.connectionType ?? null,
    network?.wifiBand ?? null,
    network?.subnet ?? null,
    network?.ipAddress ?? null,
    device?.captureDeviceName ?? null,
    device?.renderDeviceName ?? null,
    bssid,
    network?.wifiSignalStrength ?? null,
    network?.wifiChannel ?? null,
    network?.wifiRadioType ?? null,
    wifiDriver(network),
    network?.networkTransportProtocol ?? null,
    nonEmpty(network?.relayIPAddress),
    nonEmpty(network?.reflexiveIPAddress),
    network?.linkSpeed ?? null,
    network?.sentQualityEventRatio ?? null,
    network?.receivedQualityEventRatio ?? null,
    network?.delayEventRatio ?? null,
    network?.bandwidthLowEventRatio ?? null,
    device?.captureNotFunctioningEventRatio ?? null,
    device?.renderNotFunctioningEventRatio ?? null,
    device?.howlingEventCount ?? null,
    device?.deviceClippingEventRatio ?? null,
    device?.lowSpeechLevelEventRatio ?? null,
    device?.lowSpeechToNoiseEventRatio ?? null,
    device?.deviceGlitchEventRatio ?? null,
    device?.micGlitchRate ?? null,
    device?.speakerGlitchRate ?? null,
    device?.cpuInsufficentEventRatio ?? null,
    endpoint.clientVersion,
    building?.network ?? null,
    building?.networkName ?? null,
    building?.building ?? null,
    building?.city ?? null,
    building?.country ?? null,
    building?.region ?? null,
    building?.insideCorp ?? null,
    building?.expressRoute ?? null,
    building?.vpn ?? null,
    site.missingSubnet,
    site.missingReflexiveIp,
    ap?.accessPoint ?? null,
    ap?.building ?? null,
    ap?.floor ?? null,
    feedback.rating,
    feedback.tokens,
    feedback.text,
  ];
}

/** What attribution reads about one side (see quality/attribution.ts). */
export function sideFacts(network: NetworkInfo | null | undefined, device: DeviceInfo | null | undefined, vpn: number | null): SideFacts {
  return {
    connectionType: network?.connectionType ?? null,
    transport: network?.networkTransportProtocol ?? null,
    relayIp: nonEmpty(network?.relayIPAddress),
    wifiSignal: network?.wifiSignalStrength ?? null,
    wifiBand: network?.wifiBand ?? null,
    captureNotFunctioning: device?.captureNotFunctioningEventRatio ?? null,
    renderNotFunctioning: device?.renderNotFunctioningEventRatio ?? null,
    cpuInsufficient: device?.cpuInsufficentEventRatio ?? null,
    delayEvents: network?.delayEventRatio ?? null,
    bandwidthLowEvents: network?.bandwidthLowEventRatio ?? null,
    sentQualityEvents: network?.sentQualityEventRatio ?? null,
    receivedQualityEvents: network?.receivedQualityEventRatio ?? null,
    vpn,
  };
}
