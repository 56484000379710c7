/**
 * Identities and endpoints, in either identity era: the deprecated one (organizer, participants and
 * participantEndpoint.identity as identitySet) or the current one (organizer_v2, participants_v2 and
 * associatedIdentity), or both at once as exports made during the transition carry.
 */
import type { Person } from './population.js';
import type { Rng } from './random.js';
import type { Json, JsonObject } from './json.js';
import {
  FEEDBACK_TEXTS,
  FEEDBACK_TOKENS,
  NOVEL_PLATFORMS,
  NOVEL_RATINGS,
  TYPE_CLIENT_AGENT,
  TYPE_PARTICIPANT,
  TYPE_SERVICE,
  TYPE_SERVICE_AGENT,
} from './vocab.js';

export type IdentityEra = 'old' | 'new' | 'both';

/** Someone on a call: a tenant user or guest, or a phone number (PSTN). */
export type Party = { readonly kind: 'person'; readonly person: Person } | { readonly kind: 'phone'; readonly number: string };

export interface EndpointContext {
  readonly rng: Rng;
  readonly era: IdentityEra;
  /** Chance of an enum value newer than the documented list. */
  readonly novelShare: number;
}

export function usesOldEra(era: IdentityEra): boolean {
  return era !== 'new';
}

export function usesNewEra(era: IdentityEra): boolean {
  return era !== 'old';
}

/** The deprecated identitySet (organizer, participants[], participantEndpoint.identity). */
export function identitySet(party: Party): Json {
  if (party.kind === 'phone') return { user: null, application: null, device: null, phone: { id: party.number, displayName: null } };
  const p = party.person;
  return { user: { id: p.id, displayName: p.displayName, tenantId: p.tenantId }, application: null, device: null };
}

/** The current communicationsIdentitySet (inside organizer_v2 / participants_v2). */
export function communicationsIdentitySet(party: Party): Json {
  if (party.kind === 'phone') return { phone: { id: party.number, displayName: null } };
  const p = party.person;
  if (p.guest) return { guest: { id: p.id, displayName: p.displayName, tenantId: p.tenantId } };
  return { user: { id: p.id, displayName: p.displayName, tenantId: p.tenantId, userPrincipalName: p.upn } };
}

/** A participant_v2 / organizer_v2 entry. */
export function participantV2(party: Party): Json {
  return { id: party.kind === 'phone' ? party.number : party.person.id, identity: communicationsIdentitySet(party) };
}

/** A participantEndpoint without feedback (segments carry none; a session's endpoint may add it). */
export function participantEndpoint(ctx: EndpointContext, person: Person): JsonObject {
  const { rng } = ctx;
  const platform = rng.chance(ctx.novelShare) ? rng.pick(NOVEL_PLATFORMS) : person.platform;
  const endpoint: JsonObject = {
    '@odata.type': TYPE_PARTICIPANT,
    name: person.machineName,
    cpuName: person.cpuName,
    cpuCoresCount: person.cpuCores,
    cpuProcessorSpeedInMhz: person.cpuMhz,
    userAgent: {
      '@odata.type': TYPE_CLIENT_AGENT,
      headerValue: headerValue(person, platform),
      applicationVersion: person.appVersion,
      platform,
      productFamily: person.productFamily,
      azureADAppId: null,
      communicationServiceId: null,
    },
  };
  if (usesOldEra(ctx.era)) endpoint.identity = identitySet({ kind: 'person', person });
  if (usesNewEra(ctx.era)) {
    endpoint.associatedIdentity = { id: person.id, displayName: person.displayName, tenantId: person.tenantId, userPrincipalName: person.upn };
  }
  return endpoint;
}

function headerValue(person: Person, platform: string): string {
  switch (person.productFamily) {
    case 'skypeForBusiness':
      return `UCCAPI/16.0.${person.appVersion.slice(-9)} OC/16.0.12527.20194 (Skype for Business)`;
    case 'lync':
      return `UCCAPI/15.0.5023.1000 OC/15.0.5023.1000 (Microsoft Lync)`;
    case 'azureCommunicationServices':
      return `azsdk-js-communication-calling/1.${person.appVersion.slice(0, 2)}.1 (${platform})`;
    default:
      return `Teams/${person.appVersion} (${platform}) CallSignalingAgent/${person.appVersion.slice(-4)}`;
  }
}

/** userFeedback: a rating, sometimes a text and the tokens the client offered. */
export function feedback(ctx: EndpointContext): Json {
  const { rng } = ctx;
  const rating = rng.chance(ctx.novelShare) ? rng.pick(NOVEL_RATINGS) : rng.weighted({ notRated: 8, bad: 6, poor: 8, fair: 14, good: 40, excellent: 24 });
  const unhappy = rating === 'bad' || rating === 'poor';
  const tokens: Record<string, boolean> = {};
  if (unhappy) for (const token of FEEDBACK_TOKENS) if (rng.chance(0.25)) tokens[token] = true;
  return { rating, text: unhappy && rng.chance(0.4) ? rng.pick(FEEDBACK_TEXTS) : null, tokens };
}

export function serviceEndpoint(role: string, headerValue: string, version: string): JsonObject {
  return {
    '@odata.type': TYPE_SERVICE,
    userAgent: { '@odata.type': TYPE_SERVICE_AGENT, headerValue, applicationVersion: version, role },
  };
}
