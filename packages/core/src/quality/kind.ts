import type { StreamKind } from './types.js';

/** Codec values that name no codec: a stream carrying only these is not placed by its codec. */
const NO_CODEC = new Set(['', 'unknown', 'invalid', 'unknownfuturevalue']);

function isCodec(codec: string | null): boolean {
  return codec !== null && !NO_CODEC.has(codec.trim().toLowerCase());
}

/**
 * Which kind of media a stream carries, from its media label first, then its codec.
 *
 * | media label (trimmed, case-insensitive)              | kind        |
 * |------------------------------------------------------|-------------|
 * | `main-audio`                                         | audio       |
 * | `main-video`                                         | video       |
 * | `applicationsharing-video`                           | vbss        |
 * | `data`                                               | data        |
 * | any other label containing `applicationsharing`      | appsharing  |
 * | any other label, or none: audioCodec names a codec   | audio       |
 * | ... else videoCodec names a codec                    | video       |
 * | ... else                                             | unknown     |
 *
 * The label wins over the codec. `unknown`, `invalid`, `unknownFutureValue` and the empty string
 * name no codec. An audio codec wins over a video codec when an unfamiliar label carries both.
 */
export function streamKind(label: string | null, audioCodec: string | null, videoCodec: string | null): StreamKind {
  const name = label === null ? '' : label.trim().toLowerCase();
  switch (name) {
    case 'main-audio':
      return 'audio';
    case 'main-video':
      return 'video';
    case 'applicationsharing-video':
      return 'vbss';
    case 'data':
      return 'data';
  }
  if (name.includes('applicationsharing')) return 'appsharing';
  if (isCodec(audioCodec)) return 'audio';
  if (isCodec(videoCodec)) return 'video';
  return 'unknown';
}
