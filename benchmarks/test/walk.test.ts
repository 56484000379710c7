import { describe, expect, it } from 'vitest';
import { countStreams, tally } from '../child/walk.js';
import type { Counts } from '../child/walk.js';

const stream = { streamDirection: 'callerToCallee', averageJitter: 'PT0.01S' };
const record = {
  id: 'r1',
  sessions: [
    {
      segments: [
        {
          media: [
            { label: 'main-audio', streams: [stream, stream] },
            { label: 'main-video', streams: [stream] },
          ],
        },
      ],
    },
    { segments: [{ media: [{ streams: [stream, stream] }] }, { media: [] }] },
  ],
};

describe('countStreams', () => {
  it('counts every stream under sessions, segments and media', () => {
    expect(countStreams(record)).toBe(5);
  });
  it('counts nothing where a level is missing, null or not an array', () => {
    expect(countStreams({})).toBe(0);
    expect(countStreams(null)).toBe(0);
    expect(countStreams('text')).toBe(0);
    expect(countStreams({ sessions: null })).toBe(0);
    expect(countStreams({ sessions: [{ segments: { media: [] } }] })).toBe(0);
    expect(countStreams({ sessions: [null, { segments: [{ media: [{ streams: 'x' }] }] }] })).toBe(0);
  });
  it('skips stream entries that are not objects', () => {
    expect(countStreams({ sessions: [{ segments: [{ media: [{ streams: [stream, null, 3, 'x', stream] }] }] }] })).toBe(2);
  });
});

describe('tally', () => {
  it('adds a record and its streams', () => {
    const counts: Counts = { records: 0, streams: 0 };
    tally(counts, record);
    tally(counts, {});
    expect(counts).toEqual({ records: 2, streams: 5 });
  });
});
