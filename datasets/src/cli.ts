/**
 * `pnpm gen`: the generator's command line. main() takes argv and the two output streams, so tests
 * run it in-process; the bin (datasets/generate.ts) only sets the exit code.
 */
import { parseArgs } from 'node:util';
import { ErrorCode, isCallauditError, fail } from '../../packages/core/src/errors.js';
import type { Anomaly } from './anomalies.js';
import { ANOMALIES } from './anomalies.js';
import { writeSample } from './sample.js';
import type { DatasetFormat } from './write.js';
import { FORMATS, writeDataset } from './write.js';

export const USAGE = `Usage:
  pnpm gen -- (--records N | --bytes SIZE) --format array|page|ndjson|record-files --seed S --out PATH
              [--gzip] [--pretty] [--bom] [--page-size N] [--duplicates SHARE] [--poor SHARE]
              [--users N] [--subnets N]
  pnpm gen -- --sample [--out datasets/sample]

  --records N        stop after N records (repeats included)
  --bytes SIZE       stop at about SIZE of JSON text, before gzip: 300MB, 1.5GB, 64KiB (KB/MB/GB = 1000^n, KiB/MiB/GiB = 1024^n)
  --format F         array: one JSON array; page: Graph collection pages one after another;
                     ndjson: one record per line; record-files: a folder, one GET response per file
  --seed S           integer; the same seed and options give the same bytes
  --out PATH         file (folder for record-files) to write
  --gzip             gzip the file (each file for record-files)
  --pretty           indent by 2 spaces (not for ndjson)
  --bom              start each file with a UTF-8 byte order mark
  --page-size N      records per collection page (page; default 100)
  --duplicates SHARE share of records that repeat an earlier id (default 0.02)
  --poor SHARE       share of eligible streams made poor, for every reason
  --users N          tenant users calls are drawn from (default 2000); a large tenant: 1000000
  --subnets N        distinct subnets networks are drawn from (1..32768; default the built-in ~500)
  --sample           rewrite the committed sample (all shapes, bad inputs) into --out
`;

export interface Output {
  write(text: string): unknown;
}

const EXIT_USAGE = 2;
const EXIT_OUTPUT = 3;
const EXIT_INTERNAL = 1;

const SIZE = /^(\d+(?:\.\d+)?)\s*(b|kb|mb|gb|kib|mib|gib)?$/i;
const UNITS: Readonly<Record<string, number>> = { b: 1, kb: 1e3, mb: 1e6, gb: 1e9, kib: 1024, mib: 1024 ** 2, gib: 1024 ** 3 };

/** "300MB" -> 300000000. */
export function parseSize(text: string): number {
  const match = SIZE.exec(text.trim());
  if (!match) throw fail(ErrorCode.Usage, `--bytes: expected a size like 300MB or 64KiB, got ${JSON.stringify(text)}`);
  return Math.round(Number(match[1]) * UNITS[(match[2] ?? 'b').toLowerCase()]!);
}

function parseNumber(option: string, text: string | undefined, integer: boolean): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || (integer && !Number.isInteger(value))) {
    throw fail(ErrorCode.Usage, `--${option}: expected ${integer ? 'an integer' : 'a number'}, got ${JSON.stringify(text)}`);
  }
  return value;
}

function megabytes(bytes: number): string {
  return `${(bytes / 1e6).toFixed(1)} MB`;
}

export async function main(argv: readonly string[], stdout: Output, stderr: Output): Promise<number> {
  try {
    return await run(argv[0] === '--' ? argv.slice(1) : argv, stdout);
  } catch (error) {
    if (isCallauditError(error)) {
      stderr.write(`gen: ${error.message}\n`);
      if (error.code === ErrorCode.Usage) {
        stderr.write(`\n${USAGE}`);
        return EXIT_USAGE;
      }
      return error.code === ErrorCode.Output ? EXIT_OUTPUT : EXIT_INTERNAL;
    }
    stderr.write(`gen: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return EXIT_INTERNAL;
  }
}

async function run(argv: readonly string[], stdout: Output): Promise<number> {
  // biome-ignore lint/suspicious/noImplicitAnyLet: typed by the parseArgs call below (control-flow typing)
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        records: { type: 'string' },
        bytes: { type: 'string' },
        format: { type: 'string' },
        seed: { type: 'string' },
        out: { type: 'string' },
        gzip: { type: 'boolean' },
        pretty: { type: 'boolean' },
        bom: { type: 'boolean' },
        'page-size': { type: 'string' },
        duplicates: { type: 'string' },
        poor: { type: 'string' },
        users: { type: 'string' },
        subnets: { type: 'string' },
        sample: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    throw fail(ErrorCode.Usage, error instanceof Error ? error.message : String(error), { cause: error });
  }
  if (values.help === true) {
    stdout.write(USAGE);
    return 0;
  }
  if (values.sample === true) {
    const written = await writeSample(values.out ?? 'datasets/sample');
    stdout.write(`wrote ${written.length} sample files into ${values.out ?? 'datasets/sample'}\n`);
    return 0;
  }
  if (values.out === undefined) throw fail(ErrorCode.Usage, '--out is required');
  if (values.format === undefined) throw fail(ErrorCode.Usage, `--format is required (${FORMATS.join(', ')})`);
  if (!FORMATS.includes(values.format as DatasetFormat))
    throw fail(ErrorCode.Usage, `--format must be one of ${FORMATS.join(', ')}, got ${JSON.stringify(values.format)}`);
  const records = parseNumber('records', values.records, true);
  if (records === undefined && values.bytes === undefined) throw fail(ErrorCode.Usage, 'give --records N or --bytes SIZE (or both)');
  const seed = parseNumber('seed', values.seed, true) ?? 1;
  const poorShare = parseNumber('poor', values.poor, false);
  const poor = poorShare === undefined ? undefined : (Object.fromEntries(ANOMALIES.map((a) => [a, poorShare])) as Record<Anomaly, number>);
  const started = performance.now();
  const result = await writeDataset(values.out, {
    format: values.format as DatasetFormat,
    seed,
    records,
    bytes: values.bytes === undefined ? undefined : parseSize(values.bytes),
    gzip: values.gzip === true,
    pretty: values.pretty === true,
    bom: values.bom === true,
    pageSize: parseNumber('page-size', values['page-size'], true),
    duplicateShare: parseNumber('duplicates', values.duplicates, false),
    poor,
    users: parseNumber('users', values.users, true),
    subnets: parseNumber('subnets', values.subnets, true),
  });
  const seconds = (performance.now() - started) / 1000;
  const text = result.textBytes === result.bytes ? '' : ` (${megabytes(result.textBytes)} of JSON)`;
  stdout.write(
    `wrote ${result.records} records, ${megabytes(result.bytes)}${text} to ${result.path} in ${seconds.toFixed(2)} s (${(result.textBytes / 1e6 / seconds).toFixed(1)} MB/s)\n`,
  );
  return 0;
}
