/**
 * The HTML text of report.html: headline, charts (SVG rendered beforehand), rollup tables, inputs,
 * rule set, first rejects. Pure: every figure comes from the run's summary and rollup tables.
 */
import type { CellValue, ColumnBatch, ColumnDef } from '../table/schema.js';
import type { ChartSpec } from './charts.js';
import { PAGE_SCRIPT, PAGE_STYLE } from './script.js';
import { cells, columnSum, findTable, keyColumns, type NamedRollup, num, type PageData } from './tables.js';

/** CQD's published targets (Quality of Experience review guide), overall figures. */
export const TARGETS = { poorAudioPct: 3.0, setupFailurePct: 1.0, dropPct: 3.0 };

export interface PageInput extends PageData {
  /** The rollups of the PSTN and Direct Routing tables (none when the run kept no log row). */
  readonly logRollups: readonly NamedRollup[];
  /** The rule set as text (describeRules). */
  readonly rulesText: string;
  readonly charts: readonly ChartSpec[];
  /** One SVG per chart with a spec, in the order of `charts`. */
  readonly svgs: readonly string[];
  /** At most this many rows per rollup table. */
  readonly rowCap: number;
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export function esc(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

/** Longest text shown in a table cell (longer values are cut, with an ellipsis). */
export const MAX_CELL_CHARS = 120;

const int = (n: number): string => n.toLocaleString('en-US');
const pct = (n: number | null): string => (n === null ? 'n/a' : `${n.toFixed(2)}%`);

function formatCell(value: CellValue, def: ColumnDef): string {
  if (value === null) return '';
  if (typeof value === 'number') {
    if (def.type === 'int') return int(value);
    if (def.type === 'timestamp') return new Date(value).toISOString();
    const abs = Math.abs(value);
    return abs !== 0 && abs < 0.01 ? value.toPrecision(2) : value.toFixed(2);
  }
  const text = String(value);
  return text.length > MAX_CELL_CHARS ? `${text.slice(0, MAX_CELL_CHARS - 1)}…` : text;
}

interface Card {
  readonly label: string;
  /** The figure's path in summary.json (for the tests), or null when it is computed from a rollup. */
  readonly path: string | null;
  readonly value: number | null;
  readonly shown: string;
  readonly detail?: string;
  readonly target?: number;
}

function card(c: Card): string {
  const state = c.target === undefined || c.value === null ? '' : c.value <= c.target ? ' meet' : ' miss';
  const attrs = `${c.path === null ? '' : ` data-k="${esc(c.path)}"`} data-v="${c.value === null ? '' : String(c.value)}"`;
  const target =
    c.target === undefined
      ? ''
      : `<div class="t">CQD target ≤ ${c.target.toFixed(1)}%: ${c.value === null ? 'n/a' : c.value <= c.target ? 'met' : 'missed'}</div>`;
  return `<div class="card${state}"><div class="k">${esc(c.label)}</div><div class="v"${attrs}>${esc(c.shown)}</div>${c.detail ? `<div class="t">${esc(c.detail)}</div>` : ''}${target}</div>`;
}

function headline(input: PageInput): string {
  const { summary } = input;
  const counts = summary.counts;
  const countCards: Card[] = (['read', 'accepted', 'rejected', 'duplicate', 'filtered'] as const).map((k) => ({
    label: `records ${k}`,
    path: `counts.${k}`,
    value: counts[k],
    shown: int(counts[k]),
  }));
  // only when sessions pages were stitched: with it, the cards add up to records read
  if ((counts.sessions_stitched ?? 0) > 0) {
    const n = counts.sessions_stitched!;
    countCards.push({ label: 'sessions stitched', path: 'counts.sessions_stitched', value: n, shown: int(n) });
  }
  countCards.push(
    { label: 'calls', path: 'counts.calls', value: counts.calls, shown: int(counts.calls) },
    { label: 'streams', path: 'counts.streams', value: counts.streams, shown: int(counts.streams) },
  );
  const quality: Card[] = [];
  const calls = summary.headline.calls;
  quality.push({
    label: 'poor calls',
    path: 'headline.calls.poor_call_pct',
    value: calls.poor_call_pct,
    shown: pct(calls.poor_call_pct),
    detail: `${int(calls.poor)} of ${int(calls.classified)} calls with a classified audio stream`,
  });
  summary.headline.by_modality.forEach((m, i) => {
    if (m.classified === 0) return;
    quality.push({
      label: `poor ${m.modality} streams`,
      path: `headline.by_modality.${i}.poor_pct`,
      value: m.poor_pct,
      shown: pct(m.poor_pct),
      detail: `${int(m.poor)} of ${int(m.classified)} classified`,
      ...(m.modality === 'audio' ? { target: TARGETS.poorAudioPct } : {}),
    });
  });
  // Reliability as CQD counts it (per stream): rollup_modality counts every stream once.
  const modality = findTable(input.rollups, 'modality');
  if (modality) {
    const streams = columnSum(modality, 'streams');
    const setupFailed = columnSum(modality, 'setup_failed_streams');
    const dropped = columnSum(modality, 'dropped_streams');
    if (streams !== null && setupFailed !== null) {
      const value = streams > 0 ? (100 * setupFailed) / streams : null;
      quality.push({
        label: 'setup failures (streams)',
        path: null,
        value,
        shown: pct(value),
        detail: `${int(setupFailed)} of ${int(streams)} streams`,
        target: TARGETS.setupFailurePct,
      });
      if (dropped !== null) {
        const up = streams - setupFailed;
        const drop = up > 0 ? (100 * dropped) / up : null;
        quality.push({
          label: 'drops (streams)',
          path: null,
          value: drop,
          shown: pct(drop),
          detail: `${int(dropped)} of ${int(up)} set-up streams`,
          target: TARGETS.dropPct,
        });
      }
    }
  }
  // Per call: every call has one call_type, so rollup_call_type's counters sum to the run's calls.
  const callType = findTable(input.rollups, 'call_type');
  if (callType) {
    const setup = columnSum(callType, 'setup_failures');
    const all = columnSum(callType, 'calls');
    if (setup !== null && all !== null) {
      const value = all > 0 ? (100 * setup) / all : null;
      quality.push({ label: 'calls failing setup', path: null, value, shown: pct(value), detail: `${int(setup)} of ${int(all)} calls` });
    }
    const drops = columnSum(callType, 'drops');
    const established = columnSum(callType, 'established_calls');
    if (drops !== null && established !== null) {
      const value = established > 0 ? (100 * drops) / established : null;
      quality.push({ label: 'dropped calls', path: null, value, shown: pct(value), detail: `${int(drops)} of ${int(established)} established calls` });
    }
  }
  return `<h2 id="headline">Headline</h2>
<div class="cards">${countCards.map(card).join('')}</div>
<h3>Quality</h3>
<div class="cards">${quality.map(card).join('')}</div>
<p class="note">Poor % = poor / classified (good + poor) streams; a call is poor when one of its classified audio streams is. Targets are CQD's overall ones (poor audio streams 3%, setup failures 1%, drops 3%); inside the corporate network they are 2%, 0.5% and 2%. Setup failures and drops (streams) are CQD's rates: streams whose segment or session failed at call setup, in percent of all streams, and streams dropped mid-call, in percent of the streams set up; the per-call figures count a call once when any of its sessions failed.</p>`;
}

function charts(input: PageInput): string {
  let next = 0;
  const figures = input.charts.map((chart) => {
    const body = chart.spec === null ? `<p class="note">${esc(chart.empty ?? 'Nothing to show.')}</p>` : input.svgs[next++]!;
    return `<figure id="${esc(chart.id)}" class="chart" data-empty="${chart.spec === null}"><figcaption>${esc(chart.title)}</figcaption>${body}<p class="note">${esc(chart.note)}</p></figure>`;
  });
  return `<h2 id="charts">Where and why</h2>${figures.join('\n')}`;
}

/** Columns a page table shows: the keys, then these measures when present, then any column the page does not know yet. */
const TABLE_MEASURES = [
  'streams',
  'classified',
  'poor',
  'poor_pct',
  'calls',
  'classified_calls',
  'poor_calls',
  'poor_call_pct',
  'setup_failed_streams',
  'setup_failure_pct',
  'dropped_streams',
  'drop_pct',
  'setup_failures',
  'call_setup_failure_pct',
  'drops',
  'call_drop_pct',
  'jitter_p90_ms',
  'rtt_p90_ms',
  'packet_loss_p90',
  'mos_p50',
  'mos_p10',
];
/** Known measures the page leaves to the CSV (the reason counts are charted; the other percentiles are many). */
const LEFT_TO_CSV = /^(reason_|cause_)|_p\d+(_ms)?$|^established_calls$/;

function tableColumns(batch: ColumnBatch): ColumnDef[] {
  const keys = new Set(keyColumns(batch));
  const byName = new Map(batch.schema.columns.map((c) => [c.name, c]));
  const shown = [...keys, ...TABLE_MEASURES.filter((name) => byName.has(name))];
  const extra = batch.schema.columns.filter((c) => !shown.includes(c.name) && !LEFT_TO_CSV.test(c.name)).map((c) => c.name);
  return [...shown, ...extra].map((name) => byName.get(name)!);
}

/** The rows shown when a table is over the cap: those with the most poor streams, then the most streams; shown in the table's own (key) order. */
function shownRows(batch: ColumnBatch, cap: number): number[] {
  const all = Array.from({ length: batch.length }, (_, i) => i);
  if (batch.length <= cap) return all;
  const poor = cells(batch, 'poor');
  const streams = cells(batch, 'streams');
  const kept = all.sort((a, b) => num(poor?.[b]) - num(poor?.[a]) || num(streams?.[b]) - num(streams?.[a]) || a - b).slice(0, cap);
  return kept.sort((a, b) => a - b);
}

function rollupTable(name: string, batch: ColumnBatch, cap: number): string {
  const columns = tableColumns(batch);
  const data = columns.map((c) => cells(batch, c.name)!);
  const rows = shownRows(batch, cap);
  const numeric = (c: ColumnDef) => c.type === 'int' || c.type === 'float';
  const head = columns.map((c) => `<th tabindex="0"${numeric(c) ? ' class="num"' : ''} title="${esc(c.doc)}">${esc(c.name)}</th>`).join('');
  const body = rows
    .map(
      (row) =>
        `<tr>${columns
          .map((c, i) => {
            const value = data[i]![row]!;
            const raw = value === null ? '' : typeof value === 'string' ? formatCell(value, c) : String(value);
            return `<td${numeric(c) ? ' class="num"' : ''} data-v="${esc(raw)}">${esc(formatCell(value, c))}</td>`;
          })
          .join('')}</tr>`,
    )
    .join('\n');
  const id = `t-${name}`;
  const capped =
    rows.length < batch.length
      ? ` Showing the ${int(rows.length)} groups with the most poor streams of ${int(batch.length)}; every group is in ${name}.csv.`
      : '';
  return `<h3 id="${esc(name)}">${esc(name)}</h3>
<p class="note"><span id="${id}-count">${int(rows.length)}</span> of ${int(batch.length)} groups shown.${capped} The same figures as ${esc(name)}.csv (rounded for display; hover a header for its meaning, click it to sort).</p>
<input type="search" placeholder="filter rows" aria-label="filter ${esc(name)}" data-filter="${id}">
<div class="scroll"><table id="${id}" class="sortable"><thead><tr>${head}</tr></thead><tbody>
${body}
</tbody></table></div>`;
}

function tables(input: PageInput): string {
  return `<h2 id="tables">Rollup tables</h2>
<p class="note">At most ${int(input.rowCap)} rows per table, so that the page stays under 2 MB whatever the input; the CSV and Parquet rollups hold every group.${input.redacted ? ' Keys are pseudonymized (--redact).' : ''}</p>
${[...input.rollups, ...input.logRollups].map((r) => rollupTable(r.name, r.batch, input.rowCap)).join('\n')}`;
}

/** SIP codes shown in the PSTN / Direct Routing section (the CSV holds them all). */
const SIP_CODES_SHOWN = 10;

/** The PSTN and Direct Routing section: calls and success % per log, the final SIP codes most calls ended with. Empty without log rows. */
function callLogs(input: PageInput): string {
  const cards: Card[] = [];
  for (const [label, name] of [
    ['PSTN', 'pstn_day'],
    ['Direct Routing', 'dr_day'],
  ] as const) {
    const day = findTable(input.logRollups, name);
    if (day === undefined) continue;
    const calls = columnSum(day, 'calls') ?? 0;
    const successful = columnSum(day, 'successful') ?? 0;
    const value = calls > 0 ? (100 * successful) / calls : null;
    cards.push({ label: `${label} calls`, path: null, value: calls, shown: int(calls) });
    cards.push({ label: `${label} successful`, path: null, value, shown: pct(value), detail: `${int(successful)} of ${int(calls)} calls` });
  }
  if (cards.length === 0) return '';
  const sip = findTable(input.logRollups, 'dr_sip_code');
  let codes = '';
  if (sip !== undefined && sip.length > 0) {
    const total = columnSum(sip, 'calls') ?? 0;
    const column = (name: string) => cells(sip, name)!;
    const rows = Array.from({ length: Math.min(sip.length, SIP_CODES_SHOWN) }, (_, row) => {
      const calls = num(column('calls')[row]);
      const share = total > 0 ? (100 * calls) / total : 0;
      const text = (name: string) => {
        const value = column(name)[row];
        return value === null || value === undefined ? '' : String(value);
      };
      return `<tr><td class="num" data-v="${esc(text('final_sip_code'))}">${esc(text('final_sip_code'))}</td><td>${esc(text('final_sip_code_phrase'))}</td><td class="num" data-v="${esc(text('call_end_sub_reason'))}">${esc(text('call_end_sub_reason'))}</td><td class="num" data-v="${calls}">${int(calls)}</td><td class="num" data-v="${share}">${pct(share)}</td></tr>`;
    });
    codes = `<h3>How Direct Routing calls ended</h3>
<p class="note">The ${int(rows.length)} final SIP codes, phrases and Microsoft sub-reasons most calls ended with, of ${int(sip.length)}; every one is in rollup_dr_sip_code.csv.</p>
<div class="scroll"><table id="t-sip-codes" class="sortable"><thead><tr><th tabindex="0" class="num">final_sip_code</th><th tabindex="0">final_sip_code_phrase</th><th tabindex="0" class="num">call_end_sub_reason</th><th tabindex="0" class="num">calls</th><th tabindex="0" class="num">share</th></tr></thead><tbody>
${rows.join('\n')}
</tbody></table></div>`;
  }
  return `<h2 id="logs">PSTN and Direct Routing</h2>
<div class="cards">${cards.map(card).join('')}</div>
${codes}
<p class="note">From the pstn_calls and direct_routing_calls tables (getPstnCalls, getDirectRoutingCalls), each row id once. Direct Routing success is successfulCall; a PSTN call counts as successful when it was connected (duration above 0). Their rollup tables are below.</p>`;
}

function inputsAndRules(input: PageInput): string {
  const { summary } = input;
  const rows = summary.inputs
    .map(
      (i) =>
        `<tr><td>${esc(i.path)}</td><td class="num" data-v="${i.bytes ?? ''}">${i.bytes === null ? '' : int(i.bytes)}</td><td class="num" data-v="${i.records}">${int(i.records)}</td><td>${esc(i.format ?? '')}${i.compressed ? ' (gzip)' : ''}</td><td><code>${esc(i.sha256 ?? '')}</code></td></tr>`,
    )
    .join('\n');
  return `<h2 id="inputs">Inputs</h2>
<div class="scroll"><table id="t-inputs" class="sortable"><thead><tr><th tabindex="0">path</th><th tabindex="0" class="num">bytes</th><th tabindex="0" class="num">records</th><th tabindex="0">format</th><th tabindex="0">sha256</th></tr></thead><tbody>
${rows}
</tbody></table></div>
<h2 id="rules">Rule set</h2>
<pre>${esc(input.rulesText)}</pre>`;
}

function rejects(input: PageInput): string {
  const total = input.summary.counts.rejected;
  if (total === 0) return `<h2 id="rejects">Rejects</h2><p>No record was rejected.</p>`;
  const rows = input.rejects
    .map(
      (r) =>
        `<tr><td>${esc(r.file)}</td><td class="num">${r.offset}</td><td>${esc(r.kind)}</td><td>${esc(r.reason.length > 300 ? `${r.reason.slice(0, 299)}…` : r.reason)}</td></tr>`,
    )
    .join('\n');
  return `<h2 id="rejects">Rejects</h2>
<p>${int(total)} record(s) rejected; the first ${int(input.rejects.length)} below. Every one is in <a href="rejects.jsonl">rejects.jsonl</a> beside this page, with its file, byte offset and reason${input.redacted ? '' : ' and the first bytes of the record'}.</p>
<div class="scroll"><table id="t-rejects"><thead><tr><th>file</th><th class="num">offset</th><th>kind</th><th>reason</th></tr></thead><tbody>
${rows}
</tbody></table></div>`;
}

/** The whole page. */
export function renderPage(input: PageInput): string {
  const s = input.summary;
  const day = findTable(input.rollups, 'day');
  const days = (day ? (cells(day, 'day') ?? []) : []).filter((d): d is string => typeof d === 'string');
  const span = days.length === 0 ? '' : days.length === 1 ? `: calls of ${days[0]}` : `: calls from ${days[0]} to ${days[days.length - 1]}`;
  const title = `callaudit report${span}`;
  const logs = callLogs(input);
  const meta = `callaudit ${esc(s.tool.version)}, started ${esc(s.started_at)}, ${s.run_time_s.toFixed(1)} s, ${s.workers} worker(s), rules ${esc(s.rules.name)}, ${s.inputs.length} input(s)`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title>
<style>${PAGE_STYLE}</style></head>
<body>
<h1>${esc(title)}</h1>
<p class="meta">${meta}${input.redacted ? ' <span class="badge">pseudonymized (--redact)</span>' : ''}</p>
<p class="meta"><a href="#headline">Headline</a> · <a href="#charts">Where and why</a>${logs === '' ? '' : ' · <a href="#logs">PSTN and Direct Routing</a>'} · <a href="#tables">Rollup tables</a> · <a href="#inputs">Inputs</a> · <a href="#rules">Rule set</a> · <a href="#rejects">Rejects</a></p>
${headline(input)}
${charts(input)}
${logs}
${tables(input)}
${inputsAndRules(input)}
${rejects(input)}
<p class="meta">Written by callaudit from summary.json and the rollup tables of this folder; the page holds aggregates only and fetches nothing.</p>
<script>${PAGE_SCRIPT}</script>
</body></html>
`;
}
