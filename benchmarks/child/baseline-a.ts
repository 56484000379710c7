/**
 * Baseline A, what a script writer does: read the whole file (gunzip it first if it is .gz),
 * JSON.parse it, walk every stream. NDJSON, and pages written one per line (as exports and the
 * generator write them): split lines, JSON.parse each.
 */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { childArgs, publish, tally, unsupported } from './walk.js';
import type { Counts } from './walk.js';

const { file, format } = childArgs();
const raw = readFileSync(file);
const bytes = file.endsWith('.gz') ? gunzipSync(raw) : raw;
let text: string;
try {
  text = bytes.toString('utf8');
} catch (error) {
  // V8 caps a string at about 512 MiB: past that, this approach cannot work at all.
  unsupported(`${bytes.byteLength} bytes do not fit in one string (${(error as Error).message})`);
}

const counts: Counts = { records: 0, streams: 0 };
const documents = format === 'array' ? [text] : text.split('\n').filter((line) => line.trim() !== '');
for (const document of documents) for (const record of recordsOf(JSON.parse(document))) tally(counts, record);
publish(counts);

/** An array of records, a page `{ value: [...] }`, or an array of pages. */
function recordsOf(doc: unknown): unknown[] {
  if (Array.isArray(doc)) return doc.flatMap((item) => (isPage(item) ? item.value : [item]));
  if (isPage(doc)) return doc.value;
  return [doc];
}

function isPage(value: unknown): value is { value: unknown[] } {
  return typeof value === 'object' && value !== null && Array.isArray((value as { value?: unknown }).value);
}
