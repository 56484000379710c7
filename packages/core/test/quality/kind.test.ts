import { describe, expect, it } from 'vitest';
import { streamKind } from '../../src/quality/index.js';

describe('streamKind', () => {
  it.each([
    // [label, audioCodec, videoCodec, kind]
    ['main-audio', 'opus', null, 'audio'],
    ['main-audio', null, null, 'audio'],
    ['main-audio', null, 'h264', 'audio'], // the label wins over the codec
    ['main-video', null, 'h264', 'video'],
    ['main-video', 'satin', null, 'video'],
    ['applicationsharing-video', null, 'h264s', 'vbss'],
    ['data', null, null, 'data'],
    ['applicationsharing', null, null, 'appsharing'],
    ['applicationsharing-rdp', null, 'rtVideo', 'appsharing'],
    ['Main-Audio', null, null, 'audio'], // labels are matched trimmed, case-insensitively
    [' main-video ', null, null, 'video'],
    ['APPLICATIONSHARING-VIDEO', null, null, 'vbss'],
    ['panoramic-video', null, 'h264', 'video'], // an unfamiliar label is placed by its codec
    ['main-audio-2', 'silkWide', null, 'audio'],
    [null, 'pcmu', null, 'audio'],
    [null, null, 'av1', 'video'],
    [null, 'g722', 'h264', 'audio'], // both codecs: audio first
    ['', null, 'h264', 'video'],
    [null, 'unknown', 'h264', 'video'], // 'unknown' and 'invalid' name no codec
    [null, 'invalid', 'unknown', 'unknown'],
    [null, 'unknownFutureValue', '', 'unknown'],
    ['videobasedscreensharing', null, null, 'unknown'],
    [null, null, null, 'unknown'],
  ] as const)('label %j, audio %j, video %j -> %s', (label, audioCodec, videoCodec, kind) => {
    expect(streamKind(label, audioCodec, videoCodec)).toBe(kind);
  });
});
