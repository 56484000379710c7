import { describe, expect, it } from 'vitest';
import { validateCallRecord } from '../../src/schema/index.js';
import type { CallRecord } from '../../src/schema/index.js';
import { bigRecord, clone, groupRecordV1, p2pRecord, pstnRecord, T_SERVICE } from './fixtures.js';
import type { Json, JsonObject } from './fixtures.js';

function accept(value: unknown): CallRecord {
  const result = validateCallRecord(value);
  if (!result.ok) throw new Error(`expected a valid record, got: ${result.reason}`);
  return result.record;
}

function reject(value: unknown): string {
  const result = validateCallRecord(value);
  if (result.ok) throw new Error('expected a reject');
  return result.reason;
}

/** p2pRecord with one change made through a path of keys. */
function withP2p(path: (string | number)[], value: Json | undefined): JsonObject {
  const record = p2pRecord();
  let node: Json = record;
  for (const key of path.slice(0, -1)) node = (node as Record<string | number, Json>)[key]!;
  const last = path[path.length - 1]!;
  if (value === undefined) delete (node as Record<string | number, Json>)[last];
  else (node as Record<string | number, Json>)[last] = value;
  return record;
}

const STREAM0 = ['sessions', 0, 'segments', 0, 'media', 0, 'streams', 0];
const STREAM0_PATH = 'sessions[0].segments[0].media[0].streams[0]';

describe('validateCallRecord: accepts real-shaped records', () => {
  it.each([
    ['peer-to-peer, current identity era', p2pRecord],
    ['group call, deprecated identity era', groupRecordV1],
    ['PSTN through a gateway, several segments', pstnRecord],
    ['large group call', () => bigRecord(60)],
  ])('%s', (_, make) => {
    const record = accept(make());
    expect(record.id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('converts durations to milliseconds and date-times to epoch milliseconds', () => {
    const record = accept(p2pRecord());
    const stream = record.sessions![0]!.segments![0]!.media![0]!.streams![0]!;
    expect(stream.averageJitter).toBe(16);
    expect(stream.maxJitter).toBe(40);
    expect(stream.averageRoundTripTime).toBe(61);
    expect(stream.averageAudioNetworkJitter).toBe(12);
    expect(stream.averageFreezeDuration).toBeNull();
    expect(stream.startDateTime).toBe(Date.UTC(2024, 2, 1, 10, 0, 1, 216));
    expect(record.startDateTime).toBe(Date.UTC(2024, 2, 1, 10, 0, 0, 216));
    expect(record.sessions![0]!.segments![0]!.endDateTime).toBe(Date.UTC(2024, 2, 1, 10, 12, 47, 764));
  });

  it('keeps unknown properties at every level', () => {
    const raw = p2pRecord();
    const stream = (((raw.sessions as JsonObject[])[0]!.segments as JsonObject[])[0]!.media as JsonObject[])[0]!;
    (stream.streams as JsonObject[])[0]!.futureMetric = 0.5;
    const record = accept(raw);
    expect(record['@odata.context']).toContain('$metadata#communications/callRecords');
    expect(record['sessions@odata.context']).toBeTypeOf('string');
    const media = record.sessions![0]!.segments![0]!.media![0]!;
    expect(media.streams![0]!.futureMetric).toBe(0.5);
    expect(media.callerDevice!.micGlitchRate2).toBeNull();
    expect(record.sessions![0]!.callee!.feedback).toEqual({ rating: 'good', text: null, tokens: { NoSound: false } });
  });

  it('keeps unknown enum values raw', () => {
    const raw = withP2p([...STREAM0, 'audioCodec'], 'unknownFutureValue');
    (raw.sessions as JsonObject[])[0]!.caller = { ...((raw.sessions as JsonObject[])[0]!.caller as JsonObject), userAgent: { '@odata.type': '#microsoft.graph.callRecords.clientUserAgent', platform: 'holoLens3', productFamily: 'teamsPhone' } };
    raw.type = 'someNewCallType';
    const record = accept(raw);
    expect(record.type).toBe('someNewCallType');
    expect(record.sessions![0]!.segments![0]!.media![0]!.streams![0]!.audioCodec).toBe('unknownFutureValue');
    expect(record.sessions![0]!.caller!.userAgent).toMatchObject({ platform: 'holoLens3', productFamily: 'teamsPhone' });
  });

  it('tells null, absent and 0 apart', () => {
    const raw = withP2p([...STREAM0, 'averagePacketLossRate'], 0);
    const stream = (((raw.sessions as JsonObject[])[0]!.segments as JsonObject[])[0]!.media as JsonObject[])[0]!.streams as JsonObject[];
    stream[0]!.averageJitter = null;
    delete stream[0]!.averageRoundTripTime;
    const parsed = accept(raw).sessions![0]!.segments![0]!.media![0]!.streams![0]!;
    expect(parsed.averagePacketLossRate).toBe(0);
    expect(parsed.averageJitter).toBeNull();
    expect(parsed.averageRoundTripTime).toBeUndefined();
    expect('averageRoundTripTime' in parsed).toBe(false);
  });

  it('flags nothing itself but keeps sessions@odata.nextLink for the flattener', () => {
    const raw = p2pRecord();
    raw['sessions@odata.nextLink'] = 'https://graph.microsoft.com/v1.0/communications/callRecords/x/sessions?$skiptoken=abc';
    expect(accept(raw)['sessions@odata.nextLink']).toContain('$skiptoken');
  });

  it('reads endpoints by @odata.type, and without one', () => {
    const raw = p2pRecord();
    const session = (raw.sessions as JsonObject[])[0]!;
    delete (session.caller as JsonObject)['@odata.type'];
    session.callee = { '@odata.type': '#microsoft.graph.callRecords.someNewEndpoint', userAgent: { role: 'customBot' } };
    const record = accept(raw);
    expect(record.sessions![0]!.caller!.associatedIdentity).toMatchObject({ userPrincipalName: 'alice@contoso.com' });
    expect(record.sessions![0]!.callee!['@odata.type']).toBe('#microsoft.graph.callRecords.someNewEndpoint');
    expect(record.sessions![0]!.callee!.userAgent).toMatchObject({ role: 'customBot' });
  });

  it('accepts a record with nothing but an id', () => {
    expect(accept({ id: 'abc' })).toEqual({ id: 'abc' });
  });

  it('does not change its input', () => {
    const raw = pstnRecord();
    const before = clone(raw);
    accept(raw);
    expect(raw).toEqual(before);
  });
});

describe('validateCallRecord: rejects with the path and the reason', () => {
  it.each<[string, (string | number)[], Json | undefined, string]>([
    ['a bad duration', [...STREAM0, 'averageJitter'], 'PT0.0x16S', `${STREAM0_PATH}.averageJitter: not an ISO-8601 duration ("PT0.0x16S")`],
    ['a duration in seconds as a number', [...STREAM0, 'averageRoundTripTime'], 0.061, `${STREAM0_PATH}.averageRoundTripTime: expected string, got number (0.061)`],
    ['a duration in months', [...STREAM0, 'maxJitter'], 'P1M', `${STREAM0_PATH}.maxJitter: not an ISO-8601 duration ("P1M")`],
    ['a ratio as a string', [...STREAM0, 'averagePacketLossRate'], '0.1', `${STREAM0_PATH}.averagePacketLossRate: expected number, got string ("0.1")`],
    ['a count as a string', [...STREAM0, 'packetUtilization'], '38000', `${STREAM0_PATH}.packetUtilization: expected number, got string ("38000")`],
    ['a fractional packet count', [...STREAM0, 'packetUtilization'], 12.5, `${STREAM0_PATH}.packetUtilization: expected int, got number (12.5)`],
    ['a boolean as a string', [...STREAM0, 'wasMediaBypassed'], 'false', `${STREAM0_PATH}.wasMediaBypassed: expected boolean, got string ("false")`],
    ['an impossible date', ['sessions', 0, 'segments', 0, 'startDateTime'], '2024-02-30T10:00:00Z', 'sessions[0].segments[0].startDateTime: not an ISO-8601 date-time ("2024-02-30T10:00:00Z")'],
    ['a date that is not ISO', ['endDateTime'], 'March 1, 2024', 'endDateTime: not an ISO-8601 date-time ("March 1, 2024")'],
    ['streams not an array', ['sessions', 0, 'segments', 0, 'media', 1, 'streams'], { 0: 'x' }, 'sessions[0].segments[0].media[1].streams: expected array, got object'],
    ['a null stream', [...STREAM0], null, `${STREAM0_PATH}: expected object, got null`],
    ['a media label as a number', ['sessions', 0, 'segments', 0, 'media', 0, 'label'], 1, 'sessions[0].segments[0].media[0].label: expected string, got number (1)'],
    ['a missing id', ['id'], undefined, 'id: missing (expected string)'],
    ['an empty id', ['id'], '', 'id: empty string'],
    ['a numeric id', ['id'], 42, 'id: expected string, got number (42)'],
    ['a version as a string', ['version'], '2', 'version: expected number, got string ("2")'],
    ['modalities not a list', ['modalities'], 'audio', 'modalities: expected array, got string ("audio")'],
    ['a network ratio as a string', ['sessions', 0, 'segments', 0, 'media', 0, 'calleeNetwork', 'delayEventRatio'], '0', 'sessions[0].segments[0].media[0].calleeNetwork.delayEventRatio: expected number, got string ("0")'],
    ['a trace route hop with a bad round trip', ['sessions', 0, 'segments', 0, 'media', 0, 'callerNetwork', 'traceRouteHops'], [{ hopCount: 1, ipAddress: '10.0.0.1', roundTripTime: '5ms' }], 'sessions[0].segments[0].media[0].callerNetwork.traceRouteHops[0].roundTripTime: not an ISO-8601 duration ("5ms")'],
    ['a participant id as a number', ['participants_v2', 1, 'id'], 7, 'participants_v2[1].id: expected string, got number (7)'],
    ['sessions as an object', ['sessions'], {}, 'sessions: expected array, got object'],
  ])('%s', (_, path, value, reason) => {
    expect(reject(withP2p(path, value))).toMatch(new RegExp(`^${reason.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}( \\(and \\d+ more\\))?$`));
  });

  it('names the field inside a typed endpoint, not the union', () => {
    const raw = p2pRecord();
    const session = (raw.sessions as JsonObject[])[0]!;
    session.caller = { ...(session.caller as JsonObject), feedback: { rating: 5 } };
    expect(reject(raw)).toBe('sessions[0].caller.feedback.rating: expected string, got number (5)');
  });

  it('names the field inside an untyped endpoint and a service user agent', () => {
    const raw = p2pRecord();
    const session = (raw.sessions as JsonObject[])[0]!;
    session.caller = { associatedIdentity: { id: 3 } };
    expect(reject(raw)).toBe('sessions[0].caller.associatedIdentity.id: expected string, got number (3)');
    session.caller = { '@odata.type': T_SERVICE, userAgent: { '@odata.type': '#microsoft.graph.callRecords.serviceUserAgent', role: ['gateway'] } };
    expect(reject(raw)).toBe('sessions[0].caller.userAgent.role: expected string, got array');
    session.caller = { '@odata.type': 5 };
    expect(reject(raw)).toBe('sessions[0].caller["@odata.type"]: expected string, got number (5)');
    session.caller = 'alice';
    expect(reject(raw)).toBe('sessions[0].caller: expected object, got string ("alice")');
  });

  it('counts the other problems', () => {
    const raw = withP2p([...STREAM0, 'averageJitter'], 'bad');
    raw.version = 'x';
    expect(reject(raw)).toBe('version: expected number, got string ("x") (and 1 more)');
  });

  it('shortens a long offending value', () => {
    const reason = reject(withP2p([...STREAM0, 'averagePacketLossRate'], 'x'.repeat(10_000)));
    expect(reason.length).toBeLessThan(160);
    expect(reason).toContain('..."');
  });

  it.each([
    ['null', null, 'record: expected object, got null'],
    ['an array', [p2pRecord()], 'record: expected object, got array'],
    ['a string', '{"id":"x"}', 'record: expected object, got string ("{\\"id\\":\\"x\\"}")'],
    ['an empty object', {}, 'id: missing (expected string)'],
    ['undefined', undefined, 'record: missing (expected object)'],
  ])('rejects %s', (_, value, reason) => {
    expect(reject(value)).toBe(reason);
  });

  it('rejects values JSON cannot carry but a caller might pass', () => {
    expect(reject(withP2p([...STREAM0, 'averagePacketLossRate'], Number.NaN as unknown as Json))).toMatch(/averagePacketLossRate: expected number, got number \(NaN\)/);
    expect(reject(withP2p([...STREAM0, 'averageBandwidthEstimate'], Number.POSITIVE_INFINITY as unknown as Json))).toMatch(/averageBandwidthEstimate: .*Infinity/);
  });
});

describe('the fast path', () => {
  it('compiles ahead of time (a schema change that loses z.compile fails here)', async () => {
    const z = await import('zod');
    const { callRecordSchema } = await import('../../src/schema/index.js');
    expect(() => z.compile(callRecordSchema, { strict: true })).not.toThrow();
  });

  it('reads each property of a valid record once', () => {
    const raw = p2pRecord();
    const stream = (((raw.sessions as JsonObject[])[0]!.segments as JsonObject[])[0]!.media as JsonObject[])[0]!.streams as JsonObject[];
    let reads = 0;
    Object.defineProperty(stream[0]!, 'averageJitter', { get: () => (reads++, 'PT0.016S'), enumerable: true });
    expect(accept(raw).sessions![0]!.segments![0]!.media![0]!.streams![0]!.averageJitter).toBe(16);
    expect(reads).toBe(1);
  });
});
