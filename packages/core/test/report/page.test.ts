import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runReport } from '../../src/engine/run.js';
import { buildSummary } from '../../src/engine/summary.js';
import { readFirstRejects } from '../../src/io/rejects.js';
import { resolveRules } from '../../src/quality/index.js';
import { MAX_PAGE_BYTES, renderReportPage, ROW_CAP } from '../../src/report/index.js';
import { largeRollups, parseCsv, SAMPLE, sampleRun } from './fixtures.js';

const decode = (text: string): string => text.replace(/&(amp|lt|gt|quot|#39);/g, (_, e: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" })[e]!);

/** A page table as the page holds it: header names and each row's data-v values. */
function pageTable(html: string, id: string): { head: string[]; rows: string[][] } {
  const at = html.indexOf(`<table id="${id}"`);
  expect(at, id).toBeGreaterThan(0);
  const table = html.slice(at, html.indexOf('</table>', at));
  const head = [...table.slice(0, table.indexOf('</thead>')).matchAll(/<th[^>]*>([^<]*)<\/th>/g)].map((m) => decode(m[1]!));
  const body = table.slice(table.indexOf('<tbody>'));
  const rows = [...body.matchAll(/<tr>(.*?)<\/tr>/g)].map((m) => [...m[1]!.matchAll(/data-v="([^"]*)"/g)].map((v) => decode(v[1]!)));
  return { head, rows };
}

describe('report.html from a run', () => {
  it('is written by default, listed in summary.json, and fetches nothing', async () => {
    const { out, summary, html } = await sampleRun();
    expect(await readdir(out)).toContain('report.html');
    expect(summary.outputs).toContain('report.html');
    expect(Buffer.byteLength(html)).toBeLessThan(MAX_PAGE_BYTES);
    // Nothing to load: no src or href to another document (the SVG namespace is a name, not a fetch).
    expect(html).not.toMatch(/\ssrc=|<link|<iframe|<img|@import|url\(/i);
    expect(html.replace(/xmlns(:xlink)?="http:\/\/www\.w3\.org\/[^"]*"/g, '')).not.toMatch(/https?:\/\//);
    expect([...html.matchAll(/href="([^"]*)"/g)].map((m) => m[1]).every((href) => href!.startsWith('#') || href === 'rejects.jsonl')).toBe(true);
    expect(html).toContain('Content-Security-Policy" content="default-src \'none\'');
  });

  it('shows every rollup table with the same figures as its CSV', async () => {
    const { out, result, html } = await sampleRun();
    expect(result.rollups.length).toBeGreaterThan(5);
    expect(result.logRollups.length).toBe(7); // datasets/sample/graph-docs holds PSTN and Direct Routing rows
    const all = [...result.rollups, ...result.logRollups];
    for (const { name } of all) {
      const [header, ...csvRows] = parseCsv(await readFile(join(out, `${name}.csv`), 'utf8'));
      const page = pageTable(html, `t-${name}`);
      expect(page.rows.length, name).toBe(Math.min(ROW_CAP, csvRows.length));
      expect(csvRows.length, `${name} fits the cap in the sample`).toBeLessThanOrEqual(ROW_CAP);
      const types = new Map(all.find((r) => r.name === name)!.batch.schema.columns.map((c) => [c.name, c.type]));
      page.head.forEach((column, c) => {
        const i = header!.indexOf(column);
        expect(i, `${name}.${column} is a CSV column`).toBeGreaterThanOrEqual(0);
        page.rows.forEach((row, r) => {
          const csv = csvRows[r]![i] ?? '';
          if (types.get(column) === 'string') expect(row[c], `${name}[${r}].${column}`).toBe(csv.replace(/^'(?=[=+\-@\t\r])/, ''));
          else expect(row[c], `${name}[${r}].${column}`).toBe(csv); // String(n), as the CSV writer writes it
        });
      });
    }
  });

  it("has a PSTN and Direct Routing section with the log tables' counts, success % and final SIP codes, only when the run kept log rows", async () => {
    const { html, summary, result } = await sampleRun();
    const section = html.slice(html.indexOf('<h2 id="logs">'), html.indexOf('<h2 id="tables">'));
    // graph-docs: 2 PSTN rows (both connected), 1 Direct Routing row (successfulCall, 0 BYE 540000)
    expect(summary.counts).toMatchObject({ pstn_calls: 2, direct_routing_calls: 1 });
    expect(section).toContain('<div class="k">PSTN calls</div><div class="v" data-v="2">2</div>');
    expect(section).toContain('<div class="k">PSTN successful</div><div class="v" data-v="100">100.00%</div><div class="t">2 of 2 calls</div>');
    expect(section).toContain('<div class="k">Direct Routing calls</div><div class="v" data-v="1">1</div>');
    expect(pageTable(section, 't-sip-codes').rows).toEqual([['0', '540000', '1', '100']]);
    expect(html).toContain('<a href="#logs">');
    const without = await renderReportPage({ summary, rollups: result.rollups, rules: resolveRules('cqd'), rejects: [], redacted: false });
    expect(without.html).not.toContain('id="logs"');
    expect(without.html).not.toContain('href="#logs"');
  });

  it("headline figures are summary.json's", async () => {
    const { summary, html } = await sampleRun();
    const figures = [...html.matchAll(/data-k="([^"]+)" data-v="([^"]*)"/g)];
    expect(figures.map((m) => m[1])).toEqual(
      expect.arrayContaining([
        'counts.read',
        'counts.accepted',
        'counts.rejected',
        'counts.duplicate',
        'counts.sessions_stitched', // the sample's graph-docs/ call has a sessions page saved on its own
        'counts.calls',
        'counts.streams',
        'headline.calls.poor_call_pct',
      ]),
    );
    for (const [, path, value] of figures) {
      const expected = path!.split('.').reduce<unknown>((at, key) => (at as Record<string, unknown>)[key], summary);
      expect(value, path).toBe(expected === null ? '' : String(expected));
    }
    expect(figures.some((m) => /^headline\.by_modality\.\d+\.poor_pct$/.test(m[1]!))).toBe(true);
  });

  it('lists the inputs with their sha256 and the first rejects, pointing to rejects.jsonl', async () => {
    const { out, summary, html } = await sampleRun();
    for (const input of summary.inputs) {
      if (input.sha256) expect(html).toContain(input.sha256);
    }
    const first = await readFirstRejects(join(out, 'rejects.jsonl'), 3);
    expect(summary.counts.rejected).toBeGreaterThan(0);
    expect(first.length).toBeGreaterThan(0);
    const reasons = html.slice(html.indexOf('<table id="t-rejects"'));
    for (const reject of first)
      expect(reasons).toContain(
        reject.reason.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;').slice(0, 200),
      );
    expect(html).toContain('<a href="rejects.jsonl">rejects.jsonl</a>');
    expect(html).toContain(summary.rules.name);
  });

  it('--format without html writes no page; html alone writes the page and rejects.jsonl', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'callaudit-report-fmt-'));
    await runReport({ inputs: [join(SAMPLE, 'single-record.json')], out: join(dir, 'csv'), formats: ['csv'], workers: 0 });
    expect(await readdir(join(dir, 'csv'))).not.toContain('report.html');
    await runReport({ inputs: [join(SAMPLE, 'single-record.json')], out: join(dir, 'html'), formats: ['html'], tables: ['rollups'], workers: 0 });
    expect((await readdir(join(dir, 'html'))).sort()).toEqual(['.callaudit-report', 'rejects.jsonl', 'report.html', 'summary.json']);
  });

  it('under --redact holds pseudonymized keys only', async () => {
    const plain = await sampleRun();
    const redacted = await sampleRun({ redactKey: Buffer.from('a redaction key of 32 bytes, ok!') });
    expect(redacted.html).toContain('pseudonymized (--redact)');
    const personal = new Set<string>();
    for (const name of ['rollup_user', 'rollup_subnet']) {
      const batch = plain.result.rollups.find((r) => r.name === name)!.batch;
      batch.schema.columns.forEach((def, c) => {
        if (['user_id', 'upn', 'subnet'].includes(def.name)) for (const v of batch.columns[c]!) if (typeof v === 'string' && v.length > 6) personal.add(v);
      });
    }
    expect(personal.size).toBeGreaterThan(10);
    for (const value of personal) {
      expect(plain.html, value).toContain(value); // the test would catch them
      expect(redacted.html, value).not.toContain(value);
    }
  });
});

describe('the size bound', () => {
  it('stays under 2 MB for the rollups of 10 million streams, cutting tables and saying so', async () => {
    const { summary, result } = await sampleRun();
    const rollups = largeRollups();
    const streams = rollups.find((r) => r.name === 'rollup_user')!.batch.columns[2]!.reduce<number>((sum, v) => sum + (v as number), 0);
    expect(streams).toBeGreaterThan(9_000_000);
    const page = await renderReportPage({ summary, rollups, rules: resolveRules('cqd'), rejects: [], redacted: false });
    expect(page.messages).toEqual([]);
    expect(Buffer.byteLength(page.html)).toBeLessThanOrEqual(MAX_PAGE_BYTES);
    expect(page.rowCap).toBeGreaterThan(10);
    expect(page.html).toContain(
      `Showing the ${page.rowCap.toLocaleString('en-US')} groups with the most poor streams of 100,000; every group is in rollup_user.csv.`,
    );
    // Hostile keys are text, never markup: the page has its own script and no other.
    expect(page.html.match(/<script/g)).toHaveLength(1);
    expect(page.html).toContain('&lt;script&gt;x');
    expect(page.html).not.toContain('<b>');
    const worstUsers = page.html.slice(
      page.html.indexOf('<figure id="chart-worst-user"'),
      page.html.indexOf('</figure>', page.html.indexOf('<figure id="chart-worst-user"')),
    );
    expect(worstUsers).toContain('&lt;b&gt;&amp;amp;'); // the SVG's text is escaped too
    // The rows kept are those with the most poor streams.
    const user = rollups.find((r) => r.name === 'rollup_user')!.batch;
    const poor = (user.columns[user.schema.columns.findIndex((c) => c.name === 'poor')] as number[]).slice().sort((a, b) => b - a);
    const shown = pageTable(page.html, 't-rollup_user');
    const poorAt = shown.head.indexOf('poor');
    expect(shown.rows.map((row) => Number(row[poorAt])).sort((a, b) => b - a)).toEqual(poor.slice(0, page.rowCap));
    const dir = await mkdtemp(join(tmpdir(), 'callaudit-report-large-'));
    await writeFile(join(dir, 'report.html'), page.html); // for a look by hand
    expect(result.rollups.length).toBeGreaterThan(0);
  });

  it('keeps cutting until the page fits a tighter bound', async () => {
    const { summary, result } = await sampleRun();
    // The sample's page: 845 KB at 250 rows, 334 KB with no table rows at all (the headers of ~90 columns x 22 rollups, the charts).
    const page = await renderReportPage({ summary, rollups: result.rollups, rules: result.rules, rejects: [], redacted: false, maxBytes: 400_000 });
    expect(Buffer.byteLength(page.html)).toBeLessThanOrEqual(400_000);
    expect(page.rowCap).toBeLessThan(ROW_CAP);
    expect(buildSummary(result).counts.read).toBe(summary.counts.read);
  });
});
