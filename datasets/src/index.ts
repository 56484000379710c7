/**
 * @callaudit/datasets: seeded synthetic Microsoft Graph callRecords, and the committed sample.
 */
export { generateRecords } from './generate.js';
export type { GraphRecord } from './generate.js';
export type { GenerateOptions, CallKind } from './settings.js';
export type { IdentityEra } from './endpoint.js';
export { writeDataset, FORMATS } from './write.js';
export type { DatasetFormat, WriteOptions, WriteResult } from './write.js';
export { ANOMALIES, DEFAULT_POOR_SHARES, THRESHOLDS } from './anomalies.js';
export type { Anomaly } from './anomalies.js';
export { buildSample, writeSample, SAMPLE_OPTIONS } from './sample.js';
export type { SampleFile } from './sample.js';
export { logRows, makeRecords, startGraph, startMs } from './graph.js';
export type { Fault, GraphOptions, GraphServer, Json, Kind, Seen } from './graph.js';
