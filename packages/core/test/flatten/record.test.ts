import { describe, expect, it } from 'vitest';
import { flattenRecord, flattenToBatches } from '../../src/flatten/index.js';
import { classifyStream, eModel } from '../../src/quality/index.js';
import type { StreamMetrics } from '../../src/quality/index.js';
import { ColumnBuilder } from '../../src/table/schema.js';
import type { CellValue, ColumnType } from '../../src/table/schema.js';
import { CALLS, STREAMS } from '../../src/table/tables.js';
import {
  ALICE,
  BOB,
  CAROL,
  audioStream,
  bigRecord,
  groupRecordV1,
  media,
  p2pRecord,
  pstnRecord,
  T_CLIENT_UA,
  T_PARTICIPANT,
  T_SERVICE_UA,
} from '../schema/fixtures.js';
import type { JsonObject } from '../schema/fixtures.js';
import { CQD, parsed, rows } from './helpers.js';

const P2P_START = Date.UTC(2024, 2, 1, 10, 0, 0, 216);
const P2P_END = Date.UTC(2024, 2, 1, 10, 12, 47, 764);

function audioMetrics(overrides: Partial<StreamMetrics>): StreamMetrics {
  return {
    jitterAvgMs: 16,
    rttAvgMs: 61,
    packetLossAvg: 0,
    concealedRatioAvg: 0.003,
    audioDegradationAvg: null,
    packetUtilization: 38000,
    videoFrameLossPctAvg: null,
    videoFrameRateAvg: null,
    postFecPacketLoss: null,
    audioCodec: 'satin',
    ...overrides,
  };
}

function flatten(...records: JsonObject[]) {
  const batches = flattenToBatches(records.map(parsed), CQD);
  return { streams: rows(batches.streams), calls: rows(batches.calls), batches };
}

/** The first segment's media list of the first session of a raw record. */
function mediaOf(record: JsonObject, session = 0, segment = 0): JsonObject[] {
  return ((record.sessions as JsonObject[])[session]!.segments as JsonObject[])[segment]!.media as JsonObject[];
}

describe('flattenRecord: peer-to-peer, current identity era', () => {
  const { streams, calls } = flatten(p2pRecord());

  it('writes one streams row per media stream and one calls row', () => {
    expect(streams).toHaveLength(4);
    expect(calls).toHaveLength(1);
    expect(streams.map((row) => [row.media_label, row.modality, row.stream_direction])).toEqual([
      ['main-audio', 'audio', 'callerToCallee'],
      ['main-audio', 'audio', 'calleeToCaller'],
      ['main-video', 'video', 'callerToCallee'],
      ['main-video', 'video', 'calleeToCaller'],
    ]);
  });

  it('fills every streams column of an audio stream', () => {
    const metrics = audioMetrics({});
    const classification = classifyStream('audio', metrics, CQD);
    const score = eModel(metrics);
    expect(classification.cls).toBe('good');
    expect(score).not.toBeNull();
    expect(streams[0]).toEqual({
      call_id: 'e523d2ed-2966-4b6b-925b-754a88034cc5',
      call_version: 2,
      call_type: 'peerToPeer',
      call_start: P2P_START,
      session_id: 'e523d2ed-2966-4b6b-925b-754a88034cc5',
      segment_id: 'e523d2ed-2966-4b6b-925b-754a88034cc5',
      segment_start: P2P_START,
      media_label: 'main-audio',
      modality: 'audio',
      stream_id: '1504545584',
      stream_direction: 'callerToCallee',
      caller_user_id: ALICE.id,
      caller_upn: ALICE.upn,
      caller_platform: 'windows',
      caller_product: 'teams',
      caller_role: null,
      caller_connection_type: 'wired',
      caller_wifi_band: 'unknown',
      caller_subnet: '10.139.0.0',
      caller_ip: '10.139.0.12',
      caller_device_capture: 'Microphone (Jabra Evolve2 65)',
      caller_device_render: 'Speakers (Jabra Evolve2 65)',
      caller_bssid: null,
      caller_wifi_signal: null,
      caller_wifi_channel: null,
      caller_wifi_radio: 'unknown',
      caller_wifi_driver: null,
      caller_transport: null,
      caller_relay_ip: '52.114.188.102',
      caller_reflexive_ip: '203.0.113.7',
      caller_link_speed: 4294967295,
      caller_sent_quality_event_ratio: 0,
      caller_received_quality_event_ratio: 0.27,
      caller_delay_event_ratio: 0,
      caller_bandwidth_low_event_ratio: 0,
      caller_capture_not_functioning_ratio: null,
      caller_render_not_functioning_ratio: null,
      caller_howling_events: 0,
      caller_clipping_ratio: null,
      caller_low_speech_level_ratio: 0,
      caller_low_speech_to_noise_ratio: 0,
      caller_device_glitch_ratio: 0,
      caller_mic_glitch_rate: 23,
      caller_speaker_glitch_rate: 3439,
      caller_cpu_insufficient_ratio: null,
      caller_client_version: '1415/24020205509',
      caller_network: null,
      caller_network_name: null,
      caller_building: null,
      caller_city: null,
      caller_country: null,
      caller_region: null,
      caller_inside_corp: null,
      caller_expressroute: null,
      caller_vpn: null,
      caller_missing_subnet: null,
      caller_missing_reflexive_ip: null,
      caller_access_point: null,
      caller_access_point_building: null,
      caller_access_point_floor: null,
      caller_feedback_rating: null,
      caller_feedback_tokens: null,
      caller_feedback_text: null,
      callee_user_id: BOB.id,
      callee_upn: BOB.upn,
      callee_platform: 'macOS',
      callee_product: 'teams',
      callee_role: null,
      callee_connection_type: 'wifi',
      callee_wifi_band: 'frequency50GHz',
      callee_subnet: '192.168.1.0',
      callee_ip: '192.168.1.23',
      callee_device_capture: 'Microphone Array (Realtek(R) Audio)',
      callee_device_render: 'Speakers (Realtek(R) Audio)',
      callee_bssid: null,
      callee_wifi_signal: 82,
      callee_wifi_channel: null,
      callee_wifi_radio: 'wifi80211ac',
      callee_wifi_driver: null,
      callee_transport: null,
      callee_relay_ip: '52.114.188.102',
      callee_reflexive_ip: '203.0.113.7',
      callee_link_speed: 4294967295,
      callee_sent_quality_event_ratio: 0,
      callee_received_quality_event_ratio: 0.27,
      callee_delay_event_ratio: 0,
      callee_bandwidth_low_event_ratio: 0,
      callee_capture_not_functioning_ratio: null,
      callee_render_not_functioning_ratio: null,
      callee_howling_events: 0,
      callee_clipping_ratio: null,
      callee_low_speech_level_ratio: 0,
      callee_low_speech_to_noise_ratio: 0,
      callee_device_glitch_ratio: 0,
      callee_mic_glitch_rate: 23,
      callee_speaker_glitch_rate: 3439,
      callee_cpu_insufficient_ratio: null,
      callee_client_version: '1415/24020205509',
      callee_network: null,
      callee_network_name: null,
      callee_building: null,
      callee_city: null,
      callee_country: null,
      callee_region: null,
      callee_inside_corp: null,
      callee_expressroute: null,
      callee_vpn: null,
      callee_missing_subnet: null,
      callee_missing_reflexive_ip: null,
      callee_access_point: null,
      callee_access_point_building: null,
      callee_access_point_floor: null,
      callee_feedback_rating: 'good',
      callee_feedback_tokens: null,
      callee_feedback_text: null,
      audio_codec: 'satin',
      video_codec: null,
      jitter_avg_ms: 16,
      jitter_max_ms: 40,
      rtt_avg_ms: 61,
      rtt_max_ms: 111,
      packet_loss_avg: 0,
      packet_loss_max: 0.01,
      concealed_ratio_avg: 0.003,
      audio_degradation_avg: null,
      packet_utilization: 38000,
      video_frame_loss_pct_avg: null,
      video_frame_rate_avg: null,
      post_fec_packet_loss: null,
      bandwidth_estimate_bps: 9965083,
      was_media_bypassed: false,
      audio_network_jitter_avg_ms: 12,
      audio_network_jitter_max_ms: 30,
      audio_fec_used: true,
      freeze_avg_ms: null,
      freeze_rms_ms: null,
      low_frame_rate_ratio: null,
      low_video_processing_ratio: null,
      received_frame_rate_avg: null,
      failure_stage: null,
      failure_reason: null,
      cqd_class: 'good',
      cqd_reasons: '',
      poor_cause: null,
      poor_side: null,
      poor_evidence: null,
      r_factor: score!.rFactor,
      mos: score!.mos,
      mos_missing: null,
      sessions_truncated: false,
    });
    expect(Object.keys(streams[0]!)).toEqual(STREAMS.columns.map((column) => column.name));
  });

  it('scores with the quality model: poor jitter, video on frame loss, no E-model for video', () => {
    const poor = audioMetrics({ jitterAvgMs: 34 });
    expect(streams[1]).toMatchObject({ jitter_avg_ms: 34, cqd_class: 'poor', cqd_reasons: 'jitter', mos: eModel(poor)!.mos });
    expect(streams[2]).toMatchObject({ modality: 'video', video_codec: 'h264', video_frame_loss_pct_avg: 0.4, cqd_class: 'good', r_factor: null, mos: null });
  });

  it('fills every calls column', () => {
    const mos = [eModel(audioMetrics({}))!.mos, eModel(audioMetrics({ jitterAvgMs: 34 }))!.mos];
    expect(calls[0]).toEqual({
      call_id: 'e523d2ed-2966-4b6b-925b-754a88034cc5',
      call_version: 2,
      call_type: 'peerToPeer',
      call_start: P2P_START,
      call_end: P2P_END,
      duration_s: 767.548,
      modalities: 'audio;video',
      organizer_id: ALICE.id,
      participant_count: 2,
      session_count: 1,
      stream_count: 4,
      audio_streams_classified: 2,
      audio_streams_poor: 1,
      verdict: 'poor',
      worst_reasons: 'jitter',
      min_mos: Math.min(...mos),
      feedback_min_rating: 'good',
      setup_failed: false,
      dropped: false,
      sessions_truncated: false,
      sessions_missing: false,
      participants_truncated: false,
    });
    expect(Object.keys(calls[0]!)).toEqual(CALLS.columns.map((column) => column.name));
  });
});

describe('flattenRecord: group call, deprecated identity era', () => {
  const { streams, calls } = flatten(groupRecordV1());

  it('reads ids from identity.user and the MCU as a service endpoint', () => {
    expect(streams).toHaveLength(6);
    expect(streams.map((row) => row.caller_user_id)).toEqual([ALICE.id, ALICE.id, BOB.id, BOB.id, CAROL.id, CAROL.id]);
    expect(streams[0]).toMatchObject({
      caller_upn: null,
      caller_platform: 'android',
      caller_product: 'skypeForBusiness',
      caller_role: null,
      callee_user_id: null,
      callee_upn: null,
      callee_platform: null,
      callee_product: null,
      callee_role: 'skypeForBusinessAudioVideoMcu',
      callee_ip: '52.114.0.10',
      callee_device_capture: null,
      callee_device_render: null,
    });
    expect(streams[4]).toMatchObject({
      caller_platform: 'web',
      session_id: '2f9b4c3a-0000-0000-0000-000000000002',
      segment_start: Date.UTC(2024, 2, 2, 14, 2),
    });
  });

  it('counts distinct participants of the identitySet list and takes the organizer from it', () => {
    expect(calls[0]).toMatchObject({
      call_type: 'groupCall',
      organizer_id: ALICE.id,
      participant_count: 3,
      session_count: 3,
      stream_count: 6,
      modalities: 'audio;screenSharing',
      duration_s: 2730.5,
      feedback_min_rating: null,
    });
  });
});

describe('flattenRecord: PSTN call through a gateway, several segments', () => {
  const { streams, calls } = flatten(pstnRecord());

  it('takes the session endpoints when a segment has none', () => {
    expect(streams).toHaveLength(3);
    for (const row of streams) {
      expect(row).toMatchObject({ caller_user_id: CAROL.id, caller_upn: CAROL.upn, caller_platform: 'iOS', callee_role: 'gateway', callee_platform: null });
    }
    expect(streams.map((row) => row.segment_id)).toEqual([
      '7d2a0c11-0000-0000-0000-000000000001',
      '7d2a0c11-0000-0000-0000-000000000002',
      '7d2a0c11-0000-0000-0000-000000000002',
    ]);
    expect(streams[0]).toMatchObject({ audio_codec: 'g711', callee_subnet: null, callee_ip: '198.51.100.20' });
  });

  it('classifies the poor legs and gathers their reasons in reason order', () => {
    expect(streams.map((row) => [row.cqd_class, row.cqd_reasons])).toEqual([
      ['good', ''],
      ['poor', 'packet_loss'],
      ['poor', 'rtt'],
    ]);
    expect(calls[0]).toMatchObject({
      audio_streams_classified: 3,
      audio_streams_poor: 2,
      verdict: 'poor',
      worst_reasons: 'rtt;packet_loss',
      participant_count: 2,
      organizer_id: CAROL.id,
      feedback_min_rating: 'poor',
      setup_failed: true,
      dropped: true,
      session_count: 1,
      stream_count: 3,
    });
  });
});

describe('flattenRecord: context and edge cases', () => {
  it('flags a truncated record on every row', () => {
    const raw = p2pRecord();
    raw['sessions@odata.nextLink'] = 'https://graph.microsoft.com/v1.0/communications/callRecords/x/sessions?$skiptoken=1';
    const { streams, calls } = flatten(raw);
    expect(streams.every((row) => row.sessions_truncated === true)).toBe(true);
    expect(calls[0]!.sessions_truncated).toBe(true);
    expect(flatten(p2pRecord()).calls[0]!.sessions_truncated).toBe(false);
  });

  it('keeps null, absent and 0 apart: null stays null, 0 stays 0', () => {
    const raw = p2pRecord();
    const stream = (mediaOf(raw)[0]!.streams as JsonObject[])[0]!;
    stream.averageJitter = null;
    delete stream.averageRoundTripTime;
    stream.averagePacketLossRate = 0;
    stream.packetUtilization = 0;
    const row = flatten(raw).streams[0]!;
    expect(row).toMatchObject({ jitter_avg_ms: null, rtt_avg_ms: null, packet_loss_avg: 0, packet_utilization: 0 });
    expect(row).toMatchObject({ cqd_class: 'unclassified', cqd_reasons: 'low_packet_utilization' });
  });

  it('converts durations with minutes and hours to milliseconds', () => {
    const raw = p2pRecord();
    Object.assign((mediaOf(raw)[0]!.streams as JsonObject[])[0]!, { averageRoundTripTime: 'PT1M0.5S', maxRoundTripTime: 'PT1H', averageJitter: 'PT0.0301S' });
    expect(flatten(raw).streams[0]).toMatchObject({
      rtt_avg_ms: 60_500,
      rtt_max_ms: 3_600_000,
      jitter_avg_ms: 30.1,
      cqd_class: 'poor',
      cqd_reasons: 'rtt;jitter',
    });
  });

  it('keeps unknown enum values raw in the columns', () => {
    const raw = p2pRecord();
    raw.type = 'unknownFutureValue';
    const audio = mediaOf(raw)[0]!;
    audio.label = 'main-audio-2';
    (audio.callerNetwork as JsonObject).connectionType = 'satellite';
    (audio.streams as JsonObject[])[0]!.audioCodec = 'lyra';
    const row = flatten(raw).streams[0]!;
    expect(row).toMatchObject({
      call_type: 'unknownFutureValue',
      media_label: 'main-audio-2',
      modality: 'audio',
      audio_codec: 'lyra',
      caller_connection_type: 'satellite',
    });
  });

  it('takes the user id in documented order: associatedIdentity, identity.user, other kinds', () => {
    const raw = p2pRecord();
    const segment = ((raw.sessions as JsonObject[])[0]!.segments as JsonObject[])[0]!;
    segment.caller = {
      '@odata.type': '#microsoft.graph.callRecords.participantEndpoint',
      associatedIdentity: { id: '' },
      identity: { user: { id: null }, guest: null, phone: { id: '+14255550100' } },
    };
    segment.callee = { associatedIdentity: { id: 'assoc' }, identity: { user: { id: 'deprecated-user' } } };
    const row = flatten(raw).streams[0]!;
    expect(row).toMatchObject({ caller_user_id: '+14255550100', caller_upn: null, caller_platform: null, callee_user_id: 'assoc' });
  });

  it('reads an untyped endpoint with a service user agent as a service', () => {
    const raw = p2pRecord();
    const segment = ((raw.sessions as JsonObject[])[0]!.segments as JsonObject[])[0]!;
    segment.callee = { userAgent: { '@odata.type': T_SERVICE_UA, role: 'voicemail' } };
    segment.caller = { userAgent: { role: 'customBot', platform: 'windows' } };
    const row = flatten(raw).streams[0]!;
    expect(row).toMatchObject({ callee_role: 'voicemail', callee_user_id: null, caller_role: 'customBot', caller_platform: null });
  });

  it.each([
    [
      'an SDK export of a service endpoint: a bare user agent',
      { userAgent: { headerValue: 'av-mcu/2025.1', applicationVersion: '2025.1' } },
      { role: 'unknown', platform: null, user_id: null },
    ],
    [
      'platform and product written as unknown',
      { userAgent: { headerValue: 'x', platform: 'unknown', productFamily: 'Unknown' } },
      { role: 'unknown', platform: null, user_id: null },
    ],
    ['a client with a platform, no identity (anonymous)', { userAgent: { headerValue: 'x', platform: 'web' } }, { role: null, platform: 'web', user_id: null }],
    [
      'a client with an identity, no platform',
      { userAgent: { headerValue: 'x' }, identity: { guest: { id: 'g1' } } },
      { role: null, platform: null, user_id: 'g1' },
    ],
    ['a client with an associatedIdentity', { userAgent: {}, associatedIdentity: { id: 'a1' } }, { role: null, platform: null, user_id: 'a1' }],
    ['a client that gave feedback', { userAgent: {}, feedback: { rating: 'good' } }, { role: null, platform: null, user_id: null }],
    ['a typed participant, however bare', { '@odata.type': T_PARTICIPANT, userAgent: {} }, { role: null, platform: null, user_id: null }],
    ['a bare user agent typed as a client', { userAgent: { '@odata.type': T_CLIENT_UA } }, { role: null, platform: null, user_id: null }],
  ])('an untyped endpoint (SDK/CLI export): %s', (_, endpoint, expected) => {
    const raw = p2pRecord();
    const segment = ((raw.sessions as JsonObject[])[0]!.segments as JsonObject[])[0]!;
    segment.callee = endpoint;
    const row = flatten(raw).streams[0]!;
    expect({ role: row.callee_role, platform: row.callee_platform, user_id: row.callee_user_id }).toEqual(expected);
  });

  it('leaves MOS empty and says why when an audio stream lacks round trip or packet loss', () => {
    const raw = p2pRecord();
    const streams = (((raw.sessions as JsonObject[])[0]!.segments as JsonObject[])[0]!.media as JsonObject[])[0]!.streams as JsonObject[];
    streams[0] = { ...streams[0]!, averageRoundTripTime: null, averagePacketLossRate: null, averageJitter: 'PT0.016S' };
    delete streams[1]!.averagePacketLossRate;
    const rows = flatten(raw).streams;
    expect(rows[0]).toMatchObject({ jitter_avg_ms: 16, r_factor: null, mos: null, mos_missing: 'rtt;packet_loss' });
    expect(rows[1]).toMatchObject({ r_factor: null, mos: null, mos_missing: 'packet_loss' });
    expect(rows.filter((row) => row.modality !== 'audio').every((row) => row.mos_missing === null)).toBe(true);
  });

  it('leaves a side empty when neither segment nor session names it', () => {
    const raw = pstnRecord();
    const session = (raw.sessions as JsonObject[])[0]!;
    session.caller = null;
    delete session.callee;
    const row = flatten(raw).streams[0]!;
    expect(row).toMatchObject({ caller_user_id: null, caller_platform: null, callee_role: null, caller_ip: '10.139.0.12' });
  });

  it('takes the lowest feedback rating, ignoring notRated and unknown ratings', () => {
    const rate = (ratings: (string | null)[]) => {
      const raw = groupRecordV1();
      (raw.sessions as JsonObject[]).forEach((session, index) => {
        (session.caller as JsonObject).feedback = { rating: ratings[index] ?? null };
      });
      return flatten(raw).calls[0]!.feedback_min_rating;
    };
    expect(rate(['excellent', 'fair', 'good'])).toBe('fair');
    expect(rate(['notRated', 'unknownFutureValue', 'excellent'])).toBe('excellent');
    expect(rate(['good', 'bad', 'poor'])).toBe('bad');
    expect(rate(['notRated', null, 'notRated'])).toBeNull();
  });

  it('ignores feedback on a service endpoint', () => {
    const raw = groupRecordV1();
    for (const session of raw.sessions as JsonObject[])
      session.callee = { '@odata.type': '#microsoft.graph.callRecords.serviceEndpoint', feedback: { rating: 'bad' } };
    expect(flatten(raw).calls[0]!.feedback_min_rating).toBeNull();
  });

  it.each([
    ['callSetup on a segment', null, 'callSetup', true, false],
    ['midcall on the session', 'midcall', null, false, true],
    ['unknown stage', 'unknown', 'unknownFutureValue', false, false],
    ['no failure', null, null, false, false],
  ])('failureInfo: %s', (_, sessionStage, segmentStage, setupFailed, dropped) => {
    const raw = p2pRecord();
    const session = (raw.sessions as JsonObject[])[0]!;
    session.failureInfo = sessionStage === null ? null : { stage: sessionStage, reason: 'x' };
    (session.segments as JsonObject[])[0]!.failureInfo = segmentStage === null ? null : { stage: segmentStage, reason: 'y' };
    expect(flatten(raw).calls[0]).toMatchObject({ setup_failed: setupFailed, dropped });
  });

  it('writes a calls row and no streams rows for a record with nothing but an id and a version, and flags its missing sessions', () => {
    const { streams, calls } = flatten({ id: 'lonely', version: 3 });
    expect(streams).toHaveLength(0);
    expect(calls[0]).toEqual({
      call_id: 'lonely',
      call_version: 3,
      call_type: null,
      call_start: null,
      call_end: null,
      duration_s: null,
      modalities: null,
      organizer_id: null,
      participant_count: null,
      session_count: 0,
      stream_count: 0,
      audio_streams_classified: 0,
      audio_streams_poor: 0,
      verdict: 'unclassified',
      worst_reasons: '',
      min_mos: null,
      feedback_min_rating: null,
      setup_failed: false,
      dropped: false,
      sessions_truncated: false,
      sessions_missing: true,
      participants_truncated: false,
    });
  });

  it('flags participants_v2 cut by paging (participants_v2@odata.nextLink)', () => {
    const raw = p2pRecord();
    expect(flatten(raw).calls[0]!.participants_truncated).toBe(false);
    raw['participants_v2@odata.nextLink'] = 'https://graph.microsoft.com/v1.0/communications/callRecords/x/participants_v2?$skiptoken=2';
    expect(flatten(raw).calls[0]!.participants_truncated).toBe(true);
    raw['participants_v2@odata.nextLink'] = '';
    expect(flatten(raw).calls[0]!.participants_truncated).toBe(false);
  });

  it('counts participants_v2 entry ids, falling back to the identity user id', () => {
    const raw = p2pRecord();
    // the entry id is the key: the same user in two entries with their own ids is one participant per entry id
    raw.participants_v2 = [
      { id: 'e1', identity: { user: { id: 'u1' } } },
      { id: 'e1', identity: { user: { id: 'u1' } } },
      { id: null, identity: { user: { id: 'u2' }, guest: { id: 'g2' } } },
      { identity: { user: { id: 'u2' } } },
    ];
    expect(flatten(raw).calls[0]!.participant_count).toBe(2);
  });

  it('counts participants_v2 ids once, falling back to the identity id, then to participants', () => {
    const raw = p2pRecord();
    raw.participants_v2 = [{ id: 'a' }, { id: 'a' }, { id: null, identity: { guest: { id: 'g' } } }, { id: null }];
    expect(flatten(raw).calls[0]!.participant_count).toBe(2);
    raw.participants_v2 = [];
    raw.participants = [{ user: { id: 'u1' } }, { application: { id: 'bot' } }];
    expect(flatten(raw).calls[0]!.participant_count).toBe(2);
    delete raw.participants;
    expect(flatten(raw).calls[0]!.participant_count).toBe(0);
  });

  it('appends to builders it is given, after what they hold', () => {
    const out = { streams: new ColumnBuilder(STREAMS), calls: new ColumnBuilder(CALLS) };
    flattenRecord(parsed(p2pRecord()), CQD, out);
    flattenRecord(parsed(groupRecordV1()), CQD, out);
    expect(out.streams.length).toBe(10);
    expect(rows(out.calls.finish()).map((row) => row.call_type)).toEqual(['peerToPeer', 'groupCall']);
  });
});

describe('flattenToBatches: many records', () => {
  const records = [p2pRecord(), groupRecordV1(), pstnRecord(), bigRecord(40, 3), bigRecord(40, 4), { id: 'empty', version: 1 }];
  const { batches, calls } = flatten(...records);

  it('writes as many rows as there are streams and records', () => {
    const streamCount = records.reduce(
      (sum, record) =>
        sum +
        ((record.sessions as JsonObject[] | undefined) ?? []).flatMap((s) =>
          (s.segments as JsonObject[]).flatMap((g) => (g.media as JsonObject[]).flatMap((m) => m.streams as JsonObject[])),
        ).length,
      0,
    );
    expect(batches.streams.length).toBe(streamCount);
    expect(batches.calls.length).toBe(records.length);
    expect(calls.reduce((sum, row) => sum + (row.stream_count as number), 0)).toBe(streamCount);
    for (const batch of [batches.streams, batches.calls]) {
      for (const column of batch.columns) expect(column).toHaveLength(batch.length);
    }
  });

  it('puts only values of the declared column type in every cell', () => {
    const fits: Record<ColumnType, (value: CellValue) => boolean> = {
      string: (value) => typeof value === 'string',
      int: (value) => Number.isSafeInteger(value),
      float: (value) => typeof value === 'number' && Number.isFinite(value),
      bool: (value) => typeof value === 'boolean',
      timestamp: (value) => Number.isSafeInteger(value),
    };
    for (const batch of [batches.streams, batches.calls]) {
      batch.schema.columns.forEach((column, index) => {
        const misfits = batch.columns[index]!.filter((value) => value !== null && !fits[column.type](value));
        expect(misfits, `${batch.schema.name}.${column.name}`).toEqual([]);
      });
    }
  });

  it('gives every stream of a big group call its session and a verdict', () => {
    const big = rows(batches.streams).filter((row) => row.call_id === '2f9b4c3a-1d2e-4f50-8a6b-7c8d9e0f1a2b' && String(row.session_id).startsWith('session-'));
    expect(new Set(big.map((row) => row.session_id)).size).toBe(40);
    expect(new Set(big.map((row) => row.modality))).toEqual(new Set(['audio', 'video', 'vbss']));
    expect(big.every((row) => ['good', 'poor', 'unclassified'].includes(row.cqd_class as string))).toBe(true);
  });
});

describe('media without streams, segments without media', () => {
  it('writes no streams rows and still counts the sessions', () => {
    const raw = p2pRecord();
    const segment = ((raw.sessions as JsonObject[])[0]!.segments as JsonObject[])[0]!;
    segment.media = [media('main-audio', []), { label: 'main-video', streams: null }];
    const { streams, calls } = flatten(raw);
    expect(streams).toHaveLength(0);
    expect(calls[0]).toMatchObject({ session_count: 1, stream_count: 0, verdict: 'unclassified', min_mos: null });
    (raw.sessions as JsonObject[])[0]!.segments = null;
    expect(flatten(raw).calls[0]).toMatchObject({ session_count: 1, stream_count: 0 });
  });

  it('uses the stream codec to place an unfamiliar label', () => {
    const raw = p2pRecord();
    mediaOf(raw).push(media('mystery', [audioStream('callerToCallee', { audioCodec: null, videoCodec: null })]));
    expect(flatten(raw).streams[4]).toMatchObject({
      media_label: 'mystery',
      modality: 'unknown',
      cqd_class: 'unclassified',
      cqd_reasons: 'unknown_kind',
      mos: null,
    });
  });
});
