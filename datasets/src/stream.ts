/**
 * mediaStream objects with every metric in its JSON unit (reference doc §1): ISO-8601 durations,
 * fractions 0..1, percent 0..100, fps, bits/s, packets. Untouched metrics stay on the good side of
 * every CQD threshold; an injected anomaly pushes exactly its own metric across.
 */
import type { Anomaly } from './anomalies.js';
import { THRESHOLDS, VIDEO_ANOMALIES } from './anomalies.js';
import type { JsonObject } from './json.js';
import type { Rng } from './random.js';
import { clamp, round } from './random.js';
import { isoDuration, isoTime } from './time.js';
import { AUDIO_CODECS_CLIENT, AUDIO_CODECS_PSTN, NOVEL_AUDIO_CODECS, NOVEL_VIDEO_CODECS, VIDEO_CODECS } from './vocab.js';

export type MediaKind = 'audio' | 'video' | 'vbss' | 'appsharing' | 'data';
export type StreamDirection = 'callerToCallee' | 'calleeToCaller';

export interface StreamContext {
  readonly rng: Rng;
  /** Chance per eligible stream of each anomaly, already divided by the mean network weight. */
  readonly poor: Readonly<Record<Anomaly, number>>;
  readonly novelShare: number;
  /** Chance that one metric is null, and (separately) that it is left out. */
  readonly missingShare: number;
}

export interface StreamSpec {
  readonly kind: MediaKind;
  readonly direction: StreamDirection;
  readonly startMs: number;
  readonly endMs: number;
  /** Relative likelihood of anomalies on this path (NETWORK_WEIGHTS). */
  readonly weight: number;
  /** A PSTN leg: narrowband codecs, media bypass possible. */
  readonly pstn: boolean;
  readonly bypassed: boolean;
  /** false: the endpoint sent no QoE report; every metric is null. */
  readonly reported: boolean;
}

/** A mediaStream with every field null, in Graph's key order: one literal keeps the object shape stable and fast. */
function blankStream() {
  return {
    streamId: '',
    streamDirection: '' as string,
    startDateTime: '',
    endDateTime: '',
    audioCodec: null as string | null,
    videoCodec: null as string | null,
    averageAudioDegradation: null as number | null,
    averageJitter: null as string | null,
    maxJitter: null as string | null,
    averagePacketLossRate: null as number | null,
    maxPacketLossRate: null as number | null,
    averageRatioOfConcealedSamples: null as number | null,
    maxRatioOfConcealedSamples: null as number | null,
    averageRoundTripTime: null as string | null,
    maxRoundTripTime: null as string | null,
    packetUtilization: null as number | null,
    averageBandwidthEstimate: null as number | null,
    wasMediaBypassed: null as boolean | null,
    postForwardErrorCorrectionPacketLossRate: null as number | null,
    averageVideoFrameLossPercentage: null as number | null,
    averageReceivedFrameRate: null as number | null,
    lowFrameRateRatio: null as number | null,
    averageVideoPacketLossRate: null as number | null,
    averageVideoFrameRate: null as number | null,
    lowVideoProcessingCapabilityRatio: null as number | null,
    averageAudioNetworkJitter: null as string | null,
    maxAudioNetworkJitter: null as string | null,
    isAudioForwardErrorCorrectionUsed: null as boolean | null,
    averageFreezeDuration: null as string | null,
    rmsFreezeDuration: null as string | null,
  };
}
type Stream = ReturnType<typeof blankStream>;

/** The fields that identify and describe a stream rather than measure it: never nulled or dropped. */
const DESCRIPTIVE = new Set(['streamId', 'streamDirection', 'startDateTime', 'endDateTime', 'audioCodec', 'videoCodec', 'wasMediaBypassed']);

export function mediaStream(ctx: StreamContext, spec: StreamSpec): JsonObject {
  const { rng } = ctx;
  const s = blankStream();
  s.streamId = String(rng.u32());
  s.streamDirection = spec.direction;
  s.startDateTime = isoTime(spec.startMs, rng.int(0, 9999));
  s.endDateTime = isoTime(spec.endMs, rng.int(0, 9999));
  if (spec.kind === 'audio') {
    s.audioCodec = audioCodec(ctx, spec.pstn);
    s.wasMediaBypassed = spec.bypassed;
  } else if (spec.kind === 'video' || spec.kind === 'vbss') s.videoCodec = videoCodec(ctx);
  if (spec.reported) {
    measure(ctx, spec, s);
    if (ctx.missingShare > 0) dropSome(ctx, s);
  }
  return s;
}

function audioCodec(ctx: StreamContext, pstn: boolean): string {
  if (ctx.rng.chance(ctx.novelShare)) return ctx.rng.pick(NOVEL_AUDIO_CODECS);
  return pstn ? ctx.rng.weighted(AUDIO_CODECS_PSTN) : ctx.rng.weighted(AUDIO_CODECS_CLIENT);
}

function videoCodec(ctx: StreamContext): string {
  if (ctx.rng.chance(ctx.novelShare)) return ctx.rng.pick(NOVEL_VIDEO_CODECS);
  return ctx.rng.weighted(VIDEO_CODECS);
}

/** Nulls a few metrics and leaves a few out entirely: exports show both. */
function dropSome(ctx: StreamContext, stream: Stream): void {
  const fields = stream as Record<string, unknown>;
  for (const key of Object.keys(fields)) {
    if (fields[key] === null || DESCRIPTIVE.has(key)) continue;
    const x = ctx.rng.next();
    if (x < ctx.missingShare) fields[key] = null;
    else if (x < 2 * ctx.missingShare) delete fields[key];
  }
}

function hit(ctx: StreamContext, anomaly: Anomaly, weight: number): boolean {
  return ctx.rng.next() < ctx.poor[anomaly] * weight;
}

function measure(ctx: StreamContext, spec: StreamSpec, m: Stream): void {
  const { rng } = ctx;
  const w = spec.weight;
  const seconds = (spec.endMs - spec.startMs) / 1000;
  const audio = spec.kind === 'audio';
  const injected = (anomaly: Anomaly): boolean => audio && hit(ctx, anomaly, w);

  // Network metrics every stream kind carries; the audio thresholds apply only to audio.
  const jitterMs = injected('jitter') ? rng.float(31, 250) : rng.chance(0.002) ? THRESHOLDS.jitterMs : clamp(rng.logNormal(3.5 * Math.sqrt(w), 0.7), 0.5, 28);
  const rttMs = injected('rtt')
    ? Math.max(501, rng.logNormal(900, 0.5))
    : rng.chance(0.002)
      ? THRESHOLDS.rttMs
      : clamp(rng.logNormal(45 * Math.sqrt(w), 0.6), 3, 480);
  const loss = injected('packet_loss')
    ? rng.float(0.101, 0.6)
    : rng.chance(0.002)
      ? THRESHOLDS.packetLoss
      : rng.chance(0.35)
        ? 0
        : clamp(rng.logNormal(0.002 * w, 1.2), 0, 0.095);
  m.averageJitter = isoDuration(jitterMs);
  m.maxJitter = isoDuration(jitterMs * rng.float(1.5, 5));
  m.averageRoundTripTime = isoDuration(rttMs);
  m.maxRoundTripTime = isoDuration(rttMs > THRESHOLDS.rttMs && rng.chance(0.02) ? rng.float(60_000, 200_000) : rttMs * rng.float(1.2, 4));
  m.averagePacketLossRate = round(loss, 4);
  m.maxPacketLossRate = round(Math.min(1, loss * rng.float(2, 10)), 4);
  m.averageBandwidthEstimate = Math.round(rng.logNormal(audio ? 6_000_000 : 2_500_000, 0.9));

  if (audio) {
    const concealed = injected('concealed') ? rng.float(0.071, 0.5) : clamp(loss * 0.5 + rng.logNormal(0.004, 0.8), 0, 0.065);
    m.averageRatioOfConcealedSamples = round(concealed, 4);
    m.maxRatioOfConcealedSamples = round(Math.min(1, concealed * rng.float(2, 8)), 4);
    m.averageAudioDegradation = round(injected('degradation') ? rng.float(1.01, 3.5) : clamp(0.05 + loss * 4 + jitterMs / 60 + rng.float(0, 0.2), 0, 0.98), 3);
    m.packetUtilization = injected('low_packet_utilization')
      ? rng.int(10, THRESHOLDS.packetUtilization)
      : Math.max(THRESHOLDS.packetUtilization + 1, Math.round(seconds * 50 * rng.float(0.85, 1)));
    const networkJitter = jitterMs * rng.float(0.8, 1.2);
    m.averageAudioNetworkJitter = isoDuration(networkJitter);
    m.maxAudioNetworkJitter = isoDuration(networkJitter * rng.float(1.5, 4));
  } else if (spec.kind === 'video' || spec.kind === 'vbss') {
    measureVideo(ctx, spec, m, loss);
  } else {
    m.packetUtilization = Math.round(seconds * rng.float(5, 30));
  }
  if (audio) m.isAudioForwardErrorCorrectionUsed = rng.chance(loss > 0.01 ? 0.8 : 0.1);
}

/**
 * Video and VBSS: CQD classifies on the first metric present among frame loss %, frame rate and
 * post-FEC loss, so an injected frame-rate anomaly removes frame loss, and a post-FEC one removes
 * both: each reason is then the deciding one. At most one video anomaly per stream, drawn from one
 * uniform so each share is exact.
 */
function measureVideo(ctx: StreamContext, spec: StreamSpec, m: Stream, loss: number): void {
  const { rng } = ctx;
  const vbss = spec.kind === 'vbss';
  let u = rng.next();
  let anomaly: Anomaly | undefined;
  for (const candidate of VIDEO_ANOMALIES) {
    u -= ctx.poor[candidate] * spec.weight;
    if (u < 0) {
      anomaly = candidate;
      break;
    }
  }
  const seconds = (spec.endMs - spec.startMs) / 1000;
  let frameLoss: number | null = rng.chance(0.75) ? clamp(rng.logNormal(3 * spec.weight, 1), 0, 45) : null;
  let frameRate: number | null =
    frameLoss !== null || rng.chance(0.8) ? (vbss ? clamp(rng.logNormal(6, 0.6), 2.5, 30) : clamp(rng.logNormal(24, 0.2), 8, 30)) : null;
  let postFec: number | null = frameLoss !== null || frameRate !== null || rng.chance(0.7) ? clamp(loss * rng.float(0.1, 0.6), 0, 0.14) : null;
  if (anomaly === 'frame_loss') frameLoss = rng.float(50.5, 100);
  else if (anomaly === 'frame_rate') {
    frameLoss = null;
    frameRate = vbss ? rng.float(0.1, 1.9) : rng.float(0.5, 6.9);
  } else if (anomaly === 'post_fec_loss') {
    frameLoss = null;
    frameRate = null;
    postFec = rng.float(0.151, 0.6);
  }
  m.averageVideoFrameLossPercentage = frameLoss === null ? null : round(frameLoss, 2);
  m.averageVideoFrameRate = frameRate === null ? null : round(frameRate, 2);
  m.averageReceivedFrameRate = frameRate === null ? null : round(frameRate * rng.float(0.9, 1.02), 2);
  m.postForwardErrorCorrectionPacketLossRate = postFec === null ? null : round(postFec, 4);
  m.averageVideoPacketLossRate = round(Math.min(1, loss * rng.float(0.8, 1.5)), 4);
  m.lowFrameRateRatio = frameRate === null ? null : round(frameRate < 7.5 ? rng.float(0.5, 1) : rng.float(0, 0.1), 4);
  m.lowVideoProcessingCapabilityRatio = round(rng.chance(0.1) ? rng.float(0, 0.4) : 0, 4);
  m.packetUtilization = Math.round(seconds * (vbss ? rng.float(20, 120) : rng.float(80, 200)));
  const freezeMs = anomaly === undefined ? rng.float(0, 400) : rng.chance(0.02) ? rng.float(60_000, 150_000) : rng.float(500, 6000);
  m.averageFreezeDuration = isoDuration(freezeMs);
  m.rmsFreezeDuration = isoDuration(freezeMs * rng.float(1, 1.8));
}
