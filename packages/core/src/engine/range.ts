/**
 * A worker's own share of a plain NDJSON file: it reads a byte range, frames its lines with the
 * same RecordFramer the main thread uses, and processes the records. The main thread then only
 * hands out ranges and writes results: no reading, framing or copying of records on it.
 *
 * A range [start, end) holds the lines that start in it: a line starts at offset 0 or just after a
 * newline. So the reader moves start forward to the first line start at or after it, reads on past
 * end to finish the line that started before end, and consecutive ranges split the file into the
 * same lines as one framer reading it whole (in line mode a newline resets the framer completely;
 * that is what makes this exact). Ranges are cut by bytes only, so results do not depend on the
 * number of workers.
 */
import { Buffer } from 'node:buffer';
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { RecordFramer } from '../ingest/framer.js';
import type { RecordSlice } from '../ingest/index.js';
import { callIdFromContext } from '../schema/document.js';
import { processRecords } from './batch.js';
import type { RecordInput } from './batch.js';
import type { BatchContext, BatchResult, FramedRecord, PlacedProblem, RangeFraming, RangeTask } from './protocol.js';

const READ_BYTES = 4 << 20;
const PROBE_BYTES = 64 << 10;
const NEWLINE = 0x0a;

export interface FramedRange {
  readonly slices: readonly RecordSlice[];
  readonly framing: RangeFraming;
}

/** Reads and frames a range; synchronous, bounded by READ_BYTES plus the longest record kept. */
export function frameRange(task: RangeTask): FramedRange {
  const fd = openSync(task.path, 'r');
  try {
    const size = fstatSync(fd).size;
    const start = lineStartAtOrAfter(fd, task.start, size);
    const end = lineStartAtOrAfter(fd, task.end, size);
    const slices: RecordSlice[] = [];
    const problems: PlacedProblem[] = [];
    const lastSessionPages: string[] = [];
    const framer = new RecordFramer(
      {
        record: (slice) => slices.push(slice),
        problem: (problem) => problems.push({ problem, before: slices.length }),
        pageEnd: (page) => {
          const callId = page.nextLink ? null : callIdFromContext(page.context);
          if (callId !== null) lastSessionPages.push(callId);
        },
      },
      { file: task.file, pages: task.pages, lines: true, maxRecordBytes: task.maxRecordBytes, offset: start, reportEmpty: false },
    );
    for (let position = start; position < end; ) {
      const chunk = Buffer.allocUnsafe(Math.min(READ_BYTES, end - position));
      const read = readFully(fd, chunk, position);
      framer.push(chunk.subarray(0, read));
      if (read < chunk.length) break; // the file shrank under us: frame what is there
      position += read;
    }
    framer.end();
    const records: FramedRecord[] = slices.map((slice) => ({
      key: slice.key,
      offset: slice.offset,
      length: slice.bytes.byteLength,
      index: slice.index,
      context: slice.context,
    }));
    return { slices, framing: { records, problems, slots: framer.slots, start, end, lastSessionPages } };
  } finally {
    closeSync(fd);
  }
}

/** A range task in a worker (or inline): frame, then process like any batch. */
export function processRange(task: RangeTask, ctx: BatchContext): BatchResult {
  const { slices, framing } = frameRange(task);
  const inputs = slices.map((slice): RecordInput => {
    const bytes = slice.bytes;
    return {
      ordinal: -1,
      file: slice.file,
      offset: slice.offset,
      index: slice.index,
      buffer: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength),
      start: 0,
      end: bytes.byteLength,
      context: slice.context,
    };
  });
  return processRecords(task.seq, inputs, 1, ctx, framing);
}

/** The first line start at or after `position`: 0, `size`, or just after a newline. */
function lineStartAtOrAfter(fd: number, position: number, size: number): number {
  if (position <= 0) return 0;
  if (position >= size) return size;
  const probe = Buffer.allocUnsafe(PROBE_BYTES);
  // A line starts at `position` when the byte before it is a newline: search from there.
  for (let at = position - 1; at < size; at += PROBE_BYTES) {
    const read = readFully(fd, probe, at);
    const newline = probe.subarray(0, read).indexOf(NEWLINE);
    if (newline >= 0) return at + newline + 1;
    if (read < PROBE_BYTES) break;
  }
  return size;
}

function readFully(fd: number, buffer: Buffer, position: number): number {
  let filled = 0;
  while (filled < buffer.length) {
    const read = readSync(fd, buffer, filled, buffer.length - filled, position + filled);
    if (read === 0) break;
    filled += read;
  }
  return filled;
}
