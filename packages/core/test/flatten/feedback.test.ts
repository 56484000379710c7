/** Rate My Call in the streams table: rating, tokens and text per side, and hostile feedback. */
import { describe, expect, it } from 'vitest';
import { feedbackText, MAX_FEEDBACK_TEXT, MAX_TOKEN_NAME, MAX_TOKENS, trueTokens } from '../../src/flatten/feedback.js';
import { flattenToBatches } from '../../src/flatten/index.js';
import { parseProjected } from '../../src/schema/project.js';
import { validateCallRecord } from '../../src/schema/index.js';
import { p2pRecord, type Json, type JsonObject } from '../schema/fixtures.js';
import { CQD, parsed, rows } from './helpers.js';

/** p2pRecord with the session's caller feedback set to `feedback` (its callee, Bob, rated good). */
function withCallerFeedback(feedback: Json): JsonObject {
  const raw = p2pRecord();
  ((raw.sessions as JsonObject[])[0]!.caller as JsonObject).feedback = feedback;
  return raw;
}

function callerColumns(raw: JsonObject) {
  const streams = rows(flattenToBatches([parsed(raw)], CQD).streams);
  return streams.map((row) => [row.caller_feedback_rating, row.caller_feedback_tokens, row.caller_feedback_text]);
}

describe('trueTokens: the names reported true, bounded', () => {
  it('keeps the names as Graph spells them, true only, in code-unit order', () => {
    expect(trueTokens({ NoSound: true, DistortedSpeech: true, Echo: false, ElectronicFeedback: null })).toBe('DistortedSpeech;NoSound');
    expect(trueTokens({ b: true, B: true, a: true })).toBe('B;a;b');
  });

  it('counts only JSON true: strings, numbers and objects are not', () => {
    expect(trueTokens({ A: 'true', B: 1, C: {}, D: [true], E: true })).toBe('E');
  });

  it.each([
    ['a string', 'NoSound'],
    ['an array', ['NoSound', true]],
    ['a number', 7],
    ['true', true],
    ['null', null],
    ['undefined', undefined],
    ['an empty object', {}],
  ])('tokens that are %s hold none', (_, tokens) => {
    expect(trueTokens(tokens)).toBeNull();
  });

  it('refuses names that are empty, too long, hold `;` or control characters', () => {
    const longest = 'x'.repeat(MAX_TOKEN_NAME);
    const tokens = {
      '': true,
      [longest]: true,
      [`${longest}y`]: true,
      'a;b': true,
      'tab\there': true,
      'nul\u0000': true,
      'del\u007f': true,
      Ok: true,
      Ünïcode: true,
    };
    expect(trueTokens(tokens)).toBe(`Ok;${longest};Ünïcode`);
  });

  it('keeps the first 32 of a huge set, whatever order the export wrote them in', () => {
    const names = Array.from({ length: 10_000 }, (_, i) => `T${String(i).padStart(5, '0')}`);
    const forward = Object.fromEntries(names.map((name) => [name, true]));
    const backward = Object.fromEntries([...names].reverse().map((name) => [name, true]));
    const kept = trueTokens(forward)!.split(';');
    expect(kept).toHaveLength(MAX_TOKENS);
    expect(kept[0]).toBe('T00000');
    expect(kept[MAX_TOKENS - 1]).toBe('T00031');
    expect(trueTokens(backward)).toBe(trueTokens(forward));
  });

  it('is not fooled by __proto__ or constructor as token names', () => {
    expect(trueTokens(JSON.parse('{"__proto__": true, "constructor": true}'))).toBe('__proto__;constructor');
  });
});

describe('feedbackText', () => {
  it('keeps a string, drops what is not text', () => {
    expect(feedbackText('Echo on every call')).toBe('Echo on every call');
    expect(feedbackText('   ')).toBeNull();
    expect(feedbackText(42)).toBeNull();
    expect(feedbackText({ text: 'x' })).toBeNull();
  });

  it('cuts a long text at 1000 code units, never inside a surrogate pair', () => {
    expect(feedbackText('a'.repeat(5000))).toHaveLength(MAX_FEEDBACK_TEXT);
    const emoji = `${'a'.repeat(MAX_FEEDBACK_TEXT - 1)}😀tail`; // the pair straddles the cut
    expect(feedbackText(emoji)).toBe('a'.repeat(MAX_FEEDBACK_TEXT - 1));
  });
});

describe('flatten: the feedback columns', () => {
  it('writes the rating, tokens and text of each side on every stream of its session', () => {
    const raw = withCallerFeedback({ rating: 'poor', text: 'robotic voice', tokens: { DistortedSpeech: true, NoSound: false } });
    expect(new Set(callerColumns(raw).map((row) => JSON.stringify(row)))).toEqual(new Set([JSON.stringify(['poor', 'DistortedSpeech', 'robotic voice'])]));
    const streams = rows(flattenToBatches([parsed(raw)], CQD).streams);
    expect(streams.every((row) => row.callee_feedback_rating === 'good')).toBe(true);
  });

  it('keeps an unknown rating as exported', () => {
    expect(callerColumns(withCallerFeedback({ rating: 'superb' }))[0]).toEqual(['superb', null, null]);
  });

  it.each([
    ['tokens a string', { rating: 'bad', tokens: 'NoSound' }],
    ['tokens an array', { rating: 'bad', tokens: ['NoSound'] }],
    ['tokens a number, text an object', { rating: 'bad', tokens: 3, text: { a: 1 } }],
    ['token values not booleans', { rating: 'bad', tokens: { NoSound: 'true', Echo: 1 } }],
  ])('hostile feedback (%s) keeps the record and its rating, and no token', (_, feedback) => {
    const raw = withCallerFeedback(feedback as Json);
    expect(validateCallRecord(raw).ok).toBe(true);
    expect(callerColumns(raw)[0]).toEqual(['bad', null, null]);
  });

  it('takes the session endpoint feedback, else the segment endpoint one; never a service endpoint', () => {
    const raw = p2pRecord();
    const session = (raw.sessions as JsonObject[])[0]!;
    delete (session.callee as JsonObject).feedback;
    const segment = (session.segments as JsonObject[])[0]!;
    segment.callee = { ...(session.callee as JsonObject), feedback: { rating: 'fair' } };
    expect(rows(flattenToBatches([parsed(raw)], CQD).streams)[0]!.callee_feedback_rating).toBe('fair');
    session.callee = { '@odata.type': '#microsoft.graph.callRecords.serviceEndpoint', feedback: { rating: 'bad' } };
    segment.callee = session.callee;
    expect(rows(flattenToBatches([parsed(raw)], CQD).streams)[0]!.callee_feedback_rating).toBeNull();
  });

  it('the projecting parser keeps tokens and text (what the workers read), equal to JSON.parse', () => {
    const raw = withCallerFeedback({ rating: 'bad', text: 'line\nbreak "quoted"', tokens: { NoSound: true, Echo: false, Nested: { x: [1, true] } } });
    const bytes = Buffer.from(JSON.stringify(raw));
    const projected = parseProjected(bytes, 0, bytes.length);
    const viaProjection = rows(flattenToBatches([parsed(projected)], CQD).streams);
    const viaJson = rows(flattenToBatches([parsed(JSON.parse(bytes.toString('utf8')))], CQD).streams);
    expect(viaProjection).toEqual(viaJson);
    expect(viaProjection[0]).toMatchObject({ caller_feedback_tokens: 'NoSound', caller_feedback_text: 'line\nbreak "quoted"' });
  });
});
