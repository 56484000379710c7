import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { eModel, missingEModelInputs, mosFromR } from '../../src/quality/index.js';
import { metrics } from './fixtures.js';

function score(rttAvgMs: number | null, jitterAvgMs: number | null, packetLossAvg: number | null, audioCodec: string | null) {
  const result = eModel(metrics({ rttAvgMs, jitterAvgMs, packetLossAvg, audioCodec }));
  if (result === null) throw new Error('expected a score');
  return result;
}

describe('eModel: worked examples (arithmetic by hand)', () => {
  it('G.711 (pcmu), rtt 100 ms, jitter 10 ms, loss 1 %', () => {
    // Ta = 100/2 + 2*10 + 10 = 80 ms (< 160)  ->  R = 93.2 - 80/40 = 91.2
    // Ppl = 1 %, Ie = 0, Bpl = 25.1  ->  Ie,eff = 0 + 95 * 1 / (1 + 25.1) = 3.6398467
    // R = 91.2 - 3.6398467 = 87.5601533
    // MOS = 1 + 0.035*87.5601533 + 7e-6 * 87.5601533 * 27.5601533 * 12.4398467
    //     = 1 + 3.0646054 + 0.2101364 = 4.2747417
    const { rFactor, mos } = score(100, 10, 0.01, 'pcmu');
    expect(rFactor).toBe(round2(87.5601533));
    expect(mos).toBe(round2(4.2747417));
  });

  it('Opus (no published constants), rtt 300 ms, jitter 40 ms, loss 2 %', () => {
    // Ta = 300/2 + 2*40 + 10 = 240 ms (>= 160)  ->  R = 93.2 - (240 - 120)/10 = 81.2
    // simplified loss term 2.5 * 2 = 5  ->  R = 76.2
    // MOS = 1 + 0.035*76.2 + 7e-6 * 76.2 * 16.2 * 23.8 = 1 + 2.667 + 0.2056577 = 3.8726577
    const { rFactor, mos } = score(300, 40, 0.02, 'opus');
    expect(rFactor).toBe(round2(76.2));
    expect(mos).toBe(round2(3.8726577));
  });

  it('G.729, rtt 40 ms, jitter 5 ms, no loss: the codec impairment alone', () => {
    // Ta = 20 + 10 + 10 = 40  ->  R = 93.2 - 1 = 92.2;  Ie,eff = 11 + 84 * 0 / 19 = 11  ->  R = 81.2
    // MOS = 1 + 2.842 + 7e-6 * 81.2 * 21.2 * 18.8 = 1 + 2.842 + 0.2265415 = 4.0685415
    const { rFactor, mos } = score(40, 5, 0, 'g729');
    expect(rFactor).toBe(round2(81.2));
    expect(mos).toBe(round2(4.0685415));
  });

  it('G.729 with 5 % loss', () => {
    // Ie,eff = 11 + 84 * 5 / (5 + 19) = 11 + 17.5 = 28.5  ->  R = 92.2 - 28.5 = 63.7
    // MOS = 1 + 2.2295 + 7e-6 * 63.7 * 3.7 * 36.3 = 1 + 2.2295 + 0.0598888 = 3.2893888
    const { rFactor, mos } = score(40, 5, 0.05, 'g729');
    expect(rFactor).toBe(round2(63.7));
    expect(mos).toBe(round2(3.2893888));
  });

  it('is continuous where the delay formula changes (Ta = 160 ms)', () => {
    // rtt 200, jitter 25: Ta = 100 + 50 + 10 = 160  ->  93.2 - (160 - 120)/10 = 89.2 (and 93.2 - 160/40 = 89.2)
    expect(score(200, 25, 0, 'opus').rFactor).toBeCloseTo(89.2, 9);
    // rtt 199.98: Ta = 159.99 < 160  ->  93.2 - 159.99/40 = 89.20025
    expect(score(199.98, 25, 0, 'opus').rFactor).toBe(round2(89.20025)); // 89.2: written to 2 decimals
  });

  it('clamps R at 0 and gives MOS 1', () => {
    // Ta = 1000 + 400 + 10 = 1410  ->  93.2 - 129 = -35.8;  - 2.5 * 50 = -160.8  ->  0
    expect(score(2_000, 200, 0.5, 'opus')).toEqual({ rFactor: 0, mos: 1 });
  });

  it('matches codec names case-insensitively and treats other codecs with the simplified term', () => {
    expect(score(100, 10, 0.01, 'PCMU').rFactor).toBeCloseTo(score(100, 10, 0.01, 'pcma').rFactor, 12);
    // g722 has no published constants: 91.2 - 2.5 * 1 = 88.7
    expect(score(100, 10, 0.01, 'g722').rFactor).toBeCloseTo(88.7, 9);
    expect(score(100, 10, 0.01, null).rFactor).toBeCloseTo(88.7, 9);
  });
});

describe('eModel: partial and bad inputs', () => {
  it('is null unless round trip and packet loss are both reported, and says which are missing', () => {
    expect(eModel(metrics())).toBeNull();
    expect(missingEModelInputs(metrics())).toEqual(['rtt', 'packet_loss']);
    expect(eModel(metrics({ audioCodec: 'g729', packetUtilization: 4_000, concealedRatioAvg: 0.2 }))).toBeNull();
    // jitter alone used to score 4.39: the delay and loss terms taken as none
    expect(eModel(metrics({ jitterAvgMs: 20 }))).toBeNull();
    expect(eModel(metrics({ jitterAvgMs: 20, packetLossAvg: 0.01 }))).toBeNull();
    expect(missingEModelInputs(metrics({ jitterAvgMs: 20, packetLossAvg: 0.01 }))).toEqual(['rtt']);
    expect(eModel(metrics({ rttAvgMs: 80, jitterAvgMs: 20 }))).toBeNull();
    expect(missingEModelInputs(metrics({ rttAvgMs: 80, jitterAvgMs: 20 }))).toEqual(['packet_loss']);
    expect(missingEModelInputs(metrics({ rttAvgMs: Number.NaN, packetLossAvg: 0 }))).toEqual(['rtt']);
    expect(missingEModelInputs(metrics({ rttAvgMs: 0, packetLossAvg: 0 }))).toEqual([]);
  });

  it('scores without jitter: it then adds no impairment (an upper bound)', () => {
    // rtt 100, loss 3 %, pcma: Ta = 50 + 0 + 10 = 60  ->  R = 93.2 - 1.5 = 91.7;  Ie,eff = 95 * 3 / 28.1 = 10.1423488  ->  81.5576512
    expect(score(100, null, 0.03, 'pcma').rFactor).toBe(round2(81.5576512));
    // values reported as 0 are values, not "missing": Ta = 10  ->  R = 92.95, MOS 4.4043944
    expect(score(0, null, 0, 'opus')).toEqual({ rFactor: 92.95, mos: round2(4.4043944) });
  });

  it('reads negative values as 0 and loss above 1 as 1', () => {
    expect(score(-40, -3, -0.2, 'opus')).toEqual(score(0, 0, 0, 'opus'));
    expect(score(100, 10, 1.7, 'pcmu')).toEqual(score(100, 10, 1, 'pcmu'));
  });
});

describe('mosFromR', () => {
  it('follows G.107 at its ends and midpoints', () => {
    expect(mosFromR(-3)).toBe(1);
    expect(mosFromR(0)).toBe(1);
    expect(mosFromR(100)).toBe(4.5);
    expect(mosFromR(140)).toBe(4.5);
    // R = 60: the cubic term vanishes: 1 + 0.035 * 60 = 3.1
    expect(mosFromR(60)).toBeCloseTo(3.1, 12);
    // R = 3: the cubic gives 1 + 0.105 + 7e-6 * 3 * (-57) * 97 = 0.988891, below the scale: held at 1
    expect(mosFromR(3)).toBe(1);
    // R = 10: 1 + 0.35 + 7e-6 * 10 * (-50) * 90 = 1.35 - 0.315 = 1.035
    expect(mosFromR(10)).toBeCloseTo(1.035, 12);
  });
});

describe('eModel properties', () => {
  const input = fc.oneof(
    fc.constant(null),
    fc.integer({ min: 0, max: 3_000_000 }).map((i) => i / 1_000),
  );
  const loss = fc.oneof(
    fc.constant(null),
    fc.integer({ min: 0, max: 1_000 }).map((i) => i / 1_000),
  );
  const codec = fc.constantFrom(null, 'pcmu', 'pcma', 'g729', 'opus', 'satin', 'silkWide');

  it('stays within R 0..100 and MOS 1..4.5', () => {
    fc.assert(
      fc.property(input, input, loss, codec, (rtt, jitter, l, c) => {
        const result = eModel(metrics({ rttAvgMs: rtt, jitterAvgMs: jitter, packetLossAvg: l, audioCodec: c }));
        if (rtt === null || l === null) {
          expect(result).toBeNull();
          return;
        }
        expect(result!.rFactor).toBeGreaterThanOrEqual(0);
        expect(result!.rFactor).toBeLessThanOrEqual(100);
        expect(result!.mos).toBeGreaterThanOrEqual(1);
        expect(result!.mos).toBeLessThanOrEqual(4.5);
      }),
      { numRuns: 1_000, seed: 11 },
    );
  });

  it('never scores a worse network higher', () => {
    fc.assert(
      fc.property(
        input,
        input,
        loss,
        codec,
        fc.constantFrom('rttAvgMs', 'jitterAvgMs', 'packetLossAvg'),
        fc.integer({ min: 1, max: 500 }),
        (rtt, jitter, l, c, field, worse) => {
          const base = metrics({ rttAvgMs: rtt ?? 0, jitterAvgMs: jitter, packetLossAvg: l ?? 0, audioCodec: c });
          const old = base[field] ?? 0;
          const degraded = { ...base, [field]: field === 'packetLossAvg' ? Math.min(1, old + worse / 1_000) : old + worse };
          expect(eModel(degraded)!.rFactor).toBeLessThanOrEqual(eModel(base)!.rFactor);
          expect(eModel(degraded)!.mos).toBeLessThanOrEqual(eModel(base)!.mos);
        },
      ),
      { numRuns: 1_000, seed: 12 },
    );
  });
});

describe('eModel precision', () => {
  it('writes R and MOS to 2 decimals, without float noise', () => {
    // rtt 500 ms, loss 20 %: 93.2 - (260 - 120) / 10 - 2.5 x 20 is 29.200000000000003 unrounded
    const noisy = 93.2 - (500 / 2 + 10 - 120) / 10 - 2.5 * 20;
    expect(String(noisy)).toBe('29.200000000000003');
    expect(score(500, 0, 0.2, 'opus')).toEqual({ rFactor: 29.2, mos: mosRounded(29.2) });
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 5000, noNaN: true }),
        fc.double({ min: 0, max: 500, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (rtt, jitter, loss) => {
          const { rFactor, mos } = score(rtt, jitter, loss, 'opus');
          return Number(rFactor.toFixed(2)) === rFactor && Number(mos.toFixed(2)) === mos && !Object.is(rFactor, -0);
        },
      ),
      { numRuns: 500, seed: 11 },
    );
  });
});

function mosRounded(r: number): number {
  return round2(mosFromR(r));
}

/** R and MOS are written to 2 decimals: the worked examples' exact figures, rounded. */
function round2(value: number): number {
  return Math.round(value * 100) / 100;
}
