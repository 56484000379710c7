/**
 * callaudit report / streams / validate / summary end to end, in-process: the files each command
 * writes (and does not), the exit codes of the README, the filters, standard input, interruption.
 * Redaction has its own file (report-redact.test.ts).
 */
import { createReadStream } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateRecords, writeDataset } from '@callaudit/datasets';
import type { GenerateOptions } from '@callaudit/datasets';
import { duckdbQuery, listFiles, readCsv, runCli } from './helpers.js';
import type { Run } from './helpers.js';

const SAMPLE = resolve(import.meta.dirname, '../../../datasets/sample');
const ROLLUPS = ['call_type', 'codec', 'connection', 'day', 'feedback', 'modality', 'platform', 'subnet', 'user'];

/** Small, fast records over four days, without repeats (so every record is accepted or filtered). */
const GEN: Omit<GenerateOptions, 'records'> = { seed: 21, start: '2025-03-03T00:00:00Z', days: 4, duplicateShare: 0, groupMedianSessions: 2, maxSessions: 8 };
const GEN_RECORDS = 30;

let dir: string;
let gen: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'callaudit-cli-report-'));
  gen = join(dir, 'gen.ndjson');
  await writeDataset(gen, { ...GEN, records: GEN_RECORDS, format: 'ndjson' });
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A fresh folder under the test's temp folder. */
async function fresh(name: string): Promise<string> {
  const path = join(dir, name);
  await mkdir(path);
  return path;
}

/** A report (inline, default formats) run once, by the first test that asks, and shared. */
function sharedReport(input: () => string, name: string): () => Promise<{ out: string; run: Run }> {
  let made: Promise<{ out: string; run: Run }> | undefined;
  const make = async (): Promise<{ out: string; run: Run }> => {
    const out = join(dir, name);
    return { out, run: await runCli(['report', input(), '--out', out, '--workers', '0']) };
  };
  return () => (made ??= make());
}
const sampleReport = sharedReport(() => SAMPLE, 'sample-report');
const genReport = sharedReport(() => gen, 'gen-report');

interface Summary {
  counts: {
    read: number;
    accepted: number;
    pstn_calls: number;
    direct_routing_calls: number;
    rejected: number;
    duplicate: number;
    filtered: number;
    sessions_stitched: number;
    streams: number;
    calls: number;
  };
  outputs: string[];
  out: string | null;
}

const readSummary = async (out: string): Promise<Summary> => JSON.parse(await readFile(join(out, 'summary.json'), 'utf8')) as Summary;

/** The error output of a user mistake: one line, no stack trace (commander adds its "--help" hint line). */
function expectOneLineError(run: Run, pattern: RegExp): void {
  const lines = run.stderr
    .trimEnd()
    .split('\n')
    .filter((line) => line !== '(run with --help for usage)');
  expect(lines, run.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(pattern);
  expect(run.stderr).not.toMatch(/^\s+at /m);
}

describe('callaudit report', () => {
  it('writes every documented file from the sample and prints the summary', async () => {
    const { out, run } = await sampleReport();
    expect(run.code, run.stderr).toBe(0);
    const files = await listFiles(out);
    const expected = [
      '.callaudit-report',
      'streams.csv',
      'calls.csv',
      'rejects.jsonl',
      'summary.json',
      'report.html', // on by default for report (not for streams, below)
      ...ROLLUPS.flatMap((name) => [`rollup_${name}.csv`, `rollup_${name}.parquet`]),
    ];
    for (const file of expected) expect(files).toContain(file);
    expect(files.filter((f) => /^streams\/part-\d{5}\.parquet$/.test(f)).length).toBeGreaterThan(0);
    expect(files.filter((f) => /^calls\/part-\d{5}\.parquet$/.test(f)).length).toBeGreaterThan(0);
    expect(files.filter((f) => f.endsWith('.jsonl') && f !== 'rejects.jsonl')).toEqual([]); // json is not a default format
    expect(files.some((f) => f.includes('.spool') || f.includes('.tmp-'))).toBe(false);

    const summary = await readSummary(out);
    const c = summary.counts;
    expect(c.read).toBe(c.accepted + c.pstn_calls + c.direct_routing_calls + c.rejected + c.duplicate + c.filtered + c.sessions_stitched);
    expect(c).toMatchObject({ pstn_calls: 2, direct_routing_calls: 1, sessions_stitched: 1 }); // datasets/sample/graph-docs: page 2's session joins its call (page 1's the record holds)
    expect(c.accepted).toBeGreaterThan(40);
    expect(c.duplicate).toBeGreaterThan(0); // the sample repeats ids with higher versions
    expect(c.rejected).toBeGreaterThan(0); // and has sample/bad
    expect(summary.out).toBe(out);
    expect(summary.outputs).toContain('summary.json');

    // The printed summary is this run's.
    expect(run.stdout).toContain(
      `records: ${c.read} read, ${c.accepted} accepted, ${c.pstn_calls} PSTN rows, ${c.direct_routing_calls} Direct Routing rows, ${c.rejected} rejected, ${c.duplicate} duplicate, 1 sessions stitched`,
    );
    expect(run.stdout).toContain(`streams: ${c.streams}, calls: ${c.calls}`);
    expect(run.stdout).toMatch(/^poor calls: \d+ of \d+ classified/m);
    expect(run.stdout).toContain(`report: ${out}`);

    // Tables hold what the counts say, in CSV and Parquet alike.
    expect(await readCsv(join(out, 'streams.csv'))).toHaveLength(c.streams);
    expect(await readCsv(join(out, 'calls.csv'))).toHaveLength(c.calls);
    const [parquet] = await duckdbQuery(`SELECT count(*) AS n FROM read_parquet('${out}/streams/*.parquet')`);
    expect(parquet!.n).toBe(c.streams);
    const [calls] = await duckdbQuery(`SELECT count(*) AS n FROM read_parquet('${out}/calls/*.parquet')`);
    expect(calls!.n).toBe(c.calls);
    for (const name of ROLLUPS) {
      const [rows] = await duckdbQuery(`SELECT count(*) AS n FROM read_parquet('${out}/rollup_${name}.parquet')`);
      expect(rows!.n, name).toBe((await readCsv(join(out, `rollup_${name}.csv`))).length);
    }

    // Every reject names its file, byte offset and kind; the bad files are among them.
    const rejects = (await readFile(join(out, 'rejects.jsonl'), 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    for (const reject of rejects) {
      expect(typeof reject.file).toBe('string');
      expect(typeof reject.offset).toBe('number');
      expect(typeof reject.kind).toBe('string');
      expect(typeof reject.reason).toBe('string');
    }
    const kinds = new Set(rejects.map((r) => `${String(r.file).split('/').pop()}:${String(r.kind)}`));
    expect(kinds).toContain('truncated.json:truncated');
    expect(kinds).toContain('wrong-type.json:schema');
    expect(kinds).toContain('malformed.ndjson:invalid_json');
  });

  it('--format parquet writes no CSV; --format json adds JSON Lines rollups', async () => {
    const out = join(dir, 'parquet-only');
    const run = await runCli(['report', gen, '--out', out, '--format', 'parquet', '--workers', '0', '--quiet']);
    expect(run).toEqual({ code: 0, stdout: '', stderr: '' }); // --quiet: nothing on the terminal
    const files = await listFiles(out);
    expect(files.filter((f) => f.endsWith('.csv') || f === 'report.html')).toEqual([]);
    expect(files).toContain('rollup_day.parquet');
    expect(files.some((f) => f.startsWith('streams/part-'))).toBe(true);

    const jsonOut = join(dir, 'json-only');
    expect((await runCli(['report', gen, '--out', jsonOut, '--format', 'json', '--workers', '0', '--quiet'])).code).toBe(0);
    const jsonFiles = await listFiles(jsonOut);
    expect(jsonFiles.filter((f) => f.endsWith('.csv') || f.endsWith('.parquet'))).toEqual([]);
    const day = (await readFile(join(jsonOut, 'rollup_day.jsonl'), 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { day: string; calls: number });
    expect(day.reduce((sum, row) => sum + row.calls, 0)).toBe(GEN_RECORDS);
  });

  it('streams writes only the streams table (with rejects and summary)', async () => {
    const out = join(dir, 'streams-only');
    const run = await runCli(['streams', gen, '--out', out, '--workers', '0']);
    expect(run.code, run.stderr).toBe(0);
    const files = await listFiles(out);
    expect(files.filter((f) => !f.startsWith('streams/'))).toEqual(['.callaudit-report', 'rejects.jsonl', 'streams.csv', 'summary.json']);
    expect(files.some((f) => f.startsWith('streams/part-'))).toBe(true);
    const summary = await readSummary(out);
    expect(await readCsv(join(out, 'streams.csv'))).toHaveLength(summary.counts.streams);
    expect(summary.counts.streams).toBeGreaterThan(0);
  });

  it('validate without --out writes nothing; with --out only rejects.jsonl and summary.json', async () => {
    const cwd = await fresh('validate-cwd');
    const run = await runCli(['validate', join(SAMPLE, 'bad'), '--workers', '0'], { cwd });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^records: \d+ read, \d+ accepted, [1-9]\d* rejected/m);
    // without --out, the first rejects on the terminal: file, byte offset, kind, reason
    const shown = run.stdout
      .slice(run.stdout.indexOf('first rejects:\n'))
      .split('\n')
      .slice(1)
      .filter((line) => line.startsWith('  '));
    expect(shown.length).toBeGreaterThanOrEqual(3);
    expect(shown.length).toBeLessThanOrEqual(6);
    for (const line of shown.filter((l) => !l.startsWith('  ...')))
      expect(line).toMatch(new RegExp(`^  ${join(SAMPLE, 'bad')}/[\\w.-]+ at byte \\d+: [a-z_]+: .+`));
    expect(shown.join('\n')).toMatch(/malformed\.ndjson at byte \d+: invalid_json: /);
    expect(await readdir(cwd)).toEqual([]);

    const out = join(cwd, 'check');
    expect((await runCli(['validate', join(SAMPLE, 'bad'), '--out', 'check', '--workers', '0', '--quiet'], { cwd })).code).toBe(0);
    expect(await listFiles(out)).toEqual(['.callaudit-report', 'rejects.jsonl', 'summary.json']);
    expect((await readFile(join(out, 'rejects.jsonl'), 'utf8')).trim().split('\n').length).toBeGreaterThanOrEqual(3);
  });

  it('summary prints the overview and writes nothing', async () => {
    const cwd = await fresh('summary-cwd');
    const run = await runCli(['summary', gen, '--workers', '0'], { cwd });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain(`records: ${GEN_RECORDS} read, ${GEN_RECORDS} accepted, 0 rejected, 0 duplicate`);
    expect(run.stdout).toMatch(/^ {2}audio +poor streams +\d+ of +\d+ classified/m);
    expect(run.stdout).not.toContain('report:');
    expect(await readdir(cwd)).toEqual([]);
    // summary has no --out: asking for one is a usage error, not a silent write.
    expect((await runCli(['summary', gen, '--out', 'x'], { cwd })).code).toBe(2);
    expect(await readdir(cwd)).toEqual([]);
  });

  it('--since/--until keep the calls that start in [since, until), and count the rest as filtered', async () => {
    const since = Date.parse('2025-03-04T00:00:00Z');
    const until = Date.parse('2025-03-05T12:00:00Z');
    const starts = [...generateRecords({ ...GEN, records: GEN_RECORDS })].map((r) => Date.parse(String((r as { startDateTime: string }).startDateTime)));
    const inside = starts.filter((t) => t >= since && t < until).length;
    expect(inside).toBeGreaterThan(0);
    expect(inside).toBeLessThan(GEN_RECORDS); // the window must cut something for the test to mean anything

    const out = join(dir, 'window');
    const run = await runCli(['report', gen, '--out', out, '--since', '2025-03-04', '--until', '2025-03-05T12:00:00Z', '--workers', '0', '--quiet']);
    expect(run.code, run.stderr).toBe(0);
    const summary = await readSummary(out);
    expect(summary.counts).toMatchObject({ read: GEN_RECORDS, accepted: inside, filtered: GEN_RECORDS - inside, rejected: 0 });
    const calls = await readCsv(join(out, 'calls.csv'));
    expect(calls).toHaveLength(inside);
    for (const call of calls) {
      const t = Date.parse(call.call_start!);
      expect(t >= since && t < until, call.call_start).toBe(true);
    }
    const streamCalls = new Set((await readCsv(join(out, 'streams.csv'))).map((s) => s.call_id));
    expect([...streamCalls].every((id) => calls.some((c) => c.call_id === id))).toBe(true);
    expect((await readCsv(join(out, 'rollup_day.csv'))).map((r) => r.day)).toEqual(['2025-03-04', '2025-03-05']);
  });

  it('--modality keeps only streams of those kinds; calls are not filtered', async () => {
    const { out: all } = await genReport();
    const audio = join(dir, 'modality-audio');
    expect((await runCli(['report', gen, '--out', audio, '--modality', 'audio,vbss', '--workers', '0', '--quiet'])).code).toBe(0);
    const allStreams = await readCsv(join(all, 'streams.csv'));
    const kept = await readCsv(join(audio, 'streams.csv'));
    expect(new Set(allStreams.map((s) => s.modality))).toContain('video'); // something to drop
    expect(kept.length).toBe(allStreams.filter((s) => s.modality === 'audio' || s.modality === 'vbss').length);
    expect(new Set(kept.map((s) => s.modality))).toEqual(new Set(['audio', 'vbss']));
    expect((await readCsv(join(audio, 'rollup_modality.csv'))).map((r) => r.modality)).toEqual(['audio', 'vbss']);
    expect(await readCsv(join(audio, 'calls.csv'))).toHaveLength(GEN_RECORDS);
  });

  it("reads standard input ('-') and writes the same tables as from the file", async () => {
    const { out: fromFile } = await genReport();
    const fromStdin = join(dir, 'stdin-pipe');
    const run = await runCli(['report', '-', '--out', fromStdin, '--workers', '0', '--quiet'], { stdin: createReadStream(gen, { highWaterMark: 4096 }) });
    expect(run.code, run.stderr).toBe(0);
    for (const file of ['streams.csv', 'calls.csv', 'rollup_day.csv', 'rollup_user.csv']) {
      expect((await readFile(join(fromStdin, file))).equals(await readFile(join(fromFile, file))), file).toBe(true);
    }
    const summary = (await readSummary(fromStdin)) as Summary & { inputs: Array<{ path: string }> };
    expect(summary.inputs.map((i) => i.path)).toEqual(['<stdin>']);
    expect(summary.counts.accepted).toBe(GEN_RECORDS);
  });

  it('reads JSON, NDJSON and JSON Lines from a folder, notes what it skipped, and never reads a report inside it', async () => {
    const dumps = await fresh('dumps-with-report');
    await writeFile(join(dumps, 'calls.ndjson'), await readFile(gen));
    await writeFile(join(dumps, 'notes.csv'), 'a,b\r\n');
    const out = join(dumps, 'audit');
    const first = await runCli(['report', dumps, '--out', out, '--workers', '0']);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain(
      `warning: ${dumps}: skipped 1 file(s) not matching *.json, *.ndjson, *.jsonl, *.json.gz, *.ndjson.gz, *.jsonl.gz: notes.csv`,
    );
    const counts = (await readSummary(out)).counts;
    // the second run finds the first one's report inside its input: it skips it, and may replace it
    const second = await runCli(['report', dumps, '--out', out, '--workers', '0', '--force']);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toContain(`warning: ${out}: a callaudit report folder inside the input ${dumps}: not read`);
    expect((await readSummary(out)).counts).toEqual(counts);
    expect(counts).toMatchObject({ read: GEN_RECORDS, rejected: 0 });
    const included = await runCli(['validate', dumps, '--include', '*.csv', '--workers', '0']);
    expect(included.stdout).toMatch(/records: 1 read, 0 accepted, 1 rejected/);
    expect(included.code).toBe(6);
  });

  it('runs with 2 workers and writes the same bytes as inline', async () => {
    const { out: inline } = await sampleReport();
    const pooled = join(dir, 'workers-2');
    const run = await runCli(['report', SAMPLE, '--out', pooled, '--workers', '2', '--batch-bytes', '16KiB', '--quiet']);
    expect(run.code, run.stderr).toBe(0);
    // summary.json and report.html carry the run's times and worker count.
    const files = (await listFiles(inline)).filter((f) => f !== 'summary.json' && f !== 'report.html');
    expect(await listFiles(pooled)).toEqual([...files, 'report.html', 'summary.json'].sort());
    for (const file of files) expect((await readFile(join(pooled, file))).equals(await readFile(join(inline, file))), file).toBe(true);
  });
});

describe('exit codes', () => {
  it('2 for a usage error: unknown option, bad --workers, bad --since, since after until, missing --out', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['report', gen, '--out', join(dir, 'u1'), '--bogus'], /unknown option '--bogus'/],
      [['report', gen, '--out', join(dir, 'u2'), '--workers', 'many'], /"many" is not a worker count/],
      [['report', gen, '--out', join(dir, 'u3'), '--workers', '-1'], /"-1" is not a worker count/],
      [['report', gen, '--out', join(dir, 'u3'), '--workers', '257'], /"257" is not a worker count/],
      [['report', gen, '--out', join(dir, 'u4'), '--workers', '1.5'], /"1\.5" is not a worker count/],
      [['report', gen, '--out', join(dir, 'u5'), '--since', 'yesterday'], /"yesterday" is not an ISO-8601 date/],
      [['report', gen, '--out', join(dir, 'u6'), '--since', '2025-03-05', '--until', '2025-03-04'], /^callaudit: --since must be before --until$/],
      [['report', gen], /required option '-o, --out <dir>'/],
      [
        ['report', gen, '--out', join(dir, 'u7'), '--format', 'csv,xlsx'],
        /option '--format <list>' argument 'csv,xlsx' is invalid\. unknown format "xlsx" \(expected csv, parquet, json, html\)/,
      ],
      [
        ['report', gen, '--out', join(dir, 'u7'), '--modality', 'audio,smell'],
        /option '--modality <list>' argument 'audio,smell' is invalid\. unknown stream kind "smell" \(expected audio, video, vbss, appsharing, data, unknown\)/,
      ],
      [['summary', gen, '--group-by', 'caller_subnet'], /unknown option '--group-by'/],
      [['validate', gen, '--group-by', 'caller_subnet'], /unknown option '--group-by'/],
      [['report', gen, '--out', join(dir, 'u8'), '--redact'], /--redact needs a key/],
      [['report', gen, '--out', join(dir, 'u9'), '--redact-key-file', gen], /--redact-key-file needs --redact/],
      [['frobnicate'], /unknown command 'frobnicate'/],
    ];
    for (const [args, pattern] of cases) {
      const run = await runCli(args, { cwd: dir });
      expect({ args, code: run.code }).toEqual({ args, code: 2 });
      expectOneLineError(run, pattern);
      expect(run.stdout).toBe('');
    }
    expect((await readdir(dir)).filter((name) => /^\.?u\d/.test(name))).toEqual([]); // no output folder, no temp folder
  });

  it('3 for an input, rules or output problem: missing input, invalid rules file, existing --out without --force', async () => {
    const missing = await runCli(['report', join(dir, 'no-such.json'), '--out', join(dir, 'x1'), '--workers', '0']);
    expect(missing.code).toBe(3);
    expectOneLineError(missing, /^callaudit: .*no-such\.json: input .*no-such\.json does not exist$/);

    const rules = join(dir, 'rules.json');
    await writeFile(rules, JSON.stringify({ name: 'mine', audio: { thresholds: 'strict' } }));
    const badRules = await runCli(['report', gen, '--out', join(dir, 'x2'), '--rules', rules, '--workers', '0']);
    expect(badRules.code).toBe(3);
    expectOneLineError(badRules, /^callaudit: .*rules\.json: /);

    const out = join(dir, 'exists');
    expect((await runCli(['report', gen, '--out', out, '--workers', '0', '--quiet'])).code).toBe(0);
    const marker = join(out, 'mine.txt');
    await writeFile(marker, 'keep me');
    const again = await runCli(['report', gen, '--out', out, '--workers', '0']);
    expect(again.code).toBe(3);
    expectOneLineError(again, /^callaudit: .*exists.*--force/);
    expect(await readFile(marker, 'utf8')).toBe('keep me');
    const forced = await runCli(['report', gen, '--out', out, '--workers', '0', '--force', '--quiet']);
    expect(forced.code, forced.stderr).toBe(0);
    expect(await listFiles(out)).not.toContain('mine.txt');
    expect((await readdir(dir)).filter((name) => name.startsWith('.x') || name === 'x1' || name === 'x2' || name.includes('.tmp-'))).toEqual([]);
  });

  it('2 when --force would replace an input, a folder holding one, or a folder that is not a report: nothing is removed', async () => {
    const parent = await fresh('force-inputs');
    const inp = join(parent, 'inp');
    await mkdir(inp);
    const data = await readFile(gen);
    await writeFile(join(inp, 'calls.ndjson'), data);
    await symlink(inp, join(parent, 'via-link'));
    const mine = join(parent, 'mine');
    await mkdir(mine);
    await writeFile(join(mine, 'notes.txt'), 'keep me');
    const cases: Array<[string[], RegExp]> = [
      [[inp, '--out', inp], /is the input/],
      [[inp, '--out', parent], /contains the input/],
      [[join(parent, 'via-link'), '--out', inp], /is the input/],
      [[join(inp, '*.ndjson'), '--out', inp], /contains the input/],
      [[gen, '--out', mine], /is not a callaudit report/],
    ];
    for (const [args, pattern] of cases) {
      const run = await runCli(['report', ...args, '--force', '--workers', '0']);
      expect({ args, code: run.code }).toEqual({ args, code: 2 });
      expectOneLineError(run, pattern);
    }
    expect(await readFile(join(inp, 'calls.ndjson'))).toEqual(data);
    expect(await readFile(join(mine, 'notes.txt'), 'utf8')).toBe('keep me');
    expect((await readdir(parent)).sort()).toEqual(['inp', 'mine', 'via-link']);
  });

  it('3 at once for a second run on the same --out while the first runs; the first finishes its report', async () => {
    const parent = await fresh('locked');
    const out = join(parent, 'report');
    const order: string[] = [];
    const run = (name: string): Promise<Run> =>
      runCli(['report', gen, '--out', out, '--workers', '0', '--quiet']).then((result) => {
        order.push(name);
        return result;
      });
    const [a, b] = await Promise.all([run('a'), run('b')]);
    const [winner, loser] = a.code === 0 ? [a, b] : [b, a];
    expect([winner.code, loser.code], `${a.stderr}${b.stderr}`).toEqual([0, 3]);
    expectOneLineError(loser, new RegExp(`another callaudit run \\(pid ${process.pid}\\) is writing ${out}`));
    expect(order[0]).toBe(a === loser ? 'a' : 'b'); // the loser did no work: it is done first
    expect((await readSummary(out)).counts.accepted).toBe(GEN_RECORDS);
    expect(await readdir(parent)).toEqual(['report']); // no lock, no temporary folder left
  });

  it('4 with --fail-on-rejects when records were rejected (the report is still written); 0 without rejects', async () => {
    const out = join(dir, 'bad-report');
    const run = await runCli(['report', join(SAMPLE, 'bad'), '--out', out, '--fail-on-rejects', '--workers', '0']);
    expect(run.code).toBe(4);
    const summary = await readSummary(out);
    expect(summary.counts.rejected).toBeGreaterThan(0);
    expect(run.stderr).toContain(`callaudit: ${summary.counts.rejected} record(s) rejected; see ${out}/rejects.jsonl`);
    expect(run.stdout).toContain(`${summary.counts.rejected} rejected`);

    const validate = await runCli(['validate', join(SAMPLE, 'bad'), '--fail-on-rejects', '--workers', '0', '--quiet']);
    expect(validate.code).toBe(4);
    const clean = await runCli(['validate', gen, '--fail-on-rejects', '--workers', '0', '--quiet']);
    expect(clean).toEqual({ code: 0, stdout: '', stderr: '' });
  });

  it('6 when inputs were read and no record was accepted (binary files, all filtered, empty input), with or without --fail-on-rejects', async () => {
    const parent = await fresh('nothing-accepted');
    const junk = join(parent, 'junk');
    await mkdir(junk);
    for (let i = 0; i < 3; i++) await writeFile(join(junk, `blob-${i}.json`), Buffer.from(Array.from({ length: 500 }, (_, j) => (i * 31 + j * 7) % 256)));
    const out = join(parent, 'report');
    const run = await runCli(['report', junk, '--out', out, '--workers', '0']);
    expect(run.code).toBe(6);
    const summary = await readSummary(out); // the report is still written
    expect(summary.counts).toMatchObject({ read: summary.counts.rejected, accepted: 0 });
    expect(summary.counts.rejected).toBeGreaterThanOrEqual(3);
    expect(run.stderr).toBe(
      `callaudit: no record accepted: ${summary.counts.read} read, ${summary.counts.rejected} rejected, 0 outside --since/--until; see ${out}/rejects.jsonl\n`,
    );
    expect((await runCli(['validate', junk, '--fail-on-rejects', '--workers', '0', '--quiet'])).code).toBe(6);
    const filtered = await runCli(['summary', gen, '--since', '2030-01-01', '--workers', '0', '--quiet']);
    expect(filtered).toEqual({
      code: 6,
      stdout: '',
      stderr: `callaudit: no record accepted: ${GEN_RECORDS} read, 0 rejected, ${GEN_RECORDS} outside --since/--until\n`,
    });
    const empty = await runCli(['summary', '-', '--workers', '0', '--quiet']);
    // an empty input is one record read and rejected (kind `empty`): the counts add up to rejects.jsonl
    expect(empty).toEqual({ code: 6, stdout: '', stderr: 'callaudit: no record accepted: 1 read, 1 rejected, 0 outside --since/--until\n' });
    const help = await runCli(['--help']);
    expect(help.stdout).toContain('6 no record accepted');
  });

  it('0, not 6, for a run that kept only PSTN and Direct Routing rows; 6 when they were all filtered out', async () => {
    const docs = join(SAMPLE, 'graph-docs');
    const logs = [join(docs, 'v1-pstn-calls.json'), join(docs, 'v1-direct-routing-calls.json')];
    const run = await runCli(['summary', ...logs, '--workers', '0']);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    expect(run.stdout).toContain('records: 3 read, 0 accepted, 2 PSTN rows, 1 Direct Routing rows, 0 rejected, 0 duplicate');
    const filtered = await runCli(['summary', ...logs, '--since', '2030-01-01', '--workers', '0', '--quiet']);
    expect(filtered).toEqual({ code: 6, stdout: '', stderr: 'callaudit: no record accepted: 3 read, 0 rejected, 3 outside --since/--until\n' });
  });

  it('130 when interrupted: no output folder and no temporary folder beside it', async () => {
    const parent = await fresh('interrupted');
    const controller = new AbortController();
    controller.abort();
    const run = await runCli(['report', gen, '--out', join(parent, 'report'), '--workers', '0'], { signal: controller.signal });
    expect(run.code).toBe(130);
    expectOneLineError(run, /^callaudit: .*interrupted/);
    expect(await readdir(parent)).toEqual([]);
  });

  it('130 when interrupted mid-run (standard input stalls after its first chunk): the temporary folder is removed', async () => {
    const parent = await fresh('interrupted-mid-run');
    const controller = new AbortController();
    const text = await readFile(gen);
    let reads = 0;
    const stdin = new Readable({
      read() {
        reads++;
        if (reads === 1) this.push(text.subarray(0, text.length >> 1));
        else controller.abort(); // the engine wants more: interrupt it, and never answer
      },
    });
    const run = await runCli(['report', '-', '--out', join(parent, 'report'), '--workers', '0'], { stdin, signal: controller.signal });
    expect(reads).toBeGreaterThanOrEqual(2);
    expect(run.code).toBe(130);
    expectOneLineError(run, /^callaudit: .*interrupted/);
    expect(await readdir(parent)).toEqual([]);
  });

  it('2 with the help on stderr when run with no arguments', async () => {
    const run = await runCli([]);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('Usage: callaudit [options] [command]');
    expect(run.stderr).toContain('Exit codes:');
  });

  it('0 for --help with examples and --version', async () => {
    for (const command of ['report', 'streams', 'validate', 'summary']) {
      const help = await runCli([command, '--help']);
      expect(help.code).toBe(0);
      expect(help.stdout).toContain('Examples:');
      expect(help.stdout).toContain(`$ callaudit ${command} `);
    }
    expect(await runCli(['--version'])).toEqual({ code: 0, stdout: '0.0.0-test\n', stderr: '' });
  });
});
