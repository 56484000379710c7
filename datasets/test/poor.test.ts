import { describe, expect, it } from 'vitest';
import type { Anomaly } from '../src/index.js';
import { ANOMALIES, THRESHOLDS, generateRecords } from '../src/index.js';
import { SMALL, durationMs, streamsOf } from './helpers.js';

type Obj = Record<string, unknown>;

/** Which thresholds a stream crosses, by the rules of reference doc §3 (video: the first metric present decides). */
function crossed(label: unknown, s: Obj): { eligible: Anomaly[]; crossed: Anomaly[] } {
  const eligible: Anomaly[] = [];
  const out: Anomaly[] = [];
  const check = (anomaly: Anomaly, value: unknown, poor: (v: number) => boolean): void => {
    if (value === null || value === undefined) return;
    eligible.push(anomaly);
    if (poor(value as number)) out.push(anomaly);
  };
  if (label === 'main-audio') {
    check(
      'rtt',
      s.averageRoundTripTime === null || s.averageRoundTripTime === undefined ? null : durationMs(s.averageRoundTripTime),
      (v) => v > THRESHOLDS.rttMs,
    );
    check('jitter', s.averageJitter === null || s.averageJitter === undefined ? null : durationMs(s.averageJitter), (v) => v > THRESHOLDS.jitterMs);
    check('packet_loss', s.averagePacketLossRate, (v) => v > THRESHOLDS.packetLoss);
    check('degradation', s.averageAudioDegradation, (v) => v > THRESHOLDS.degradation);
    check('concealed', s.averageRatioOfConcealedSamples, (v) => v > THRESHOLDS.concealed);
    check('low_packet_utilization', s.packetUtilization, (v) => v <= THRESHOLDS.packetUtilization);
  } else if (label === 'main-video' || label === 'applicationsharing-video') {
    const minRate = label === 'main-video' ? THRESHOLDS.videoFrameRate : THRESHOLDS.vbssFrameRate;
    if (s.averageVideoFrameLossPercentage != null) check('frame_loss', s.averageVideoFrameLossPercentage, (v) => v > THRESHOLDS.frameLossPct);
    else if (s.averageVideoFrameRate != null) check('frame_rate', s.averageVideoFrameRate, (v) => v < minRate);
    else check('post_fec_loss', s.postForwardErrorCorrectionPacketLossRate, (v) => v > THRESHOLDS.postFecLoss);
  }
  return { eligible, crossed: out };
}

function measure(
  poor: Partial<Record<Anomaly, number>>,
  records: number,
  seed: number,
): { shares: Record<Anomaly, number>; counts: Record<Anomaly, number>; video: number } {
  const hits = Object.fromEntries(ANOMALIES.map((a) => [a, 0])) as Record<Anomaly, number>;
  const audio = { ...hits };
  let video = 0;
  for (const record of generateRecords({ records, seed, poor, ...SMALL, duplicateShare: 0 })) {
    for (const { media, stream } of streamsOf(record)) {
      const result = crossed(media.label, stream);
      if (media.label === 'main-video' || media.label === 'applicationsharing-video') {
        if (result.eligible.length > 0) video++;
      } else for (const a of result.eligible) audio[a]++;
      for (const a of result.crossed) hits[a]++;
    }
  }
  const shares = {} as Record<Anomaly, number>;
  for (const a of ANOMALIES) shares[a] = hits[a] / (['frame_loss', 'frame_rate', 'post_fec_loss'].includes(a) ? video : audio[a]);
  return { shares, counts: hits, video };
}

describe('poor streams', () => {
  it('crosses each threshold in about the configured share of eligible streams', () => {
    const poor: Record<Anomaly, number> = {
      rtt: 0.03,
      packet_loss: 0.06,
      jitter: 0.04,
      degradation: 0.08,
      concealed: 0.05,
      frame_loss: 0.1,
      frame_rate: 0.06,
      post_fec_loss: 0.04,
      low_packet_utilization: 0.07,
    };
    const { shares, counts } = measure(poor, 1200, 11);
    for (const a of ANOMALIES) {
      // Binomial noise: four standard deviations (at least 80 hits: within 45%). The network mix moves
      // the video shares by about 10% (see NETWORK_WEIGHT_MEAN), well inside.
      const tolerance = 4 / Math.sqrt(counts[a]);
      expect(counts[a], a).toBeGreaterThan(80);
      expect(Math.abs(shares[a] / poor[a] - 1), `${a}: ${shares[a].toFixed(4)} for ${poor[a]}`).toBeLessThan(tolerance);
    }
  });

  it('never crosses a threshold when no anomaly is asked for', () => {
    const none = Object.fromEntries(ANOMALIES.map((a) => [a, 0]));
    const { counts, video } = measure(none, 300, 12);
    expect(video).toBeGreaterThan(500);
    expect(counts).toEqual(Object.fromEntries(ANOMALIES.map((a) => [a, 0])));
  });

  it('puts more poor streams on 2.4 GHz Wi-Fi than on wired networks', () => {
    const rate = { wired: { poor: 0, all: 0 }, wifi24: { poor: 0, all: 0 } };
    for (const record of generateRecords({ records: 400, seed: 13, ...SMALL, kinds: { group: 1 }, poor: { jitter: 0.05 } })) {
      for (const { media, stream } of streamsOf(record)) {
        if (media.label !== 'main-audio' || stream.averageJitter == null) continue;
        const net = media.callerNetwork as Obj;
        const key = net.connectionType === 'wired' ? 'wired' : net.wifiBand === 'frequency24GHz' ? 'wifi24' : undefined;
        if (key === undefined) continue;
        rate[key].all++;
        if (durationMs(stream.averageJitter) > 30) rate[key].poor++;
      }
    }
    expect(rate.wired.poor).toBeGreaterThan(0);
    expect(rate.wifi24.poor / rate.wifi24.all).toBeGreaterThan(2 * (rate.wired.poor / rate.wired.all));
  });
});
