import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../../src/errors.js';
import { finalizeRollups, RollupAccumulator, type RollupOptions } from '../../src/rollup/index.js';
import { CALLS, STREAMS } from '../../src/table/tables.js';
import { audio, batches, batchOf, errorCode, record, rowsOf, type Row, type TestRecord } from './fixtures.js';

const laptop = {
  caller_user_id: 'u1',
  caller_upn: 'u1@contoso.com',
  caller_subnet: '10.0.1.0',
  caller_connection_type: 'wifi',
  caller_wifi_band: 'frequency50GHz',
  caller_platform: 'windows',
  caller_product: 'teams',
};
const desk = {
  callee_user_id: 'u2',
  callee_upn: 'u2@contoso.com',
  callee_subnet: '10.0.2.0',
  callee_connection_type: 'wired',
  callee_platform: 'macOS',
  callee_product: 'teams',
};
const mcu = { callee_subnet: '52.112.0.0', callee_role: 'skypeForBusinessAudioVideoMcu' };

/**
 * A: peer-to-peer u1 (10.0.1.0) <-> u2 (10.0.2.0), one poor audio stream, one good, one good video.
 * B: a meeting at 23:30 UTC: u1 and u3 (both 10.0.1.0) to the MCU (52.112.0.0); dropped.
 * C: a call that failed setup and has no streams.
 */
const DATA: TestRecord[] = [
  record({ call_id: 'A', call_type: 'peerToPeer', call_start: Date.parse('2024-03-01T10:00:00Z'), feedback_min_rating: 'poor', verdict: 'poor' }, [
    audio({ ...laptop, ...desk, cqd_class: 'poor', cqd_reasons: 'packet_loss;jitter', jitter_avg_ms: 40, rtt_avg_ms: 100, packet_loss_avg: 0.12, mos: 2.1 }),
    audio({ ...laptop, ...desk, stream_direction: 'calleeToCaller', jitter_avg_ms: 4, rtt_avg_ms: 100, packet_loss_avg: 0.001, mos: 4.3 }),
    audio({
      ...laptop,
      ...desk,
      media_label: 'main-video',
      modality: 'video',
      audio_codec: null,
      video_codec: 'h264',
      jitter_avg_ms: 10,
      rtt_avg_ms: 100,
      packet_loss_avg: 0,
      mos: null,
    }),
  ]),
  record({ call_id: 'B', call_type: 'groupCall', call_start: Date.parse('2024-03-01T23:30:00Z'), dropped: true, verdict: 'poor' }, [
    audio({ ...laptop, ...mcu, failure_stage: 'midcall', failure_reason: 'networkDisconnect' }),
    audio({
      ...laptop,
      ...mcu,
      failure_stage: 'midcall',
      failure_reason: 'networkDisconnect',
      stream_direction: 'calleeToCaller',
      cqd_class: 'unclassified',
      cqd_reasons: 'no_metrics',
      jitter_avg_ms: null,
      rtt_avg_ms: null,
      packet_loss_avg: null,
      mos: null,
    }),
    audio({ ...laptop, caller_user_id: 'u3', caller_upn: null, ...mcu, cqd_class: 'poor', cqd_reasons: 'rtt', rtt_avg_ms: 600, mos: 3.1 }),
  ]),
  record({ call_id: 'C', call_type: 'peerToPeer', call_start: Date.parse('2024-03-02T08:00:00Z'), setup_failed: true, verdict: 'unclassified' }, []),
];

function rollups(records: readonly TestRecord[], options: RollupOptions = {}): Map<string, Row[]> {
  const accumulator = new RollupAccumulator(options);
  accumulator.add(...batches(records));
  return new Map(finalizeRollups(accumulator.toPartial(), options).map(({ name, batch }) => [name, rowsOf(batch)]));
}

function pick(rows: readonly Row[] | undefined, columns: readonly string[]): Row[] {
  return (rows ?? []).map((row) =>
    Object.fromEntries(
      columns.map((name) => {
        if (!(name in row)) throw new Error(`no column ${name}`);
        return [name, row[name]!];
      }),
    ),
  );
}

describe('RollupAccumulator, worked by hand', () => {
  const tables = rollups(DATA);

  it('makes every rollup, in order', () => {
    expect([...tables.keys()]).toEqual([
      'rollup_day',
      'rollup_user',
      'rollup_platform',
      'rollup_connection',
      'rollup_subnet',
      'rollup_codec',
      'rollup_call_type',
      'rollup_modality',
      'rollup_feedback',
      'rollup_rating',
      'rollup_feedback_token',
      'rollup_building',
      'rollup_network',
      'rollup_missing_subnets',
      'rollup_access_point',
      'rollup_capture_device',
      'rollup_render_device',
      'rollup_client_version',
      'rollup_failure_reason',
      'rollup_poor_cause',
    ]);
  });

  it('counts a stream once in each distinct endpoint subnet, and each call once per subnet it touches', () => {
    const subnet = pick(tables.get('rollup_subnet'), [
      'subnet',
      'streams',
      'classified',
      'poor',
      'poor_pct',
      'reason_rtt',
      'reason_packet_loss',
      'reason_jitter',
      'calls',
      'classified_calls',
      'poor_calls',
      'poor_call_pct',
      'drops',
      'call_drop_pct',
      'dropped_streams',
      'drop_pct',
    ]);
    expect(subnet).toEqual([
      // A1..A3, B1..B3; poor A1 (loss, jitter) and B3 (rtt): 2 of 5 classified. B1, B2 dropped (midcall): 2 of 6 streams.
      {
        subnet: '10.0.1.0',
        streams: 6,
        classified: 5,
        poor: 2,
        poor_pct: 40,
        reason_rtt: 1,
        reason_packet_loss: 1,
        reason_jitter: 1,
        calls: 2,
        classified_calls: 2,
        poor_calls: 2,
        poor_call_pct: 100,
        drops: 1,
        call_drop_pct: 50,
        dropped_streams: 2,
        drop_pct: 100 / 3,
      },
      {
        subnet: '10.0.2.0',
        streams: 3,
        classified: 3,
        poor: 1,
        poor_pct: 100 / 3,
        reason_rtt: 0,
        reason_packet_loss: 1,
        reason_jitter: 1,
        calls: 1,
        classified_calls: 1,
        poor_calls: 1,
        poor_call_pct: 100,
        drops: 0,
        call_drop_pct: 0,
        dropped_streams: 0,
        drop_pct: 0,
      },
      {
        subnet: '52.112.0.0',
        streams: 3,
        classified: 2,
        poor: 1,
        poor_pct: 50,
        reason_rtt: 1,
        reason_packet_loss: 0,
        reason_jitter: 0,
        calls: 1,
        classified_calls: 1,
        poor_calls: 1,
        poor_call_pct: 100,
        drops: 1,
        call_drop_pct: 100,
        dropped_streams: 2,
        drop_pct: 200 / 3,
      },
    ]);
  });

  it('judges a call poor for a user only by that user`s streams', () => {
    const users = pick(tables.get('rollup_user'), ['user_id', 'upn', 'streams', 'poor', 'calls', 'classified_calls', 'poor_calls', 'poor_call_pct']);
    expect(users).toEqual([
      // The MCU side has no user: every meeting stream lands in the empty user group too.
      { user_id: null, upn: null, streams: 3, poor: 1, calls: 1, classified_calls: 1, poor_calls: 1, poor_call_pct: 100 },
      // u1's meeting streams are good or unclassified: B is a classified, not poor, call for u1.
      { user_id: 'u1', upn: 'u1@contoso.com', streams: 5, poor: 1, calls: 2, classified_calls: 2, poor_calls: 1, poor_call_pct: 50 },
      { user_id: 'u2', upn: 'u2@contoso.com', streams: 3, poor: 1, calls: 1, classified_calls: 1, poor_calls: 1, poor_call_pct: 100 },
      { user_id: 'u3', upn: null, streams: 1, poor: 1, calls: 1, classified_calls: 1, poor_calls: 1, poor_call_pct: 100 },
    ]);
  });

  it('counts calls without streams in the call-keyed rollups only', () => {
    expect(
      pick(tables.get('rollup_day'), [
        'day',
        'streams',
        'poor_pct',
        'calls',
        'setup_failures',
        'call_setup_failure_pct',
        'established_calls',
        'drops',
        'call_drop_pct',
        'setup_failure_pct',
        'drop_pct',
      ]),
    ).toEqual([
      {
        day: '2024-03-01',
        streams: 6,
        poor_pct: 40,
        calls: 2,
        setup_failures: 0,
        call_setup_failure_pct: 0,
        established_calls: 2,
        drops: 1,
        call_drop_pct: 50,
        setup_failure_pct: 0,
        drop_pct: 100 / 3,
      },
      // C failed setup before any media: it counts in the call figures, and no stream says so.
      {
        day: '2024-03-02',
        streams: 0,
        poor_pct: null,
        calls: 1,
        setup_failures: 1,
        call_setup_failure_pct: 100,
        established_calls: 0,
        drops: 0,
        call_drop_pct: null,
        setup_failure_pct: null,
        drop_pct: null,
      },
    ]);
    expect(pick(tables.get('rollup_call_type'), ['call_type', 'streams', 'calls', 'setup_failures'])).toEqual([
      { call_type: 'groupCall', streams: 3, calls: 1, setup_failures: 0 },
      { call_type: 'peerToPeer', streams: 3, calls: 2, setup_failures: 1 },
    ]);
    expect(pick(tables.get('rollup_feedback'), ['feedback_rating', 'streams', 'calls', 'poor_calls'])).toEqual([
      { feedback_rating: null, streams: 3, calls: 2, poor_calls: 1 },
      { feedback_rating: 'poor', streams: 3, calls: 1, poor_calls: 1 },
    ]);
    const calls = tables.get('rollup_subnet')!.reduce((sum, row) => sum + (row.setup_failures as number), 0);
    expect(calls).toBe(0);
  });

  it('keeps modalities and codecs apart; video never makes a classified call', () => {
    expect(
      pick(tables.get('rollup_modality'), ['modality', 'streams', 'classified', 'poor', 'poor_pct', 'calls', 'classified_calls', 'poor_call_pct']),
    ).toEqual([
      { modality: 'audio', streams: 5, classified: 4, poor: 2, poor_pct: 50, calls: 2, classified_calls: 2, poor_call_pct: 100 },
      { modality: 'video', streams: 1, classified: 1, poor: 0, poor_pct: 0, calls: 1, classified_calls: 0, poor_call_pct: null },
    ]);
    expect(pick(tables.get('rollup_codec'), ['audio_codec', 'streams'])).toEqual([
      { audio_codec: null, streams: 1 },
      { audio_codec: 'opus', streams: 5 },
    ]);
  });

  it('reports percentiles over the streams that have the metric', () => {
    const [row] = pick(
      tables.get('rollup_subnet')!.filter((r) => r.subnet === '10.0.2.0'),
      ['jitter_p50_ms', 'jitter_p90_ms', 'jitter_p99_ms', 'mos_p50', 'mos_p90', 'packet_loss_p50'],
    );
    // jitter 40, 4, 10 -> ranks 2, 3, 3; MOS 2.1, 4.3 (video has none) -> ranks 1, 2; loss 0.12, 0.001, 0 -> rank 2.
    const near = (value: unknown, exact: number): void => expect(Math.abs((value as number) - exact) / exact).toBeLessThanOrEqual(0.01);
    near(row!.jitter_p50_ms, 10);
    near(row!.jitter_p90_ms, 40);
    near(row!.jitter_p99_ms, 40);
    near(row!.mos_p50, 2.1);
    near(row!.mos_p90, 4.3);
    near(row!.packet_loss_p50, 0.001);
    const empty = tables.get('rollup_day')!.find((r) => r.day === '2024-03-02')!;
    expect(empty.jitter_p50_ms).toBeNull();
  });

  it('pairs platform with product and connection type with wifi band, per side', () => {
    expect(pick(tables.get('rollup_platform'), ['platform', 'product', 'streams'])).toEqual([
      { platform: null, product: null, streams: 3 },
      { platform: 'macOS', product: 'teams', streams: 3 },
      { platform: 'windows', product: 'teams', streams: 6 },
    ]);
    expect(pick(tables.get('rollup_connection'), ['connection_type', 'wifi_band', 'calls'])).toEqual([
      { connection_type: null, wifi_band: null, calls: 1 },
      { connection_type: 'wifi', wifi_band: 'frequency50GHz', calls: 2 },
      { connection_type: 'wired', wifi_band: null, calls: 1 },
    ]);
  });
});

describe('RollupAccumulator attribution and options', () => {
  it('counts a stream between two endpoints of one subnet once', () => {
    const same = record({ call_id: 'S', call_start: 0 }, [
      audio({ caller_subnet: '10.9.0.0', callee_subnet: '10.9.0.0', caller_user_id: 'x', callee_user_id: 'x' }),
    ]);
    const tables = rollups([same]);
    expect(pick(tables.get('rollup_subnet'), ['subnet', 'streams', 'calls'])).toEqual([{ subnet: '10.9.0.0', streams: 1, calls: 1 }]);
    expect(pick(tables.get('rollup_user'), ['user_id', 'streams'])).toEqual([{ user_id: 'x', streams: 1 }]);
  });

  it('puts a call at 23:30 UTC on the next local day in Europe/Helsinki', () => {
    const late = [
      record({ call_id: 'L', call_start: Date.parse('2024-03-01T23:30:00Z') }, [audio()]),
      record({ call_id: 'M', call_start: Date.parse('2024-07-01T20:59:59.999Z') }, []),
    ];
    expect(pick(rollups(late).get('rollup_day'), ['day', 'calls'])).toEqual([
      { day: '2024-03-01', calls: 1 },
      { day: '2024-07-01', calls: 1 },
    ]);
    // March: UTC+2; July (summer time): UTC+3, so 20:59:59.999Z is still 23:59:59.999 local.
    expect(pick(rollups(late, { tz: 'Europe/Helsinki' }).get('rollup_day'), ['day', 'calls'])).toEqual([
      { day: '2024-03-02', calls: 1 },
      { day: '2024-07-01', calls: 1 },
    ]);
    const schema = finalizeRollups(new RollupAccumulator({ tz: 'Europe/Helsinki' }).toPartial(), { tz: 'Europe/Helsinki' })[0]!.batch.schema;
    expect(schema.columns[0]!.doc).toContain('Europe/Helsinki');
  });

  it('adds a rollup per user group-by, keyed by the streams columns with their types', () => {
    const options = { groupBy: [['caller_subnet', 'audio_codec'], ['was_media_bypassed']] };
    const tables = rollups(DATA, options);
    expect(pick(tables.get('rollup_by_caller_subnet__audio_codec'), ['caller_subnet', 'audio_codec', 'streams', 'calls'])).toEqual([
      { caller_subnet: '10.0.1.0', audio_codec: null, streams: 1, calls: 1 },
      { caller_subnet: '10.0.1.0', audio_codec: 'opus', streams: 5, calls: 2 },
    ]);
    const flagged = record({ call_id: 'F', call_start: 0 }, [audio({ was_media_bypassed: true }), audio({ was_media_bypassed: false })]);
    const bypass = rollups([flagged], options).get('rollup_by_was_media_bypassed');
    expect(pick(bypass, ['was_media_bypassed', 'streams'])).toEqual([
      { was_media_bypassed: false, streams: 1 },
      { was_media_bypassed: true, streams: 1 },
    ]);
  });

  it('refuses an unknown group-by column as a usage error', () => {
    expect(errorCode(() => new RollupAccumulator({ groupBy: [['caller_sbunet']] }))).toBe(ErrorCode.Usage);
    expect(errorCode(() => finalizeRollups(new RollupAccumulator({}).toPartial(), { groupBy: [['nope']] }))).toBe(ErrorCode.Usage);
  });

  it('refuses batches that break the whole-record contract as internal errors', () => {
    const [streams, calls] = batches(DATA);
    const accumulator = new RollupAccumulator({});
    const onlyA = batchOf(CALLS, [DATA[0]!.call]);
    expect(errorCode(() => accumulator.add(streams, onlyA))).toBe(ErrorCode.Internal);
    const twice = batchOf(CALLS, [DATA[2]!.call, DATA[2]!.call]);
    expect(errorCode(() => accumulator.add(batchOf(STREAMS, []), twice))).toBe(ErrorCode.Internal);
    expect(errorCode(() => accumulator.add(calls, calls))).toBe(ErrorCode.Internal);
    expect(errorCode(() => accumulator.add(streams, calls, 2 as 1))).toBe(ErrorCode.Internal);
    // The refused adds changed nothing.
    expect(accumulator.toPartial()).toEqual(new RollupAccumulator({}).toPartial());
  });

  it('counts a call that failed setup on one leg and dropped on another as established', () => {
    const both = record({ call_id: 'G', call_type: 'groupCall', call_start: 0, setup_failed: true, dropped: true }, [audio()]);
    const failed = record({ call_id: 'H', call_type: 'groupCall', call_start: 0, setup_failed: true }, []);
    expect(
      pick(rollups([both, failed]).get('rollup_call_type'), [
        'calls',
        'setup_failures',
        'call_setup_failure_pct',
        'established_calls',
        'drops',
        'call_drop_pct',
      ]),
    ).toEqual([{ calls: 2, setup_failures: 2, call_setup_failure_pct: 100, established_calls: 1, drops: 1, call_drop_pct: 100 }]);
  });

  it('lists missing subnets most streams first, with distinct users (both endpoints, even in one group)', () => {
    const m = (caller: string, callee: string, subnet: string | null, other: string | null, reflexive: string | null = null) =>
      audio({
        caller_user_id: caller,
        callee_user_id: callee,
        caller_missing_subnet: subnet,
        caller_missing_reflexive_ip: reflexive,
        callee_missing_subnet: other,
        callee_missing_reflexive_ip: reflexive,
      });
    const g = record({ call_id: 'G', call_type: 'groupCall', call_start: 0 }, [
      m('u1', 'u2', '10.99.1.0', '10.99.1.0'), // both endpoints in one missing subnet: 1 stream, 2 users
      m('u1', 'u3', '10.99.1.0', null),
      m('u4', 'u5', '192.168.1.0', '192.168.1.0', '198.51.100.4'),
      m('u6', 'u7', null, null),
    ]);
    expect(pick(rollups([g]).get('rollup_missing_subnets'), ['missing_subnet', 'missing_reflexive_ip', 'users', 'streams', 'calls'])).toEqual([
      { missing_subnet: '10.99.1.0', missing_reflexive_ip: null, users: 2, streams: 2, calls: 1 },
      { missing_subnet: '192.168.1.0', missing_reflexive_ip: '198.51.100.4', users: 2, streams: 1, calls: 1 },
    ]);
  });

  it('rolls up by capture device, render device, client version and access point, both endpoints', () => {
    const h = record({ call_id: 'H2', call_type: 'peerToPeer', call_start: 0 }, [
      audio({
        caller_device_capture: 'Jabra',
        callee_device_capture: 'Realtek',
        caller_device_render: 'Jabra',
        caller_product: 'teams',
        caller_client_version: '1.7',
        callee_product: 'teams',
        callee_client_version: '1.7',
        caller_access_point: 'AP1',
        caller_access_point_building: 'B',
        caller_access_point_floor: '2',
        cqd_class: 'poor',
        cqd_reasons: 'jitter',
      }),
      audio({
        caller_device_capture: 'Jabra',
        callee_device_capture: 'Jabra',
        caller_product: 'teams',
        caller_client_version: '1.6',
        callee_product: 'teams',
        callee_client_version: '1.7',
      }),
    ]);
    const tables = rollups([h]);
    expect(pick(tables.get('rollup_capture_device'), ['device_capture', 'streams', 'poor'])).toEqual([
      { device_capture: 'Jabra', streams: 2, poor: 1 },
      { device_capture: 'Realtek', streams: 1, poor: 1 },
    ]);
    expect(pick(tables.get('rollup_render_device'), ['device_render', 'streams'])).toEqual([
      { device_render: null, streams: 2 },
      { device_render: 'Jabra', streams: 1 },
    ]);
    expect(pick(tables.get('rollup_client_version'), ['product', 'client_version', 'streams', 'poor'])).toEqual([
      { product: 'teams', client_version: '1.6', streams: 1, poor: 0 },
      { product: 'teams', client_version: '1.7', streams: 2, poor: 1 },
    ]);
    expect(pick(tables.get('rollup_access_point'), ['access_point', 'access_point_building', 'access_point_floor', 'streams'])).toEqual([
      { access_point: null, access_point_building: null, access_point_floor: null, streams: 2 },
      { access_point: 'AP1', access_point_building: 'B', access_point_floor: '2', streams: 1 },
    ]);
  });

  it('ranks the poor streams by cause, leaving good and unclassified streams out', () => {
    const f = record({ call_id: 'F', call_type: 'groupCall', call_start: 0 }, [
      audio({ cqd_class: 'poor', cqd_reasons: 'jitter', poor_cause: 'wifi' }),
      audio({ cqd_class: 'poor', cqd_reasons: 'jitter', poor_cause: 'wifi' }),
      audio({ cqd_class: 'poor', cqd_reasons: 'rtt', poor_cause: 'device' }),
      audio({ cqd_class: 'poor', cqd_reasons: 'rtt', poor_cause: 'unknown' }),
      audio(),
    ]);
    expect(pick(rollups([f]).get('rollup_poor_cause'), ['poor_cause', 'streams', 'poor', 'reason_rtt', 'reason_jitter'])).toEqual([
      { poor_cause: 'wifi', streams: 2, poor: 2, reason_rtt: 0, reason_jitter: 2 },
      { poor_cause: 'device', streams: 1, poor: 1, reason_rtt: 1, reason_jitter: 0 },
      { poor_cause: 'unknown', streams: 1, poor: 1, reason_rtt: 1, reason_jitter: 0 },
    ]);
  });

  it('rates reliability per stream as CQD does, and ranks the failure reasons', () => {
    // 5 streams: 2 failed setup (one reason twice), 1 dropped, 1 with an unknown stage, 1 fine.
    const d = record({ call_id: 'D', call_type: 'groupCall', call_start: 0, setup_failed: true, dropped: true }, [
      audio({ failure_stage: 'callSetup', failure_reason: 'mediaTimeout' }),
      audio({ failure_stage: 'callSetup', failure_reason: 'mediaTimeout', stream_direction: 'calleeToCaller' }),
      audio({ failure_stage: 'midcall', failure_reason: 'networkDisconnect' }),
      audio({ failure_stage: 'unknown', failure_reason: null }),
      audio(),
    ]);
    const e = record({ call_id: 'E', call_type: 'groupCall', call_start: 0, dropped: true }, [
      audio({ failure_stage: 'midcall', failure_reason: 'networkDisconnect' }),
    ]);
    const tables = rollups([d, e]);
    // setup: 2 of 6 streams; drops: 2 of the 4 streams whose setup succeeded.
    expect(pick(tables.get('rollup_call_type'), ['streams', 'setup_failed_streams', 'setup_failure_pct', 'dropped_streams', 'drop_pct'])).toEqual([
      { streams: 6, setup_failed_streams: 2, setup_failure_pct: 100 / 3, dropped_streams: 2, drop_pct: 50 },
    ]);
    // Ranked: most streams first, ties by key; streams without a failure are left out.
    expect(pick(tables.get('rollup_failure_reason'), ['failure_stage', 'failure_reason', 'streams', 'calls', 'setup_failure_pct', 'drop_pct'])).toEqual([
      { failure_stage: 'callSetup', failure_reason: 'mediaTimeout', streams: 2, calls: 1, setup_failure_pct: 100, drop_pct: null },
      { failure_stage: 'midcall', failure_reason: 'networkDisconnect', streams: 2, calls: 2, setup_failure_pct: 0, drop_pct: 100 },
      { failure_stage: 'unknown', failure_reason: null, streams: 1, calls: 1, setup_failure_pct: 0, drop_pct: 0 },
    ]);
  });

  it('tells the same call id apart by version', () => {
    const v1 = record({ call_id: 'V', call_version: 1, call_start: 0 }, [audio({ caller_subnet: 'old' })]);
    const v2 = record({ call_id: 'V', call_version: 2, call_start: 0 }, [audio({ caller_subnet: 'new' }), audio({ caller_subnet: 'new' })]);
    const subnets = pick(rollups([v1, v2]).get('rollup_subnet'), ['subnet', 'streams']);
    expect(subnets).toEqual([
      { subnet: null, streams: 3 },
      { subnet: 'new', streams: 2 },
      { subnet: 'old', streams: 1 },
    ]);
  });

  it('ignores negative or non-finite metrics and unknown poor reasons', () => {
    const odd = record({ call_id: 'O', call_start: 0 }, [
      audio({ jitter_avg_ms: -3, rtt_avg_ms: Infinity, cqd_class: 'poor', cqd_reasons: 'rtt;brand_new_rule' }),
      audio({ jitter_avg_ms: 7 }),
    ]);
    const [row] = rollups([odd]).get('rollup_call_type')!;
    expect(row!.jitter_p50_ms).toBeCloseTo(7, 1);
    expect(row!.rtt_p99_ms).toBeCloseTo(40, 0);
    expect(row!.reason_rtt).toBe(1);
    expect(row!.poor).toBe(1);
  });
});
