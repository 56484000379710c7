/**
 * One callRecord, as GET .../callRecords/{id}?$expand=sessions($expand=segments) returns it, built
 * from its own random stream: record `index` of a seed is always the same record, so a duplicate
 * can be rebuilt later without keeping anything in memory.
 */
import type { Anomaly } from './anomalies.js';
import type { EndpointContext, IdentityEra, Party } from './endpoint.js';
import { feedback, identitySet, participantEndpoint, participantV2, serviceEndpoint, usesNewEra, usesOldEra } from './endpoint.js';
import type { Json, JsonObject } from './json.js';
import type { NetworkChoice } from './network.js';
import { chooseNetwork, clientDevice, networkInfo, serviceDevice, serviceNetwork } from './network.js';
import type { Person, Population } from './population.js';
import { Rng, clamp, deriveSeed } from './random.js';
import type { Settings } from './settings.js';
import type { MediaKind, StreamContext, StreamDirection } from './stream.js';
import { mediaStream } from './stream.js';
import { isoTime } from './time.js';
import { GRAPH, MIDCALL_FAILURES, PSTN_GATEWAYS, RECORD_CONTEXT, SETUP_FAILURES } from './vocab.js';

/** What every record of one generator run shares. */
export interface World {
  readonly settings: Settings;
  readonly population: Population;
  /** Anomaly chance per unit of network weight (the share divided by the mean weight). */
  readonly poorPerWeight: Readonly<Record<Anomaly, number>>;
}

interface Ctx extends EndpointContext, StreamContext {
  readonly world: World;
}

/** One end of a segment: a client on its network, or a service. */
interface Side {
  readonly endpoint: JsonObject;
  readonly person: Person | undefined;
  readonly network: NetworkChoice | undefined;
  readonly gateway: boolean;
}

interface Window {
  readonly startMs: number;
  readonly endMs: number;
}

interface MediaPlan {
  readonly kind: MediaKind;
  readonly label: string;
  readonly directions: readonly StreamDirection[];
  readonly window?: Window;
}

interface LegOptions {
  readonly pstn: boolean;
  readonly bypassed: boolean;
  /** false after a failed setup: no endpoint sent a QoE report. */
  readonly reported: boolean;
  readonly failure: Json;
}

const LABELS: Readonly<Record<MediaKind, string>> = {
  audio: 'main-audio',
  video: 'main-video',
  vbss: 'applicationsharing-video',
  appsharing: 'applicationsharing-rdp',
  data: 'data',
};

const MODALITIES: Readonly<Record<MediaKind, string>> = {
  audio: 'audio',
  video: 'video',
  vbss: 'videoBasedScreenSharing',
  appsharing: 'screenSharing',
  data: 'data',
};
const MODALITY_ORDER = ['audio', 'video', 'videoBasedScreenSharing', 'screenSharing', 'data'];

const BOTH: readonly StreamDirection[] = ['callerToCallee', 'calleeToCaller'];
const INBOUND: readonly StreamDirection[] = ['calleeToCaller'];
const OUTBOUND: readonly StreamDirection[] = ['callerToCallee'];

const MINUTE = 60_000;
const DAY = 86_400_000;

export function buildRecord(world: World, index: number): JsonObject {
  const { settings } = world;
  const rng = new Rng(deriveSeed(settings.seed, index));
  const era = rng.weighted(settings.eras);
  const ctx: Ctx = {
    world,
    rng,
    era,
    novelShare: settings.novelShare,
    poor: world.poorPerWeight,
    missingShare: settings.missingShare,
  };
  const id = rng.guid();
  const version = rng.weighted({ 1: 70, 2: 20, 3: 10 });
  const kind = rng.weighted(settings.kinds);
  const startMs = callStart(rng, settings);
  const call = kind === 'group' ? groupCall(ctx, startMs) : kind === 'pstn' ? pstnCall(ctx, startMs) : peerToPeerCall(ctx, startMs);
  const endMs = Math.max(...call.sessions.map((s) => s.endMs));

  const record: JsonObject = {
    '@odata.context': RECORD_CONTEXT,
    version: Number(version),
    type: rng.chance(settings.novelShare) ? 'unknown' : kind === 'group' ? 'groupCall' : 'peerToPeer',
    modalities: modalities(call.sessions.flatMap((s) => s.modalities)),
    lastModifiedDateTime: isoTime(endMs + rng.float(2, 30) * MINUTE, rng.int(0, 9999)),
    startDateTime: isoTime(startMs, rng.int(0, 9999)),
    endDateTime: isoTime(endMs, rng.int(0, 9999)),
    id,
    joinWebUrl: kind === 'group' ? joinWebUrl(rng, world.population.tenantId, call.organizer) : null,
  };
  addIdentities(record, era, call.organizer, call.parties, settings.participantPageSize, rng);
  const cut = call.sessions.length > settings.sessionPageSize && rng.chance(settings.truncatedShare);
  const sessions = cut ? call.sessions.slice(0, settings.sessionPageSize) : call.sessions;
  record['sessions@odata.context'] = `${GRAPH}/$metadata#communications/callRecords('${id}')/sessions(segments())`;
  record.sessions = sessions.map((s) => s.json);
  if (cut) record['sessions@odata.nextLink'] = `${GRAPH}/communications/callRecords/${id}/sessions?$expand=segments&$skiptoken=${rng.hex(24)}`;
  return record;
}

interface Session {
  readonly json: JsonObject;
  readonly modalities: readonly string[];
  readonly endMs: number;
}

interface Call {
  readonly organizer: Party;
  readonly parties: readonly Party[];
  readonly sessions: readonly Session[];
}

function callStart(rng: Rng, settings: Settings): number {
  let day = rng.int(0, settings.days - 1);
  const weekday = (new Date(settings.startMs + day * DAY).getUTCDay() + 6) % 7;
  if (weekday >= 5 && rng.chance(0.8)) day = Math.max(0, day - 2);
  const hour = Number(rng.weighted({ 6: 2, 7: 6, 8: 12, 9: 14, 10: 14, 11: 11, 12: 8, 13: 11, 14: 12, 15: 11, 16: 8, 17: 4, 18: 2, 20: 1, 23: 0.5, 2: 0.5 }));
  return settings.startMs + day * DAY + hour * 60 * MINUTE + rng.float(0, 60 * MINUTE);
}

function modalities(all: readonly string[]): string[] {
  return MODALITY_ORDER.filter((m) => all.includes(m));
}

function joinWebUrl(rng: Rng, tenantId: string, organizer: Party): string {
  const oid = organizer.kind === 'person' ? organizer.person.id : '';
  return `https://teams.microsoft.com/l/meetup-join/19%3ameeting_${rng.hex(24)}%40thread.v2/0?context=%7b%22Tid%22%3a%22${tenantId}%22%2c%22Oid%22%3a%22${oid}%22%7d`;
}

function addIdentities(record: JsonObject, era: IdentityEra, organizer: Party, parties: readonly Party[], pageSize: number, rng: Rng): void {
  if (usesOldEra(era)) {
    record.organizer = identitySet(organizer);
    record.participants = parties.map(identitySet);
  }
  if (usesNewEra(era)) {
    const id = record.id as string;
    record['organizer_v2@odata.context'] = `${GRAPH}/$metadata#communications/callRecords('${id}')/organizer_v2/$entity`;
    record.organizer_v2 = participantV2(organizer);
    record['participants_v2@odata.context'] = `${GRAPH}/$metadata#communications/callRecords('${id}')/participants_v2`;
    if (parties.length > pageSize) {
      record['participants_v2@odata.nextLink'] = `${GRAPH}/communications/callRecords/${id}/participants_v2?$skiptoken=${rng.hex(24)}`;
    }
    record.participants_v2 = parties.slice(0, pageSize).map(participantV2);
  }
}

function pickUser(ctx: Ctx): Person {
  return ctx.rng.pick(ctx.world.population.users);
}

function pickPerson(ctx: Ctx, guestShare: number): Person {
  return ctx.rng.chance(guestShare) ? ctx.rng.pick(ctx.world.population.guests) : pickUser(ctx);
}

function phoneNumber(rng: Rng): string {
  return rng.chance(0.7) ? `+1425555${rng.int(1000, 9999)}` : `+44207946${rng.int(1000, 9999)}`;
}

function clientSide(ctx: Ctx, person: Person): Side {
  return {
    endpoint: participantEndpoint(ctx, person),
    person,
    network: chooseNetwork(ctx.rng, person, ctx.novelShare, ctx.world.settings.subnets),
    gateway: false,
  };
}

function serviceSide(role: string, headerValue: string, version: string, gateway: boolean): Side {
  return { endpoint: serviceEndpoint(role, headerValue, version), person: undefined, network: undefined, gateway };
}

/** The session's copy of an endpoint, sometimes with the user's feedback. */
function sessionEndpoint(ctx: Ctx, side: Side): JsonObject {
  if (side.person === undefined || !ctx.rng.chance(ctx.world.settings.feedbackShare)) return side.endpoint;
  return { ...side.endpoint, feedback: feedback(ctx) };
}

/** Mean network weight of the clients on a path; services count as neutral. */
function pathWeight(a: Side, b: Side): number {
  const weights = [a.network?.weight, b.network?.weight].filter((w): w is number => w !== undefined);
  return weights.length === 0 ? 1 : weights.reduce((x, y) => x + y, 0) / weights.length;
}

function sideNetwork(ctx: Ctx, side: Side): Json {
  return side.network ? networkInfo(ctx.rng, side.network) : serviceNetwork(ctx.rng, side.gateway);
}

function sideDevice(ctx: Ctx, side: Side): Json {
  return side.person ? clientDevice(ctx.rng, side.person) : serviceDevice();
}

function media(ctx: Ctx, plan: MediaPlan, caller: Side, callee: Side, window: Window, leg: LegOptions): JsonObject {
  const span = plan.window ?? window;
  const weight = pathWeight(caller, callee);
  return {
    label: plan.label,
    callerNetwork: sideNetwork(ctx, caller),
    calleeNetwork: sideNetwork(ctx, callee),
    callerDevice: sideDevice(ctx, caller),
    calleeDevice: sideDevice(ctx, callee),
    streams: plan.directions.map((direction) =>
      mediaStream(ctx, {
        kind: plan.kind,
        direction,
        startMs: span.startMs,
        endMs: span.endMs,
        weight,
        pstn: leg.pstn && plan.kind === 'audio',
        bypassed: leg.bypassed,
        reported: leg.reported && !ctx.rng.chance(ctx.world.settings.unreportedShare),
      }),
    ),
  };
}

function segment(ctx: Ctx, caller: Side, callee: Side, window: Window, plans: readonly MediaPlan[], leg: LegOptions): JsonObject {
  const { rng } = ctx;
  return {
    startDateTime: isoTime(window.startMs, rng.int(0, 9999)),
    endDateTime: isoTime(window.endMs, rng.int(0, 9999)),
    id: rng.guid(),
    caller: caller.endpoint,
    callee: callee.endpoint,
    failureInfo: leg.failure,
    media: plans.map((plan) => media(ctx, plan, caller, callee, window, leg)),
  };
}

interface SessionPlan {
  readonly caller: Side;
  readonly callee: Side;
  readonly window: Window;
  readonly segments: readonly { caller: Side; callee: Side; window: Window; plans: readonly MediaPlan[]; pstn: boolean; bypassed: boolean }[];
}

/** Failure outcome of a session: none, failed at setup (short, no QoE), or dropped mid-call (cut short). */
function outcome(ctx: Ctx, window: Window): { window: Window; failure: Json; reported: boolean } {
  const { rng } = ctx;
  const { setupFailureShare, dropShare } = ctx.world.settings;
  const x = rng.next();
  if (x < setupFailureShare) {
    return {
      window: { startMs: window.startMs, endMs: window.startMs + rng.float(1000, 25_000) },
      failure: { stage: 'callSetup', reason: rng.pick(SETUP_FAILURES) },
      reported: false,
    };
  }
  if (x < setupFailureShare + dropShare) {
    const endMs = window.startMs + (window.endMs - window.startMs) * rng.float(0.1, 0.9);
    const stage = rng.chance(0.05) ? 'unknown' : 'midcall';
    return { window: { startMs: window.startMs, endMs }, failure: { stage, reason: rng.pick(MIDCALL_FAILURES) }, reported: true };
  }
  return { window, failure: null, reported: true };
}

function session(ctx: Ctx, plan: SessionPlan): Session {
  const { rng } = ctx;
  const result = outcome(ctx, plan.window);
  const shrink = (w: Window): Window => {
    const startMs = Math.max(w.startMs, result.window.startMs);
    return { startMs, endMs: Math.max(Math.min(w.endMs, result.window.endMs), startMs + 1000) };
  };
  const kinds = new Set<MediaKind>();
  const segments = plan.segments.map((s) => {
    const plans = result.failure !== null && !result.reported && rng.chance(0.5) ? [] : s.plans;
    for (const p of plans) kinds.add(p.kind);
    const window = shrink(s.window);
    const trimmed = plans.map((p) => (p.window ? { ...p, window: shrink(p.window) } : p));
    return segment(ctx, s.caller, s.callee, window, trimmed, { pstn: s.pstn, bypassed: s.bypassed, reported: result.reported, failure: result.failure });
  });
  const sessionModalities = modalities([...kinds].map((k) => MODALITIES[k]));
  const json: JsonObject = {
    modalities: sessionModalities.length > 0 ? sessionModalities : ['audio'],
    startDateTime: isoTime(result.window.startMs, rng.int(0, 9999)),
    endDateTime: isoTime(result.window.endMs, rng.int(0, 9999)),
    id: rng.guid(),
    isTest: false,
    caller: sessionEndpoint(ctx, plan.caller),
    callee: sessionEndpoint(ctx, plan.callee),
    failureInfo: result.failure,
    segments,
  };
  return { json, modalities: sessionModalities, endMs: result.window.endMs };
}

function plan(kind: MediaKind, directions: readonly StreamDirection[], window?: Window): MediaPlan {
  return window ? { kind, label: LABELS[kind], directions, window } : { kind, label: LABELS[kind], directions };
}

/** A part of `window` (screen sharing or camera time). */
function part(rng: Rng, window: Window, min: number): Window {
  const length = window.endMs - window.startMs;
  const startMs = window.startMs + length * rng.float(0, 1 - min);
  return { startMs, endMs: Math.min(window.endMs, startMs + length * rng.float(min, 1)) };
}

function peerToPeerCall(ctx: Ctx, startMs: number): Call {
  const { rng } = ctx;
  const a = pickUser(ctx);
  let b = pickPerson(ctx, 0.08);
  if (b === a) b = pickUser(ctx);
  const caller = clientSide(ctx, a);
  const callee = clientSide(ctx, b);
  const window = { startMs: startMs + rng.float(2000, 20_000), endMs: startMs + clamp(rng.logNormal(240_000, 1), 20_000, 3 * 60 * MINUTE) };
  const plans = [plan('audio', BOTH)];
  if (rng.chance(0.35)) plans.push(plan('video', rng.chance(0.7) ? BOTH : rng.pick([INBOUND, OUTBOUND])));
  if (rng.chance(0.12)) plans.push(plan('vbss', rng.pick([INBOUND, OUTBOUND]), part(rng, window, 0.2)));
  if (rng.chance(0.03)) plans.push(plan('appsharing', rng.pick([INBOUND, OUTBOUND]), part(rng, window, 0.2)));
  if (rng.chance(0.03)) plans.push(plan('data', BOTH));
  const s = session(ctx, { caller, callee, window, segments: [{ caller, callee, window, plans, pstn: false, bypassed: false }] });
  const first: Party = { kind: 'person', person: a };
  return { organizer: first, parties: [first, { kind: 'person', person: b }], sessions: [s] };
}

const MEDIATION_HEADER = 'Microsoft.PSTNHub.SIPProxy v.2025.3.1.8 i.USWE.9';
const MCU_HEADER = 'Microsoft.Skype.Media.MCU v.2025.3.1.5';

function pstnCall(ctx: Ctx, startMs: number): Call {
  const { rng } = ctx;
  const user = pickUser(ctx);
  const number = phoneNumber(rng);
  const outbound = rng.chance(0.6);
  const bypassed = rng.chance(0.35);
  const voicemail = !outbound && rng.chance(0.15);
  const gatewayHeader = rng.chance(0.6) ? `${rng.pick(PSTN_GATEWAYS)} AudioCodes/7.40A.250.003` : 'Microsoft.PSTNHub.SBC v.2025.2';
  const gateway = serviceSide('gateway', gatewayHeader, '7.40A.250.003', true);
  const mediation = serviceSide('mediationServer', MEDIATION_HEADER, '2025.3.1.8', false);
  const client = voicemail ? serviceSide('voicemail', 'Microsoft.Exchange.UM v.15.20', '15.20.7000.0', false) : clientSide(ctx, user);
  const window = { startMs: startMs + rng.float(1000, 8000), endMs: startMs + clamp(rng.logNormal(180_000, 1), 15_000, 2 * 60 * MINUTE) };
  const audio = [plan('audio', BOTH)];
  const [caller, callee] = outbound ? [client, gateway] : [gateway, client];
  type Leg = SessionPlan['segments'][number];
  let segments: Leg[];
  if (bypassed && !voicemail) {
    segments = [{ caller, callee, window, plans: audio, pstn: true, bypassed: true }];
  } else {
    const clientLeg = outbound ? { caller: client, callee: mediation } : { caller: mediation, callee: client };
    const gatewayLeg = outbound ? { caller: mediation, callee: gateway } : { caller: gateway, callee: mediation };
    segments = [
      { ...clientLeg, window, plans: audio, pstn: false, bypassed: false },
      { ...gatewayLeg, window, plans: audio, pstn: true, bypassed: false },
    ];
    if (rng.chance(0.2)) {
      // Hold and resume: the client leg is re-established.
      const mid = window.startMs + (window.endMs - window.startMs) * rng.float(0.2, 0.8);
      segments[0] = { ...segments[0]!, window: { startMs: window.startMs, endMs: mid } };
      segments.push({ ...clientLeg, window: { startMs: mid + rng.float(500, 5000), endMs: window.endMs }, plans: audio, pstn: false, bypassed: false });
    }
  }
  const s = session(ctx, { caller, callee, window, segments });
  const person: Party = { kind: 'person', person: user };
  const phone: Party = { kind: 'phone', number };
  return { organizer: outbound ? person : phone, parties: [outbound ? person : phone, outbound ? phone : person], sessions: [s] };
}

function groupCall(ctx: Ctx, startMs: number): Call {
  const { rng } = ctx;
  const { groupMedianSessions, maxSessions } = ctx.world.settings;
  const organizer = pickUser(ctx);
  const sessionCount = clamp(Math.round(rng.logNormal(groupMedianSessions, 1.1)), 2, maxSessions);
  const mcu = serviceSide('skypeForBusinessAudioVideoMcu', MCU_HEADER, '2025.3.1.5', false);
  const meeting = { startMs, endMs: startMs + clamp(rng.logNormal(30 * MINUTE, 0.6), 2 * MINUTE, 4 * 60 * MINUTE) };
  const cameraShare = rng.float(0, 0.9);
  const sharing = rng.chance(0.5) ? part(rng, meeting, 0.1) : undefined;
  const presenter = rng.int(0, sessionCount - 1);
  const people: Person[] = [organizer];
  const seen = new Set<Person>([organizer]);
  const sessions: Session[] = [];
  for (let i = 0; i < sessionCount; i++) {
    // Most sessions are a new participant; some are a participant rejoining.
    const bot = i > 0 && rng.chance(0.01);
    const person = i === 0 ? organizer : rng.chance(0.08) ? rng.pick(people) : pickPerson(ctx, 0.1);
    if (!bot && !seen.has(person)) {
      seen.add(person);
      people.push(person);
    }
    const caller = bot ? serviceSide('customBot', 'Microsoft.Teams.Recorder v.2025.1', '2025.1.0.7', false) : clientSide(ctx, person);
    const joinMs = meeting.startMs + (rng.chance(0.7) ? rng.float(0, MINUTE) : rng.float(0, (meeting.endMs - meeting.startMs) * 0.5));
    const leaveMs = meeting.endMs - (rng.chance(0.6) ? rng.float(0, 30_000) : rng.float(0, (meeting.endMs - joinMs) * 0.5));
    const window = { startMs: joinMs, endMs: Math.max(leaveMs, joinMs + 5000) };
    const plans = [plan('audio', BOTH)];
    if (!bot) {
      if (rng.chance(cameraShare)) plans.push(plan('video', BOTH));
      else if (rng.chance(0.8)) plans.push(plan('video', INBOUND));
      if (sharing && sharing.startMs < window.endMs && sharing.endMs > window.startMs) plans.push(plan('vbss', i === presenter ? OUTBOUND : INBOUND, sharing));
      if (rng.chance(0.01)) plans.push(plan('appsharing', INBOUND, part(rng, window, 0.2)));
      if (rng.chance(0.04)) plans.push(plan('data', BOTH));
    }
    sessions.push(session(ctx, { caller, callee: mcu, window, segments: [{ caller, callee: mcu, window, plans, pstn: false, bypassed: false }] }));
  }
  const parties: Party[] = people.map((person) => ({ kind: 'person', person }));
  return { organizer: parties[0]!, parties, sessions };
}
