/** Enum-like rollup keys in Graph's spelling, whatever case the export wrote them in. */
import { describe, expect, it } from 'vitest';
import { finalizeRollups, RollupAccumulator } from '../../src/rollup/index.js';
import { canonicalColumn, spellerOf } from '../../src/rollup/canonical.js';
import { audio, batches, record, rowsOf } from './fixtures.js';

describe('spellerOf', () => {
  it.each([
    ['caller_platform', 'WINDOWS', 'windows'],
    ['callee_platform', 'macos', 'macOS'],
    ['caller_platform', 'IOS', 'iOS'],
    ['caller_product', 'Teams', 'teams'],
    ['callee_product', 'SkypeForBusiness', 'skypeForBusiness'],
    ['caller_connection_type', 'WiFi', 'wifi'],
    ['caller_wifi_band', 'Frequency50GHz', 'frequency50GHz'],
    ['audio_codec', 'SATIN', 'satin'],
    ['audio_codec', 'Opus', 'opus'],
    ['video_codec', 'H264', 'h264'],
    ['media_label', 'Main-Audio', 'main-audio'],
    ['callee_role', 'Gateway', 'gateway'],
    ['call_type', 'GroupCall', 'groupCall'],
    ['stream_direction', 'CallerToCallee', 'callerToCallee'],
    ['caller_platform', 'UnknownFutureValue', 'unknownFutureValue'],
    ['caller_platform', 'VisionOS', 'VisionOS'], // not a member (yet): kept as exported
  ])('%s %s -> %s', (column, raw, spelt) => {
    expect(spellerOf(column)!(raw)).toBe(spelt);
  });

  it('leaves other columns, nulls and numbers as they are', () => {
    expect(spellerOf('caller_subnet')).toBeNull();
    expect(spellerOf('caller_user_id')).toBeNull();
    const values = ['10.0.0.0', null];
    expect(canonicalColumn('caller_subnet', values)).toBe(values);
    expect(canonicalColumn('caller_platform', [null, 'Windows', 3])).toEqual([null, 'windows', 3]);
  });

  it('remembers a bounded number of raw spellings, and spells the rest all the same', () => {
    const spell = spellerOf('media_label')!;
    for (let i = 0; i < 3000; i++) expect(spell(`Label-${i}`)).toBe(`label-${i}`);
  });
});

describe('rollups group the spellings of one enum member together', () => {
  const windows = { caller_platform: 'Windows', caller_product: 'Teams', caller_connection_type: 'Wifi', caller_wifi_band: 'Frequency50GHz' };
  const lower = { caller_platform: 'windows', caller_product: 'teams', caller_connection_type: 'wifi', caller_wifi_band: 'frequency50GHz' };
  const data = [
    record({ call_id: 'A', call_type: 'GroupCall' }, [audio({ ...windows, audio_codec: 'Opus', cqd_class: 'poor', cqd_reasons: 'jitter' })]),
    record({ call_id: 'B', call_type: 'groupCall' }, [audio({ ...lower, audio_codec: 'opus' })]),
  ];
  const accumulator = new RollupAccumulator({ groupBy: [['media_label', 'caller_platform']] });
  accumulator.add(...batches(data));
  const tables = new Map(
    finalizeRollups(accumulator.toPartial(), { groupBy: [['media_label', 'caller_platform']] }).map(({ name, batch }) => [name, rowsOf(batch)]),
  );

  it.each([
    ['rollup_platform', { platform: 'windows', product: 'teams' }],
    ['rollup_connection', { connection_type: 'wifi', wifi_band: 'frequency50GHz' }],
    ['rollup_codec', { audio_codec: 'opus' }],
    ['rollup_call_type', { call_type: 'groupCall' }],
    ['rollup_by_media_label__caller_platform', { media_label: 'main-audio', caller_platform: 'windows' }],
  ])('%s', (name, key) => {
    const rows = tables.get(name)!.filter((row) => Object.entries(key).every(([column, value]) => row[column] === value));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ streams: 2, poor: 1, calls: 2 });
    expect(tables.get(name)!.some((row) => Object.values(row).includes('Windows') || Object.values(row).includes('GroupCall'))).toBe(false);
  });
});
