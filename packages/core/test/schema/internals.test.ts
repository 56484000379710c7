/**
 * The zod internal schema/internals.ts relies on gives exactly the answers of the public API it
 * stands in for. An upgrade of zod that changes it fails here (and at load, in the self-check).
 */
import fc from 'fast-check';
import * as z from 'zod';
import { describe, expect, it } from 'vitest';
import { callRecordSchema } from '../../src/schema/callrecord.js';
import { compiledValidator } from '../../src/schema/internals.js';
import { bigRecord, clone, groupRecordV1, p2pRecord, pstnRecord } from './fixtures.js';
import type { JsonObject } from './fixtures.js';

describe('compiledValidator', () => {
  const valid = compiledValidator(callRecordSchema);
  const records: JsonObject[] = [p2pRecord(), groupRecordV1(), pstnRecord(), bigRecord(3)];

  it('answers as safeParse on valid records', () => {
    for (const record of records) {
      expect(callRecordSchema.safeParse(record).success).toBe(true);
      expect(valid(record)).toBe(true);
    }
  });

  it('answers as safeParse on records made invalid at many places', () => {
    const damaged: unknown[] = [null, [], 'record', {}, { id: 7 }];
    for (const record of records) {
      const noVersion = clone(record);
      noVersion.version = 'one';
      const badSessions = clone(record);
      badSessions.sessions = [{ id: 3 }];
      const badStart = clone(record);
      badStart.startDateTime = 42;
      damaged.push(noVersion, badSessions, badStart);
    }
    for (const value of damaged) expect(valid(value)).toBe(callRecordSchema.safeParse(value).success);
    expect(damaged.some((value) => !callRecordSchema.safeParse(value).success)).toBe(true);
  });

  it('answers as safeParse on random values for a small schema', () => {
    const schema = z.looseObject({
      n: z.number(),
      s: z.string().optional(),
      list: z
        .array(z.looseObject({ b: z.boolean() }))
        .nullable()
        .optional(),
    });
    const check = compiledValidator(schema);
    fc.assert(
      fc.property(fc.anything(), (value) => check(value) === schema.safeParse(value).success),
      { numRuns: 300, seed: 7 },
    );
    const list = fc.record({ n: fc.oneof(fc.integer(), fc.string()), list: fc.array(fc.record({ b: fc.oneof(fc.boolean(), fc.constant(null)) })) });
    fc.assert(
      fc.property(list, (value) => check(value) === schema.safeParse(value).success),
      { numRuns: 300, seed: 8 },
    );
  });
});
