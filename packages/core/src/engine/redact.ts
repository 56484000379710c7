import { createHmac } from 'node:crypto';
import type { CellValue, ColumnBatch } from '../table/schema.js';

/** The kind of a column `--redact` empties instead of pseudonymizing (free text). */
const DROP = 'drop';

/**
 * Columns that carry personal or network-identifying data, per table. `--redact` replaces each
 * value with a keyed pseudonym: HMAC-SHA256(key, column-kind + value), so the same input gives
 * the same pseudonym in every table and run with the same key, and joins still work. Free text
 * (Rate My Call's feedback text) is emptied.
 */
const KIND_BY_COLUMN: Record<string, string> = {
  caller_user_id: 'user',
  callee_user_id: 'user',
  organizer_id: 'user',
  caller_upn: 'upn',
  callee_upn: 'upn',
  caller_ip: 'ip',
  callee_ip: 'ip',
  caller_subnet: 'subnet',
  callee_subnet: 'subnet',
  caller_device_capture: 'device',
  caller_device_render: 'device',
  callee_device_capture: 'device',
  callee_device_render: 'device',
  caller_relay_ip: 'ip',
  callee_relay_ip: 'ip',
  caller_reflexive_ip: 'ip',
  callee_reflexive_ip: 'ip',
  caller_bssid: 'bssid',
  callee_bssid: 'bssid',
  caller_network: 'subnet',
  callee_network: 'subnet',
  caller_missing_subnet: 'subnet',
  callee_missing_subnet: 'subnet',
  caller_missing_reflexive_ip: 'ip',
  callee_missing_reflexive_ip: 'ip',
  // the call log tables (pstn_calls, direct_routing_calls)
  user_id: 'user',
  upn: 'upn',
  user_display_name: 'name',
  caller_number: 'phone',
  callee_number: 'phone',
  pstn_call_id: 'pstn_call',
  // the user's own words: no pseudonym can keep them safe, so they are dropped
  caller_feedback_text: DROP,
  callee_feedback_text: DROP,
};

export function redactedColumns(batch: ColumnBatch): number[] {
  const out: number[] = [];
  batch.schema.columns.forEach((column, i) => {
    if (KIND_BY_COLUMN[column.name] !== undefined) out.push(i);
  });
  return out;
}

export function pseudonym(key: Uint8Array, kind: string, value: string): string {
  const digest = createHmac('sha256', key).update(kind).update('\u0000').update(value).digest('hex');
  return `${kind}_${digest.slice(0, 20)}`;
}

/** Replaces the personal columns of a batch in place. */
export function redactBatch(batch: ColumnBatch, key: Uint8Array, cache: Map<string, string>): void {
  for (const index of redactedColumns(batch)) {
    const kind = KIND_BY_COLUMN[batch.schema.columns[index]!.name]!;
    const column = batch.columns[index]!;
    if (kind === DROP) {
      column.fill(null);
      continue;
    }
    for (let row = 0; row < column.length; row++) {
      const value: CellValue = column[row]!;
      if (typeof value !== 'string' || value === '') continue;
      const cacheKey = `${kind}\u0000${value}`;
      let hidden = cache.get(cacheKey);
      if (hidden === undefined) {
        hidden = pseudonym(key, kind, value);
        if (cache.size > 100_000) cache.clear();
        cache.set(cacheKey, hidden);
      }
      column[row] = hidden;
    }
  }
}
