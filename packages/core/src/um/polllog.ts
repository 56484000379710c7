/**
 * Reading UM poll logs into observations. Two forms (packages/core/src/um/README.md):
 * - JSON Lines (`.jsonl`, `.ndjson`): `{"time", "callId", "callState", "eventCause"}` a line, or
 *   `{"time", "callId", "fault"}` for a poll answered with a SOAP fault; what
 *   `callaudit um call-info --json` prints.
 * - Saved GetCallInfo responses (`.xml`), one per file, named `<time>_<callId>.xml`: `<time>` in basic
 *   ISO-8601 UTC (`20260314T101502Z`, `20260314T101502.250Z`), `<callId>` in base64url.
 * A bad line or file is a reject (reason, file, line), never the end of the run; an input that cannot
 * be read at all is E_INPUT.
 */
import { createReadStream } from 'node:fs';
import type { Stats } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { createInterface } from 'node:readline';
import { glob } from 'tinyglobby';
import { z } from 'zod';
import { ErrorCode, fail, isCallauditError } from '../errors.js';
import { dateTimeToMs } from '../schema/index.js';
import type { PollObservation } from './audit.js';
import { parseGetCallInfoResponse } from './response.js';
import { DEFAULT_MAX_XML_BYTES } from './xml.js';

export interface PollReject {
  readonly file: string;
  /** 1-based line of a JSON Lines file; null for a whole file. */
  readonly line: number | null;
  readonly reason: string;
}

export interface PollLogs {
  readonly files: readonly string[];
  readonly observations: PollObservation[];
  /** The first `maxRejects` rejects; `rejected` counts them all. */
  readonly rejects: PollReject[];
  readonly rejected: number;
}

export interface PollLogOptions {
  readonly signal?: AbortSignal;
  /** A saved response larger than this is rejected. Default 1 MiB. */
  readonly maxResponseBytes?: number;
  /** Longer JSON lines are rejected. Default 64 KiB. */
  readonly maxLineLength?: number;
  /** Rejects kept for rejects.jsonl. Default 10,000. */
  readonly maxRejects?: number;
}

const LOG_EXTENSIONS = ['.jsonl', '.ndjson'];
const RESPONSE_EXTENSION = '.xml';

/** Reads every input (files, or folders searched for *.xml, *.jsonl and *.ndjson), in path order. */
export async function readPollLogs(inputs: readonly string[], options: PollLogOptions = {}): Promise<PollLogs> {
  const files = await expandInputs(inputs);
  const observations: PollObservation[] = [];
  const rejects: PollReject[] = [];
  const maxRejects = options.maxRejects ?? 10_000;
  let rejected = 0;
  const reject = (file: string, line: number | null, reason: string): void => {
    rejected++;
    if (rejects.length < maxRejects) rejects.push({ file, line, reason });
  };
  for (const file of files) {
    checkSignal(options.signal);
    if (extname(file).toLowerCase() === RESPONSE_EXTENSION) {
      const observation = await readSavedResponse(file, options.maxResponseBytes ?? DEFAULT_MAX_XML_BYTES, reject);
      if (observation !== undefined) observations.push(observation);
    } else {
      await readJsonLines(file, options, observations, reject);
    }
  }
  return { files, observations, rejects, rejected };
}

/** One JSON Lines poll: `{time, callId, callState, eventCause}` or `{time, callId, fault}`. Extra fields are ignored. */
const PollLine = z.object({
  time: z.string({ error: 'expected an ISO-8601 date-time string' }),
  callId: z.string({ error: 'expected a string' }).trim().min(1, 'must not be empty'),
  callState: z.string({ error: 'expected a string' }).trim().min(1, 'must not be empty').nullish(),
  eventCause: z.string({ error: 'expected a string' }).trim().min(1, 'must not be empty').nullish(),
  fault: z
    .union([z.string(), z.object({ code: z.string().nullish(), message: z.string().nullish() })], { error: 'expected a string or {code, message}' })
    .nullish(),
});

/** Parses one JSON Lines poll; throws a plain Error naming the field that is wrong. */
export function parsePollLine(text: string): PollObservation {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new Error(`not JSON: ${(error as Error).message}`);
  }
  const parsed = PollLine.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(issue.path.length === 0 ? `expected a JSON object` : `${issue.path.join('.')}: ${issue.message}`);
  }
  const { time, callId, callState, eventCause, fault } = parsed.data;
  const ms = dateTimeToMs(time);
  if (ms === null) throw new Error(`time: ${JSON.stringify(time.slice(0, 40))} is not an ISO-8601 date-time`);
  const hasFault = fault !== null && fault !== undefined;
  if ((callState ?? null) === null && !hasFault) throw new Error('needs callState (or fault for a faulted poll)');
  if ((callState ?? null) !== null && hasFault) throw new Error('has both callState and fault');
  return {
    time: ms,
    callId,
    callState: callState ?? null,
    eventCause: hasFault ? null : (eventCause ?? null),
    fault: hasFault ? faultText(fault) : null,
  };
}

/**
 * Reads `<time>_<callId>.xml`: time in basic ISO-8601 UTC, CallId in base64url (standard base64
 * characters other than `/` are accepted too). Returns null when the name does not follow it.
 */
export function parseResponseFileName(name: string): { time: number; callId: string } | null {
  if (!name.toLowerCase().endsWith(RESPONSE_EXTENSION)) return null;
  const stem = name.slice(0, -RESPONSE_EXTENSION.length);
  const cut = stem.indexOf('_');
  if (cut < 0) return null;
  const time = basicTimeToMs(stem.slice(0, cut));
  const callId = base64UrlToBase64(stem.slice(cut + 1));
  return time === null || callId === null ? null : { time, callId };
}

/** `20260314T101502Z` / `20260314T101502.250Z` -> epoch ms. */
function basicTimeToMs(text: string): number | null {
  if (text.length < 16 || text[8] !== 'T' || !text.endsWith('Z')) return null;
  const date = text.slice(0, 8);
  const clock = text.slice(9, 15);
  const fraction = text.slice(15, -1);
  if (![...date, ...clock].every(isDigit)) return null;
  if (fraction !== '' && (fraction[0] !== '.' || fraction.length < 2 || ![...fraction.slice(1)].every(isDigit))) return null;
  const iso = `${date.slice(0, 4)}-${date.slice(4, 6)}-${date.slice(6, 8)}T${clock.slice(0, 2)}:${clock.slice(2, 4)}:${clock.slice(4, 6)}${fraction}Z`;
  return dateTimeToMs(iso);
}

function base64UrlToBase64(text: string): string | null {
  const body = text.replace(/=+$/, '');
  if (body.length === 0 || body.length % 4 === 1) return null;
  let out = '';
  for (const ch of body) {
    if (ch === '-') out += '+';
    else if (ch === '_') out += '/';
    else if (isDigit(ch) || (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || ch === '+') out += ch;
    else return null;
  }
  return out + '='.repeat((4 - (out.length % 4)) % 4);
}

function isDigit(ch: string): boolean {
  return ch >= '0' && ch <= '9';
}

function faultText(fault: string | { code?: string | null | undefined; message?: string | null | undefined }): string {
  if (typeof fault === 'string') return fault;
  return [fault.code, fault.message].filter((part) => part !== null && part !== undefined && part !== '').join(': ') || 'fault';
}

async function readSavedResponse(
  file: string,
  maxBytes: number,
  reject: (file: string, line: number | null, reason: string) => void,
): Promise<PollObservation | undefined> {
  const named = parseResponseFileName(basename(file));
  if (named === null) {
    reject(file, null, 'file name is not <time>_<callId>.xml (time like 20260314T101502Z, CallId in base64url)');
    return undefined;
  }
  const size = (await statInput(file)).size;
  if (size > maxBytes) {
    reject(file, null, `saved response is ${size} bytes, over the ${maxBytes}-byte limit`);
    return undefined;
  }
  let bytes: Uint8Array;
  try {
    bytes = await readFile(file);
  } catch (error) {
    throw fail(ErrorCode.Input, `cannot read: ${(error as Error).message}`, { file, cause: error });
  }
  try {
    const result = parseGetCallInfoResponse(bytes, { source: file, maxBytes });
    if (!result.ok) return { ...named, callState: null, eventCause: null, fault: faultText(result.fault) };
    return { ...named, callState: result.value.callState, eventCause: result.value.eventCause, fault: null };
  } catch (error) {
    if (!isCallauditError(error) || error.code !== ErrorCode.Input) throw error;
    reject(file, null, error.offset === undefined ? error.message : `${error.message} (byte ${error.offset})`);
    return undefined;
  }
}

async function readJsonLines(
  file: string,
  options: PollLogOptions,
  observations: PollObservation[],
  reject: (file: string, line: number | null, reason: string) => void,
): Promise<void> {
  const maxLineLength = options.maxLineLength ?? 64 * 1024;
  const lines = createInterface({ input: createReadStream(file, { encoding: 'utf8' }), crlfDelay: Infinity });
  let number = 0;
  try {
    for await (const raw of lines) {
      number++;
      if (number % 10_000 === 0) checkSignal(options.signal);
      const text = number === 1 && raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw;
      if (text.trim() === '') continue;
      if (text.length > maxLineLength) {
        reject(file, number, `line is ${text.length} characters, over the ${maxLineLength}-character limit`);
        continue;
      }
      try {
        observations.push(parsePollLine(text));
      } catch (error) {
        reject(file, number, (error as Error).message);
      }
    }
  } catch (error) {
    if (isCallauditError(error)) throw error;
    throw fail(ErrorCode.Input, `cannot read: ${(error as Error).message}`, { file, cause: error });
  } finally {
    lines.close();
  }
}

/** Files to read: explicit files as given (by extension), folders searched; each path once, sorted. */
async function expandInputs(inputs: readonly string[]): Promise<string[]> {
  if (inputs.length === 0) throw fail(ErrorCode.Usage, 'no inputs given');
  const files = new Set<string>();
  for (const input of inputs) {
    const info = await statInput(input);
    if (info.isDirectory()) {
      const found = await glob(['**/*.xml', '**/*.jsonl', '**/*.ndjson'], { cwd: input, absolute: true, onlyFiles: true, caseSensitiveMatch: false });
      for (const file of found) files.add(file);
    } else {
      const extension = extname(input).toLowerCase();
      if (extension !== RESPONSE_EXTENSION && !LOG_EXTENSIONS.includes(extension)) {
        throw fail(ErrorCode.Input, `not a UM poll log: expected a .jsonl or .ndjson file, a saved .xml response, or a folder`, { file: input });
      }
      files.add(input);
    }
  }
  return [...files].sort();
}

async function statInput(path: string): Promise<Stats> {
  try {
    return await stat(path);
  } catch (error) {
    throw fail(ErrorCode.Input, `cannot read: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, { file: path, cause: error });
  }
}

function checkSignal(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw fail(ErrorCode.Interrupted, 'um report interrupted', { cause: signal.reason });
}
