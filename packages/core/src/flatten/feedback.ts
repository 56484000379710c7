/**
 * Rate My Call: what an endpoint's userFeedback says, bounded against hostile input. Graph's
 * userFeedback holds `rating` (notRated, bad, poor, fair, good, excellent, unknownFutureValue),
 * free `text`, and `tokens`, a feedbackTokenSet: an open set of name -> boolean whose names vary
 * between clients. Pure.
 */
import type { UserFeedback } from '../schema/index.js';
import { nonEmpty } from './identity.js';

/** Token names longer than this (UTF-16 code units) are not kept. */
export const MAX_TOKEN_NAME = 64;
/** At most this many tokens are kept per endpoint: the first in code-unit order. */
export const MAX_TOKENS = 32;
/** Feedback text is cut to this many UTF-16 code units. */
export const MAX_FEEDBACK_TEXT = 1000;

export interface SideFeedback {
  /** userFeedback.rating as exported; null when none. */
  readonly rating: string | null;
  /** The tokens reported true, in code-unit order, `;`-joined; null when none. */
  readonly tokens: string | null;
  readonly text: string | null;
}

const NO_FEEDBACK: SideFeedback = { rating: null, tokens: null, text: null };

/** A name kept as Graph spells it: 1..MAX_TOKEN_NAME code units, no `;` (the list separator), no control character. */
function keptName(name: string): boolean {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused
  return name.length > 0 && name.length <= MAX_TOKEN_NAME && !/[;\u0000-\u001f\u007f-\u009f]/.test(name);
}

/**
 * The names of the tokens set to `true` (a JSON boolean: `"true"`, 1 and the like are not), valid
 * names only, the first MAX_TOKENS in code-unit order, `;`-joined; null when none. Anything but a
 * plain object (an array, a string, a number) holds no token.
 */
export function trueTokens(tokens: unknown): string | null {
  if (tokens === null || typeof tokens !== 'object' || Array.isArray(tokens)) return null;
  const names: string[] = [];
  for (const [name, value] of Object.entries(tokens as Record<string, unknown>)) {
    if (value === true && keptName(name)) names.push(name);
  }
  if (names.length === 0) return null;
  names.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return names.slice(0, MAX_TOKENS).join(';');
}

/** Free text, cut to MAX_FEEDBACK_TEXT code units (never inside a surrogate pair); null when empty or not a string. */
export function feedbackText(text: unknown): string | null {
  if (typeof text !== 'string' || text.trim() === '') return null;
  if (text.length <= MAX_FEEDBACK_TEXT) return text;
  const end = /[\ud800-\udbff]/.test(text[MAX_FEEDBACK_TEXT - 1]!) ? MAX_FEEDBACK_TEXT - 1 : MAX_FEEDBACK_TEXT;
  return text.slice(0, end);
}

/** One side's feedback columns from its userFeedback (null: none). */
export function feedbackColumns(feedback: UserFeedback | null): SideFeedback {
  if (feedback === null) return NO_FEEDBACK;
  return { rating: nonEmpty(feedback.rating), tokens: trueTokens(feedback.tokens), text: feedbackText(feedback.text) };
}
