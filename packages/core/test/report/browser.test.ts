/**
 * report.html in headless Chromium (Debian's chromium, driven by playwright-core): it loads with no
 * console error and no request beyond its own file, every chart has marks, the headline figures are
 * summary.json's, and the tables sort and filter. A screenshot goes to test-artifacts/ (git-ignored).
 * Without /usr/bin/chromium the test is skipped, except under CI=true, where .ci/run installs it.
 */
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderReportPage } from '../../src/report/index.js';
import { resolveRules } from '../../src/quality/index.js';
import { ARTIFACTS, largeRollups, sampleRun } from './fixtures.js';

const CHROMIUM = '/usr/bin/chromium';
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
const present = existsSync(CHROMIUM);
const inCi = process.env.CI === 'true';

if (!present && !inCi) {
  // Said once, plainly, in the test output: the page is then checked by page.test.ts only.
  console.warn(
    `report browser tests skipped: ${CHROMIUM} not found (apt-get install -y chromium; .ci/run installs it, and under CI=true these tests never skip)`,
  );
}

/** What the tests read of the page's elements (the tests are typed without the DOM library). */
interface Node {
  readonly textContent: string | null;
  getAttribute(name: string): string | null;
  hasAttribute(name: string): boolean;
  querySelectorAll(selector: string): ArrayLike<Node>;
  readonly children: ArrayLike<Node>;
}

interface Loaded {
  readonly page: Page;
  readonly errors: string[];
  readonly requests: string[];
}

describe.skipIf(!present && !inCi)('report.html in headless Chromium', () => {
  let browser: Browser;
  beforeAll(async () => {
    if (!present) throw new Error(`CI=true but ${CHROMIUM} is missing: .ci/run installs it with apt-get`);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
  });

  async function open(file: string, viewport = { width: 1100, height: 900 }): Promise<Loaded> {
    const page = await browser.newPage({ viewport });
    const errors: string[] = [];
    const requests: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning') errors.push(`${message.type()}: ${message.text()}`);
    });
    page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
    page.on('request', (request) => requests.push(request.url()));
    page.on('requestfailed', (request) => errors.push(`requestfailed: ${request.url()}`));
    const url = pathToFileURL(file).href;
    await page.goto(url, { waitUntil: 'load' });
    return { page, errors, requests: requests.filter((r) => r !== url) };
  }

  it('loads the sample report with no console error and no request, every chart drawn with marks', async () => {
    const { out } = await sampleRun();
    const { page, errors, requests } = await open(join(out, 'report.html'));
    expect(errors).toEqual([]);
    expect(requests).toEqual([]);
    const charts = await page.$$eval('figure.chart', (figures) =>
      figures.map((f) => ({
        id: f.id,
        empty: f.getAttribute('data-empty'),
        svgs: f.querySelectorAll('svg').length,
        marks: f.querySelectorAll('svg [role="graphics-symbol"]').length,
        width: f.querySelector('svg')?.getBoundingClientRect().width ?? 0,
      })),
    );
    expect(charts.map((c) => c.id)).toEqual(
      expect.arrayContaining(['chart-day', 'chart-reasons', 'chart-distributions', 'chart-worst-subnet', 'chart-worst-platform', 'chart-feedback']),
    );
    for (const chart of charts.filter((c) => c.empty === 'false')) {
      expect(chart.svgs, chart.id).toBe(1);
      expect(chart.marks, chart.id).toBeGreaterThan(0);
      expect(chart.width, chart.id).toBeGreaterThan(100);
    }
    await mkdir(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'report-sample.png'), fullPage: true });
    await page.close();
  });

  it("shows summary.json's headline figures", async () => {
    const { out, summary } = await sampleRun();
    const { page } = await open(join(out, 'report.html'));
    const figures = await page.$$eval('[data-k]', (nodes) =>
      (nodes as unknown as Node[]).map((n) => ({ path: n.getAttribute('data-k')!, value: n.getAttribute('data-v')!, text: n.textContent! })),
    );
    expect(figures.length).toBeGreaterThan(8);
    for (const figure of figures) {
      const expected = figure.path.split('.').reduce<unknown>((at, key) => (at as Record<string, unknown>)[key], summary);
      expect(figure.value, figure.path).toBe(expected === null ? '' : String(expected));
      if (typeof expected === 'number' && figure.path.startsWith('counts.')) expect(figure.text.replace(/,/g, ''), figure.path).toBe(String(expected));
    }
    await page.close();
  });

  it('sorts a table by a header click (numbers by value, both ways) and filters its rows', async () => {
    const { out, result } = await sampleRun();
    const { page, errors } = await open(join(out, 'report.html'));
    const column = async (table: string, name: string): Promise<string[]> =>
      page.$eval(
        `#${table}`,
        (element, name) => {
          const t = element as unknown as Node;
          const index = Array.from(t.querySelectorAll('thead th')).findIndex((th) => th.textContent === name);
          return Array.from(t.querySelectorAll('tbody tr'))
            .filter((r) => !r.hasAttribute('hidden'))
            .map((r) => r.children[index]!.getAttribute('data-v')!);
        },
        name,
      );
    const header = (table: string, name: string) => page.locator(`#${table} th`, { hasText: new RegExp(`^${name}$`) });
    const before = await column('t-rollup_subnet', 'streams');
    await header('t-rollup_subnet', 'streams').click();
    const ascending = await column('t-rollup_subnet', 'streams');
    expect(ascending.map(Number)).toEqual(before.map(Number).sort((a, b) => a - b));
    await header('t-rollup_subnet', 'streams').click();
    const descending = await column('t-rollup_subnet', 'streams');
    expect(descending.map(Number)).toEqual(before.map(Number).sort((a, b) => b - a));
    expect(await header('t-rollup_subnet', 'streams').getAttribute('aria-sort')).toBe('descending');

    // poor_pct has empty cells (nothing classified): they stay last both ways.
    await header('t-rollup_subnet', 'poor_pct').click();
    const pct = await column('t-rollup_subnet', 'poor_pct');
    const filled = pct.filter((v) => v !== '');
    expect(pct.slice(0, filled.length)).toEqual(filled);
    expect(filled.map(Number)).toEqual(filled.map(Number).sort((a, b) => a - b));

    // Text columns sort as text; the filter keeps the rows that contain what is typed.
    const platforms = result.rollups.find((r) => r.name === 'rollup_platform')!.batch;
    const platform = platforms.columns[0]!.find((v) => typeof v === 'string' && v !== '') as string;
    await page.fill('input[data-filter="t-rollup_platform"]', platform);
    const shown = await column('t-rollup_platform', 'platform');
    const products = await column('t-rollup_platform', 'product');
    const needle = platform.toLowerCase();
    expect(shown.length).toBeGreaterThanOrEqual(platforms.columns[0]!.filter((v) => v === platform).length);
    expect(shown.length).toBeLessThan(platforms.length);
    expect(shown.every((v, i) => v.toLowerCase().includes(needle) || products[i]!.toLowerCase().includes(needle))).toBe(true);
    expect(await page.textContent('#t-rollup_platform-count')).toBe(String(shown.length));
    expect(errors).toEqual([]);
    await page.close();
  });

  it('loads the page of 10 million streams (under 2 MB) with no error, hostile keys shown as text', async () => {
    const { summary } = await sampleRun();
    const rendered = await renderReportPage({ summary, rollups: largeRollups(), rules: resolveRules('cqd'), rejects: [], redacted: false });
    await mkdir(ARTIFACTS, { recursive: true });
    const file = join(ARTIFACTS, 'report-large.html');
    await writeFile(file, rendered.html);
    const { page, errors, requests } = await open(file);
    expect(errors).toEqual([]);
    expect(requests).toEqual([]);
    expect(await page.$$eval('script', (s) => s.length)).toBe(1);
    const device = await page.$eval('#t-rollup_by_caller_device_capture tbody td', (td) => td.textContent);
    expect(device).toContain('<script>');
    const marks = await page.$$eval('figure.chart[data-empty="false"]', (figures) =>
      figures.map((f) => f.querySelectorAll('svg [role="graphics-symbol"]').length),
    );
    expect(marks.every((n) => n > 0)).toBe(true);
    await page.close();
  });
});
