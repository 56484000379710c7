/**
 * Validates one parsed JSON value as a callRecord. The fast path is the schema compiled by zod
 * (`z.compile`, one object schema at a time: see compile.ts): a valid record is answered yes and
 * returned as it is, not copied. An invalid one goes to zod's runtime parser, whose issues become
 * one reason naming the path, e.g.
 * `sessions[0].segments[1].media[0].streams[0].averageJitter: not an ISO-8601 duration ("PT0.0x16S")`.
 */
import type * as z from 'zod';
import { callRecordSchema, sessionSchema } from './callrecord.js';
import type { CallRecord, Session } from './callrecord.js';
import { compileCheck } from './compile.js';

export type ValidationResult = { ok: true; record: CallRecord } | { ok: false; reason: string };

type Issue = z.core.$ZodIssue;
type Path = readonly PropertyKey[];

/**
 * Compiled on first use, not at load: a report's main thread loads this module (the inline executor)
 * but validates nothing when workers run, and compiling costs ~50-150 ms CPU per thread.
 */
let isCallRecord: ((value: unknown) => boolean) | null = null;
let isSession: ((value: unknown) => boolean) | null = null;

export function validateCallRecord(value: unknown): ValidationResult {
  isCallRecord ??= compileCheck(callRecordSchema);
  if (isCallRecord(value)) return { ok: true, record: value as CallRecord };
  const result = callRecordSchema.safeParse(value);
  // the interpreter is the reference: were the fast path ever to refuse what it accepts, the record is valid
  if (result.success) return { ok: true, record: value as CallRecord };
  return { ok: false, reason: describeIssues(result.error.issues, value) };
}

/**
 * Validates one parsed JSON value as a session (an element of a sessions page, to be stitched into
 * its record): the same rules as a session inside a record, its reason's path relative to the session.
 */
export function validateSession(value: unknown): { ok: true; session: Session } | { ok: false; reason: string } {
  isSession ??= compileCheck(sessionSchema);
  if (isSession(value)) return { ok: true, session: value as Session };
  const result = sessionSchema.safeParse(value);
  if (result.success) return { ok: true, session: value as Session };
  return { ok: false, reason: describeIssues(result.error.issues, value, 'session') };
}

/** The first issue, spelled out; the count of the others. `whole` names the document when the issue is at its top. */
export function describeIssues(issues: readonly Issue[], input: unknown, whole = 'record'): string {
  const first = issues[0];
  if (first === undefined) return whole === 'record' ? 'invalid call record' : `invalid ${whole}`;
  const path = first.path;
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : '';
  const where = path.length === 0 ? whole : formatPath(path);
  return `${where}: ${describeIssue(first, valueAt(input, path))}${more}`;
}

function describeIssue(issue: Issue, actual: unknown): string {
  switch (issue.code) {
    case 'custom':
      return issue.message;
    case 'invalid_type':
      return actual === undefined ? `missing (expected ${issue.expected})` : `expected ${issue.expected}, got ${describeValue(actual)}`;
    case 'too_small':
      return issue.origin === 'string' && issue.minimum === 1 ? 'empty string' : `${issue.message}, got ${describeValue(actual)}`;
    default:
      return `${issue.message}, got ${describeValue(actual)}`;
  }
}

const SNIPPET = 40;

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  switch (typeof value) {
    case 'string':
      return `string (${JSON.stringify(value.length > SNIPPET ? `${value.slice(0, SNIPPET)}...` : value)})`;
    case 'number':
    case 'boolean':
      return `${typeof value} (${String(value)})`;
    default:
      return typeof value;
  }
}

function valueAt(input: unknown, path: Path): unknown {
  let value = input;
  for (const key of path) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/** `sessions[0].segments[1].caller["@odata.type"]` */
export function formatPath(path: Path): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else if (typeof key === 'string' && IDENTIFIER.test(key)) out += out === '' ? key : `.${key}`;
    else out += `[${JSON.stringify(String(key))}]`;
  }
  return out;
}
