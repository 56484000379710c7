/**
 * Baseline B, the streaming library users reach for: stream-json with its documented fast
 * settings (packed values only). Arrays: parser + streamArray; pages: parser + pick of each
 * `value` item + streamValues; NDJSON: parser with JSON streaming + streamValues. Same walk as A.
 */
import { createReadStream } from 'node:fs';
import type { Duplex, Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import streamJson from 'stream-json';
import pick from 'stream-json/filters/pick.js';
import streamArray from 'stream-json/streamers/stream-array.js';
import streamValues from 'stream-json/streamers/stream-values.js';
import { childArgs, publish, tally } from './walk.js';
import type { Counts } from './walk.js';

const { file, format } = childArgs();
const packed = { packValues: true, streamValues: false } as const;

function isPageItem(stack: ReadonlyArray<string | number | null>): boolean {
  return stack.length === 2 && stack[0] === 'value';
}

function stages(): Duplex[] {
  switch (format) {
    case 'array':
      return [streamJson.parser.asStream(packed), streamArray.asStream()];
    case 'page':
      // Pages one after another (or one page): pick every item of every `value`. A filter
      // function, not a path string or RegExp: those join the whole path on every token.
      return [streamJson.parser.asStream({ ...packed, jsonStreaming: true }), pick.asStream({ filter: isPageItem }), streamValues.asStream()];
    default:
      return [streamJson.parser.asStream({ ...packed, jsonStreaming: true }), streamValues.asStream()];
  }
}

const counts: Counts = { records: 0, streams: 0 };
const chain: Array<Readable | Duplex> = [createReadStream(file), ...(file.endsWith('.gz') ? [createGunzip()] : []), ...stages()];
const done = pipeline(chain);
for await (const item of chain.at(-1)! as AsyncIterable<{ value: unknown }>) tally(counts, item.value);
await done;
publish(counts);
