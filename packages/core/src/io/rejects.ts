/** rejects.jsonl: one JSON object per line for every record (or non-record) not counted in the tables. */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';

export interface RejectEntry {
  /** Input path as given ('<stdin>' for standard input). */
  readonly file: string;
  /** Byte offset of the record's first byte in the file's (decompressed) byte stream. */
  readonly offset: number;
  /** 0-based ordinal of the record within its file, when it is a record. */
  readonly index: number | null;
  /** The record's id, when it could be read. */
  readonly id: string | null;
  /**
   * invalid_json, invalid_utf8, schema, session, participant, pstn_call, direct_routing_call, sms_log,
   * not_a_call_record, oversized, malformed, truncated, not_a_record, empty, worker_failed (README).
   */
  readonly kind: string;
  readonly reason: string;
  /** Up to the first 200 bytes of the record ('<redacted>' with --redact). */
  readonly snippet: string;
}

export function encodeRejectLine(entry: RejectEntry): string {
  const { file, offset, index, id, kind, reason, snippet } = entry;
  return `${JSON.stringify({ file, offset, index, id, kind, reason, snippet })}\n`;
}

/**
 * The first `count` entries of a rejects.jsonl file, read line by line (the file may be large:
 * only its beginning is read). A line that does not parse ends the list.
 */
export async function readFirstRejects(path: string, count: number): Promise<RejectEntry[]> {
  const out: RejectEntry[] = [];
  if (count <= 0) return out;
  const lines = createInterface({ input: createReadStream(path, { encoding: 'utf8' }), crlfDelay: Infinity });
  try {
    for await (const line of lines) {
      if (line === '') continue;
      try {
        out.push(JSON.parse(line) as RejectEntry);
      } catch {
        break;
      }
      if (out.length >= count) break;
    }
  } finally {
    lines.close();
  }
  return out;
}
