/**
 * Ingest: inputs -> record byte slices with provenance, in bounded memory. See README.md.
 */
export type { InputFormat, RecordKey, RecordSlice, ProblemKind, IngestProblem, InputInfo, IngestEvent, PageEnd, ReadOptions } from './types.js';
export { DEFAULT_MAX_RECORD_BYTES } from './types.js';
export { DEFAULT_INCLUDE, expandInputs } from './inputs.js';
export type { ExpandOptions } from './inputs.js';
export { readRecords } from './read.js';
export { probeInput } from './source.js';
export { RecordFramer } from './framer.js';
export type { FramerOptions, FramerSink } from './framer.js';
export { isGzip, sniffFormat } from './detect.js';
