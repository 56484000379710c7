/**
 * pnpm bench: generates seeded datasets, runs every variant as its own process in alternation,
 * checks they all counted the same, and writes results/<name>.json and .md (see README.md).
 * Exit code: 0 ok; 1 a floor or the memory bound failed; 2 the benchmark itself failed.
 */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative as relativePath } from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchDataset } from './src/bench.js';
import type { BenchContext } from './src/bench.js';
import { checkBuilds } from './src/build.js';
import { compileChildren } from './src/compile.js';
import { ensureDataset, generatorVersion, pruneDatasets, pruneRunFolders } from './src/datasets.js';
import { checkFloors, checkMemory } from './src/floors.js';
import { describeMachine, describeRevision } from './src/machine.js';
import { parseOptions, plan, USAGE } from './src/options.js';
import type { BenchOptions, Suite } from './src/options.js';
import { renderReport } from './src/render.js';
import type { BenchReport, DatasetResult } from './src/types.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const work = join(here, '.bench');
const log = (line: string): void => void process.stderr.write(`${line}\n`);

async function measure(suite: Suite, context: BenchContext, version: string, dataDir: string): Promise<DatasetResult[]> {
  const results: DatasetResult[] = [];
  for (const spec of suite.datasets) {
    const dataset = await ensureDataset(spec, dataDir, version, log);
    log(`${dataset.path}`);
    results.push(await benchDataset(dataset, suite.variants, suite.runs, context));
  }
  return results;
}

async function bench(options: BenchOptions, command: string): Promise<BenchReport> {
  const machine = describeMachine();
  const startedAt = new Date().toISOString();
  const suites = plan(options);
  const variants = suites.flatMap((s) => s.variants);
  const notes = await checkBuilds(root, variants.some((v) => v.startsWith('report-')) ? ['core', 'cli'] : variants.includes('ingest') ? ['core'] : []);
  await compileChildren(join(here, 'child'), join(work, 'child'));
  const context: BenchContext = {
    paths: { childDir: join(work, 'child'), cliBin: join(root, 'packages', 'cli', 'bin', 'callaudit.js'), outDir: join(work, 'out', String(process.pid)) },
    cwd: root,
    cores: machine.cores,
    log,
  };
  const version = await generatorVersion(join(root, 'datasets', 'src'));
  // --ci (the `pnpm ci` run) leaves no data behind: its datasets are made in a folder of their own
  // and removed at the end. Other runs keep theirs in .bench/data for the next run.
  const dataDir = options.ci ? join(work, `ci-data-${process.pid}`) : join(work, 'data');
  await pruneRunFolders(work, log);
  await pruneDatasets(dataDir, version, log);
  const results: DatasetResult[][] = [];
  try {
    for (const suite of suites) results.push(await measure(suite, context, version, dataDir));
  } finally {
    await rm(context.paths.outDir, { recursive: true, force: true });
    if (options.ci) await rm(dataDir, { recursive: true, force: true });
  }
  const datasets = results.flat();
  for (const note of notes) log(`note: ${note}`);
  return {
    title: options.ci ? 'callaudit benchmark (CI)' : 'callaudit benchmark',
    command,
    revision: describeRevision(root),
    machine,
    startedAt,
    datasets,
    floors: checkFloors(datasets),
    memory: suites.flatMap((suite, i) => (suite.memoryBound ? checkMemory(results[i]!) : [])),
    notes,
  };
}

async function main(argv: readonly string[]): Promise<number> {
  let options: BenchOptions;
  try {
    options = parseOptions(argv);
  } catch (error) {
    log(`${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (options.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const report = await bench(options, ['pnpm bench', ...argv].join(' '));
  const markdown = renderReport(report);
  const base = join(here, 'results', options.name);
  await mkdir(dirname(base), { recursive: true });
  // Paths in the results are relative to the repository: a committed result names no machine's folders.
  const root = dirname(here);
  const relative = (key: string, value: unknown): unknown =>
    key === 'path' && typeof value === 'string' && isAbsolute(value) ? relativePath(root, value) : value;
  await writeFile(`${base}.json`, `${JSON.stringify(report, relative, 2)}\n`);
  await writeFile(`${base}.md`, markdown);
  process.stdout.write(markdown);
  const failed = [...report.floors, ...report.memory].filter((c) => !c.ok);
  if (failed.length > 0) log(`${failed.length} check(s) below their floor or bound`);
  return failed.length > 0 ? 1 : 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    log(`benchmark failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 2;
  },
);
