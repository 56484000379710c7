/** How each variant is started, and where its counts come from. */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Dataset, VariantId } from './types.js';

export interface Paths {
  /** Transpiled child scripts (compile.ts). */
  readonly childDir: string;
  /** packages/cli/bin/callaudit.js (needs `pnpm build`). */
  readonly cliBin: string;
  /** Scratch folder for report output, emptied before each run. */
  readonly outDir: string;
}

export interface Launch {
  readonly args: string[];
  /** The report's output folder: its summary.json holds the counts. Null: the hook has them. */
  readonly reportDir: string | null;
}

const REPORTS: Readonly<Partial<Record<VariantId, { formats: string; allCores: boolean }>>> = {
  'report-csv-1': { formats: 'csv', allCores: false },
  'report-csv-all': { formats: 'csv', allCores: true },
  'report-parquet-1': { formats: 'csv,parquet', allCores: false },
  'report-parquet-all': { formats: 'csv,parquet', allCores: true },
};

export function launch(id: VariantId, dataset: Dataset, paths: Paths, cores: number): Launch {
  const hook = ['--import', join(paths.childDir, 'hook.js')];
  const report = REPORTS[id];
  if (report === undefined) return { args: [...hook, join(paths.childDir, `${id}.js`), dataset.path, dataset.format], reportDir: null };
  const out = join(paths.outDir, id);
  const workers = String(report.allCores ? cores : 1);
  return {
    args: [...hook, paths.cliBin, 'report', dataset.path, '--out', out, '--force', '--format', report.formats, '--workers', workers, '--quiet'],
    reportDir: out,
  };
}

/** Records read and stream rows written, from a report's summary.json. */
export async function reportCounts(dir: string): Promise<{ records: number; streams: number }> {
  const file = join(dir, 'summary.json');
  const summary = JSON.parse(await readFile(file, 'utf8')) as { counts?: { read?: unknown; streams?: unknown } };
  const read = summary.counts?.read;
  const streams = summary.counts?.streams;
  if (typeof read !== 'number' || typeof streams !== 'number') throw new Error(`${file}: no numeric counts.read / counts.streams`);
  return { records: read, streams };
}
