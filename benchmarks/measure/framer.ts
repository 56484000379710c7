/**
 * The framer's CPU cost (not a test): CPU ms per 100 MB of a file held in memory, framed in 1 MiB
 * chunks (Buffers, as readRecords hands them on), in JSON mode and, with `--lines`, in line mode.
 * Several framer modules can be compared (e.g. a copy of the previous version): their trials are
 * interleaved, so load on the shared machine falls on all of them alike; the fastest trial (least
 * disturbed) and the median are reported. CPU time is user + system and includes GC.
 * Run: npx tsx benchmarks/measure/framer.ts <file> [trials=7] [--lines] [framer module ...]
 * Make the file with `pnpm gen -- --records 2500 --format array --seed 1 --out /tmp/ingest-100.json`.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const args = process.argv.slice(2);
const lines = args.includes('--lines');
const [file, trialsArg, ...modules] = args.filter((a) => a !== '--lines');
if (file === undefined) throw new Error('usage: measure-framer.ts <file> [trials] [--lines] [framer module ...]');
const trials = Number(trialsArg ?? 7);
const subjects = modules.length > 0 ? modules : [new URL('../../packages/core/src/ingest/framer.ts', import.meta.url).pathname];

type Framer = { push(chunk: Uint8Array): void; end(): void; readonly records: number };
type FramerClass = new (sink: { record(r: unknown): void; problem(p: unknown): void }, options: { file: string; lines?: boolean }) => Framer;
const classes: FramerClass[] = [];
for (const path of subjects) classes.push(((await import(pathToFileURL(resolve(path)).href)) as { RecordFramer: FramerClass }).RecordFramer);

const bytes = readFileSync(file);
const CHUNK = 1 << 20;
const chunks: Buffer[] = [];
for (let i = 0; i < bytes.length; i += CHUNK) chunks.push(bytes.subarray(i, i + CHUNK));

function trial(Framer: FramerClass): { ms: number; records: number; problems: number } {
  let problems = 0;
  const framer = new Framer({ record: () => {}, problem: () => problems++ }, { file: file!, lines });
  const start = process.cpuUsage();
  for (const chunk of chunks) framer.push(chunk);
  framer.end();
  const used = process.cpuUsage(start);
  return { ms: (used.user + used.system) / 1000, records: framer.records, problems };
}

const times: number[][] = subjects.map(() => []);
for (let t = 0; t < trials; t++) {
  classes.forEach((Framer, s) => {
    const result = trial(Framer);
    if (t === 0) console.log(`${subjects[s]}: ${result.records} records, ${result.problems} problems`);
    times[s]!.push(result.ms);
  });
}
const per100 = (ms: number): string => `${((ms * 100e6) / bytes.length).toFixed(0)} ms`;
subjects.forEach((path, s) => {
  const sorted = [...times[s]!].sort((a, b) => a - b);
  const best = sorted[0]!;
  const median = sorted[Math.floor(sorted.length / 2)]!;
  console.log(
    `${path}${lines ? ' (lines)' : ''}: per 100 MB best ${per100(best)}, median ${per100(median)} (${((bytes.length / 1e6 / best) * 1000).toFixed(0)} MB/s of CPU at best)`,
  );
});
