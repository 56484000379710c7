/**
 * Measures the zod internal in packages/core/src/schema/internals.ts against the public API it
 * stands in for: the compiled validator against safeParse, in schema/compile.ts's per-object checks.
 * CPU time per record, warm, alternating.
 *
 *   npx tsx benchmarks/measure/internals.ts [sessions=20] [records=400]
 */
import * as z from 'zod';
import { callRecordSchema } from '../../packages/core/src/schema/callrecord.js';
import { compiledValidator } from '../../packages/core/src/schema/internals.js';
import { bigRecord } from '../../packages/core/test/schema/fixtures.js';

const sessions = Number(process.argv[2] ?? 20);
const records = Number(process.argv[3] ?? 400);

/** compile.ts's per-object compilation, with either answer. */
function perObjectCheck(publicApi: boolean): (value: unknown) => boolean {
  const checks = new Map<z.ZodType, (value: unknown) => boolean>();
  const checkOf = (schema: z.ZodObject): ((value: unknown) => boolean) => {
    const known = checks.get(schema);
    if (known !== undefined) return known;
    const nestedShape = Object.fromEntries(Object.entries(schema.def.shape).map(([key, value]) => [key, nested(value as z.ZodType)]));
    const shallow = schema.extend(nestedShape);
    const compiled = z.compile(shallow, { strict: true });
    const check = publicApi ? (value: unknown) => compiled.safeParse(value).success : compiledValidator(shallow);
    checks.set(schema, check);
    return check;
  };
  const nested = (schema: z.ZodType): z.ZodType => {
    const def = schema.def as { type: string; innerType?: z.ZodType; element?: z.ZodType };
    if (def.type === 'object') return z.custom(checkOf(schema as z.ZodObject));
    if ((def.type === 'optional' || def.type === 'nullable') && def.innerType) return schema.clone({ ...def, innerType: nested(def.innerType) } as never);
    if (def.type === 'array' && def.element) return schema.clone({ ...def, element: nested(def.element) } as never);
    return schema;
  };
  return checkOf(callRecordSchema as unknown as z.ZodObject);
}

function cpuMsPer(n: number, fn: () => unknown): number {
  const start = process.cpuUsage();
  for (let i = 0; i < n; i++) fn();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000 / n;
}

const record = bigRecord(sessions);
const internal = perObjectCheck(false);
const publicApi = perObjectCheck(true);

for (let round = 0; round < 3; round++) {
  const a = cpuMsPer(records, () => internal(record));
  const b = cpuMsPer(records, () => publicApi(record));
  console.log(`round ${round}: validator ${a.toFixed(3)} ms vs safeParse ${b.toFixed(3)} ms CPU per ${sessions}-session record`);
}
