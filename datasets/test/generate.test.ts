import { describe, expect, it } from 'vitest';
import { isCallauditError } from '../../packages/core/src/errors.js';
import type { GenerateOptions, GraphRecord } from '../src/index.js';
import { generateRecords } from '../src/index.js';
import { SMALL, durationMs, streamsOf } from './helpers.js';

type Obj = Record<string, unknown>;

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const TIMESTAMP = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{7}Z$/;
const PARTICIPANT = '#microsoft.graph.callRecords.participantEndpoint';
const SERVICE = '#microsoft.graph.callRecords.serviceEndpoint';
const LABELS = new Set(['main-audio', 'main-video', 'applicationsharing-video', 'applicationsharing-rdp', 'data']);
const DURATIONS = [
  'averageJitter',
  'maxJitter',
  'averageAudioNetworkJitter',
  'maxAudioNetworkJitter',
  'averageRoundTripTime',
  'maxRoundTripTime',
  'averageFreezeDuration',
  'rmsFreezeDuration',
];
const FRACTIONS = [
  'averagePacketLossRate',
  'maxPacketLossRate',
  'averageVideoPacketLossRate',
  'postForwardErrorCorrectionPacketLossRate',
  'averageRatioOfConcealedSamples',
  'maxRatioOfConcealedSamples',
  'lowFrameRateRatio',
  'lowVideoProcessingCapabilityRatio',
];

function take(options: GenerateOptions): GraphRecord[] {
  return [...generateRecords(options)];
}

function usageError(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (isCallauditError(error)) return error.code;
    throw error;
  }
  throw new Error('no error');
}

/** Collects what is wrong with a record instead of asserting field by field: fast, and one readable diff. */
class Problems {
  readonly found: string[] = [];
  constructor(private readonly where: string) {}
  check(ok: boolean, what: string): void {
    if (!ok && this.found.length < 20) this.found.push(`${this.where}: ${what}`);
  }
  time(value: unknown, what: string): number {
    this.check(typeof value === 'string' && TIMESTAMP.test(value), `${what} is not a 7-digit UTC timestamp: ${JSON.stringify(value)}`);
    return Date.parse(value as string);
  }
}

function checkEndpoint(p: Problems, endpoint: Obj, era: 'old' | 'new' | 'both'): void {
  const agent = endpoint.userAgent as Obj;
  if (endpoint['@odata.type'] === PARTICIPANT) {
    p.check(typeof agent.platform === 'string' && typeof agent.productFamily === 'string', 'participant userAgent without platform / productFamily');
    p.check('identity' in endpoint === (era !== 'new'), `identity does not match the ${era} era`);
    p.check('associatedIdentity' in endpoint === (era !== 'old'), `associatedIdentity does not match the ${era} era`);
    if (endpoint.feedback !== undefined) p.check(typeof (endpoint.feedback as Obj).rating === 'string', 'feedback without rating');
  } else {
    p.check(endpoint['@odata.type'] === SERVICE && typeof agent.role === 'string', `bad endpoint ${JSON.stringify(endpoint['@odata.type'])}`);
  }
}

function inRange(value: unknown, lo: number, hi: number): boolean {
  return value === null || value === undefined || (typeof value === 'number' && value >= lo && value <= hi);
}

function checkStream(p: Problems, s: Obj): void {
  p.check(s.streamDirection === 'callerToCallee' || s.streamDirection === 'calleeToCaller', `streamDirection ${String(s.streamDirection)}`);
  p.check(typeof s.streamId === 'string' && /^\d+$/.test(s.streamId), 'streamId');
  for (const key of DURATIONS) {
    if (s[key] == null) continue;
    try {
      durationMs(s[key]);
    } catch {
      p.check(false, `${key} is not an ISO-8601 duration: ${JSON.stringify(s[key])}`);
    }
  }
  for (const key of FRACTIONS) p.check(inRange(s[key], 0, 1), `${key} is not a fraction: ${String(s[key])}`);
  p.check(inRange(s.averageVideoFrameLossPercentage, 0, 100), 'averageVideoFrameLossPercentage is not a percentage');
  p.check(inRange(s.averageAudioDegradation, 0, 5), 'averageAudioDegradation is not in MOS points');
  for (const key of ['packetUtilization', 'averageBandwidthEstimate']) p.check(s[key] == null || Number.isInteger(s[key]), `${key} is not an integer`);
  p.time(s.startDateTime, 'stream startDateTime');
}

/** Every field the reference lists, in its unit; identities as the record's era has them. */
function checkRecord(record: GraphRecord, at: number): string[] {
  const p = new Problems(`record ${at}`);
  p.check(/\/\$metadata#communications\/callRecords\(sessions\(segments\(\)\)\)\/\$entity$/.test(String(record['@odata.context'])), '@odata.context');
  p.check(GUID.test(String(record.id)), 'id is not a GUID');
  p.check(Number.isInteger(record.version) && (record.version as number) >= 1, 'version');
  p.check(typeof record.type === 'string', 'type');
  p.check(Array.isArray(record.modalities) && record.modalities.length > 0, 'modalities');
  const start = p.time(record.startDateTime, 'startDateTime');
  const end = p.time(record.endDateTime, 'endDateTime');
  p.check(start <= end && end <= p.time(record.lastModifiedDateTime, 'lastModifiedDateTime'), 'start <= end <= lastModified');
  const old = 'organizer' in record;
  const current = 'organizer_v2' in record;
  p.check(old || current, 'no organizer of either era');
  p.check('participants' in record === old && 'participants_v2' in record === current, 'participants do not match the organizer era');
  const era = old && current ? 'both' : old ? 'old' : 'new';
  const sessions = record.sessions as Obj[];
  p.check(sessions.length > 0, 'no sessions');
  for (const session of sessions) {
    p.check(GUID.test(String(session.id)), 'session id');
    checkEndpoint(p, session.caller as Obj, era);
    checkEndpoint(p, session.callee as Obj, era);
    for (const segment of session.segments as Obj[]) {
      p.check(GUID.test(String(segment.id)), 'segment id');
      p.check(p.time(segment.startDateTime, 'segment start') <= p.time(segment.endDateTime, 'segment end'), 'segment start <= end');
      for (const media of segment.media as Obj[]) {
        p.check(LABELS.has(media.label as string), `label ${String(media.label)}`);
        for (const key of ['callerNetwork', 'calleeNetwork', 'callerDevice', 'calleeDevice'])
          p.check(typeof media[key] === 'object' && media[key] !== null, key);
      }
    }
  }
  for (const { stream } of streamsOf(record)) checkStream(p, stream);
  return p.found;
}

describe('generateRecords', () => {
  it('gives the same records for the same seed and different ones for another', () => {
    const a = JSON.stringify(take({ records: 40, seed: 7, ...SMALL }));
    expect(JSON.stringify(take({ records: 40, seed: 7, ...SMALL }))).toBe(a);
    expect(JSON.stringify(take({ records: 40, seed: 8, ...SMALL }))).not.toBe(a);
  });

  it('yields record i the same whatever the count asked for', () => {
    const short = take({ records: 5, seed: 3, ...SMALL });
    const long = take({ records: 30, seed: 3, ...SMALL });
    expect(long.slice(0, 5)).toEqual(short);
  });

  it('gives every record the reference fields, in their units, for both identity eras', () => {
    const records = take({ records: 250, seed: 21, ...SMALL, novelShare: 0.05 });
    expect(records.flatMap(checkRecord)).toEqual([]);
    const eras = new Set(records.map((r) => ('organizer' in r ? 1 : 0) + ('organizer_v2' in r ? 2 : 0)));
    expect([...eras].sort()).toEqual([1, 2, 3]);
  });

  it('writes PSTN legs with several segments and gateway / mediation server / voicemail endpoints', () => {
    const records = take({ records: 200, seed: 5, kinds: { pstn: 1 } });
    const roles = new Set<string>();
    let multi = 0;
    let bypassed = 0;
    for (const record of records) {
      const session = (record.sessions as Obj[])[0]!;
      if ((session.segments as Obj[]).length > 1) multi++;
      for (const side of [session.caller, session.callee] as Obj[]) if (side['@odata.type'] === SERVICE) roles.add((side.userAgent as Obj).role as string);
      for (const { stream } of streamsOf(record)) if (stream.wasMediaBypassed === true) bypassed++;
    }
    expect(roles).toEqual(new Set(['gateway', 'voicemail']));
    expect(multi).toBeGreaterThan(50);
    expect(bypassed).toBeGreaterThan(0);
    const segmentRoles = new Set(
      records.flatMap((r) => (r.sessions as Obj[]).flatMap((s) => (s.segments as Obj[]).map((g) => ((g.callee as Obj).userAgent as Obj).role))),
    );
    expect(segmentRoles).toContain('mediationServer');
  });

  it('has a record check that catches wrong units and shapes', () => {
    const [record] = take({ records: 1, seed: 21, ...SMALL, missingShare: 0, unreportedShare: 0 });
    const broken = structuredClone(record!);
    const { stream } = streamsOf(broken).next().value!;
    stream.averageJitter = 0.016;
    stream.averagePacketLossRate = 12;
    broken.endDateTime = '2020-01-01T00:00:00Z';
    delete broken.organizer_v2;
    delete broken.organizer;
    const problems = checkRecord(broken, 0).join('\n');
    expect(checkRecord(record!, 0)).toEqual([]);
    expect(problems).toContain('averageJitter is not an ISO-8601 duration');
    expect(problems).toContain('averagePacketLossRate is not a fraction');
    expect(problems).toContain('endDateTime is not a 7-digit UTC timestamp');
    expect(problems).toContain('no organizer of either era');
  });

  it('cuts sessions beyond 60 with a sessions@odata.nextLink', () => {
    const records = take({ records: 5, seed: 9, kinds: { group: 1 }, groupMedianSessions: 90, maxSessions: 120, truncatedShare: 1 });
    expect(records.filter((r) => 'sessions@odata.nextLink' in r).length).toBeGreaterThan(2);
    for (const r of records) {
      if ('sessions@odata.nextLink' in r) expect((r.sessions as unknown[]).length).toBe(60);
      else expect((r.sessions as unknown[]).length).toBeLessThanOrEqual(60);
    }
  });

  it('truncates the configured share of long records, and pages participants_v2', () => {
    const records = take({
      records: 80,
      seed: 9,
      ...SMALL,
      kinds: { group: 1 },
      eras: { new: 1 },
      groupMedianSessions: 8,
      maxSessions: 30,
      sessionPageSize: 6,
      participantPageSize: 5,
    });
    const long = records.filter((r) => 'sessions@odata.nextLink' in r || (r.sessions as unknown[]).length > 6);
    const truncated = long.filter((r) => 'sessions@odata.nextLink' in r);
    expect(long.length).toBeGreaterThan(30);
    expect(truncated.length / long.length).toBeGreaterThan(0.3);
    expect(truncated.length / long.length).toBeLessThan(0.7);
    for (const r of truncated) expect((r.sessions as unknown[]).length).toBe(6);
    const paged = records.filter((r) => 'participants_v2@odata.nextLink' in r);
    expect(paged.length).toBeGreaterThan(10);
    for (const r of paged) expect((r.participants_v2 as unknown[]).length).toBe(5);
    for (const r of records) if (!('participants_v2@odata.nextLink' in r)) expect((r.participants_v2 as unknown[]).length).toBeLessThanOrEqual(5);
  });

  it('writes failures at setup (no QoE) and mid-call, feedback ratings and novel enum values', () => {
    const records = take({ records: 300, seed: 17, ...SMALL, setupFailureShare: 0.1, dropShare: 0.1, feedbackShare: 0.3, novelShare: 0.05 });
    const stages = new Set<string>();
    const ratings = new Set<string>();
    const platforms = new Set<string>();
    for (const r of records) {
      for (const s of r.sessions as Obj[]) {
        if (s.failureInfo !== null) stages.add((s.failureInfo as Obj).stage as string);
        for (const side of [s.caller, s.callee] as Obj[]) {
          if (side.feedback !== undefined) ratings.add((side.feedback as Obj).rating as string);
          if (side['@odata.type'] === PARTICIPANT) platforms.add((side.userAgent as Obj).platform as string);
        }
      }
    }
    expect(stages).toContain('callSetup');
    expect(stages).toContain('midcall');
    expect(ratings).toContain('poor');
    expect(ratings).toContain('excellent');
    expect(platforms).toContain('unknownFutureValue');
    const setup = records.flatMap((r) => (r.sessions as Obj[]).filter((s) => (s.failureInfo as Obj | null)?.stage === 'callSetup'));
    for (const s of setup) for (const { stream } of streamsOf({ sessions: [s] })) expect(stream.averageJitter).toBeNull();
  });

  it('leaves some metrics null and some out, and some streams without any report', () => {
    let nulls = 0;
    let absent = 0;
    let silent = 0;
    for (const record of take({ records: 100, seed: 2, ...SMALL, missingShare: 0.05 })) {
      for (const { media, stream } of streamsOf(record)) {
        if (media.label !== 'main-audio') continue;
        if (stream.averageRoundTripTime === null && stream.averageJitter === null && stream.packetUtilization === null) silent++;
        else if (stream.averageRoundTripTime === null) nulls++;
        else if (!('averageRoundTripTime' in stream)) absent++;
      }
    }
    expect(nulls).toBeGreaterThan(0);
    expect(absent).toBeGreaterThan(0);
    expect(silent).toBeGreaterThan(0);
  });

  it('averages roughly 40 KB a record minified, peer-to-peer calls a few KB, group calls far more', () => {
    const sizes = { all: [] as number[], p2p: [] as number[], group: [] as number[] };
    for (const record of generateRecords({ records: 700, seed: 4 })) {
      const size = JSON.stringify(record).length;
      sizes.all.push(size);
      (record.type === 'groupCall' ? sizes.group : sizes.p2p).push(size);
    }
    const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(mean(sizes.all)).toBeGreaterThan(28_000);
    expect(mean(sizes.all)).toBeLessThan(55_000);
    const p2p = sizes.p2p.sort((a, b) => a - b)[sizes.p2p.length >> 1]!;
    expect(p2p).toBeGreaterThan(3_000);
    expect(p2p).toBeLessThan(20_000);
    expect(mean(sizes.group)).toBeGreaterThan(4 * mean(sizes.p2p));
  });

  it('rejects bad options with E_USAGE before yielding anything', () => {
    expect(usageError(() => generateRecords({ records: -1, seed: 1 }))).toBe('E_USAGE');
    expect(usageError(() => generateRecords({ records: 1.5, seed: 1 }))).toBe('E_USAGE');
    expect(usageError(() => generateRecords({ records: 1, seed: Number.NaN }))).toBe('E_USAGE');
    expect(usageError(() => generateRecords({ records: 1, seed: 1, duplicateShare: 2 }))).toBe('E_USAGE');
    expect(usageError(() => generateRecords({ records: 1, seed: 1, poor: { jitter: -0.1 } }))).toBe('E_USAGE');
    expect(usageError(() => generateRecords({ records: 1, seed: 1, poor: { wobble: 0.1 } as never }))).toBe('E_USAGE');
    expect(usageError(() => generateRecords({ records: 1, seed: 1, poor: { frame_loss: 0.3, frame_rate: 0.3 } }))).toBe('E_USAGE');
    expect(usageError(() => generateRecords({ records: 1, seed: 1, kinds: { group: 0 } }))).toBe('E_USAGE');
    expect(usageError(() => generateRecords({ records: 1, seed: 1, start: 'yesterday' }))).toBe('E_USAGE');
    expect(usageError(() => generateRecords({ records: 1, seed: 1, sessionPageSize: 0 }))).toBe('E_USAGE');
    expect(usageError(() => generateRecords({ records: 1, seed: 1, subnets: 0 }))).toBe('E_USAGE');
    expect(usageError(() => generateRecords({ records: 1, seed: 1, subnets: 32_769 }))).toBe('E_USAGE');
  });

  it('draws client subnets from a pool of the size asked for', () => {
    const subnetsOf = (records: GraphRecord[]): Set<string> => {
      const seen = new Set<string>();
      for (const record of records) {
        for (const { media } of streamsOf(record as Record<string, unknown>)) {
          for (const side of ['callerNetwork', 'calleeNetwork']) {
            const subnet = (media[side] as { subnet?: string | null } | null)?.subnet;
            if (typeof subnet === 'string') seen.add(subnet);
          }
        }
      }
      return seen;
    };
    // Client subnets of the pool are 10.128.0.0-10.255.255.0 (sites use 10.20-80.x, VPN 10.250.0-31.0;
    // services keep their Microsoft ranges).
    const pooled = (set: Set<string>): number => [...set].filter((s) => /^10\.(1[3-9]\d|12[89]|2[0-5]\d)\.\d+\.0$/.test(s)).length;
    const few = pooled(subnetsOf(take({ records: 150, seed: 4 })));
    const many = pooled(subnetsOf(take({ records: 150, seed: 4, subnets: 20_000, users: 5_000 })));
    expect(many).toBeGreaterThan(300);
    expect(many).toBeGreaterThan(10 * few);
    // The option leaves the rest of the record alone: the same ids and call kinds.
    const plain = take({ records: 20, seed: 4 });
    const withPool = take({ records: 20, seed: 4, subnets: 20_000 });
    expect(withPool.map((r) => [r.id, r.type])).toEqual(plain.map((r) => [r.id, r.type]));
  });

  it('yields nothing for zero records and never ends for Infinity', () => {
    expect(take({ records: 0, seed: 1 })).toEqual([]);
    const endless = generateRecords({ records: Infinity, seed: 1, ...SMALL });
    for (let i = 0; i < 50; i++) expect(endless.next().done).toBe(false);
  });
});
