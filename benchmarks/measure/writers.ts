/**
 * Measures the writers on STREAMS-like data (seeded): CSV text, Arrow IPC, Parquet (one file from
 * all parts, and one part file per batch in worker threads). Not a test: run by hand,
 *
 *   node --max-old-space-size=8192 --import tsx benchmarks/measure/writers.ts [rows] [batchRows] [workers]
 *
 * Prints one line per measure: wall time, CPU time of the process, sizes.
 */
import { availableParallelism } from 'node:os';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { wasmMemory } from 'parquet-wasm';
import { encodeCsv } from '../../packages/core/src/io/csv.js';
import { batchToIPC, encodeParquet } from '../../packages/core/src/io/parquet.js';
import type { ColumnBatch } from '../../packages/core/src/table/schema.js';
import { streamsLikeBatch } from '../../packages/core/test/io/fixtures.js';

interface Timed<T> {
  readonly value: T;
  readonly wallMs: number;
  readonly cpuMs: number;
}

function timed<T>(run: () => T): Timed<T> {
  const cpu = process.cpuUsage();
  const start = performance.now();
  const value = run();
  const used = process.cpuUsage(cpu);
  return { value, wallMs: performance.now() - start, cpuMs: (used.user + used.system) / 1000 };
}

const mb = (bytes: number): string => `${(bytes / 1e6).toFixed(1)} MB`;
const line = (what: string, t: { wallMs: number; cpuMs: number }, rows: number, extra = ''): string =>
  `${what.padEnd(40)} wall ${(t.wallMs / 1000).toFixed(2).padStart(6)} s  cpu ${(t.cpuMs / 1000).toFixed(2).padStart(6)} s = ${((t.cpuMs * 1000) / rows).toFixed(1).padStart(5)} µs/row  ${extra}`;

/** Lets V8 and the wasm engine tier up before anything is timed. */
function warmUp(): void {
  const batch = streamsLikeBatch(2_000, 999);
  for (let k = 0; k < 3; k++) {
    encodeCsv(batch);
    encodeParquet([batchToIPC(batch)]);
  }
}

/** Sums of one measure over the batches. */
class Tally {
  wallMs = 0;
  cpuMs = 0;
  add<T>(t: Timed<T>): T {
    this.wallMs += t.wallMs;
    this.cpuMs += t.cpuMs;
    return t.value;
  }
}

/**
 * Generates the batches one at a time (untimed) and hands each to `use`, so the heap holds one
 * batch at a time, as in the engine (a heap of 1M rows of JS values would make GC the measure).
 */
function eachBatch(count: number, rows: number, firstSeed: number, use: (batch: ColumnBatch) => void): void {
  for (let k = 0; k < count; k++) use(streamsLikeBatch(rows, firstSeed + k));
}

/** In a worker: encode `count` batches of `rows` rows, one Parquet part file each; report times. */
function workerMain(): void {
  const { count, rows, firstSeed } = workerData as { count: number; rows: number; firstSeed: number };
  warmUp();
  const tally = new Tally();
  let bytes = 0;
  eachBatch(count, rows, firstSeed, (batch) => {
    bytes += tally.add(timed(() => encodeParquet([batchToIPC(batch)]).length));
  });
  parentPort!.postMessage({ wallMs: tally.wallMs, cpuMs: tally.cpuMs, bytes });
}

/** Workers load this TypeScript file through tsx's API (`--import tsx` does not reach workers). */
const BOOT = `import('tsx/esm/api').then(({ tsImport }) => tsImport(require('node:worker_threads').workerData.module, __filename))`;

async function main(): Promise<void> {
  const rows = Number(process.argv[2] ?? 1_000_000);
  const batchRows = Number(process.argv[3] ?? 50_000);
  const workers = Number(process.argv[4] ?? Math.min(2, availableParallelism()));
  const count = Math.ceil(rows / batchRows);
  const print = (text: string): boolean => process.stdout.write(`${text}\n`);
  print(`${rows} rows x ${streamsLikeBatch(1).schema.columns.length} columns in ${count} batches of ${batchRows}; ${availableParallelism()} CPUs`);

  warmUp();
  const csv = new Tally();
  const ipc = new Tally();
  const parts: Uint8Array[] = [];
  let csvBytes = 0;
  eachBatch(count, batchRows, 1, (batch) => {
    csvBytes += Buffer.byteLength(csv.add(timed(() => encodeCsv(batch))));
    parts.push(ipc.add(timed(() => batchToIPC(batch))));
  });
  print(line('encodeCsv, batch by batch', csv, rows, `${mb(csvBytes)} UTF-8`));
  print(line('batchToIPC, batch by batch', ipc, rows, `${mb(parts.reduce((a, b) => a + b.length, 0))} IPC`));

  for (const compression of ['zstd', 'snappy'] as const) {
    const parquet = timed(() => encodeParquet(parts, { compression }));
    print(line(`encodeParquet ${compression}, one file`, parquet, rows, `${mb(parquet.value.length)} file, wasm memory ${mb(wasmMemory().buffer.byteLength)}`));
  }

  const perWorker = Math.ceil(count / workers);
  const start = performance.now();
  const results = await Promise.all(
    Array.from({ length: workers }, (_, w) => {
      const worker = new Worker(BOOT, {
        eval: true,
        workerData: { module: import.meta.url, count: Math.min(perWorker, count - w * perWorker), rows: batchRows, firstSeed: 1 + w * perWorker },
        resourceLimits: { maxOldGenerationSizeMb: 6_000 },
      });
      return new Promise<{ wallMs: number; cpuMs: number; bytes: number }>((resolve, reject) => {
        worker.once('message', resolve);
        worker.once('error', reject);
      }).finally(() => worker.terminate());
    }),
  );
  const total = results.reduce((a, r) => a + r.bytes, 0);
  // process.cpuUsage counts the whole process, so for parallel workers only wall time means anything.
  const slowest = Math.max(...results.map((r) => r.wallMs));
  print(
    `IPC + Parquet zstd, ${count} part files in ${workers} workers: slowest worker ${(slowest / 1000).toFixed(2)} s encoding = ${((slowest * 1000) / rows).toFixed(1)} µs/row wall, ${mb(total)} in parts (whole phase with generation ${((performance.now() - start) / 1000).toFixed(2)} s)`,
  );
}

if (isMainThread) await main();
else workerMain();
