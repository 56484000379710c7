/**
 * The fast path of validation: a zod schema compiled by `z.compile`, one object schema at a time.
 *
 * z.compile turns a whole schema into one generated function. For the callRecord tree that is
 * thousands of lines with every shared schema (the endpoint four times, the network and device twice)
 * copied in place: V8 needs most of a run to optimize it and never optimizes it well. Here each
 * object schema is compiled on its own, its nested objects replaced by a call to their own compiled
 * check, once per schema object: small functions that V8 optimizes within the first records, shared
 * by every place the schema is used.
 *
 * A check answers yes or no and builds nothing: a valid value is used as it is, not copied. Reasons
 * for a no come from zod's runtime parser of the original schema (see validate.ts).
 */
import * as z from 'zod';
import { fail } from '../errors.js';
import { compiledValidator } from './internals.js';

type Schema = z.core.$ZodType;
export type Check = (value: unknown) => boolean;

/** The compiled check of `schema`, which must be an object schema. */
export function compileCheck(schema: Schema): Check {
  return checkOf(schema, new Map());
}

function checkOf(schema: Schema, checks: Map<Schema, Check>): Check {
  const known = checks.get(schema);
  if (known !== undefined) return known;
  const def = (schema as z.ZodType).def;
  if (def.type !== 'object') throw fail('E_INTERNAL', `compileCheck: expected an object schema, got ${def.type}`);
  const shape = (def as z.core.$ZodObjectDef).shape;
  const nestedShape = Object.fromEntries(Object.entries(shape).map(([key, value]) => [key, nested(value, checks)]));
  // extend keeps the object's treatment of unknown properties (loose stays loose)
  const shallow = (schema as z.ZodObject).extend(nestedShape);
  // strict: a schema change z.compile cannot model fails here, when the check is built (the first validation), instead of silently running zod's interpreter
  const check: Check = compiledValidator(shallow);
  checks.set(schema, check);
  return check;
}

/** `schema` with each object in it (through optional, nullable and array) replaced by its check. */
function nested(schema: Schema, checks: Map<Schema, Check>): Schema {
  const def = (schema as z.ZodType).def;
  switch (def.type) {
    case 'object':
      return z.custom(checkOf(schema, checks));
    case 'optional':
    case 'nullable': {
      const wrapper = def as z.core.$ZodOptionalDef | z.core.$ZodNullableDef;
      return (schema as z.ZodType).clone({ ...wrapper, innerType: nested(wrapper.innerType, checks) } as never);
    }
    case 'array': {
      const array = def as z.core.$ZodArrayDef;
      return (schema as z.ZodType).clone({ ...array, element: nested(array.element, checks) } as never);
    }
    default:
      return schema;
  }
}
