/**
 * The committed sample under datasets/sample: every export shape, small. Built in memory by the same
 * encoders writeDataset streams through, so `pnpm gen -- --sample` rewrites it byte for byte and a
 * test can compare the committed files with buildSample().
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { EncodeOptions } from './encode.js';
import { encodeDataset, encodeRecordFile, newProgress } from './encode.js';
import type { GraphRecord } from './generate.js';
import { generateRecords } from './generate.js';
import type { GenerateOptions } from './settings.js';
import { recordFileName } from './write.js';

export interface SampleFile {
  /** Path relative to the sample folder, '/'-separated. */
  readonly name: string;
  readonly data: Buffer;
  /** Compare by content after gunzip: gzip bytes may differ between zlib builds. */
  readonly gzip: boolean;
}

/**
 * Small records that still show everything: group calls of a few sessions, session pages of 8
 * (`Prefer: odata.maxpagesize=8`) so truncation appears without 60 sessions, more poor streams,
 * repeats and novel enum values than the defaults.
 */
export const SAMPLE_OPTIONS: Omit<GenerateOptions, 'records' | 'seed'> = {
  users: 60,
  groupMedianSessions: 3,
  maxSessions: 14,
  sessionPageSize: 8,
  truncatedShare: 1,
  duplicateShare: 0.15,
  identicalCopyShare: 0.25,
  novelShare: 0.02,
  poor: {
    rtt: 0.04,
    packet_loss: 0.04,
    jitter: 0.05,
    degradation: 0.04,
    concealed: 0.04,
    frame_loss: 0.06,
    frame_rate: 0.06,
    post_fec_loss: 0.06,
    low_packet_utilization: 0.05,
  },
};

function records(seed: number, count: number, extra: Partial<GenerateOptions> = {}): GraphRecord[] {
  return [...generateRecords({ ...SAMPLE_OPTIONS, ...extra, records: count, seed })];
}

function encode(list: readonly GraphRecord[], options: EncodeOptions): Buffer {
  const text = [...encodeDataset(list[Symbol.iterator](), options, { records: Infinity, bytes: Infinity }, newProgress())].join('');
  return Buffer.from(text, 'utf8');
}

function plain(name: string, data: Buffer | string): SampleFile {
  return { name, data: Buffer.isBuffer(data) ? data : Buffer.from(data, 'utf8'), gzip: false };
}

function gzipped(name: string, data: Buffer): SampleFile {
  return { name, data: gzipSync(data), gzip: true };
}

export function buildSample(): SampleFile[] {
  const files: SampleFile[] = [];
  const small = { kinds: { peerToPeer: 3, pstn: 2, group: 1 } };
  files.push(plain('graph-page.json', encode(records(11, 4, small), { format: 'page', pretty: true, pageSize: 2, bom: true })));
  files.push(plain('single-record.json', encodeRecordFile(records(12, 1, { kinds: { group: 1 }, eras: { old: 1 } })[0]!, true, false)));
  files.push(plain('array.json', encode(records(13, 5, { kinds: { peerToPeer: 3, pstn: 2 } }), { format: 'array', pretty: false, pageSize: 1, bom: false })));
  files.push(gzipped('records.ndjson.gz', encode(records(14, 40), { format: 'ndjson', pretty: false, pageSize: 1, bom: false })));
  records(15, 2, { kinds: { peerToPeer: 1 } }).forEach((record, i) => {
    files.push(plain(`records/${recordFileName(i + 1, false)}`, encodeRecordFile(record, false, false)));
  });
  files.push(...badFiles());
  return files;
}

/** Deliberately broken inputs, one defect each. */
function badFiles(): SampleFile[] {
  const [first, second, third] = records(16, 3, { kinds: { pstn: 1 }, duplicateShare: 0 });
  const whole = encodeRecordFile(first!, true, false);
  // Its own id: a copy of a record seen elsewhere would be judged a duplicate before validation.
  const wrongType = { ...second!, id: `${String(second!.id).slice(0, -4)}0bad`, version: '2', sessions: { id: 'not-a-list' } };
  const lines = [JSON.stringify(first), `${JSON.stringify(second).slice(0, -1)},"endDateTime":}`, JSON.stringify(third)];
  return [
    plain('bad/truncated.json', whole.slice(0, Math.floor(whole.length * 0.6))),
    plain('bad/malformed.ndjson', `${lines.join('\n')}\n`),
    plain('bad/wrong-type.json', `${JSON.stringify(wrongType, null, 2)}\n`),
    plain('bad/not-gzip.json.gz', encodeRecordFile(third!, false, false)),
    plain('bad/empty.json', ''),
  ];
}

/** Writes the sample into `dir`; returns the paths written. */
export async function writeSample(dir: string): Promise<string[]> {
  const written: string[] = [];
  for (const file of buildSample()) {
    const path = join(dir, ...file.name.split('/'));
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, file.data);
    written.push(path);
  }
  return written;
}
