/**
 * report.html: one self-contained page (styles, script and SVG charts inlined; it fetches nothing)
 * rendered from what a run computed: summary.json and the finalized rollup tables. See README.md.
 */
import { readFirstRejects } from '../io/rejects.js';
import { describeRules } from '../quality/describe.js';
import type { RuleSet } from '../quality/types.js';
import { chartSpecs } from './charts.js';
import { renderPage } from './page.js';
import { renderSvgs } from './render.js';
import type { NamedRollup, PageData, PageSummary } from './tables.js';

export interface ReportPageOptions extends PageData {
  /** The rollups of the PSTN and Direct Routing tables, when the run kept such rows. */
  readonly logRollups?: readonly NamedRollup[];
  readonly rules: RuleSet;
  /** Upper bound of the page's size in bytes (default MAX_PAGE_BYTES). */
  readonly maxBytes?: number;
  /** Rows per rollup table to start from (default ROW_CAP); halved until the page fits. */
  readonly rowCap?: number;
}

export const MAX_PAGE_BYTES = 2_000_000;
export const ROW_CAP = 250;
export const REJECTS_SHOWN = 20;

export interface ReportPage {
  readonly html: string;
  /** Rows per rollup table the page ended up with. */
  readonly rowCap: number;
  /** What vega and vega-lite logged (nothing, normally); never printed. */
  readonly messages: readonly string[];
}

/** Renders the page. Tables are cut to fewer rows until the page is under `maxBytes`. */
export async function renderReportPage(options: ReportPageOptions): Promise<ReportPage> {
  const maxBytes = options.maxBytes ?? MAX_PAGE_BYTES;
  const charts = chartSpecs(options.rollups, options.rules.health.min_classified_audio);
  const { svgs, messages } = await renderSvgs(charts.flatMap((c) => (c.spec === null ? [] : [c.spec])));
  const base = {
    summary: options.summary,
    rollups: options.rollups,
    logRollups: options.logRollups ?? [],
    rulesText: describeRules(options.rules),
    rejects: options.rejects.slice(0, REJECTS_SHOWN),
    redacted: options.redacted,
    charts,
    svgs,
  };
  let rowCap = options.rowCap ?? ROW_CAP;
  for (;;) {
    const html = renderPage({ ...base, rowCap });
    if (Buffer.byteLength(html) <= maxBytes || rowCap === 0) return { html, rowCap, messages };
    rowCap = Math.floor(rowCap / 2);
  }
}

/** report.html for a finished run, with the first rejects read from its rejects.jsonl (absent when nothing was rejected). */
export async function reportHtml(
  result: {
    readonly counts: { readonly rejected: number };
    readonly rollups: readonly NamedRollup[];
    readonly logRollups?: readonly NamedRollup[];
    readonly rules: RuleSet;
  },
  summary: PageSummary,
  rejectsPath: string,
  redacted: boolean,
): Promise<string> {
  const rejects = result.counts.rejected > 0 ? await readFirstRejects(rejectsPath, REJECTS_SHOWN) : [];
  return (await renderReportPage({ summary, rollups: result.rollups, logRollups: result.logRollups ?? [], rules: result.rules, rejects, redacted })).html;
}

export { chartSpecs, MIN_VOLUME } from './charts.js';
export type { ChartSpec } from './charts.js';
export { TARGETS } from './page.js';
export type { NamedRollup, PageSummary } from './tables.js';
