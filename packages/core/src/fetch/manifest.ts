/**
 * The fetch folder and its manifest (`manifest.json`): what was asked (kind, window, Graph's root),
 * what is done (the shards and the ids in them, the ids that answered 404, the log pieces
 * finished), and the counts. Rewritten atomically after every shard, so an interrupted fetch
 * resumes where the last manifest says; a shard renamed into place after the last manifest (a crash
 * between the two) is adopted on resume, never fetched again. A new fetch refuses a folder that is
 * not empty; `resume` refuses a manifest of another kind, window or Graph root.
 */
import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { ErrorCode, fail } from '../errors.js';
import type { ShardInfo } from './shards.js';
import { SHARD_NAME, shardIds, TEMP_NAME, writeAtomic } from './shards.js';
import type { FetchWindow } from './window.js';
import { iso } from './window.js';

export type FetchKind = 'callRecords' | 'pstnCalls' | 'directRoutingCalls';

/** The shards' folder of each kind, inside the fetch folder. */
export const SHARD_FOLDER: Readonly<Record<FetchKind, string>> = { callRecords: 'records', pstnCalls: 'pstn', directRoutingCalls: 'direct-routing' };
export const MANIFEST = 'manifest.json';
export const LISTED = 'listed.txt';
export const MISSING = 'missing.jsonl';

export type FetchStatus = 'running' | 'interrupted' | 'failed' | 'complete';

export interface FetchCounts {
  /** Call records listed in the window (distinct ids); log rows are not listed. */
  listed: number;
  /** Records (or log rows) written to shards. */
  written: number;
  /** Records that answered 404 (listed in missing.jsonl). */
  missing: number;
  /** Pages followed beyond a record's first answer, and list / log pages. */
  sessionPages: number;
  participantPages: number;
  /** Pages of a session's segments (segments@odata.nextLink); 0 when a manifest written before it was counted is resumed. */
  segmentPages: number;
  listPages: number;
  /** HTTP requests to Graph, retries and throttled waits: over every run into this folder. */
  requests: number;
  retried: number;
  throttled: number;
}

export interface ShardEntry extends ShardInfo {
  /** Log fetches: the piece of the window the shard belongs to. */
  readonly piece?: number;
}

export interface MissingEntry {
  readonly id: string;
  readonly reason: string;
}

export interface LogPiece {
  readonly since: string;
  readonly until: string;
  done: boolean;
  rows: number;
}

export interface Manifest {
  readonly tool: 'callaudit';
  readonly format: 1;
  readonly kind: FetchKind;
  readonly graphUrl: string;
  readonly window: { readonly since: string; readonly until: string };
  status: FetchStatus;
  readonly started: string;
  updated: string;
  /** Runs into this folder (1 + resumes). */
  runs: number;
  /** Call records: whether the list was read to its end (its ids are in listed.txt). */
  listing: { complete: boolean; ids: number };
  counts: FetchCounts;
  shards: ShardEntry[];
  missing: MissingEntry[];
  /** Log fetches: the window in pieces of at most 90 days. */
  pieces: LogPiece[];
}

export class FetchFolder {
  private constructor(
    readonly path: string,
    readonly manifest: Manifest,
    /** Shards of the folder's shard folder that the manifest did not list (adopted on resume). */
    readonly adopted: readonly ShardEntry[],
  ) {}

  /**
   * Opens the folder for a fetch: a new manifest in an absent or empty folder; with `resume`, the
   * existing manifest (when there is one) after checking it matches.
   */
  static async open(out: string, kind: FetchKind, window: FetchWindow, graphUrl: string, resume: boolean, now: Date): Promise<FetchFolder> {
    const path = resolve(out);
    const entries = await readdir(path).catch((cause: NodeJS.ErrnoException) => {
      if (cause.code === 'ENOENT') return null;
      throw fail(ErrorCode.Output, `cannot read the output folder ${path}: ${cause.message}`, { cause, file: path });
    });
    const shardDir = join(path, SHARD_FOLDER[kind]);
    if (entries !== null && entries.length > 0) {
      if (!resume)
        throw fail(ErrorCode.Output, `the output folder ${path} exists and is not empty: use --resume to continue the fetch it holds, or choose a new folder`, {
          file: path,
        });
      if (entries.includes(MANIFEST)) {
        const manifest = await readManifest(join(path, MANIFEST));
        checkSame(manifest, kind, window, graphUrl, path);
        manifest.runs++;
        manifest.status = 'running';
        const adopted = await tidy(path, shardDir, manifest);
        return new FetchFolder(path, manifest, adopted);
      }
      throw fail(ErrorCode.Output, `--resume: ${path} holds no ${MANIFEST}: it is not a fetch folder`, { file: path });
    }
    await mkdir(shardDir, { recursive: true }).catch((cause: Error) => {
      throw fail(ErrorCode.Output, `cannot create ${shardDir}: ${cause.message}`, { cause, file: shardDir });
    });
    const manifest: Manifest = {
      tool: 'callaudit',
      format: 1,
      kind,
      graphUrl,
      window: { since: iso(window.since), until: iso(window.until) },
      status: 'running',
      started: now.toISOString(),
      updated: now.toISOString(),
      runs: 1,
      listing: { complete: false, ids: 0 },
      counts: { listed: 0, written: 0, missing: 0, sessionPages: 0, participantPages: 0, segmentPages: 0, listPages: 0, requests: 0, retried: 0, throttled: 0 },
      shards: [],
      missing: [],
      pieces: [],
    };
    const folder = new FetchFolder(path, manifest, []);
    await folder.save(now);
    return folder;
  }

  /** The number the next shard gets. */
  nextShard(): number {
    let max = 0;
    for (const shard of this.manifest.shards) max = Math.max(max, Number(SHARD_NAME.exec(shard.file.split('/').pop()!)?.[1] ?? 0));
    return max + 1;
  }

  /** Ids in shards or known missing: never fetched again. */
  doneIds(): Set<string> {
    const done = new Set<string>();
    for (const shard of this.manifest.shards) for (const id of shard.ids) done.add(id);
    for (const entry of this.manifest.missing) done.add(entry.id);
    return done;
  }

  async writeListed(ids: readonly string[]): Promise<void> {
    await writeAtomic(join(this.path, LISTED), ids.map((id) => `${id}\n`).join(''));
  }

  async readListed(): Promise<string[]> {
    const text = await readFile(join(this.path, LISTED), 'utf8').catch((cause: Error) => {
      throw fail(ErrorCode.Input, `the manifest says the list is complete, but ${LISTED} cannot be read: ${cause.message}`, {
        cause,
        file: join(this.path, LISTED),
      });
    });
    return text.split('\n').filter((line) => line !== '');
  }

  /** Writes missing.jsonl (when there are missing records) and the manifest, atomically. */
  async save(now: Date): Promise<void> {
    this.manifest.updated = now.toISOString();
    if (this.manifest.missing.length > 0)
      await writeAtomic(join(this.path, MISSING), this.manifest.missing.map((entry) => `${JSON.stringify(entry)}\n`).join(''));
    await writeAtomic(join(this.path, MANIFEST), `${JSON.stringify(this.manifest, null, 1)}\n`);
  }
}

async function readManifest(path: string): Promise<Manifest> {
  let value: unknown;
  try {
    value = JSON.parse(await readFile(path, 'utf8'));
  } catch (cause) {
    throw fail(ErrorCode.Input, `cannot read the manifest: ${(cause as Error).message}`, { cause, file: path });
  }
  const manifest = value as Partial<Manifest> | null;
  const ok =
    manifest?.tool === 'callaudit' &&
    manifest.format === 1 &&
    Array.isArray(manifest.shards) &&
    manifest.shards.every((shard) => typeof shard?.file === 'string' && Array.isArray(shard.ids)) &&
    Array.isArray(manifest.missing) &&
    Array.isArray(manifest.pieces) &&
    typeof manifest.counts === 'object' &&
    typeof manifest.listing === 'object';
  if (!ok) throw fail(ErrorCode.Input, 'not a callaudit fetch manifest (format 1)', { file: path });
  // written before segment pages were counted
  manifest.counts!.segmentPages ??= 0;
  return manifest as Manifest;
}

function checkSame(manifest: Manifest, kind: FetchKind, window: FetchWindow, graphUrl: string, path: string): void {
  const asked = { kind, since: iso(window.since), until: iso(window.until), graphUrl };
  const held = { kind: manifest.kind, since: manifest.window.since, until: manifest.window.until, graphUrl: manifest.graphUrl };
  const differ = (Object.keys(asked) as Array<keyof typeof asked>).filter((key) => asked[key] !== held[key]);
  if (differ.length > 0) {
    const what = differ.map((key) => `${key} ${held[key]} (asked: ${asked[key]})`).join(', ');
    throw fail(ErrorCode.Usage, `--resume: ${path} holds another fetch: ${what}`);
  }
}

/**
 * Before a resume: removes temporary files left by a crash; adopts call-record shards the manifest
 * does not list (renamed into place just before an interruption); removes log shards of pieces that
 * did not finish and shards it cannot read.
 */
async function tidy(path: string, shardDir: string, manifest: Manifest): Promise<ShardEntry[]> {
  await mkdir(shardDir, { recursive: true });
  for (const name of await readdir(path)) if (TEMP_NAME.test(name)) await rm(join(path, name), { force: true });
  const sub = shardDir.slice(path.length + 1);
  const listed = new Set(manifest.shards.map((shard) => shard.file));
  if (manifest.kind !== 'callRecords') {
    const finished = new Set(manifest.pieces.flatMap((piece, index) => (piece.done ? [index] : [])));
    manifest.shards = manifest.shards.filter((shard) => shard.piece !== undefined && finished.has(shard.piece));
  }
  const keep = new Set(manifest.shards.map((shard) => shard.file));
  const adopted: ShardEntry[] = [];
  for (const name of (await readdir(shardDir)).sort()) {
    const file = `${sub}/${name}`;
    if (keep.has(file)) continue;
    if (manifest.kind === 'callRecords' && SHARD_NAME.test(name) && !listed.has(file)) {
      const read = await shardIds(join(shardDir, name)).catch(() => null);
      if (read !== null) {
        const entry: ShardEntry = { file, records: read.ids.length, bytes: read.bytes, ids: read.ids };
        manifest.shards.push(entry);
        manifest.counts.written += read.ids.length;
        adopted.push(entry);
        continue;
      }
    }
    if (SHARD_NAME.test(name) || TEMP_NAME.test(name)) await rm(join(shardDir, name), { force: true });
  }
  if (manifest.kind !== 'callRecords') manifest.counts.written = manifest.shards.reduce((sum, shard) => sum + shard.records, 0);
  return adopted;
}
