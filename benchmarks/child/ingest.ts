/**
 * callaudit ingest only: the framer (readRecords) plus JSON.parse of each record slice and the
 * same walk, on one thread. Measures framing + parse without validation, scoring or writing.
 */
import { readRecords } from '@callaudit/core';
import { childArgs, publish, tally } from './walk.js';
import type { Counts } from './walk.js';

const { file } = childArgs();
const decoder = new TextDecoder();
const counts: Counts = { records: 0, streams: 0 };
for await (const event of readRecords([file], {})) {
  if (event.type === 'record') {
    tally(counts, JSON.parse(decoder.decode(event.record.bytes)));
  } else if (event.type === 'problem') {
    // The datasets are clean: a problem means the framer and the baselines disagree.
    process.stderr.write(`ingest reported a problem: ${JSON.stringify(event.problem)}\n`);
    process.exit(1);
  }
}
publish(counts);
