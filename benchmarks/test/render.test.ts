import { describe, expect, it } from 'vitest';
import { checkFloors, checkMemory } from '../src/floors.js';
import { renderDataset, renderReport, renderScaling } from '../src/render.js';
import type { BenchReport } from '../src/types.js';
import { ARRAY_150MB, ARRAY_40MB, result } from './fixtures.js';

const measured = result(
  { ...ARRAY_40MB, format: 'ndjson', gzip: true },
  {
    'baseline-a': [1000, 1000, 1000],
    'baseline-b': [10000, 10000, 10000],
    duckdb: [200, 200, 200],
    'report-csv-1': [800, 800, 800],
    'report-csv-all': [400, 400, 400],
  },
);

const report: BenchReport = {
  title: 'callaudit benchmark',
  command: 'pnpm bench --formats ndjson --gzip',
  revision: 'abc1234+changes',
  machine: { cpu: 'AMD EPYC', cores: 2, memoryGb: 24.1, node: 'v20.20.2', platform: 'linux x64' },
  startedAt: '2026-01-01T00:00:00.000Z',
  datasets: [measured],
  floors: checkFloors(
    [measured],
    [{ variant: 'report-csv-all', against: 'baseline-b', min: 3, minBytes: 0, why: 'must stay far ahead of stream-json (target 12x)' }],
  ),
  memory: checkMemory([result(ARRAY_150MB, { 'report-parquet-all': [100] }, 400)], 300),
  notes: ['packages/core/dist is older than its sources: measured the last build'],
};

describe('renderDataset', () => {
  const lines = renderDataset(measured).split('\n');
  it('heads the table with the dataset: format, sizes, counts, seed', () => {
    expect(lines[0]).toBe('### ndjson.gz: 40 MB of JSON (40 MB gzipped), 1,000 records, 4,000 streams, seed 1');
  });
  it('has one row per variant with the same number of cells as the header', () => {
    const rows = lines.filter((l) => l.startsWith('|'));
    expect(rows).toHaveLength(2 + 5);
    const cells = (l: string): number => l.split('|').length;
    for (const r of rows) expect(cells(r)).toBe(cells(rows[0]!));
  });
  it('shows MB/s, rates, RSS and ratios as the medians give them', () => {
    const row = lines.find((l) => l.includes('report CSV, all cores'))!;
    expect(row).toBe('| report CSV, all cores | 100.0 | 2,500 | 10,000 | 100 | 0.6 | 2.50x | 25.00x | 0.50x | 2.00x | 3/3 |');
    expect(lines.find((l) => l.startsWith('| A:'))).toContain('| — | 10.00x | 0.20x | — |');
  });
  it('says when a variant could not run instead of printing zeros', () => {
    const text = renderDataset(result(ARRAY_40MB, { 'baseline-a': [null], ingest: [100] }));
    expect(text).toContain('| A: read whole file + JSON.parse | cannot run: too big for one string |');
    expect(text).toContain('| 0/1 |');
  });
});

describe('renderReport', () => {
  const text = renderReport(report);
  it('names the command and the machine', () => {
    expect(text).toContain('`pnpm bench --formats ndjson --gzip` at abc1234+changes');
    expect(text).toContain('Machine: AMD EPYC, 2 cores, 24 GB RAM, Node v20.20.2 (linux x64). Started 2026-01-01T00:00:00.000Z.');
  });
  it('lists floors and the memory bound with their verdicts', () => {
    expect(text).toContain('- ok: ndjson.gz 40 MB: report CSV, all cores vs B: stream-json = 25.00x (floor 3x');
    expect(text).toContain('- FAIL: array 150 MB: report CSV+Parquet, all cores peak RSS 400 MB (bound 300 MB)');
    expect(text).toContain('- packages/core/dist is older than its sources');
  });
  it('leaves out empty sections', () => {
    const bare = renderReport({ ...report, floors: [], memory: [], notes: [] });
    expect(bare).not.toMatch(/### (Floors|Memory|Notes)/);
  });
});

describe('renderScaling', () => {
  const at = (mb: number, wallMs: number, rssMb: number): ReturnType<typeof result> =>
    result({ ...ARRAY_40MB, bytes: mb * 1e6 }, { 'baseline-a': [wallMs / 2], 'report-csv-all': [wallMs] }, rssMb);
  it('puts MB/s and RSS of each size side by side, smallest size first', () => {
    const lines = renderScaling([at(300, 3000, 120), at(100, 1000, 110)]);
    expect(lines).toContain('### Scaling: array');
    expect(lines).toContain('| variant | MB/s at 100 MB | RSS MB at 100 MB | MB/s at 300 MB | RSS MB at 300 MB |');
    expect(lines).toContain('| report CSV, all cores | 100.0 | 110 | 100.0 | 120 |');
  });
  it('shows a dash where a variant did not run at a size', () => {
    const lines = renderScaling([at(100, 1000, 110), result({ ...ARRAY_40MB, bytes: 1e9 }, { 'baseline-a': [null], 'report-csv-all': [10_000] })]);
    expect(lines).toContain('| A: read whole file + JSON.parse | 200.0 | 110 | — | — |');
  });
  it('says nothing when every format was measured at one size', () => {
    expect(renderScaling([measured, result(ARRAY_40MB, { 'baseline-a': [1] })])).toEqual([]);
  });
});
