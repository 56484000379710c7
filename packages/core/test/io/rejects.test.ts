import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeRejectLine } from '../../src/io/rejects.js';
import type { RejectEntry } from '../../src/io/rejects.js';

const entry: RejectEntry = {
  file: 'dumps/2026-01-02.ndjson.gz',
  offset: 1_048_576,
  index: 17,
  id: '2f1a0c5e-6f3b-4c1d-9a3e-1b2c3d4e5f60',
  kind: 'schema',
  reason: 'sessions[0].segments[1].media[0].streams[0].averageJitter: expected an ISO-8601 duration, got 12',
  snippet: '{"id":"2f1a0c5e-6f3b-4c1d-9a3e-1b2c3d4e5f60","version":3,"sessions":[{"id":"a"',
};

describe('encodeRejectLine', () => {
  it('writes one JSON object, fields in a fixed order, newline-terminated', () => {
    const line = encodeRejectLine(entry);
    expect(line.endsWith('\n')).toBe(true);
    expect(line.indexOf('\n')).toBe(line.length - 1);
    expect(Object.keys(JSON.parse(line) as object)).toEqual(['file', 'offset', 'index', 'id', 'kind', 'reason', 'snippet']);
    expect(JSON.parse(line)).toEqual(entry);
  });

  it('keeps nulls and drops fields outside the contract', () => {
    const line = encodeRejectLine({ ...entry, index: null, id: null, extra: 'x' } as RejectEntry);
    expect(JSON.parse(line)).toEqual({ ...entry, index: null, id: null });
  });

  it('stays one line whatever the snippet holds (newlines, U+2028, lone surrogates, quotes)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 60 }), fc.string({ maxLength: 20 }), (snippet, reason) => {
        const line = encodeRejectLine({ ...entry, snippet: `${snippet}\r\n\u2028"`, reason });
        expect(line.slice(0, -1)).not.toMatch(/[\r\n]/);
        expect(JSON.parse(line)).toEqual({ ...entry, snippet: `${snippet}\r\n\u2028"`, reason });
      }),
    );
  });

  it('escapes a lone surrogate (a snippet cut inside a pair) so the file stays valid UTF-8', () => {
    const line = encodeRejectLine({ ...entry, snippet: 'ab\ud83d' });
    expect(line).toContain('"snippet":"ab\\ud83d"');
    expect(Buffer.from(line, 'utf8').toString('utf8')).toBe(line);
  });
});
