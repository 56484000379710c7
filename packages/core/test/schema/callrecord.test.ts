import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import * as z from 'zod';
import { callRecordSchema, validateCallRecord } from '../../src/schema/index.js';
import type { CallRecord } from '../../src/schema/index.js';
import { compileCheck } from '../../src/schema/compile.js';
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
  return setAt(p2pRecord(), path, value);
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

  it('returns the record itself: durations and date-times checked, kept as Graph wrote them', () => {
    const raw = p2pRecord();
    const record = accept(raw);
    expect(record).toBe(raw);
    const stream = record.sessions![0]!.segments![0]!.media![0]!.streams![0]!;
    expect(stream.averageJitter).toBe('PT0.016S');
    expect(stream.averageRoundTripTime).toBe('PT0.061S');
    expect(record.startDateTime).toBe('2024-03-01T10:00:00.2169889Z');
    expect(record.sessions![0]!.segments![0]!.startDateTime).toBe('2024-03-01T10:00:00.2169889Z');
  });

  it('accepts every duration and date-time form the parsers read', () => {
    const raw = withP2p([...STREAM0, 'averageJitter'], 'PT1M2.5S');
    const stream = (((raw.sessions as JsonObject[])[0]!.segments as JsonObject[])[0]!.media as JsonObject[])[0]!.streams as JsonObject[];
    Object.assign(stream[0]!, { maxJitter: '-PT0S', averageRoundTripTime: 'P1DT0,5H', maxRoundTripTime: 'PT0.0000001S' });
    Object.assign(raw, { startDateTime: '2024-03-01T10:00+01:00', endDateTime: '2024-03-01T24:00:00', lastModifiedDateTime: '2024-02-29T10:00:00.1-0530' });
    expect(accept(raw).id).toBe(raw.id);
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
    (raw.sessions as JsonObject[])[0]!.caller = {
      ...((raw.sessions as JsonObject[])[0]!.caller as JsonObject),
      userAgent: { '@odata.type': '#microsoft.graph.callRecords.clientUserAgent', platform: 'holoLens3', productFamily: 'teamsPhone' },
    };
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

  it('passes through, unchecked and unchanged, what the analysis does not read', () => {
    const unread: [(string | number)[], Json][] = [
      [['joinWebUrl'], 42],
      [['organizer_v2@odata.context'], false],
      [['organizer_v2', 'identity', 'user', 'displayName'], 7],
      [['organizer_v2', 'identity', 'endpointType'], ['x']],
      [['sessions', 0, 'startDateTime'], 'yesterday'],
      [['sessions', 0, 'modalities'], 'audio'],
      [['sessions', 0, 'isTest'], 'no'],
      [['sessions', 0, 'segments', 0, 'endDateTime'], '2024-02-30T10:00:00Z'],
      [['sessions', 0, 'caller', 'cpuCoresCount'], '8'],
      [['sessions', 0, 'callee', 'feedback', 'text'], 5],
      [['sessions', 0, 'callee', 'feedback', 'tokens'], 'NoSound'],
      [['sessions', 0, 'segments', 0, 'media', 0, 'callerNetwork', 'traceRouteHops'], [{ hopCount: '1', roundTripTime: '5ms' }]],
      [['sessions', 0, 'segments', 0, 'media', 0, 'callerNetwork', 'wifiMicrosoftDriver'], {}],
      [['sessions', 0, 'segments', 0, 'media', 0, 'callerNetwork', 'macAddress'], 5],
      [['sessions', 0, 'segments', 0, 'media', 0, 'callerDevice', 'receivedNoiseLevel'], 'loud'],
      [[...STREAM0, 'startDateTime'], 'March 1'],
      [[...STREAM0, 'maxRatioOfConcealedSamples'], '0.02'],
    ];
    for (const [path, value] of unread) {
      const record = accept(withP2p(path, value));
      let node: unknown = record;
      for (const key of path) node = (node as Record<string | number, unknown>)[key];
      expect(node, path.join('.')).toEqual(value);
    }
  });

  it('accepts a record with nothing but an id and a version', () => {
    expect(accept({ id: 'abc', version: 1 })).toEqual({ id: 'abc', version: 1 });
  });

  it.each([
    ['no version', { id: 'abc' }, 'version: missing (expected number)'],
    ['a null version', { id: 'abc', version: null }, 'version: expected number, got null'],
    ['a version as a string', { id: 'abc', version: '2' }, 'version: expected number, got string ("2")'],
    ['a fractional version', { id: 'abc', version: 2.5 }, 'version: expected int, got number (2.5)'],
  ])('requires an integer version: rejects %s', (_, value, reason) => {
    expect(reject(value)).toBe(reason);
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
    [
      'a duration in seconds as a number',
      [...STREAM0, 'averageRoundTripTime'],
      0.061,
      `${STREAM0_PATH}.averageRoundTripTime: expected string, got number (0.061)`,
    ],
    ['a duration in months', [...STREAM0, 'maxJitter'], 'P1M', `${STREAM0_PATH}.maxJitter: not an ISO-8601 duration ("P1M")`],
    ['a ratio as a string', [...STREAM0, 'averagePacketLossRate'], '0.1', `${STREAM0_PATH}.averagePacketLossRate: expected number, got string ("0.1")`],
    ['a count as a string', [...STREAM0, 'packetUtilization'], '38000', `${STREAM0_PATH}.packetUtilization: expected number, got string ("38000")`],
    ['a fractional packet count', [...STREAM0, 'packetUtilization'], 12.5, `${STREAM0_PATH}.packetUtilization: expected int, got number (12.5)`],
    ['a boolean as a string', [...STREAM0, 'wasMediaBypassed'], 'false', `${STREAM0_PATH}.wasMediaBypassed: expected boolean, got string ("false")`],
    [
      'an impossible date',
      ['sessions', 0, 'segments', 0, 'startDateTime'],
      '2024-02-30T10:00:00Z',
      'sessions[0].segments[0].startDateTime: not an ISO-8601 date-time ("2024-02-30T10:00:00Z")',
    ],
    ['a date that is not ISO', ['endDateTime'], 'March 1, 2024', 'endDateTime: not an ISO-8601 date-time ("March 1, 2024")'],
    [
      'streams not an array',
      ['sessions', 0, 'segments', 0, 'media', 1, 'streams'],
      { 0: 'x' },
      'sessions[0].segments[0].media[1].streams: expected array, got object',
    ],
    ['a null stream', [...STREAM0], null, `${STREAM0_PATH}: expected object, got null`],
    [
      'a media label as a number',
      ['sessions', 0, 'segments', 0, 'media', 0, 'label'],
      1,
      'sessions[0].segments[0].media[0].label: expected string, got number (1)',
    ],
    ['a missing id', ['id'], undefined, 'id: missing (expected string)'],
    ['an empty id', ['id'], '', 'id: empty string'],
    ['a numeric id', ['id'], 42, 'id: expected string, got number (42)'],
    ['a version as a string', ['version'], '2', 'version: expected number, got string ("2")'],
    ['modalities not a list', ['modalities'], 'audio', 'modalities: expected array, got string ("audio")'],
    ['a participant id as a number', ['participants_v2', 1, 'id'], 7, 'participants_v2[1].id: expected string, got number (7)'],
    [
      'a participant identity id as a number',
      ['participants_v2', 1, 'identity', 'phone'],
      { id: 14255550100 },
      'participants_v2[1].identity.phone.id: expected string, got number (14255550100)',
    ],
    ['an organizer identity as a string', ['organizer_v2', 'identity', 'user'], 'alice', 'organizer_v2.identity.user: expected object, got string ("alice")'],
    ['a deprecated organizer id as a number', ['organizer'], { user: { id: 1 } }, 'organizer.user.id: expected string, got number (1)'],
    ['a max round trip in milliseconds', [...STREAM0, 'maxRoundTripTime'], '111ms', `${STREAM0_PATH}.maxRoundTripTime: not an ISO-8601 duration ("111ms")`],
    ['a codec as a number', [...STREAM0, 'audioCodec'], 3, `${STREAM0_PATH}.audioCodec: expected string, got number (3)`],
    ['a stream id as a number', [...STREAM0, 'streamId'], 1504545584, `${STREAM0_PATH}.streamId: expected string, got number (1504545584)`],
    [
      'a bandwidth as a string',
      [...STREAM0, 'averageBandwidthEstimate'],
      '9965083',
      `${STREAM0_PATH}.averageBandwidthEstimate: expected number, got string ("9965083")`,
    ],
    [
      'a connection type as a number',
      ['sessions', 0, 'segments', 0, 'media', 0, 'callerNetwork', 'connectionType'],
      1,
      'sessions[0].segments[0].media[0].callerNetwork.connectionType: expected string, got number (1)',
    ],
    [
      'a subnet as an array',
      ['sessions', 0, 'segments', 0, 'media', 0, 'calleeNetwork', 'subnet'],
      ['10.0.0.0'],
      'sessions[0].segments[0].media[0].calleeNetwork.subnet: expected string, got array',
    ],
    [
      'a capture device as a number',
      ['sessions', 0, 'segments', 0, 'media', 1, 'calleeDevice', 'captureDeviceName'],
      0,
      'sessions[0].segments[0].media[1].calleeDevice.captureDeviceName: expected string, got number (0)',
    ],
    [
      'a network as a string',
      ['sessions', 0, 'segments', 0, 'media', 0, 'callerNetwork'],
      'wired',
      'sessions[0].segments[0].media[0].callerNetwork: expected object, got string ("wired")',
    ],
    ['a failure stage as a number', ['sessions', 0, 'failureInfo'], { stage: 2 }, 'sessions[0].failureInfo.stage: expected string, got number (2)'],
    ['a segment id as a number', ['sessions', 0, 'segments', 0, 'id'], 5, 'sessions[0].segments[0].id: expected string, got number (5)'],
    ['a platform as a number', ['sessions', 0, 'callee', 'userAgent', 'platform'], 1, 'sessions[0].callee.userAgent.platform: expected string, got number (1)'],
    [
      'a UPN as an object',
      ['sessions', 0, 'caller', 'associatedIdentity', 'userPrincipalName'],
      {},
      'sessions[0].caller.associatedIdentity.userPrincipalName: expected string, got object',
    ],
    [
      'a last modified date with a space',
      ['lastModifiedDateTime'],
      '2024-03-01 10:30:24Z',
      'lastModifiedDateTime: not an ISO-8601 date-time ("2024-03-01 10:30:24Z")',
    ],
    ['a next link as a boolean', ['sessions@odata.nextLink'], true, '["sessions@odata.nextLink"]: expected string, got boolean (true)'],
    ['sessions as an object', ['sessions'], {}, 'sessions: expected array, got object'],
    [
      'a header as a number',
      ['sessions', 0, 'caller', 'userAgent', 'headerValue'],
      1,
      'sessions[0].caller.userAgent.headerValue: expected string, got number (1)',
    ],
    [
      'an event ratio as a string',
      ['sessions', 0, 'segments', 0, 'media', 0, 'calleeNetwork', 'delayEventRatio'],
      '0',
      'sessions[0].segments[0].media[0].calleeNetwork.delayEventRatio: expected number, got string ("0")',
    ],
    [
      'a glitch rate as a word',
      ['sessions', 0, 'segments', 0, 'media', 0, 'callerDevice', 'micGlitchRate'],
      'high',
      'sessions[0].segments[0].media[0].callerDevice.micGlitchRate: expected number, got string ("high")',
    ],
    [
      'a wifi channel with a fraction',
      ['sessions', 0, 'segments', 0, 'media', 0, 'calleeNetwork', 'wifiChannel'],
      36.5,
      'sessions[0].segments[0].media[0].calleeNetwork.wifiChannel: expected int, got number (36.5)',
    ],
    [
      'a network jitter that is not a duration',
      [...STREAM0, 'averageAudioNetworkJitter'],
      'PT0.0x12S',
      `${STREAM0_PATH}.averageAudioNetworkJitter: not an ISO-8601 duration ("PT0.0x12S")`,
    ],
    [
      'a FEC flag as a string',
      [...STREAM0, 'isAudioForwardErrorCorrectionUsed'],
      'true',
      `${STREAM0_PATH}.isAudioForwardErrorCorrectionUsed: expected boolean, got string ("true")`,
    ],
  ])('%s', (_, path, value, reason) => {
    expect(reject(withP2p(path, value))).toMatch(new RegExp(`^${reason.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}( \\(and \\d+ more\\))?$`));
  });

  it('names the field inside a typed endpoint', () => {
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
    ['an empty object', {}, 'id: missing (expected string) (and 1 more)'],
    ['undefined', undefined, 'record: missing (expected object)'],
  ])('rejects %s', (_, value, reason) => {
    expect(reject(value)).toBe(reason);
  });

  it('rejects values JSON cannot carry but a caller might pass', () => {
    expect(reject(withP2p([...STREAM0, 'averagePacketLossRate'], Number.NaN as unknown as Json))).toMatch(
      /averagePacketLossRate: expected number, got number \(NaN\)/,
    );
    expect(reject(withP2p([...STREAM0, 'averageBandwidthEstimate'], Number.POSITIVE_INFINITY as unknown as Json))).toMatch(
      /averageBandwidthEstimate: .*Infinity/,
    );
  });
});

describe('the fast path', () => {
  it('compiles every object schema ahead of time (a schema change that loses z.compile fails here)', () => {
    expect(compileCheck(callRecordSchema)(p2pRecord())).toBe(true);
    const asyncRefine = z.looseObject({ id: z.string(), sessions: z.array(z.looseObject({ id: z.string().refine(async () => true) })) });
    expect(() => compileCheck(asyncRefine)).toThrow(/async/);
    expect(() => compileCheck(z.string())).toThrow(expect.objectContaining({ code: 'E_INTERNAL' }));
  });

  it("answers a valid record without zod's interpreter, an invalid one with it", () => {
    const interpreter = vi.spyOn(callRecordSchema, 'safeParse');
    try {
      accept(bigRecord(20));
      accept(groupRecordV1());
      expect(interpreter).not.toHaveBeenCalled();
      reject(withP2p([...STREAM0, 'averageJitter'], 'PT0.0x16S'));
      expect(interpreter).toHaveBeenCalledTimes(1);
    } finally {
      interpreter.mockRestore();
    }
  });

  it('reads each property of a valid record once', () => {
    const raw = p2pRecord();
    const stream = (((raw.sessions as JsonObject[])[0]!.segments as JsonObject[])[0]!.media as JsonObject[])[0]!.streams as JsonObject[];
    let reads = 0;
    Object.defineProperty(stream[0]!, 'averageJitter', {
      get: () => {
        reads++;
        return 'PT0.016S';
      },
      enumerable: true,
    });
    accept(raw);
    expect(reads).toBe(1);
  });

  const HOSTILE: (Json | undefined)[] = [undefined, null, true, 12.5, '0.1', '2024-02-30T10:00:00Z', [null], { id: 5 }];

  it("agrees with zod's interpreter on every property of real-shaped records, broken each way", () => {
    const check = compileCheck(callRecordSchema);
    const seen = new Set<string>();
    for (const base of [p2pRecord(), groupRecordV1(), pstnRecord()].map(firstOfEach)) {
      for (const path of distinctPaths(base, seen)) {
        for (const value of HOSTILE) {
          const raw = setAt(clone(base), path, value);
          const reference = callRecordSchema.safeParse(raw).success;
          if (check(raw) !== reference) expect.fail(`${JSON.stringify(path)} = ${JSON.stringify(value)}: fast path ${!reference}, interpreter ${reference}`);
        }
      }
    }
  });

  it("agrees with zod's interpreter on any JSON anywhere (property)", () => {
    const check = compileCheck(callRecordSchema);
    const bases = [p2pRecord(), pstnRecord()].map(firstOfEach);
    const paths = bases.map((base) => pathsOf(base));
    fc.assert(
      fc.property(fc.nat(), fc.nat(), fc.jsonValue() as fc.Arbitrary<Json>, (which, at, value) => {
        const list = paths[which % bases.length]!;
        const raw = setAt(clone(bases[which % bases.length]!), list[at % list.length]!, value);
        const reference = callRecordSchema.safeParse(raw).success;
        expect(check(raw)).toBe(reference);
        expect(validateCallRecord(raw).ok).toBe(reference);
      }),
      { numRuns: 300 },
    );
  });
});

/** Every path into a JSON value, the root excluded. */
function pathsOf(value: Json, prefix: (string | number)[] = []): (string | number)[][] {
  if (typeof value !== 'object' || value === null) return [];
  const keys: (string | number)[] = Array.isArray(value) ? value.map((_, i) => i) : Object.keys(value);
  return keys.flatMap((key) => {
    const path = [...prefix, key];
    return [path, ...pathsOf((value as Record<string | number, Json>)[key]!, path)];
  });
}

/** One path per property of the tree not in `seen` yet: array elements after the first add nothing new. */
function distinctPaths(value: Json, seen: Set<string>): (string | number)[][] {
  return pathsOf(value).filter((path) => {
    const shape = path.map((key) => (typeof key === 'number' ? '*' : key)).join('/');
    return !seen.has(shape) && seen.add(shape);
  });
}

/** The record with every non-empty list cut to its first item: every property once, parsed fast. */
function firstOfEach<T extends Json>(value: T): T {
  if (Array.isArray(value)) return value.slice(0, 1).map(firstOfEach) as T;
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, firstOfEach(item)])) as T;
}

/** `root` with the value at `path` replaced (deleted for undefined). */
function setAt(root: JsonObject, path: (string | number)[], value: Json | undefined): JsonObject {
  let node: Json = root;
  for (const key of path.slice(0, -1)) node = (node as Record<string | number, Json>)[key]!;
  const last = path[path.length - 1]!;
  if (value === undefined) delete (node as Record<string | number, Json>)[last];
  else (node as Record<string | number, Json>)[last] = value;
  return root;
}
