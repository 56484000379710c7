/**
 * What the streams table says about one side of a stream: who (id, UPN), on what (platform,
 * product, or the service role) and from where (network, devices).
 */
import { ODATA_TYPE } from '../schema/index.js';
import type { AssociatedIdentity, DeviceInfo, Endpoint, IdentitySet, NetworkInfo, UserAgent, UserFeedback } from '../schema/index.js';
import { identitySetId, nonEmpty } from './identity.js';

export interface EndpointContext {
  readonly userId: string | null;
  readonly upn: string | null;
  readonly platform: string | null;
  readonly product: string | null;
  readonly role: string | null;
}

const NO_ENDPOINT: EndpointContext = { userId: null, upn: null, platform: null, product: null, role: null };

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
    return { userId: null, upn: null, platform: null, product: null, role: nonEmpty(agent?.role) ?? (endpoint['@odata.type'] == null && agent?.['@odata.type'] == null ? 'unknown' : null) };
  }
  const participant = endpoint as ParticipantFields;
  const associated = participant.associatedIdentity;
  return {
    userId: nonEmpty(associated?.id) ?? identitySetId(participant.identity),
    upn: nonEmpty(associated?.userPrincipalName),
    platform: nonEmpty(agent?.platform),
    product: nonEmpty(agent?.productFamily),
    role: null,
  };
}

/** The feedback rating a participant gave, raw; null for a service endpoint or none. */
export function feedbackRating(endpoint: Endpoint | null | undefined): string | null {
  if (endpoint == null || isServiceEndpoint(endpoint)) return null;
  return nonEmpty((endpoint as ParticipantFields).feedback?.rating);
}

/** The side's columns, in streams table order: user id .. render device. */
export function sideColumns(
  endpoint: EndpointContext,
  network: NetworkInfo | null | undefined,
  device: DeviceInfo | null | undefined,
): (string | null)[] {
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
  ];
}
