/** The call log row schemas: what they accept and refuse, and the compiled check agreeing with zod's interpreter. */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { directRoutingLogRowSchema, pstnCallLogRowSchema, validateLogRow } from '../../src/schema/logs.js';
import type { LogRowKind } from '../../src/schema/logs.js';

const DOCS = resolve(import.meta.dirname, '../../../../datasets/sample/graph-docs');
const rowsOf = (file: string): Array<Record<string, unknown>> =>
  (JSON.parse(readFileSync(resolve(DOCS, file), 'utf8')) as { value: Array<Record<string, unknown>> }).value;
const PSTN = rowsOf('v1-pstn-calls.json')[0]!;
const DR = rowsOf('v1-direct-routing-calls.json')[0]!;

const cases: Array<[LogRowKind, Record<string, unknown>, string | null]> = [
  ['pstn_call', PSTN, null],
  ['direct_routing_call', DR, null],
  // nulls and absent properties are fine, and unknown ones kept (newer than the docs)
  ['pstn_call', { id: 'p' }, null],
  ['direct_routing_call', { id: 'd', successfulCall: null, duration: null, administrativeUnitInfos: [{ id: 'au' }] }, null],
  ['direct_routing_call', { ...DR, duration: 2_147_483_647 }, null],
  ['pstn_call', { ...PSTN, id: 7 }, 'id: expected string, got number (7)'],
  ['pstn_call', { ...PSTN, id: undefined }, 'id: missing (expected string)'],
  ['pstn_call', { ...PSTN, duration: 1.5 }, 'duration: expected int, got number (1.5)'],
  ['pstn_call', { ...PSTN, duration: 2_147_483_648 }, 'duration: Too big: expected number to be <=2147483647, got number (2147483648)'],
  ['pstn_call', { ...PSTN, charge: '0.02' }, 'charge: expected number, got string ("0.02")'],
  ['pstn_call', { ...PSTN, endDateTime: '2026-11-01 00:03:47Z' }, 'endDateTime: not an ISO-8601 date-time ("2026-11-01 00:03:47Z")'],
  ['pstn_call', { ...PSTN, userId: {} }, 'userId: expected string, got object'],
  ['direct_routing_call', { ...DR, finalSipCode: '487' }, 'finalSipCode: expected number, got string ("487")'],
  ['direct_routing_call', { ...DR, callEndSubReason: 1e300 }, expect.stringMatching(/^callEndSubReason: /) as unknown as string],
  ['direct_routing_call', { ...DR, mediaBypassEnabled: 0 }, 'mediaBypassEnabled: expected boolean, got number (0)'],
  ['direct_routing_call', { ...DR, inviteDateTime: 5 }, 'inviteDateTime: expected string, got number (5)'],
  ['direct_routing_call', [DR] as unknown as Record<string, unknown>, 'row: expected object, got array'],
];

describe('validateLogRow', () => {
  it.each(cases)('%s %j', (kind, row, reason) => {
    const checked = validateLogRow(kind, row);
    if (reason === null) expect(checked).toMatchObject({ ok: true, kind });
    else expect(checked).toEqual({ ok: false, reason });
    // the compiled fast path and zod's interpreter agree
    const schema = kind === 'pstn_call' ? pstnCallLogRowSchema : directRoutingLogRowSchema;
    expect(checked.ok).toBe(schema.safeParse(row).success);
  });

  it('keeps a valid row as it is (no copy)', () => {
    const checked = validateLogRow('direct_routing_call', DR);
    expect(checked.ok && checked.row).toBe(DR);
  });
});
