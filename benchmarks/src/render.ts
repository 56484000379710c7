/** The Markdown report: machine, datasets, one table per dataset, then the checks. */
import { formatBytes, VARIANT_LABELS } from './describe.js';
import type { BenchReport, DatasetResult, FloorCheck, MemoryCheck, VariantResult } from './types.js';

const int = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

function ratio(value: number | null): string {
  return value === null ? '—' : `${value.toFixed(2)}x`;
}

function row(cells: readonly string[]): string {
  return `| ${cells.join(' | ')} |`;
}

function variantRow(v: VariantResult): string {
  const runs = `${v.samples.filter((s) => s.ok).length}/${v.samples.length}`;
  const m = v.medians;
  if (m === null) return row([VARIANT_LABELS[v.id], `cannot run: ${v.unsupported ?? 'no run'}`, '', '', '', '', '', '', '', '', runs]);
  return row([
    VARIANT_LABELS[v.id],
    m.mbPerSec.toFixed(1),
    m.recordsPerSec === null ? '—' : int.format(m.recordsPerSec),
    int.format(m.streamsPerSec),
    int.format(m.maxRssMb),
    m.cpuSeconds === null ? '—' : m.cpuSeconds.toFixed(1),
    ratio(v.ratios.toA),
    ratio(v.ratios.toB),
    ratio(v.ratios.toDuckdb),
    ratio(v.ratios.toOneWorker),
    runs,
  ]);
}

export function renderDataset(result: DatasetResult): string {
  const d = result.dataset;
  const gzipped = d.gzip ? ` (${formatBytes(d.fileBytes)} gzipped)` : '';
  return [
    `### ${d.format}${d.gzip ? '.gz' : ''}: ${formatBytes(d.jsonBytes)} of JSON${gzipped}, ${int.format(result.records)} records, ${int.format(result.streams)} streams, seed ${d.seed}`,
    '',
    row(['variant', 'MB/s', 'records/s', 'streams/s', 'peak RSS MB', 'CPU s', 'vs A', 'vs B', 'vs DuckDB', 'vs 1 worker', 'runs']),
    row(['---', '---:', '---:', '---:', '---:', '---:', '---:', '---:', '---:', '---:', '---:']),
    ...result.variants.map(variantRow),
  ].join('\n');
}

/**
 * For each format measured at several sizes: MB/s and peak RSS side by side per size. Constant
 * MB/s means cost linear in input; constant RSS means memory flat.
 */
export function renderScaling(datasets: readonly DatasetResult[]): string[] {
  const groups = new Map<string, DatasetResult[]>();
  for (const d of datasets) {
    const key = `${d.dataset.format}${d.dataset.gzip ? '.gz' : ''}`;
    groups.set(key, [...(groups.get(key) ?? []), d]);
  }
  const parts: string[] = [];
  for (const [key, group] of groups) {
    const sizes = [...group].sort((a, b) => a.dataset.bytes - b.dataset.bytes);
    if (sizes.length < 2) continue;
    const header = ['variant', ...sizes.flatMap((d) => [`MB/s at ${formatBytes(d.dataset.bytes)}`, `RSS MB at ${formatBytes(d.dataset.bytes)}`])];
    const ids = [...new Set(sizes.flatMap((d) => d.variants.map((v) => v.id)))];
    const cells = (d: DatasetResult, id: string): string[] => {
      const m = d.variants.find((v) => v.id === id)?.medians;
      return m ? [m.mbPerSec.toFixed(1), int.format(m.maxRssMb)] : ['—', '—'];
    };
    parts.push('', `### Scaling: ${key}`, '', row(header), row(['---', ...header.slice(1).map(() => '---:')]));
    for (const id of ids) parts.push(row([VARIANT_LABELS[id], ...sizes.flatMap((d) => cells(d, id))]));
  }
  return parts;
}

function floorLine(c: FloorCheck): string {
  const verdict = c.ratio === null ? 'n/a' : c.ok ? 'ok' : 'FAIL';
  return `- ${verdict}: ${c.dataset}: ${VARIANT_LABELS[c.variant]} vs ${VARIANT_LABELS[c.against]} = ${ratio(c.ratio)} (floor ${c.min}x: ${c.why})`;
}

function memoryLine(c: MemoryCheck): string {
  return `- ${c.ok ? 'ok' : 'FAIL'}: ${c.dataset}: ${VARIANT_LABELS[c.variant]} peak RSS ${int.format(c.maxRssMb)} MB (bound ${c.boundMb} MB)`;
}

export function renderReport(report: BenchReport): string {
  const m = report.machine;
  const parts = [
    `## ${report.title}`,
    '',
    `\`${report.command}\`${report.revision === null ? '' : ` at ${report.revision}`}`,
    '',
    `Machine: ${m.cpu}, ${m.cores} cores, ${m.memoryGb.toFixed(0)} GB RAM, Node ${m.node} (${m.platform}). Started ${report.startedAt}.`,
    '',
    'Each run is its own process; variants alternate round by round; each cell is the median of the runs ("runs": ran / made). ' +
      'MB/s is JSON bytes (before gzip; MB = 10^6 bytes) over the wall time of the whole process; CPU s is the user + system time of all its threads; "vs" columns are wall-clock speed ratios ' +
      '(>1: faster), the median of per-round ratios.',
  ];
  for (const result of report.datasets) parts.push('', renderDataset(result));
  parts.push(...renderScaling(report.datasets));
  if (report.floors.length > 0) parts.push('', '### Floors', '', ...report.floors.map(floorLine));
  if (report.memory.length > 0) parts.push('', '### Memory', '', ...report.memory.map(memoryLine));
  if (report.notes.length > 0) parts.push('', '### Notes', '', ...report.notes.map((n) => `- ${n}`));
  return `${parts.join('\n')}\n`;
}
