/** Shared by the CLI tests: the CLI in-process with a fake Io that captures stdout and stderr; reading outputs back. */
import { DuckDBInstance } from '@duckdb/node-api';
import type { DuckDBConnection } from '@duckdb/node-api';
import { readdir, readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { main } from '../src/index.js';
import type { Io } from '../src/index.js';

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  readonly cwd?: string;
  readonly env?: NodeJS.ProcessEnv;
  /** Standard input (default: empty). */
  readonly stdin?: NodeJS.ReadableStream;
  readonly signal?: AbortSignal;
}

/** A writable that keeps what it is given, as UTF-8 text. */
export function collect(): PassThrough & { text: () => string } {
  const chunks: string[] = [];
  const stream = new PassThrough();
  stream.on('data', (chunk: Buffer) => chunks.push(chunk.toString('utf8')));
  return Object.assign(stream, { text: () => chunks.join('') });
}

/** `callaudit <args...>`, in-process; resolves to the exit code and what was printed. */
export async function runCli(args: readonly string[], options: RunOptions = {}): Promise<Run> {
  const stdout = collect();
  const stderr = collect();
  const io: Io = {
    stdout,
    stderr,
    stdin: options.stdin ?? Readable.from([]),
    env: options.env ?? {},
    cwd: options.cwd ?? process.cwd(),
    version: '0.0.0-test',
    ...(options.signal === undefined ? {} : { signal: options.signal }),
  };
  const code = await main(['node', 'callaudit', ...args], io);
  await new Promise((resolve) => setImmediate(resolve)); // let the PassThroughs deliver
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}

/** Every file under a folder, as paths relative to it ('/'-separated), sorted. */
export async function listFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) out.push(relative(dir, join(entry.parentPath, entry.name)).split(sep).join('/'));
  }
  return out.sort();
}

/** RFC 4180 text (quoted cells may hold commas, quotes and line breaks) -> rows of cells. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch !== '"') cell += ch;
      else if (text[i + 1] === '"') {
        cell += '"';
        i++;
      } else quoted = false;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(cell);
      cell = '';
    } else if (ch === '\n') {
      rows.push([...row, cell.endsWith('\r') ? cell.slice(0, -1) : cell]);
      row = [];
      cell = '';
    } else cell += ch;
  }
  if (cell !== '' || row.length > 0) rows.push([...row, cell]);
  return rows;
}

/** A CSV file as objects keyed by its header. */
export async function readCsv(path: string): Promise<Array<Record<string, string>>> {
  const [header, ...rows] = parseCsv(await readFile(path, 'utf8'));
  return rows.map((cells) => Object.fromEntries(header!.map((name, i) => [name, cells[i] ?? ''])));
}

/** DuckDB (an independent reader), to read the Parquet files back. */
let duck: Promise<DuckDBConnection> | null = null;

export async function duckdbQuery(sql: string): Promise<Array<Record<string, unknown>>> {
  duck ??= DuckDBInstance.create(':memory:').then((instance) => instance.connect());
  const reader = await (await duck).runAndReadAll(sql);
  const names = reader.columnNames();
  return reader.getRowsJS().map((row) => Object.fromEntries(names.map((name, i) => [name, typeof row[i] === 'bigint' ? Number(row[i]) : row[i]])));
}
