/** Test helpers: walk records down to their streams, parse ISO-8601 durations, split concatenated JSON. */
type Obj = Record<string, unknown>;

export interface StreamVisit {
  readonly record: Obj;
  readonly session: Obj;
  readonly segment: Obj;
  readonly media: Obj;
  readonly stream: Obj;
}

function list(value: unknown, where: string): Obj[] {
  if (!Array.isArray(value)) throw new Error(`${where} is not an array`);
  return value as Obj[];
}

export function* streamsOf(record: Obj): Generator<StreamVisit> {
  for (const session of list(record.sessions, 'sessions')) {
    for (const segment of list(session.segments, 'segments')) {
      for (const media of list(segment.media, 'media')) {
        for (const stream of list(media.streams, 'streams')) yield { record, session, segment, media, stream };
      }
    }
  }
}

const DURATION = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;

/** Milliseconds of an ISO-8601 duration ("PT0.016S", "PT1M5.2S"); throws on anything else. */
export function durationMs(text: unknown): number {
  if (typeof text !== 'string' || text === 'P' || text.endsWith('T')) throw new Error(`not an ISO-8601 duration: ${JSON.stringify(text)}`);
  const m = DURATION.exec(text);
  if (!m) throw new Error(`not an ISO-8601 duration: ${JSON.stringify(text)}`);
  const [, d, h, min, s] = m;
  return (((Number(d ?? 0) * 24 + Number(h ?? 0)) * 60 + Number(min ?? 0)) * 60 + Number(s ?? 0)) * 1000;
}

/** Splits JSON documents written one after another (whitespace between), tracking strings and depth. */
export function splitDocuments(text: string): string[] {
  const docs: string[] = [];
  let depth = 0;
  let inString = false;
  let start = -1;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') inString = true;
    else if (c === '{' || c === '[') {
      if (depth === 0) start = i;
      depth++;
    } else if (c === '}' || c === ']') {
      depth--;
      if (depth === 0) docs.push(text.slice(start, i + 1));
    } else if (depth === 0 && !/\s/.test(c!)) throw new Error(`unexpected ${JSON.stringify(c)} between documents at ${i}`);
  }
  if (depth !== 0) throw new Error('unterminated document');
  return docs;
}

/** Small, fast records for tests that are not about sizes. */
export const SMALL = { groupMedianSessions: 2, maxSessions: 6 } as const;
