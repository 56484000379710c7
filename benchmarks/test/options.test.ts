import { describe, expect, it } from 'vitest';
import { CI, MEMORY, parseOptions, parseSize, plan } from '../src/options.js';
import { VARIANT_IDS } from '../src/types.js';

describe('parseSize', () => {
  it('reads decimal units', () => {
    expect(parseSize('300MB')).toBe(300e6);
    expect(parseSize('1GB')).toBe(1e9);
    expect(parseSize('1.5gb')).toBe(1.5e9);
    expect(parseSize('512kb')).toBe(512e3);
    expect(parseSize('1000')).toBe(1000);
    expect(parseSize(' 40 MB ')).toBe(40e6);
  });
  it('refuses nonsense', () => {
    for (const bad of ['', 'MB', '-3MB', '3TB', '3 M B', '0']) expect(() => parseSize(bad), bad).toThrow(/--size/);
  });
});

describe('parseOptions', () => {
  it('defaults: 300 MB of each format, every variant, 3 runs', () => {
    const o = parseOptions([]);
    expect(o).toMatchObject({ sizes: [300e6], formats: ['array', 'page', 'ndjson'], gzip: false, runs: 3, seed: 1, ci: false, memory: false, name: 'latest' });
    expect(o.variants).toEqual([...VARIANT_IDS]);
  });
  it("--ci: small datasets, few runs, the floors' variants and the memory check; its results out of git", () => {
    const o = parseOptions(['--ci']);
    expect(o).toMatchObject({ sizes: [CI.size], formats: ['array', 'ndjson'], runs: CI.runs, memory: true, name: 'tmp/ci' });
    expect(o.variants).toEqual(['baseline-a', 'baseline-b', 'report-csv-all']);
  });
  it('explicit options win over --ci defaults', () => {
    expect(parseOptions(['--ci', '--runs', '1', '--formats', 'page']).formats).toEqual(['page']);
    // As `pnpm bench -- --runs 1` passes it.
    expect(parseOptions(['--', '--runs', '1']).runs).toBe(1);
    expect(parseOptions(['--ci', '--runs', '1']).runs).toBe(1);
  });
  it('--scaling picks 100 MB and 300 MB; --large adds 1 GB', () => {
    expect(parseOptions(['--scaling']).sizes).toEqual([100e6, 300e6]);
    expect(parseOptions(['--scaling', '--large']).sizes).toEqual([100e6, 300e6, 1e9]);
    expect(() => parseOptions(['--scaling', '--size', '5MB'])).toThrow(/exclude/);
  });
  it('reads lists, dropping repeats, and refuses unknown names', () => {
    expect(parseOptions(['--variants', 'ingest,baseline-a,ingest']).variants).toEqual(['ingest', 'baseline-a']);
    expect(() => parseOptions(['--variants', 'baseline-c'])).toThrow(/unknown "baseline-c"/);
    expect(() => parseOptions(['--formats', 'xml'])).toThrow(/unknown "xml"/);
    expect(() => parseOptions(['--formats', ','])).toThrow(/empty/);
  });
  it('refuses bad counts, names and unknown flags', () => {
    for (const runs of ['0', '-1', '2.5', 'x']) expect(() => parseOptions(['--runs', runs])).toThrow(/--runs/);
    expect(parseOptions(['--seed', '0']).seed).toBe(0);
    expect(() => parseOptions(['--name', '../escape'])).toThrow(/--name/);
    expect(() => parseOptions(['--fast'])).toThrow();
    expect(() => parseOptions(['stray'])).toThrow();
  });
});

describe('plan', () => {
  it('orders datasets by size, then format, plain before gzip', () => {
    const suites = plan(parseOptions(['--scaling', '--formats', 'array,ndjson', '--gzip', '--seed', '7']));
    expect(suites).toHaveLength(1);
    const specs = suites[0]!.datasets;
    expect(specs.map((s) => `${s.bytes / 1e6}:${s.format}${s.gzip ? '.gz' : ''}:${s.seed}`)).toEqual([
      '100:array:7',
      '100:array.gz:7',
      '100:ndjson:7',
      '100:ndjson.gz:7',
      '300:array:7',
      '300:array.gz:7',
      '300:ndjson:7',
      '300:ndjson.gz:7',
    ]);
  });
  it('--ci: the small suite with B, then the memory suite with A and both reports on inputs large enough for the floor vs A', () => {
    const [small, memory, ...rest] = plan(parseOptions(['--ci']));
    expect(rest).toEqual([]);
    expect(small).toMatchObject({ variants: [...CI.variants], runs: CI.runs, memoryBound: false });
    expect(small!.datasets.map((s) => `${s.format}:${s.bytes}`)).toEqual(['array:40000000', 'ndjson:40000000']);
    expect(memory).toMatchObject({ variants: ['baseline-a', 'duckdb', 'ingest', 'report-csv-all', 'report-parquet-all'], memoryBound: true });
    expect(memory!.datasets.map((s) => s.format)).toEqual(['array', 'ndjson']);
    for (const s of memory!.datasets) expect(s.bytes).toBe(MEMORY.size);
    expect(MEMORY.size).toBeGreaterThanOrEqual(100e6);
  });
  it('--memory adds the memory suite to what was asked', () => {
    const suites = plan(parseOptions(['--memory', '--formats', 'page', '--variants', 'ingest']));
    expect(suites.map((s) => s.variants)).toEqual([['ingest'], [...MEMORY.variants]]);
  });
});
