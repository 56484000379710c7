/** A worker judges a record by its page's @odata.context too (RecordSlice.context, carried on BatchRecord). */
import { describe, expect, it } from 'vitest';
import { processBatch } from '../../src/engine/batch.js';
import type { BatchContext, BatchRecord } from '../../src/engine/protocol.js';
import { resolveRules } from '../../src/quality/index.js';
import { validateRollupOptions } from '../../src/rollup/index.js';

const CTX: BatchContext = {
  rules: resolveRules('cqd'),
  rollup: validateRollupOptions({}),
  csv: true,
  csvRaw: false,
  ipc: false,
  since: null,
  until: null,
  modalities: null,
  redactKey: null,
  sites: null,
};
const ID = 'c0ffee00-1a2b-4c3d-8e9f-00000000000a';

function run(docs: readonly { text: string; context: string | null }[]): { kind: string | null; accepted: boolean; sessionOf?: string }[] {
  const bytes = docs.map((d) => Buffer.from(d.text));
  let at = 0;
  const records: BatchRecord[] = docs.map((d, i) => {
    const record = { ordinal: i, file: 'page.json', offset: 100 * i, index: i, context: d.context, start: at, end: at + bytes[i]!.length };
    at += bytes[i]!.length;
    return record;
  });
  const result = processBatch({ kind: 'records', seq: 0, buffer: Buffer.concat(bytes), records, sign: 1 }, CTX);
  return result.outcomes.map((o) => ({ kind: o.reject?.kind ?? null, accepted: o.accepted, ...(o.sessionOf === null ? {} : { sessionOf: o.sessionOf }) }));
}

describe('processBatch: the page context', () => {
  // a session as a bare item: nothing in its shape says session, its page does
  const bare = JSON.stringify({ id: ID, modalities: ['audio'], startDateTime: '2026-11-02T09:00:00Z', endDateTime: '2026-11-02T09:30:00Z' });
  const record = JSON.stringify({ id: ID, version: 3, type: 'groupCall', startDateTime: '2026-11-02T09:00:00Z' });

  it('names what the shape cannot', () => {
    expect(run([{ text: bare, context: null }])).toEqual([{ kind: 'not_a_call_record', accepted: false }]);
    // a session its page names the call of waits to be stitched into it
    expect(run([{ text: bare, context: `https://graph.microsoft.com/v1.0/$metadata#communications/callRecords('${ID}')/sessions(segments())` }])).toEqual([
      { kind: null, accepted: false, sessionOf: ID },
    ]);
    // a session without any context naming its call cannot be stitched: a reject of kind session
    const typed = JSON.stringify({ ...JSON.parse(bare), '@odata.type': '#microsoft.graph.callRecords.session' });
    expect(run([{ text: typed, context: null }])).toEqual([{ kind: 'session', accepted: false }]);
    // its own context names the call (a single GET of a session)
    const own = JSON.stringify({
      '@odata.context': `https://graph.microsoft.com/v1.0/$metadata#communications/callRecords('it''s')/sessions/$entity`,
      ...JSON.parse(bare),
    });
    expect(run([{ text: own, context: null }])).toEqual([{ kind: null, accepted: false, sessionOf: "it's" }]);
    expect(run([{ text: bare, context: `https://graph.microsoft.com/beta/$metadata#communications/callRecords('${ID}')/participants_v2` }])).toEqual([
      { kind: 'participant', accepted: false },
    ]);
  });

  it('keeps a callRecord of a callRecords page, and a record without context', () => {
    expect(
      run([
        { text: record, context: 'https://graph.microsoft.com/v1.0/$metadata#communications/callRecords' },
        { text: record.replace(ID, 'other'), context: null },
      ]),
    ).toEqual([
      { kind: null, accepted: true },
      { kind: null, accepted: true },
    ]);
  });
});
