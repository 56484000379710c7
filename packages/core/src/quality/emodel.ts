import type { EModelScore, StreamMetrics } from './types.js';

/**
 * E-model (ITU-T G.107) in the common simplified form of reference §4. The choices:
 *
 * - One-way delay = round trip / 2 (Graph reports round trip; G.107's Ta is one-way).
 * - Effective latency Ta = rtt/2 + 2 x jitter + 10 ms (the 10 ms stands for codec/packetisation).
 * - Delay impairment: R = 93.2 - Ta/40 when Ta < 160 ms, else 93.2 - (Ta - 120)/10.
 * - Loss impairment: for codecs with published G.113 constants, Ie,eff = Ie + (95 - Ie) x Ppl /
 *   (Ppl + Bpl), Ppl = loss in percent (random loss):
 *     pcma, pcmu (G.711): Ie 0, Bpl 25.1 (Teams endpoints conceal lost packets: the "with PLC" value)
 *     g729 (G.729A):      Ie 11, Bpl 19
 *   Every other codec (Opus, SILK, Satin, G.722, ...: no published constants) and an unreported
 *   codec use the simplified term 2.5 x loss in percent.
 * - R is clamped to 0..100; MOS = 1 + 0.035 R + 7e-6 R (R - 60)(100 - R), 1 at R <= 0, 4.5 at R >= 100.
 *   The cubic dips just below 1 for 0 < R < 6.5 (its minimum is 0.988 near R = 3); MOS is held at 1
 *   there, the bottom of the scale, which keeps MOS non-decreasing in R.
 *
 * Inputs: no score (null) unless round trip and packet loss are both reported: without them the
 * delay or the loss impairment, the two terms that move R most, would be taken as none, and a stream
 * that reports only jitter would score 4.39. `missingEModelInputs` says which are missing (the
 * streams table's `mos_missing`). Jitter may be unreported: it then adds no impairment, so the score
 * is an upper bound. Negative values are read as 0 and loss above 1 as 1; NaN as unreported.
 */
interface CodecImpairment {
  /** Equipment impairment factor. */
  readonly ie: number;
  /** Packet-loss robustness factor. */
  readonly bpl: number;
}

const CODEC_IMPAIRMENT: ReadonlyMap<string, CodecImpairment> = new Map([
  ['pcma', { ie: 0, bpl: 25.1 }],
  ['pcmu', { ie: 0, bpl: 25.1 }],
  ['g729', { ie: 11, bpl: 19 }],
]);

const R0 = 93.2;

function input(value: number | null): number | null {
  return value === null || Number.isNaN(value) ? null : Math.max(0, value);
}

/** Loss impairment for a loss in percent: Ie,eff for a codec with constants, else 2.5 per percent. */
function lossImpairment(lossPct: number, codec: string | null): number {
  const constants = codec === null ? undefined : CODEC_IMPAIRMENT.get(codec.trim().toLowerCase());
  if (constants === undefined) return 2.5 * lossPct;
  return constants.ie + ((95 - constants.ie) * lossPct) / (lossPct + constants.bpl);
}

/** MOS from R (ITU-T G.107 Annex B). */
export function mosFromR(r: number): number {
  if (r <= 0) return 1;
  if (r >= 100) return 4.5;
  return Math.max(1, 1 + 0.035 * r + 7e-6 * r * (r - 60) * (100 - r));
}

/** The inputs an E-model score needs, by the name `mos_missing` gives them. */
export const E_MODEL_REQUIRED = ['rtt', 'packet_loss'] as const;
export type EModelInput = (typeof E_MODEL_REQUIRED)[number];

/** The required inputs the stream does not report (empty when it can be scored), in E_MODEL_REQUIRED order. */
export function missingEModelInputs(metrics: StreamMetrics): EModelInput[] {
  const missing: EModelInput[] = [];
  if (input(metrics.rttAvgMs) === null) missing.push('rtt');
  if (input(metrics.packetLossAvg) === null) missing.push('packet_loss');
  return missing;
}

/** E-model R factor and MOS of an audio stream; null when round trip or packet loss is unreported. */
export function eModel(metrics: StreamMetrics): EModelScore | null {
  const rtt = input(metrics.rttAvgMs);
  const jitter = input(metrics.jitterAvgMs);
  const loss = input(metrics.packetLossAvg);
  if (rtt === null || loss === null) return null;
  const effective = rtt / 2 + 2 * (jitter ?? 0) + 10;
  const delayed = effective < 160 ? R0 - effective / 40 : R0 - (effective - 120) / 10;
  const lossPct = Math.min(loss, 1) * 100;
  const rFactor = Math.min(100, Math.max(0, delayed - lossImpairment(lossPct, metrics.audioCodec)));
  return { rFactor: roundTo(rFactor, 2), mos: roundTo(mosFromR(rFactor), 2) };
}

/**
 * Rounded to `decimals` places: R and MOS are estimates, written to 2 decimals (5.2, not the
 * 5.200000000000003 the arithmetic gives).
 */
function roundTo(value: number, decimals: number): number {
  const scale = 10 ** decimals;
  return Math.round(value * scale) / scale + 0;
}
