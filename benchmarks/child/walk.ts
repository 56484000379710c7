/**
 * What every measured variant does with a parsed record: walk sessions -> segments -> media ->
 * streams and count the streams. One walk for all variants, so they do the same work per record.
 */

/** Counts what a variant saw; published for the measuring hook (hook.ts) to write at exit. */
export interface Counts {
  records: number;
  streams: number;
}

const COUNTS = Symbol.for('callaudit.bench.counts');

/** `records: null`: the variant counts stream rows only. */
export function publish(counts: { records: number | null; streams: number }): void {
  (globalThis as Record<symbol, unknown>)[COUNTS] = { records: counts.records, streams: counts.streams };
}

export function published(): { records: number | null; streams: number } | null {
  const value = (globalThis as Record<symbol, unknown>)[COUNTS];
  return typeof value === 'object' && value !== null ? (value as { records: number | null; streams: number }) : null;
}

function list(value: unknown, key: string): readonly unknown[] {
  if (typeof value !== 'object' || value === null) return [];
  const child = (value as Record<string, unknown>)[key];
  return Array.isArray(child) ? child : [];
}

/** Streams in one callRecord; every stream object is visited. */
export function countStreams(record: unknown): number {
  let streams = 0;
  for (const session of list(record, 'sessions')) {
    for (const segment of list(session, 'segments')) {
      for (const media of list(segment, 'media')) {
        for (const stream of list(media, 'streams')) if (typeof stream === 'object' && stream !== null) streams++;
      }
    }
  }
  return streams;
}

/** Adds one record to the counts. */
export function tally(counts: Counts, record: unknown): void {
  counts.records++;
  counts.streams += countStreams(record);
}

/**
 * Exit code a child variant uses when it cannot handle the input by design (too big for one
 * string). Far from callaudit's own exit codes, and only believed from the child scripts.
 */
export const EXIT_UNSUPPORTED = 97;

/** Ends the process saying why this variant cannot handle this input. */
export function unsupported(reason: string): never {
  process.stderr.write(`unsupported: ${reason}\n`);
  process.exit(EXIT_UNSUPPORTED);
}

/** The child's arguments: `<file> <format>`, as the harness passes them. */
export function childArgs(): { file: string; format: string } {
  const [file, format] = process.argv.slice(2);
  if (file === undefined || format === undefined) {
    process.stderr.write('usage: <file> <array|page|ndjson>\n');
    process.exit(2);
  }
  return { file, format };
}
