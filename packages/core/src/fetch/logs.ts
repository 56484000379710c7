/**
 * `fetchCallLogs`: the PSTN (`getPstnCalls`) and Direct Routing (`getDirectRoutingCalls`) logs of a
 * window, at most 90 days per request (a longer window is cut into pieces), every page followed
 * (`@odata.nextLink` or `@odata.NextLink`), rows written as gzip NDJSON shards. A piece is done when
 * its last page is written; a resume starts again at the first piece not done (its shards from the
 * interrupted run are removed). `signal` stops at once.
 */
import { ErrorCode, fail, isCallauditError } from '../errors.js';
import type { FetchResult, FetchOptions } from './run.js';
import { begin } from './run.js';
import { SHARD_FOLDER } from './manifest.js';
import type { FetchKind } from './manifest.js';
import { CALL_RECORDS_PATH, followPages } from './record.js';
import { ShardWriter } from './shards.js';
import { iso, splitWindow } from './window.js';

export type CallLogKind = 'pstn' | 'directRouting';

const FUNCTIONS: Readonly<Record<CallLogKind, { readonly kind: FetchKind; readonly name: string }>> = {
  pstn: { kind: 'pstnCalls', name: 'getPstnCalls' },
  directRouting: { kind: 'directRoutingCalls', name: 'getDirectRoutingCalls' },
};

export async function fetchCallLogs(which: CallLogKind, options: FetchOptions): Promise<FetchResult> {
  const { kind, name } = FUNCTIONS[which];
  const { client, folder, now } = await begin(kind, options);
  const { manifest } = folder;
  if (manifest.pieces.length === 0) manifest.pieces = splitWindow(options).map((piece) => ({ since: iso(piece.since), until: iso(piece.until), done: false, rows: 0 }));
  const base = { requests: manifest.counts.requests, retried: manifest.counts.retried, throttled: manifest.counts.throttled };
  const progress = (): void => {
    manifest.counts.requests = base.requests + client.stats.requests;
    manifest.counts.retried = base.retried + client.stats.retried;
    manifest.counts.throttled = base.throttled + client.stats.throttled;
    options.onProgress?.({ phase: 'fetching', counts: { ...manifest.counts }, pending: manifest.pieces.filter((piece) => !piece.done).length });
  };
  const writer = new ShardWriter(folder.path, SHARD_FOLDER[kind], folder.nextShard(), options.shard);
  const signal = options.signal === undefined ? {} : { signal: options.signal };
  try {
    await folder.save(now());
    for (const [index, piece] of manifest.pieces.entries()) {
      if (piece.done) continue;
      piece.rows = 0;
      const url = client.url(`${CALL_RECORDS_PATH}/${name}(fromDateTime=${piece.since},toDateTime=${piece.until})`);
      const keep = async (shard: Awaited<ReturnType<ShardWriter['cut']>>): Promise<void> => {
        if (shard === null) return;
        manifest.shards.push({ ...shard, piece: index });
        await folder.save(now());
      };
      await followPages(
        client,
        url,
        async (rows) => {
          for (const row of rows) {
            if (typeof row !== 'object' || row === null || Array.isArray(row)) throw fail(ErrorCode.Remote, `${name}: a row is not a JSON object`);
            piece.rows++;
            manifest.counts.written++;
            await keep(await writer.add(JSON.stringify(row), null));
          }
        },
        {
          ...signal,
          onPage: () => {
            manifest.counts.listPages++;
            progress();
          },
        },
      );
      await keep(await writer.cut());
      piece.done = true;
      await folder.save(now());
    }
    manifest.status = 'complete';
    await folder.save(now());
    progress();
    return { out: folder.path, manifest, adopted: 0, stats: { ...client.stats } };
  } catch (error) {
    await writer.abandon();
    const interrupted = options.signal?.aborted === true || (isCallauditError(error) && error.code === ErrorCode.Interrupted);
    manifest.status = interrupted ? 'interrupted' : 'failed';
    manifest.counts.written = manifest.shards.reduce((sum, shard) => sum + shard.records, 0);
    await folder.save(now()).catch(() => undefined);
    if (interrupted && !(isCallauditError(error) && error.code === ErrorCode.Interrupted)) throw fail(ErrorCode.Interrupted, `${name} interrupted; continue with --resume`, { cause: error });
    throw error;
  }
}
