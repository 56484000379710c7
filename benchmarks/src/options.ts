/** Command-line options and the plan they make: which datasets, which variants, how many runs. */
import { parseArgs } from 'node:util';
import { FORMATS, VARIANT_IDS } from './types.js';
import type { DatasetSpec, Format, VariantId } from './types.js';

export const USAGE = `pnpm bench [options]

  --size <size>        JSON bytes per dataset (default 300MB; KB/MB/GB are powers of ten)
  --formats <list>     array,page,ndjson (default all three)
  --gzip               also measure the gzip-compressed version of each dataset
  --runs <n>           runs per variant, alternated round by round (default 3)
  --variants <list>    ${VARIANT_IDS.join(',')} (default all)
  --seed <n>           dataset seed (default 1)
  --scaling            100MB and 300MB of each format: cost linear in input, memory flat
  --large              with --scaling, also 1GB
  --memory             also 150MB array + NDJSON with A, DuckDB and report: the floors vs A and DuckDB, report's
                       peak RSS under a bound
  --name <name>        results file name under benchmarks/results (default latest; --ci: tmp/ci)
  --ci                 small run: 40MB array + NDJSON with A, B and report, then --memory; its
                       generated data is removed at the end (other runs keep it in .bench/data)
  --help`;

export interface BenchOptions {
  readonly sizes: readonly number[];
  readonly formats: readonly Format[];
  readonly gzip: boolean;
  readonly runs: number;
  readonly variants: readonly VariantId[];
  readonly seed: number;
  readonly ci: boolean;
  readonly memory: boolean;
  /** Results go to benchmarks/results/<name>.json and .md. */
  readonly name: string;
  readonly help: boolean;
}

export const DEFAULT_SIZE = 300e6;
export const SCALING_SIZES = [100e6, 300e6] as const;
export const LARGE_SIZE = 1e9;
/**
 * --ci: stream-json (B) is slow, so the datasets where it runs stay small: 40 MB is ~6 s of B per
 * run on 2 cores. One run: the floor vs B (3x) is a quarter of its target.
 */
export const CI = { size: 40e6, runs: 1, formats: ['array', 'ndjson'], variants: ['baseline-a', 'baseline-b', 'report-csv-all'] } as const;
/**
 * The memory suite (part of --ci): inputs several times what 300 MB of RSS could hold if memory
 * grew with input, and large enough that process start-up does not decide the ratios to A and
 * to DuckDB.
 */
export const MEMORY = {
  size: 150e6,
  runs: 1,
  formats: ['array', 'ndjson'],
  variants: ['baseline-a', 'duckdb', 'ingest', 'report-csv-all', 'report-parquet-all'],
} as const;

/** Datasets measured together: every variant on each, in alternation. */
export interface Suite {
  readonly datasets: readonly DatasetSpec[];
  readonly variants: readonly VariantId[];
  readonly runs: number;
  /** Hold its report variants to the memory bound (floors.checkMemory). */
  readonly memoryBound: boolean;
}

const UNITS: Readonly<Record<string, number>> = { '': 1, b: 1, kb: 1e3, mb: 1e6, gb: 1e9 };

/** "300MB", "1GB", "512kb", "1000": bytes, decimal units. */
export function parseSize(text: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*([kmg]?b?)$/i.exec(text.trim());
  const unit = match ? UNITS[match[2]!.toLowerCase()] : undefined;
  if (!match || unit === undefined) throw new Error(`--size: expected a size like 300MB or 1GB, got "${text}"`);
  const bytes = Math.round(Number(match[1]) * unit);
  if (bytes < 1) throw new Error(`--size must be positive, got "${text}"`);
  return bytes;
}

function parseList<T extends string>(option: string, text: string, allowed: readonly T[]): T[] {
  const items = text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  for (const item of items) if (!allowed.includes(item as T)) throw new Error(`--${option}: unknown "${item}" (expected ${allowed.join(', ')})`);
  if (items.length === 0) throw new Error(`--${option}: empty list`);
  return [...new Set(items as T[])];
}

function parseCount(option: string, text: string, min = 1): number {
  const value = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(value) || value < min) throw new Error(`--${option} must be an integer >= ${min}, got "${text}"`);
  return value;
}

function parseName(text: string): string {
  if (!/^[\w-]+(\/[\w-]+)*$/.test(text)) throw new Error(`--name: letters, digits, - and _ in /-separated parts, got "${text}"`);
  return text;
}

export function parseOptions(argv: readonly string[]): BenchOptions {
  const { values } = parseArgs({
    // `pnpm bench -- --runs 1` passes the `--` through.
    args: argv[0] === '--' ? argv.slice(1) : [...argv],
    strict: true,
    allowPositionals: false,
    options: {
      size: { type: 'string' },
      formats: { type: 'string' },
      gzip: { type: 'boolean', default: false },
      runs: { type: 'string' },
      variants: { type: 'string' },
      seed: { type: 'string' },
      scaling: { type: 'boolean', default: false },
      large: { type: 'boolean', default: false },
      memory: { type: 'boolean', default: false },
      ci: { type: 'boolean', default: false },
      name: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  const ci = values.ci ?? false;
  const scaling = (values.scaling ?? false) || (values.large ?? false);
  if (scaling && values.size !== undefined) throw new Error('--size and --scaling exclude each other: --scaling picks its sizes');
  const sizes =
    values.size !== undefined ? [parseSize(values.size)] : scaling ? [...SCALING_SIZES, ...(values.large ? [LARGE_SIZE] : [])] : [ci ? CI.size : DEFAULT_SIZE];
  return {
    sizes,
    formats: values.formats !== undefined ? parseList('formats', values.formats, FORMATS) : ci ? [...CI.formats] : [...FORMATS],
    gzip: values.gzip ?? false,
    runs: values.runs !== undefined ? parseCount('runs', values.runs) : ci ? CI.runs : 3,
    variants: values.variants !== undefined ? parseList('variants', values.variants, VARIANT_IDS) : ci ? [...CI.variants] : [...VARIANT_IDS],
    seed: values.seed !== undefined ? parseCount('seed', values.seed, 0) : 1,
    name: parseName(values.name ?? (ci ? 'tmp/ci' : 'latest')),
    ci,
    memory: ci || (values.memory ?? false),
    help: values.help ?? false,
  };
}

/** The suites to run: the one the options ask for, then the memory suite when asked. */
export function plan(options: BenchOptions): Suite[] {
  const datasets: DatasetSpec[] = [];
  for (const bytes of options.sizes) {
    for (const format of options.formats) {
      datasets.push({ format, gzip: false, bytes, seed: options.seed });
      if (options.gzip) datasets.push({ format, gzip: true, bytes, seed: options.seed });
    }
  }
  const suites: Suite[] = [{ datasets, variants: options.variants, runs: options.runs, memoryBound: false }];
  if (options.memory) {
    const memory = MEMORY.formats.map((format) => ({ format, gzip: false, bytes: MEMORY.size, seed: options.seed }));
    suites.push({ datasets: memory, variants: MEMORY.variants, runs: MEMORY.runs, memoryBound: true });
  }
  return suites;
}
