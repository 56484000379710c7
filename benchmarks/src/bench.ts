/**
 * Measures the variants on one dataset: rounds of every variant in turn, each run its own
 * process, the counts checked after every run (a disagreement stops the benchmark at once).
 */
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { VARIANT_LABELS } from './describe.js';
import { runProcess, toSample } from './measure.js';
import { schedule } from './schedule.js';
import { checkCounts, summarize } from './summarize.js';
import type { Dataset, DatasetResult, Sample, VariantId } from './types.js';
import { launch, reportCounts } from './variants.js';
import type { Paths } from './variants.js';

export interface BenchContext {
  readonly paths: Paths;
  readonly cwd: string;
  readonly cores: number;
  readonly log: (line: string) => void;
}

async function runOnce(id: VariantId, dataset: Dataset, context: BenchContext): Promise<Sample> {
  const { args, reportDir } = launch(id, dataset, context.paths, context.cores);
  // The previous run's output is removed here, outside the timed process.
  if (reportDir !== null) await rm(reportDir, { recursive: true, force: true });
  const run = await runProcess(args, join(context.paths.outDir, `${id}.hook.json`), context.cwd);
  const report = reportDir === null ? null : { counts: run.code === 0 ? await reportCounts(reportDir) : null };
  if (reportDir !== null) await rm(reportDir, { recursive: true, force: true });
  return toSample(run, `${VARIANT_LABELS[id]} on ${dataset.path}`, report);
}

function describeSample(sample: Sample): string {
  if (!sample.ok) return `cannot run (${sample.reason})`;
  const cpu = sample.cpuMs === undefined ? '' : ` (${(sample.cpuMs / 1000).toFixed(2)} s CPU)`;
  return `${(sample.wallMs / 1000).toFixed(2)} s${cpu}, ${Math.round((sample.maxRssKb * 1024) / 1e6)} MB`;
}

export async function benchDataset(dataset: Dataset, variants: readonly VariantId[], runs: number, context: BenchContext): Promise<DatasetResult> {
  await mkdir(context.paths.outDir, { recursive: true });
  const samples = new Map<VariantId, Sample[]>(variants.map((id) => [id, []]));
  for (const { round, variant } of schedule(variants, runs)) {
    const sample = await runOnce(variant, dataset, context);
    samples.get(variant)!.push(sample);
    context.log(`  round ${round + 1}/${runs} ${VARIANT_LABELS[variant]}: ${describeSample(sample)}`);
    // Disagreement stops the run at once; "nothing could run" is judged at the end (A cannot run
    // at 1 GB, and it comes first in a round).
    if ([...samples.values()].some((list) => list.some((s) => s.ok))) checkCounts(dataset.path, samples);
  }
  return summarize(dataset, samples);
}
