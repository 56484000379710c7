/**
 * Baseline B, the streaming library users reach for: stream-json 3 with its documented fast
 * settings (packed values only), in the pipeline its documentation shows for a huge array:
 * `chain([createReadStream(file), parser(), streamArray(), ({ value }) => ...])` (stream-chain
 * fuses the function stages into one stream, so tokens do not cross a stream boundary each).
 * Arrays: parser + streamArray; pages: parser with JSON streaming + pick of each `value` item (a
 * filter function) + streamValues; NDJSON: parser with JSON streaming + streamValues. Same walk as A.
 */
import { createReadStream } from 'node:fs';
import { finished } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import chain from 'stream-chain';
import { pick } from 'stream-json/filters/pick.js';
import { parser } from 'stream-json/parser.js';
import { streamArray } from 'stream-json/streamers/stream-array.js';
import { streamValues } from 'stream-json/streamers/stream-values.js';
import { childArgs, publish, tally } from './walk.js';
import type { Counts } from './walk.js';

const { file, format } = childArgs();
const packed = { packValues: true, streamValues: false } as const;

/**
 * A page's items: pick's filter as a function, not a path string or RegExp (those join the whole
 * path on every token).
 */
function isPageItem(stack: ReadonlyArray<string | number | null>): boolean {
  return stack.length === 2 && stack[0] === 'value';
}

function stages() {
  switch (format) {
    case 'array':
      return [parser(packed), streamArray()];
    case 'page':
      // pages one after another (or one page): every item of every `value`
      return [parser({ ...packed, jsonStreaming: true }), pick({ filter: isPageItem }), streamValues()];
    default:
      return [parser({ ...packed, jsonStreaming: true }), streamValues()];
  }
}

const counts: Counts = { records: 0, streams: 0 };
const pipeline = chain([
  createReadStream(file),
  ...(file.endsWith('.gz') ? [createGunzip()] : []),
  ...stages(),
  ({ value }: { value: unknown }) => tally(counts, value),
]);
pipeline.resume();
await finished(pipeline);
publish(counts);
