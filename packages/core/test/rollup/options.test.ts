import { describe, expect, it } from 'vitest';
import { ErrorCode, isCallauditError } from '../../src/errors.js';
import { validateRollupOptions, type RollupOptions } from '../../src/rollup/options.js';

function usageError(options: unknown): string {
  try {
    validateRollupOptions(options as RollupOptions);
  } catch (error) {
    if (isCallauditError(error) && error.code === ErrorCode.Usage) return error.message;
    throw error;
  }
  throw new Error('expected E_USAGE');
}

describe('validateRollupOptions', () => {
  it('fills in the defaults', () => {
    expect(validateRollupOptions({})).toEqual({
      groupBy: [],
      tz: 'UTC',
      relativeAccuracy: 0.01,
      health: { degraded_pct: 5, critical_pct: 20, min_classified_audio: 30 },
    });
  });

  it('refuses an unknown group-by column, naming it', () => {
    const message = usageError({ groupBy: [['caller_subnet'], ['caller_subnet', 'subnett']] });
    expect(message).toContain("unknown column 'subnett'");
    expect(message).toContain('caller_subnet,subnett');
  });

  it('refuses feedback text as a group-by (free text is never a rollup key), but groups by rating and tokens', () => {
    expect(usageError({ groupBy: [['callee_feedback_text']] })).toContain("'callee_feedback_text' is free text");
    expect(usageError({ groupBy: [['caller_platform', 'caller_feedback_text']] })).toContain('never a rollup key');
    expect(validateRollupOptions({ groupBy: [['caller_feedback_rating', 'caller_feedback_tokens']] }).groupBy).toEqual([
      ['caller_feedback_rating', 'caller_feedback_tokens'],
    ]);
  });

  it('refuses empty group-bys, empty names, repeated columns and non-lists', () => {
    expect(usageError({ groupBy: [[]] })).toMatch(/empty/);
    expect(usageError({ groupBy: [['caller_subnet', ' ']] })).toMatch(/empty/);
    expect(usageError({ groupBy: [['audio_codec', 'audio_codec']] })).toMatch(/'audio_codec' is named twice/);
    expect(usageError({ groupBy: 'caller_subnet' })).toMatch(/list of column lists/);
    expect(usageError({ groupBy: [['caller_subnet', 3]] })).toMatch(/groupBy\[0\]/);
    expect(usageError(null)).toMatch(/object/);
  });

  it('trims names and keeps an identical group-by once, in first-seen order', () => {
    const options = validateRollupOptions({
      groupBy: [[' audio_codec '], ['caller_subnet', 'audio_codec'], ['audio_codec'], ['audio_codec', 'caller_subnet']],
    });
    expect(options.groupBy).toEqual([['audio_codec'], ['caller_subnet', 'audio_codec'], ['audio_codec', 'caller_subnet']]);
  });

  it('canonicalises a time zone and refuses an unknown one', () => {
    expect(validateRollupOptions({ tz: 'europe/helsinki' }).tz).toBe('Europe/Helsinki');
    expect(usageError({ tz: 'Mars/Olympus_Mons' })).toContain("unknown time zone 'Mars/Olympus_Mons'");
    expect(usageError({ tz: '' })).toMatch(/IANA/);
    expect(usageError({ tz: 7 })).toMatch(/IANA/);
  });

  it('bounds the relative accuracy', () => {
    expect(validateRollupOptions({ relativeAccuracy: 0.02 }).relativeAccuracy).toBe(0.02);
    for (const bad of [0, -0.01, 0.6, Number.NaN, Infinity, '0.01']) expect(usageError({ relativeAccuracy: bad })).toMatch(/relativeAccuracy/);
  });
});
