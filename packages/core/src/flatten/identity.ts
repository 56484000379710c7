/**
 * Who is who: one id per person or service, read from either identity era.
 *
 * The id of an identity set is the first non-empty `id` among its kinds, in IDENTITY_KINDS order:
 * user, guest, phone, acsUser, spoolUser, applicationInstance, onPremises, encrypted,
 * azureCommunicationServicesUser, assertedIdentity, application, device. A deprecated identitySet
 * (user, application, device) reads the same way.
 */
import { IDENTITY_KINDS } from '../schema/index.js';
import type { CallRecord, CommunicationsIdentitySet, IdentitySet, Participant } from '../schema/index.js';

type AnyIdentitySet = IdentitySet | CommunicationsIdentitySet;

export function identitySetId(set: AnyIdentitySet | null | undefined): string | null {
  if (set == null) return null;
  for (const kind of IDENTITY_KINDS) {
    const identity = set[kind];
    if (typeof identity === 'object' && identity !== null) {
      const id = (identity as { id?: unknown }).id;
      if (typeof id === 'string' && id !== '') return id;
    }
  }
  return null;
}

/** organizer_v2 / participants_v2 entry: its own id (the key), else its identity's: the user id first, then another kind. */
export function participantId(participant: Participant | null | undefined): string | null {
  if (participant == null) return null;
  return nonEmpty(participant.id) ?? identitySetId(participant.identity);
}

/** organizer_v2, else organizer (identitySet). */
export function organizerId(record: CallRecord): string | null {
  return participantId(record.organizer_v2) ?? identitySetId(record.organizer);
}

/**
 * Distinct participant ids: participants_v2 when it lists anyone, else participants. null when the
 * record carries neither list (not exported); 0 when a list is there and empty or without ids.
 */
export function participantCount(record: CallRecord): number | null {
  const current = record.participants_v2;
  const deprecated = record.participants;
  if (current == null && deprecated == null) return null;
  const ids = new Set<string>();
  if (current != null && current.length > 0) {
    for (const participant of current) addId(ids, participantId(participant));
  } else if (deprecated != null) {
    for (const set of deprecated) addId(ids, identitySetId(set));
  }
  return ids.size;
}

export function nonEmpty(value: string | null | undefined): string | null {
  return value == null || value === '' ? null : value;
}

function addId(ids: Set<string>, id: string | null): void {
  if (id !== null) ids.add(id);
}
