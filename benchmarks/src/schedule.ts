/** The order runs happen in: variants alternated round by round, so drift hits all of them alike. */

export interface Slot<V> {
  readonly round: number;
  readonly variant: V;
}

export function schedule<V>(variants: readonly V[], runs: number): Array<Slot<V>> {
  if (!Number.isInteger(runs) || runs < 1) throw new Error(`runs must be a positive integer, got ${runs}`);
  const slots: Array<Slot<V>> = [];
  for (let round = 0; round < runs; round++) for (const variant of variants) slots.push({ round, variant });
  return slots;
}
