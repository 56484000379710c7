/**
 * callaudit ingest only: the framer (readRecords) plus JSON.parse of each record slice and the
 * same walk, on one thread. Measures framing + parse without validation, scoring or writing.
 */
import type * as Ingest from '../../packages/core/src/ingest/index.js';
import { childArgs, publish, tally } from './walk.js';
import type { Counts } from './walk.js';

// The ingest is internal to @callaudit/core (not in its public index): load the built module
// itself. This file runs from benchmarks/.bench/child/ (see src/compile.ts), three levels down.
const built = new URL('../../../packages/core/dist/ingest/index.js', import.meta.url);
const { readRecords } = (await import(built.href)) as typeof Ingest;

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
