import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parsePollLine, parseResponseFileName, readPollLogs } from '../../src/um/polllog.js';
import { DOCUMENTED_CALL_ID, callInfoResponse, faultResponse } from './fixtures.js';

const T0 = Date.parse('2026-03-14T10:15:02Z');

describe('parsePollLine', () => {
  it('reads the documented line shape, and what um call-info --json prints', () => {
    expect(parsePollLine('{"time":"2026-03-14T10:15:02Z","callId":"QUJD","callState":"Alerted","eventCause":"None"}')).toEqual({
      time: T0,
      callId: 'QUJD',
      callState: 'Alerted',
      eventCause: 'None',
      fault: null,
    });
    const printed = '{"time":"2026-03-14T12:15:02.250+02:00","callId":"QUJD","callState":"Ringing","eventCause":"None","unrecognized":["callState"]}';
    expect(parsePollLine(printed)).toMatchObject({ time: T0 + 250, callState: 'Ringing' });
  });

  it('reads a faulted poll, as a string or as {code, message}', () => {
    expect(
      parsePollLine('{"time":"2026-03-14T10:15:02Z","callId":"QUJD","fault":{"code":"a:InvalidCallIdException","message":"gone","exceptionType":null}}'),
    ).toMatchObject({
      callState: null,
      eventCause: null,
      fault: 'a:InvalidCallIdException: gone',
    });
    expect(parsePollLine('{"time":"2026-03-14T10:15:02Z","callId":"QUJD","fault":"timeout"}')).toMatchObject({ fault: 'timeout' });
  });

  it('accepts a missing eventCause', () => {
    expect(parsePollLine('{"time":"2026-03-14T10:15:02Z","callId":"QUJD","callState":"Idle"}')).toMatchObject({ eventCause: null });
  });

  it.each([
    ['truncated JSON', '{"time":"2026-03-14T10:15:02Z","callId":"QU', /^not JSON/],
    ['an array', '[1,2]', /^expected a JSON object/],
    ['null', 'null', /^expected a JSON object/],
    ['a numeric time', '{"time":1773483302000,"callId":"Q","callState":"Idle"}', /^time: expected an ISO-8601 date-time string/],
    ['an impossible date', '{"time":"2026-02-30T10:00:00Z","callId":"Q","callState":"Idle"}', /^time: "2026-02-30T10:00:00Z" is not an ISO-8601 date-time/],
    ['a missing callId', '{"time":"2026-03-14T10:15:02Z","callState":"Idle"}', /^callId: expected a string/],
    ['an empty callId', '{"time":"2026-03-14T10:15:02Z","callId":"  ","callState":"Idle"}', /^callId: must not be empty/],
    ['a numeric callState', '{"time":"2026-03-14T10:15:02Z","callId":"Q","callState":3}', /^callState: expected a string/],
    ['neither state nor fault', '{"time":"2026-03-14T10:15:02Z","callId":"Q","eventCause":"None"}', /needs callState/],
    ['both state and fault', '{"time":"2026-03-14T10:15:02Z","callId":"Q","callState":"Idle","fault":"x"}', /both callState and fault/],
  ])('rejects %s naming the field', (_what, line, message) => {
    expect(() => parsePollLine(line)).toThrow(message);
  });
});

describe('parseResponseFileName', () => {
  it('reads <basic ISO time>_<base64url CallId>.xml back to the base64 CallId', () => {
    const urlSafe = DOCUMENTED_CALL_ID.replace(/=+$/, '');
    expect(parseResponseFileName(`20260314T101502Z_${urlSafe}.xml`)).toEqual({ time: T0, callId: DOCUMENTED_CALL_ID });
    expect(parseResponseFileName(`20260314T101502.250Z_${DOCUMENTED_CALL_ID}.XML`)).toEqual({ time: T0 + 250, callId: DOCUMENTED_CALL_ID });
    // + and / of standard base64 are written - and _ (the first _ separates the time).
    expect(parseResponseFileName('20260314T101502Z_ab-_cd.xml')).toEqual({ time: T0, callId: 'ab+/cd==' });
  });

  it.each([
    'response.xml',
    '2026-03-14T10:15:02Z_QUJD.xml',
    '20260314T101502_QUJD.xml',
    '20260230T101502Z_QUJD.xml',
    '20260314T101502Z_.xml',
    '20260314T101502Z_QUJDR.xml',
    '20260314T101502Z_QU JD.xml',
    '20260314T101502Z_QUJD.json',
    '20260314T101502.Z_QUJD.xml',
  ])('returns null for %s', (name) => {
    expect(parseResponseFileName(name)).toBeNull();
  });
});

describe('readPollLogs', () => {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'callaudit-um-'));
    await mkdir(join(dir, 'saved', 'day2'), { recursive: true });
    await writeFile(join(dir, 'saved', '20260314T101502Z_QUJD.xml'), callInfoResponse('Alerted', 'None'));
    await writeFile(join(dir, 'saved', 'day2', '20260314T101510Z_QUJD.xml'), callInfoResponse('Connected', 'None'));
    await writeFile(join(dir, 'saved', 'day2', '20260314T101600Z_QUJD.xml'), faultResponse());
    await writeFile(join(dir, 'saved', 'notes.txt'), 'ignored: not a poll log');
    await writeFile(join(dir, 'saved', 'badname.xml'), callInfoResponse('Idle', 'None'));
    await writeFile(join(dir, 'saved', '20260314T101700Z_QUJD.xml'), '<!DOCTYPE x [<!ENTITY a "a">]><x>&a;</x>');
    await writeFile(
      join(dir, 'polls.jsonl'),
      '\ufeff{"time":"2026-03-14T10:00:00Z","callId":"WFla","callState":"Connecting","eventCause":"None"}\r\n' +
        '\r\n' +
        '{"time":"2026-03-14T10:00:05Z","callId":"WFla","callState":"Disconnected","eventCause":"UserBusy"}\r\n' +
        'garbage\n' +
        `{"time":"2026-03-14T10:00:06Z","callId":"WFla","callState":"${'x'.repeat(200)}"}\n` +
        '{"time":"2026-03-14T10:00:07Z","callId":"WFla","callState":"Idle","eventCause":"None"',
    );
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reads folders of saved responses and JSON Lines files, rejecting bad entries with file and line', async () => {
    const logs = await readPollLogs([join(dir, 'saved'), join(dir, 'polls.jsonl')], { maxLineLength: 150 });
    expect(logs.files.map((file) => file.slice(dir.length + 1))).toEqual([
      'polls.jsonl',
      'saved/20260314T101502Z_QUJD.xml',
      'saved/20260314T101700Z_QUJD.xml',
      'saved/badname.xml',
      'saved/day2/20260314T101510Z_QUJD.xml',
      'saved/day2/20260314T101600Z_QUJD.xml',
    ]);
    expect(logs.observations).toEqual([
      { time: Date.parse('2026-03-14T10:00:00Z'), callId: 'WFla', callState: 'Connecting', eventCause: 'None', fault: null },
      { time: Date.parse('2026-03-14T10:00:05Z'), callId: 'WFla', callState: 'Disconnected', eventCause: 'UserBusy', fault: null },
      { time: T0, callId: 'QUJD', callState: 'Alerted', eventCause: 'None', fault: null },
      { time: T0 + 8000, callId: 'QUJD', callState: 'Connected', eventCause: 'None', fault: null },
      { time: T0 + 58_000, callId: 'QUJD', callState: null, eventCause: null, fault: "a:InvalidCallIdException: The call ID isn't valid." },
    ]);
    const rejects = logs.rejects.map((r) => ({ ...r, file: r.file.slice(dir.length + 1) }));
    expect(rejects).toEqual([
      { file: 'polls.jsonl', line: 4, reason: expect.stringMatching(/^not JSON/) },
      { file: 'polls.jsonl', line: 5, reason: 'line is 262 characters, over the 150-character limit' },
      { file: 'polls.jsonl', line: 6, reason: expect.stringMatching(/^not JSON/) },
      { file: 'saved/20260314T101700Z_QUJD.xml', line: null, reason: expect.stringContaining('DOCTYPE declaration is not allowed') },
      { file: 'saved/badname.xml', line: null, reason: expect.stringContaining('file name is not <time>_<callId>.xml') },
    ]);
    expect(logs.rejected).toBe(5);
  });

  it('counts every reject but keeps only the first maxRejects', async () => {
    const logs = await readPollLogs([join(dir, 'polls.jsonl')], { maxRejects: 1 });
    expect(logs.rejected).toBe(2);
    expect(logs.rejects).toHaveLength(1);
  });

  it('reads the same file once however often it is named', async () => {
    const logs = await readPollLogs([join(dir, 'polls.jsonl'), dir, join(dir, 'polls.jsonl')]);
    expect(logs.files.filter((file) => file.endsWith('polls.jsonl'))).toHaveLength(1);
  });

  it('rejects an oversize saved response without reading it', async () => {
    const logs = await readPollLogs([join(dir, 'saved', '20260314T101502Z_QUJD.xml')], { maxResponseBytes: 100 });
    expect(logs.observations).toEqual([]);
    expect(logs.rejects[0]!.reason).toMatch(/bytes, over the 100-byte limit/);
  });

  it('fails with E_INPUT for a missing input or a file of another kind, E_USAGE for none', async () => {
    await expect(readPollLogs([join(dir, 'missing.jsonl')])).rejects.toMatchObject({ code: 'E_INPUT', message: 'cannot read: ENOENT' });
    await expect(readPollLogs([join(dir, 'saved', 'notes.txt')])).rejects.toMatchObject({
      code: 'E_INPUT',
      message: expect.stringContaining('not a UM poll log'),
    });
    await expect(readPollLogs([])).rejects.toMatchObject({ code: 'E_USAGE' });
  });

  it('stops with E_INTERRUPTED when the signal is aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(readPollLogs([dir], { signal: controller.signal })).rejects.toMatchObject({ code: 'E_INTERRUPTED' });
  });
});
