/** --redact: identifying columns become pseudonyms; the users' own words (feedback text) are dropped. */
import { describe, expect, it } from 'vitest';
import { redactBatch } from '../../src/engine/redact.js';
import { ColumnBuilder } from '../../src/table/schema.js';
import { STREAMS } from '../../src/table/tables.js';

describe('redactBatch', () => {
  it('empties caller_feedback_text and callee_feedback_text, keeps the rating and tokens, pseudonymizes the user', () => {
    const builder = new ColumnBuilder(STREAMS);
    const row = (values: Record<string, string | null>) => builder.push(STREAMS.columns.map((column) => values[column.name] ?? null));
    row({
      caller_user_id: 'u1',
      caller_feedback_rating: 'bad',
      caller_feedback_tokens: 'NoSound',
      caller_feedback_text: 'call me at +1 555 0100',
      callee_feedback_text: 'ok',
    });
    row({ caller_user_id: 'u2', caller_feedback_text: null });
    const batch = builder.finish();
    redactBatch(batch, new Uint8Array(32).fill(7), new Map());
    const cell = (name: string, r: number) => batch.columns[STREAMS.columns.findIndex((c) => c.name === name)]![r];
    expect([cell('caller_feedback_text', 0), cell('callee_feedback_text', 0), cell('caller_feedback_text', 1)]).toEqual([null, null, null]);
    expect([cell('caller_feedback_rating', 0), cell('caller_feedback_tokens', 0)]).toEqual(['bad', 'NoSound']);
    expect(cell('caller_user_id', 0)).toMatch(/^user_[0-9a-f]{20}$/);
  });
});
