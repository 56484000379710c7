import { describe, expect, it } from 'vitest';
import { schedule } from '../src/schedule.js';

describe('schedule', () => {
  it('alternates the variants round by round: A, B, C, A, B, C', () => {
    expect(schedule(['A', 'B', 'C'], 2).map((s) => `${s.round}${s.variant}`)).toEqual(['0A', '0B', '0C', '1A', '1B', '1C']);
  });
  it('runs every variant exactly `runs` times and never twice in a row', () => {
    const slots = schedule(['a', 'b', 'c', 'd'], 5);
    expect(slots).toHaveLength(20);
    for (const v of ['a', 'b', 'c', 'd']) expect(slots.filter((s) => s.variant === v)).toHaveLength(5);
    for (let i = 1; i < slots.length; i++) expect(slots[i]!.variant).not.toBe(slots[i - 1]!.variant);
  });
  it('refuses a run count that is not a positive integer', () => {
    expect(() => schedule(['a'], 0)).toThrow(/positive integer/);
    expect(() => schedule(['a'], 1.5)).toThrow(/positive integer/);
    expect(() => schedule(['a'], Number.NaN)).toThrow(/positive integer/);
  });
  it('an empty variant list schedules nothing', () => {
    expect(schedule([], 3)).toEqual([]);
  });
});
