/** What a document is: its @odata.type, its (or its page's) @odata.context, its shape. */
import { describe, expect, it } from 'vitest';
import { kindFromContext, recognizeDocument, rejectReason, DOCUMENT_REJECT_KINDS } from '../../src/schema/document.js';
import { parseProjected } from '../../src/schema/project.js';

const V1 = 'https://graph.microsoft.com/v1.0/$metadata#';
const BETA = 'https://graph.microsoft.com/beta/$metadata#';
const ID = 'c0ffee00-1a2b-4c3d-8e9f-00000000000a';

describe('kindFromContext', () => {
  it.each([
    [`${V1}communications/callRecords`, 'shape'],
    [`${V1}communications/callRecords/$entity`, 'shape'],
    [`${V1}communications/callRecords(sessions(segments()))/$entity`, 'shape'],
    [`${BETA}communications/callRecords(sessions())/$entity`, 'shape'],
    [`${V1}communications/callRecords('${ID}')/sessions(segments())`, 'session'],
    [`${BETA}communications/callRecords('${ID}')/sessions`, 'session'],
    [`${V1}communications/callRecords('${ID}')/sessions/$entity`, 'session'],
    [`https://graph.microsoft.com/$metadata#communications/callRecords('${ID}')/participants_v2`, 'participant'],
    [`${V1}communications/callRecords('${ID}')/organizer_v2/$entity`, 'participant'],
    [`${V1}Collection(microsoft.graph.callRecords.pstnCallLogRow)`, 'pstn_call'],
    [`${BETA}Collection(microsoft.graph.callRecords.directRoutingLogRow)`, 'direct_routing_call'],
    [`${BETA}Collection(microsoft.graph.callRecords.smsLogRow)`, 'sms_log'],
    [`${BETA}Collection(microsoft.graph.callRecords.pstnBlockedUsersLogRow)`, 'not_a_call_record'],
    [`${V1}users/$entity`, 'not_a_call_record'],
    [`${V1}communications/callRecordsArchive`, 'not_a_call_record'],
    ['not a context', null],
    [null, null],
  ])('%s -> %s', (context, kind) => {
    expect(kindFromContext(context)).toBe(kind);
  });
});

describe('recognizeDocument', () => {
  const session = { id: ID, modalities: ['audio'], startDateTime: '2026-11-02T09:00:00Z', caller: {}, callee: {}, segments: [] };
  const record = { id: ID, version: 3, type: 'groupCall', startDateTime: '2026-11-02T09:00:00Z' };

  it('a callRecord by its shape, with or without a context of the callRecords set', () => {
    expect(recognizeDocument(record, null)).toBe('call_record');
    expect(recognizeDocument(record, `${V1}communications/callRecords`)).toBe('call_record');
    expect(recognizeDocument({ ...record, '@odata.context': `${V1}communications/callRecords(sessions(segments()))/$entity` }, null)).toBe('call_record');
    // a callRecord property is enough for the schema to judge it (and name what is missing)
    expect(recognizeDocument({ id: ID, sessions: [] }, null)).toBe('call_record');
  });

  it('a session by its shape, by its page context, by its own context, by its @odata.type', () => {
    expect(recognizeDocument(session, null)).toBe('session');
    const bare = { id: ID, startDateTime: '2026-11-02T09:00:00Z' };
    expect(recognizeDocument(bare, null)).toBe('not_a_call_record');
    expect(recognizeDocument(bare, `${V1}communications/callRecords('${ID}')/sessions(segments())`)).toBe('session');
    expect(recognizeDocument({ ...bare, '@odata.context': `${V1}communications/callRecords('${ID}')/sessions/$entity` }, null)).toBe('session');
    expect(recognizeDocument({ ...bare, '@odata.type': '#microsoft.graph.callRecords.session' }, null)).toBe('session');
  });

  it('the page context speaks for its records; the own context comes first', () => {
    expect(recognizeDocument(record, `${V1}communications/callRecords('${ID}')/sessions`)).toBe('session');
    expect(recognizeDocument({ ...record, '@odata.context': `${V1}communications/callRecords/$entity` }, `${V1}users`)).toBe('call_record');
    expect(recognizeDocument({ id: 'u' }, `${V1}users`)).toBe('not_a_call_record');
  });

  it('log rows and participants by their shapes', () => {
    expect(recognizeDocument({ id: 'p', callId: '1_2@host', charge: 0, callType: 'user_in' }, null)).toBe('pstn_call');
    expect(recognizeDocument({ id: 'd', correlationId: 'c', finalSipCode: 0, callType: 'ByotIn' }, null)).toBe('direct_routing_call');
    expect(recognizeDocument({ smsId: 's', smsType: 'outbound', licenseCapability: 'MCOPSTNU' }, null)).toBe('sms_log');
    expect(recognizeDocument({ id: 'u', identity: { user: { id: 'u' } } }, null)).toBe('participant');
  });

  it('anything else is not a call record', () => {
    for (const value of [{ id: 'x' }, {}, null, 7, 'x', [record]]) expect(recognizeDocument(value, null)).toBe('not_a_call_record');
    expect(recognizeDocument({ ...record, '@odata.type': '#microsoft.graph.user' }, null)).toBe('not_a_call_record');
  });

  it('the projecting parser builds what recognition reads', () => {
    const bytes = Buffer.from(JSON.stringify({ ...session, '@odata.context': 'x', pad: { deep: [1, 2] } }));
    const projected = parseProjected(bytes, 0, bytes.length) as Record<string, unknown>;
    expect(projected).toMatchObject({ '@odata.context': 'x', caller: {}, callee: {}, segments: [] });
    expect(projected).not.toHaveProperty('pad');
    expect(recognizeDocument(projected, null)).toBe('session');
  });

  it('every reject kind has a reason', () => {
    for (const kind of DOCUMENT_REJECT_KINDS) expect(rejectReason(kind)).toMatch(/callRecord/);
  });
});
