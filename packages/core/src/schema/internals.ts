/**
 * The one undocumented internal validation leans on for speed, kept here alone and checked when this
 * module loads, so an upgrade of zod that changes it fails at once with a message naming it
 * (test/schema/internals.test.ts also holds it to the public API it stands in for).
 *
 * A compiled schema's validator (`_zod.bag.validator`, compared with `z.INVALID`) instead of
 * `safeParse(value).success`: 0.10 ms instead of 0.31-0.35 ms CPU per 20-session record, warm
 * (safeParse allocates a result for every nested object check): `npx tsx benchmarks/measure/internals.ts`.
 *
 * Measured and dropped: Buffer's undocumented `utf8Slice` / `latin1Slice` in the projecting parser;
 * `toString('utf8', start, end)` costs the same within the noise (parseProjected 208-255 ms CPU per
 * 22 MB either way, `npx tsx benchmarks/measure/project.ts`). A schema's definition (`.def`,
 * `innerType`, `element`, `shape`) is zod's public API and is read where it is used.
 */
import * as z from 'zod';
import { fail } from '../errors.js';

/** The zod version these internals were checked against, named when the self-check fails. */
const ZOD_VERSION = (z as unknown as { version?: { major: number; minor: number; patch: number } }).version;

/** A compiled schema's yes/no answer, without building a result. */
export type Validator = (value: unknown) => boolean;

/**
 * `schema` compiled by z.compile (strict: a schema it cannot model fails here, at load), answering
 * whether a value is valid without building anything.
 */
export function compiledValidator(schema: z.ZodType): Validator {
  const compiled = z.compile(schema, { strict: true }) as unknown as { _zod?: { bag?: Record<string, unknown> } };
  const validator = compiled._zod?.bag?.validator;
  if (typeof validator !== 'function') throw internalsChanged('z.compile gave no _zod.bag.validator');
  const invalid = (z as unknown as { INVALID?: unknown }).INVALID;
  return (value) => (validator as (value: unknown) => unknown)(value) !== invalid;
}

function internalsChanged(what: string): Error {
  const zod = ZOD_VERSION === undefined ? 'unknown' : `${ZOD_VERSION.major}.${ZOD_VERSION.minor}.${ZOD_VERSION.patch}`;
  return fail('E_INTERNAL', `an internal API callaudit relies on has changed (${what}; zod ${zod}): see packages/core/src/schema/internals.ts`);
}

/** The self-check: the compiled validator answers as safeParse would. */
function selfCheck(): void {
  if (typeof (z as unknown as { compile?: unknown }).compile !== 'function') throw internalsChanged('zod has no z.compile');
  if (!('INVALID' in z)) throw internalsChanged('zod has no z.INVALID');
  const valid = compiledValidator(z.looseObject({ n: z.number(), s: z.string().optional() }));
  const answers = [valid({ n: 1 }), valid({ n: 1, s: 'x', extra: [] }), valid({ n: 'one' }), valid({}), valid(null)];
  if (answers.join() !== 'true,true,false,false,false') throw internalsChanged(`the compiled validator answered ${answers.join()}`);
}

selfCheck();
