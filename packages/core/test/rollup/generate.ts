import fc from 'fast-check';
import { POOR_REASONS } from '../../src/quality/types.js';
import { record, type Row, type TestRecord } from './fixtures.js';

const DAY = 86_400_000;
const T0 = Date.parse('2024-03-01T00:00:00Z');

const metric = (max: number): fc.Arbitrary<number | null> =>
  fc.oneof(fc.constant(null), fc.constant(0), fc.double({ min: 1e-6, max, noNaN: true }), fc.integer({ min: 1, max: Math.ceil(max) }));

const side = (prefix: 'caller' | 'callee'): fc.Arbitrary<Row> =>
  fc.record({
    [`${prefix}_user_id`]: fc.constantFrom(null, 'u1', 'u2', 'u3', 'u4'),
    [`${prefix}_upn`]: fc.constantFrom(null, 'a@contoso.com', 'b@contoso.com'),
    [`${prefix}_platform`]: fc.constantFrom(null, 'windows', 'macOS', 'web'),
    [`${prefix}_product`]: fc.constantFrom(null, 'teams'),
    [`${prefix}_connection_type`]: fc.constantFrom(null, 'wired', 'wifi', 'mobile'),
    [`${prefix}_wifi_band`]: fc.constantFrom(null, 'frequency24GHz', 'frequency50GHz'),
    [`${prefix}_subnet`]: fc.constantFrom(null, '10.0.1.0', '10.0.2.0', '52.112.0.0'),
  });

const stream: fc.Arbitrary<Row> = fc
  .tuple(
    side('caller'),
    side('callee'),
    fc.constantFrom('audio', 'audio', 'video', 'vbss', 'data'),
    fc.constantFrom(null, 'opus', 'satin', 'silk'),
    fc.constantFrom('good', 'good', 'poor', 'unclassified'),
    fc.subarray([...POOR_REASONS], { minLength: 1 }),
    fc.tuple(metric(200), metric(2000), metric(1), fc.oneof(fc.constant(null), fc.double({ min: 1, max: 4.5, noNaN: true }))),
    fc.boolean(),
  )
  .map(([caller, callee, modality, codec, cls, reasons, [jitter, rtt, loss, mos], bypassed]) => ({
    ...caller,
    ...callee,
    modality,
    audio_codec: codec,
    cqd_class: cls,
    cqd_reasons: cls === 'poor' ? reasons.join(';') : cls === 'unclassified' ? 'no_metrics' : '',
    jitter_avg_ms: jitter,
    rtt_avg_ms: rtt,
    packet_loss_avg: loss,
    mos,
    was_media_bypassed: bypassed,
  }));

const call: fc.Arbitrary<Row> = fc.record({
  call_type: fc.constantFrom('peerToPeer', 'groupCall', 'unknown'),
  call_start: fc.oneof(fc.constant(null), fc.integer({ min: T0, max: T0 + 4 * DAY })),
  feedback_min_rating: fc.constantFrom(null, 'bad', 'poor', 'good', 'excellent'),
  setup_failed: fc.boolean(),
  dropped: fc.boolean(),
});

/** Records with unique call ids (R0, R1, ...) and 0..5 streams each, drawn from small pools so groups repeat. */
export const records = (maxLength: number): fc.Arbitrary<TestRecord[]> =>
  fc.array(fc.tuple(call, fc.array(stream, { maxLength: 5 })), { maxLength }).map((list) => list.map(([c, s], i) => record({ ...c, call_id: `R${i}` }, s)));

/** Cut points turning a list into consecutive chunks (some possibly empty). */
export function chunks<T>(list: readonly T[], cuts: readonly number[]): T[][] {
  const points = [...new Set(cuts.map((cut) => cut % (list.length + 1)))].sort((a, b) => a - b);
  const out: T[][] = [];
  let from = 0;
  for (const to of [...points, list.length]) {
    out.push(list.slice(from, to));
    from = to;
  }
  return out;
}
