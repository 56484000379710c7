/**
 * Graph's callRecords, complete: the list of ids in a window, and one record with every session
 * and every participant, its `sessions@odata.nextLink` and `participants_v2@odata.nextLink` pages
 * followed and merged in, then each session's `segments@odata.nextLink`, so the record written
 * carries no nextLink.
 */
import { ErrorCode, fail } from '../errors.js';
import type { GraphClient } from './http.js';
import type { FetchWindow } from './window.js';
import { listFilter } from './window.js';

export const CALL_RECORDS_PATH = 'v1.0/communications/callRecords';
/** Pages followed for one collection at the most (sessions page at 60: 600,000 sessions). */
const MAX_PAGES = 10_000;

/** The paged collections of a record: property and its nextLink. */
const PAGED = ['sessions', 'participants_v2'] as const;
export type PagedCollection = (typeof PAGED)[number];

export type RecordFetch =
  | { readonly status: 'ok'; readonly record: Record<string, unknown>; readonly pages: Readonly<Record<PagedCollection | 'segments', number>> }
  | { readonly status: 'missing'; readonly reason: string };

export interface PageOptions {
  readonly signal?: AbortSignal;
  /** Abandons waits, not requests on the wire (see GraphClient.get). */
  readonly stop?: AbortSignal;
  /** Called with each page's items (the list: in order). */
  readonly onPage?: (items: number) => void;
  /** A 404 on a page ends the walk with `notFound` (else it is E_REMOTE). */
  readonly notFoundOk?: boolean;
}

export interface PagesRead {
  readonly pages: number;
  /** Why a page answered 404 (with notFoundOk), else null. */
  readonly notFound: string | null;
}

/**
 * Every page of a collection (`{value: [...], "@odata.nextLink"}`; PSTN and Direct Routing logs
 * also spell it `@odata.NextLink`), handed to `onItems` page by page.
 */
export async function followPages(
  client: GraphClient,
  first: URL,
  onItems: (items: readonly unknown[]) => void | Promise<void>,
  options: PageOptions = {},
): Promise<PagesRead> {
  const seen = new Set<string>();
  let url: URL | null = first;
  let pages = 0;
  while (url !== null) {
    if (seen.has(url.href)) throw fail(ErrorCode.Remote, `${first.pathname}: Graph's nextLink points back to a page already read`);
    if (++pages > MAX_PAGES) throw fail(ErrorCode.Remote, `${first.pathname}: more than ${MAX_PAGES} pages`);
    seen.add(url.href);
    const page = await client.get(url, {
      ...(options.signal === undefined ? {} : { signal: options.signal }),
      ...(options.stop === undefined ? {} : { stop: options.stop }),
      notFoundOk: options.notFoundOk === true,
    });
    if (page.status === 'not_found') return { pages, notFound: page.reason };
    const items = page.body.value;
    if (!Array.isArray(items)) throw fail(ErrorCode.Remote, `${url.pathname}: the page holds no "value" array`);
    await onItems(items);
    options.onPage?.(items.length);
    const next = page.body['@odata.nextLink'] ?? page.body['@odata.NextLink'];
    url = next === undefined || next === null ? null : client.link(next, url.pathname);
  }
  return { pages, notFound: null };
}

/** The ids of the call records that started in the window, each once, in the order listed. */
export async function listCallRecordIds(client: GraphClient, window: FetchWindow, options: PageOptions = {}): Promise<string[]> {
  const ids = new Set<string>();
  const first = client.url(CALL_RECORDS_PATH, { $filter: listFilter(window) });
  await followPages(
    client,
    first,
    (items) => {
      for (const item of items) {
        const id = (item as { id?: unknown } | null)?.id;
        if (typeof id !== 'string' || id === '') throw fail(ErrorCode.Remote, `${first.pathname}: a listed item has no id`);
        ids.add(id);
      }
    },
    options,
  );
  return [...ids];
}

/** One record with its sessions (and their segments) and participants, every page merged in. */
export async function fetchCompleteRecord(
  client: GraphClient,
  id: string,
  options: { readonly signal?: AbortSignal; readonly stop?: AbortSignal; readonly onFirst?: () => void } = {},
): Promise<RecordFetch> {
  const signal = options.signal === undefined ? {} : { signal: options.signal };
  const url = client.url(`${CALL_RECORDS_PATH}/${encodeURIComponent(id)}`, { $expand: 'sessions($expand=segments)' });
  // Once Graph has answered, the record is finished even when a stop is asked: its pages are not waits to abandon.
  const answer = await client.get(url, { ...signal, ...(options.stop === undefined ? {} : { stop: options.stop }), notFoundOk: true });
  if (answer.status === 'not_found') return { status: 'missing', reason: answer.reason };
  options.onFirst?.();
  const record = answer.body;
  if (record.id !== id) throw fail(ErrorCode.Remote, `${url.pathname}: Graph answered with the record ${JSON.stringify(record.id)}`);
  const pages = { sessions: 0, participants_v2: 0, segments: 0 };
  const follow = async (owner: Record<string, unknown>, name: string, where: string): Promise<PagesRead | null> => {
    const key = `${name}@odata.nextLink`;
    const link = owner[key];
    delete owner[key];
    if (link === undefined || link === null) return null;
    const merged = owner[name];
    if (!Array.isArray(merged)) throw fail(ErrorCode.Remote, `${url.pathname}: ${where}${key} without a ${name} array`);
    return followPages(client, client.link(link, url.pathname), (items) => void merged.push(...items), { ...signal, notFoundOk: true });
  };
  for (const name of PAGED) {
    const read = await follow(record, name, '');
    // The record went away between its first page and a later one.
    if (read?.notFound != null) return { status: 'missing', reason: `${name} page: ${read.notFound}` };
    pages[name] = read?.pages ?? 0;
  }
  // Every session is here now: the segments a session's own page holds back.
  const sessions = Array.isArray(record.sessions) ? record.sessions : [];
  for (const [index, session] of sessions.entries()) {
    if (typeof session !== 'object' || session === null || Array.isArray(session)) continue;
    const read = await follow(session as Record<string, unknown>, 'segments', `session ${index}: `);
    if (read?.notFound != null) return { status: 'missing', reason: `segments page: ${read.notFound}` };
    pages.segments += read?.pages ?? 0;
  }
  return { status: 'ok', record, pages };
}
