/** The network path, Wi-Fi, device ratios, client version and newer mediaStream fields, per side. */
import { describe, expect, it } from 'vitest';
import { flattenToBatches } from '../../src/flatten/index.js';
import { clientVersion } from '../../src/flatten/endpoint.js';
import { audioStream, media, network, p2pRecord, videoStream } from '../schema/fixtures.js';
import type { JsonObject } from '../schema/fixtures.js';
import { CQD, parsed, rows } from './helpers.js';

function withMedia(list: JsonObject[]): JsonObject {
  const record = p2pRecord();
  const segment = ((record.sessions as JsonObject[])[0]!.segments as JsonObject[])[0]!;
  segment.media = list;
  return record;
}

const streamsOf = (record: JsonObject) => rows(flattenToBatches([parsed(record)], CQD).streams);

describe('side detail columns', () => {
  it('normalizes every BSSID spelling to lower-case pairs with colons; keeps what is not a BSSID', () => {
    const spellings: Array<[string | null, string | null]> = [
      ['00-1A-2B-3C-4D-5E', '00:1a:2b:3c:4d:5e'],
      ['00:1a:2b:3c:4d:5e', '00:1a:2b:3c:4d:5e'],
      ['001A.2B3C.4D5E', '00:1a:2b:3c:4d:5e'],
      ['001a2b3c4d5e', '00:1a:2b:3c:4d:5e'],
      [' 00 1A 2B 3C 4D 5E ', '00:1a:2b:3c:4d:5e'],
      ['00-1A-2B-3C-4D', '00-1A-2B-3C-4D'], // 5 pairs: kept as exported
      ['', null],
      [null, null],
    ];
    for (const [raw, expected] of spellings) {
      const record = withMedia([media('main-audio', [audioStream('callerToCallee')], { callerNetwork: network('10.0.0.5', 'wifi', { basicServiceSetIdentifier: raw }) })]);
      expect(streamsOf(record)[0]!.caller_bssid, String(raw)).toBe(expected);
    }
  });

  it('joins the vendor driver and its version; reads transport, channel and the device ratios', () => {
    const record = withMedia([
      media('main-audio', [audioStream('callerToCallee')], {
        callerNetwork: network('10.0.0.5', 'wifi', { wifiVendorDriver: 'Intel(R) Wi-Fi 6 AX201', wifiVendorDriverVersion: '22.200.0.6', networkTransportProtocol: 'tcp', wifiChannel: 149 }),
        calleeNetwork: network('10.0.0.6', 'wifi', { wifiVendorDriver: null, wifiVendorDriverVersion: '1.2' }),
        callerDevice: { captureNotFunctioningEventRatio: 0.005, renderNotFunctioningEventRatio: 0.0049, cpuInsufficentEventRatio: 0.2, deviceClippingEventRatio: 0.01, howlingEventCount: 3 },
      }),
    ]);
    const [row] = streamsOf(record);
    expect(row).toMatchObject({
      caller_wifi_driver: 'Intel(R) Wi-Fi 6 AX201 22.200.0.6',
      caller_transport: 'tcp',
      caller_wifi_channel: 149,
      callee_wifi_driver: '1.2',
      caller_capture_not_functioning_ratio: 0.005,
      caller_render_not_functioning_ratio: 0.0049,
      caller_cpu_insufficient_ratio: 0.2,
      caller_clipping_ratio: 0.01,
      caller_howling_events: 3,
      caller_device_capture: null,
    });
  });

  it('reads the newer video fields in milliseconds and ratios', () => {
    const [row] = streamsOf(withMedia([media('main-video', [videoStream('callerToCallee', { lowVideoProcessingCapabilityRatio: 0.25 })])]));
    expect(row).toMatchObject({
      freeze_avg_ms: 200,
      freeze_rms_ms: 350,
      low_frame_rate_ratio: 0.01,
      low_video_processing_ratio: 0.25,
      received_frame_rate_avg: 29.6,
      audio_fec_used: true,
    });
  });
});

describe('failure_stage, failure_reason', () => {
  it('takes the segment failureInfo, else the session one, for each of its streams', () => {
    const record = p2pRecord();
    const session = (record.sessions as JsonObject[])[0]!;
    const segment = (session.segments as JsonObject[])[0]!;
    session.failureInfo = { stage: 'midcall', reason: 'networkDisconnect' };
    expect(streamsOf(record).map((row) => [row.failure_stage, row.failure_reason])).toEqual(Array(4).fill(['midcall', 'networkDisconnect']));
    segment.failureInfo = { stage: 'callSetup', reason: null };
    expect(streamsOf(record).map((row) => [row.failure_stage, row.failure_reason])).toEqual(Array(4).fill(['callSetup', null]));
    delete session.failureInfo;
    segment.failureInfo = null;
    expect(streamsOf(record).map((row) => [row.failure_stage, row.failure_reason])).toEqual(Array(4).fill([null, null]));
  });
});

describe('poor_cause, poor_side, poor_evidence', () => {
  it('attributes poor streams only, from the media\'s networks and devices', () => {
    const record = withMedia([
      media('main-audio', [audioStream('callerToCallee', { averageJitter: 'PT0.045S' }), audioStream('calleeToCaller')], {
        calleeDevice: { captureNotFunctioningEventRatio: 0.02 },
      }),
    ]);
    const [poor, good] = streamsOf(record);
    expect(poor).toMatchObject({ cqd_class: 'poor', poor_cause: 'device', poor_side: 'callee', poor_evidence: 'callee_capture_not_functioning_ratio=0.02' });
    expect(good).toMatchObject({ cqd_class: 'good', poor_cause: null, poor_side: null, poor_evidence: null });
  });

  it('says unknown, with no side and no evidence, when no rule holds', () => {
    const quiet = { connectionType: 'wired', relayIPAddress: null, receivedQualityEventRatio: 0 };
    const record = withMedia([
      media('main-audio', [audioStream('callerToCallee', { averageJitter: 'PT0.045S' })], { callerNetwork: network('10.0.0.5', 'wired', quiet), calleeNetwork: network('10.0.0.6', 'wired', quiet) }),
    ]);
    expect(streamsOf(record)[0]).toMatchObject({ cqd_class: 'poor', poor_cause: 'unknown', poor_side: null, poor_evidence: null });
  });
});

describe('clientVersion', () => {
  it.each([
    [{ applicationVersion: '1415/24020205509', headerValue: 'Teams/9.9 (windows)' }, '1415/24020205509'],
    [{ applicationVersion: '', headerValue: 'Teams/1.6.00.4472 (windows) CallSignalingAgent/4472' }, '1.6.00.4472'],
    [{ headerValue: 'UCCAPI/16.0.12527.20194 OC/16.0.12527.20194 (Skype for Business)' }, '16.0.12527.20194'],
    [{ headerValue: 'RTCC/7.0.0.0 UCWA/7.0.0.0 windows/1.0' }, '7.0.0.0'],
    [{ headerValue: 'Mozilla/5.0 (Windows NT 10.0)' }, '5.0'],
    [{ headerValue: 'SomeClient/beta (x)' }, null],
    [{ headerValue: 'no version here' }, null],
    [{}, null],
    [null, null],
  ])('%j -> %s', (agent, expected) => {
    expect(clientVersion(agent)).toBe(expected);
  });
});
