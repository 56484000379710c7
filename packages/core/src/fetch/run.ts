/**
 * `fetchCallRecords`: list the call records of a window, get each one complete (every session and
 * participant page merged in), write them to gzip NDJSON shards in list order, keep the manifest
 * current, resume where an interrupted fetch stopped.
 *
 * Stopping: `signal` asks for a graceful stop. Listing stops at once; records not yet answered are
 * abandoned; records already answered finish their pages and are written; then the manifest says
 * `interrupted` and the run fails E_INTERRUPTED. A record is fetched once across the runs into a
 * folder: the ids written (and those that answered 404) are in the manifest and skipped on resume.
 */
import { ErrorCode, fail, isCallauditError } from '../errors.js';
import type { GraphClientOptions, GraphStats } from './http.js';
import { DEFAULT_CONCURRENCY, GraphClient } from './http.js';
import type { FetchCounts, FetchKind, Manifest } from './manifest.js';
import { FetchFolder, SHARD_FOLDER } from './manifest.js';
import { fetchCompleteRecord, listCallRecordIds } from './record.js';
import type { ShardInfo, ShardLimits } from './shards.js';
import { ShardWriter } from './shards.js';
import type { FetchWindow } from './window.js';
import { checkWindow, retentionWarning } from './window.js';

export interface FetchProgress {
  readonly phase: 'listing' | 'fetching' | 'done';
  /** Counts over every run into the folder, this run's requests included. */
  readonly counts: Readonly<FetchCounts>;
  /** Records still to fetch (0 while listing). */
  readonly pending: number;
}

export interface FetchOptions extends GraphClientOptions, FetchWindow {
  /** The fetch folder. */
  readonly out: string;
  /** Continue the fetch the folder holds (a new fetch refuses a folder that is not empty). */
  readonly resume?: boolean;
  readonly shard?: ShardLimits;
  /** A graceful stop (see above). */
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: FetchProgress) => void;
  readonly onWarning?: (message: string) => void;
}

export interface FetchResult {
  readonly out: string;
  readonly manifest: Manifest;
  /** Shards a previous, interrupted run wrote after its last manifest, adopted on resume. */
  readonly adopted: number;
  /** This run's requests. */
  readonly stats: Readonly<GraphStats>;
}

type Outcome =
  | { readonly kind: 'ok'; readonly id: string; readonly json: string; readonly pages: Readonly<Record<'sessions' | 'participants_v2' | 'segments', number>> }
  | { readonly kind: 'missing'; readonly id: string; readonly reason: string }
  | { readonly kind: 'abandoned' };

/** Records fetched ahead of the oldest one not yet written, per request slot (bounds memory). */
const AHEAD_PER_SLOT = 8;

export async function fetchCallRecords(options: FetchOptions): Promise<FetchResult> {
  const { client, folder, now } = await begin('callRecords', options);
  const { manifest } = folder;
  const base = { requests: manifest.counts.requests, retried: manifest.counts.retried, throttled: manifest.counts.throttled };
  const syncStats = (): void => {
    manifest.counts.requests = base.requests + client.stats.requests;
    manifest.counts.retried = base.retried + client.stats.retried;
    manifest.counts.throttled = base.throttled + client.stats.throttled;
  };
  let pending = 0;
  let phase: FetchProgress['phase'] = 'listing';
  const progress = (): void => {
    syncStats();
    options.onProgress?.({ phase, counts: { ...manifest.counts }, pending });
  };
  const stop = options.signal;
  const onStop = (): void => abandonWaiting();
  const inFlight = new Map<number, { answered: boolean; controller: AbortController }>();
  const abandonWaiting = (): void => {
    for (const task of inFlight.values()) if (!task.answered) task.controller.abort();
  };
  stop?.addEventListener('abort', onStop, { once: true });
  const writer = new ShardWriter(folder.path, SHARD_FOLDER.callRecords, folder.nextShard(), options.shard);

  const finish = async (status: Manifest['status']): Promise<void> => {
    manifest.status = status;
    syncStats();
    await folder.save(now());
  };
  const onShard = async (shard: ShardInfo | null): Promise<void> => {
    if (shard === null) return;
    manifest.shards.push(shard);
    await folder.save(now());
  };

  try {
    // 1. The list (read again on resume unless a run read it to its end).
    let listed: string[];
    if (manifest.listing.complete) listed = await folder.readListed();
    else {
      progress();
      listed = await listCallRecordIds(client, options, {
        ...(stop === undefined ? {} : { signal: stop }),
        onPage: () => {
          manifest.counts.listPages++;
          progress();
        },
      });
      await folder.writeListed(listed);
      manifest.listing = { complete: true, ids: listed.length };
      manifest.counts.listed = listed.length;
      await folder.save(now());
    }

    // 2. The records not done yet, in list order.
    const done = folder.doneIds();
    const todo = listed.filter((id) => !done.has(id));
    phase = 'fetching';
    pending = todo.length;
    progress();
    const results = new Map<number, Outcome>();
    let committed = 0;
    let next = 0;
    let failure: unknown = null;
    const waiting: Array<() => void> = [];
    const advanced = (): void => {
      for (const wake of waiting.splice(0)) wake();
    };
    const ahead = AHEAD_PER_SLOT * (options.concurrency ?? DEFAULT_CONCURRENCY);

    const commit = async (outcome: Outcome): Promise<void> => {
      if (outcome.kind === 'abandoned') return;
      pending--;
      if (outcome.kind === 'missing') {
        manifest.missing.push({ id: outcome.id, reason: outcome.reason });
        manifest.counts.missing++;
      } else {
        manifest.counts.written++;
        manifest.counts.sessionPages += outcome.pages.sessions;
        manifest.counts.participantPages += outcome.pages.participants_v2;
        manifest.counts.segmentPages += outcome.pages.segments;
        await onShard(await writer.add(outcome.json, outcome.id));
      }
      progress();
    };
    // Written in list order, one writer at a time.
    let writing = Promise.resolve();
    const drain = (): Promise<void> =>
      (writing = writing.then(async () => {
        while (results.has(committed)) {
          const outcome = results.get(committed)!;
          results.delete(committed++);
          await commit(outcome);
        }
        advanced();
      }));

    const fetchOne = async (index: number): Promise<Outcome> => {
      const id = todo[index]!;
      const controller = new AbortController();
      const task = { answered: false, controller };
      inFlight.set(index, task);
      try {
        const fetched = await fetchCompleteRecord(client, id, {
          stop: controller.signal,
          onFirst: () => {
            task.answered = true;
          },
        });
        if (fetched.status === 'missing') return { kind: 'missing', id, reason: fetched.reason };
        return { kind: 'ok', id, json: JSON.stringify(fetched.record), pages: fetched.pages };
      } catch (error) {
        if (!task.answered && controller.signal.aborted && failure === null) return { kind: 'abandoned' };
        throw error;
      } finally {
        inFlight.delete(index);
      }
    };

    const worker = async (): Promise<void> => {
      while (failure === null && !stop?.aborted && next < todo.length) {
        if (next - committed >= ahead) {
          await new Promise<void>((resolve) => waiting.push(resolve));
          continue;
        }
        const index = next++;
        try {
          results.set(index, await fetchOne(index));
        } catch (error) {
          // As for a stop: the records Graph has answered are finished and written, the others left.
          failure ??= error;
          abandonWaiting();
          results.set(index, { kind: 'abandoned' });
        }
        await drain();
      }
      advanced();
    };
    await Promise.all(Array.from({ length: options.concurrency ?? DEFAULT_CONCURRENCY }, worker));
    await drain();

    // Stopped or failed: what was answered is written, out of order if it must.
    for (const index of [...results.keys()].sort((a, b) => a - b)) await commit(results.get(index)!);
    results.clear();
    await onShard(await writer.cut());
    if (failure !== null) {
      await finish('failed');
      throw failure;
    }
    if (stop?.aborted) {
      await finish('interrupted');
      throw fail(ErrorCode.Interrupted, `fetch interrupted: ${manifest.counts.written} records written, ${pending} to go; continue with --resume`);
    }
    phase = 'done';
    await finish('complete');
    progress();
    return { out: folder.path, manifest, adopted: folder.adopted.length, stats: { ...client.stats } };
  } catch (error) {
    await writer.abandon();
    if (manifest.status === 'running') {
      manifest.counts.written = manifest.shards.reduce((sum, shard) => sum + shard.records, 0);
      const interrupted = stop?.aborted || (isCallauditError(error) && error.code === ErrorCode.Interrupted);
      await finish(interrupted ? 'interrupted' : 'failed').catch(() => undefined);
    }
    if (stop?.aborted && !(isCallauditError(error) && error.code === ErrorCode.Interrupted)) {
      throw fail(ErrorCode.Interrupted, 'fetch interrupted; continue with --resume', { cause: error });
    }
    throw error;
  } finally {
    stop?.removeEventListener('abort', onStop);
  }
}

/** What every fetch starts with: the window checked, the client made, the folder opened. */
export async function begin(kind: FetchKind, options: FetchOptions): Promise<{ client: GraphClient; folder: FetchFolder; now: () => Date }> {
  checkWindow(options);
  const client = new GraphClient(options);
  const clock = options.now ?? Date.now;
  const now = (): Date => new Date(clock());
  if (kind === 'callRecords') {
    const warning = retentionWarning(options, clock());
    if (warning !== null) options.onWarning?.(warning);
  }
  if (options.signal?.aborted) throw fail(ErrorCode.Interrupted, 'fetch interrupted before it started');
  const folder = await FetchFolder.open(options.out, kind, options, client.base.href.replace(/\/$/, ''), options.resume === true, now());
  return { client, folder, now };
}
