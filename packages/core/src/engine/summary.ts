/**
 * summary.json and the short text the CLI prints: built from a finished run, pure.
 */
import { coreVersion } from '../version.js';
import type { CellValue, ColumnBatch } from '../table/schema.js';
import type { ReportResult, RunCounts, InputReport } from './result.js';
import type { RecordOutcome } from './protocol.js';

export interface ModalityHeadline {
  readonly modality: string;
  readonly streams: number;
  readonly classified: number;
  readonly poor: number;
  /** poor / classified x 100; null when nothing was classified. */
  readonly poor_pct: number | null;
}

export interface WorstGroup {
  readonly rollup: string;
  readonly group: Record<string, CellValue>;
  readonly classified: number;
  readonly poor: number;
  readonly poor_pct: number;
}

export interface RunSummary {
  readonly tool: { readonly name: 'callaudit'; readonly version: string };
  readonly started_at: string;
  readonly finished_at: string;
  readonly run_time_s: number;
  /** mb_per_s: JSON text (gzip inputs decompressed); input_mb_per_s: bytes on disk. MB = 10^6 bytes. */
  readonly throughput: { readonly mb_per_s: number; readonly input_mb_per_s: number; readonly records_per_s: number };
  readonly workers: number;
  readonly rules: { readonly name: string; readonly description: string | null };
  readonly inputs: readonly InputReport[];
  readonly counts: SummaryCounts;
  readonly headline: {
    readonly by_modality: readonly ModalityHeadline[];
    readonly calls: { readonly calls: number; readonly classified: number; readonly poor: number; readonly poor_call_pct: number | null };
    readonly worst_groups: readonly WorstGroup[];
  };
  readonly outputs: readonly string[];
  readonly out: string | null;
  readonly warnings: readonly string[];
  readonly dedup_ledger_bytes: number;
}

/** Record counts: read = accepted + rejected + duplicate + filtered. */
export interface SummaryCounts {
  readonly read: number;
  readonly accepted: number;
  readonly rejected: number;
  readonly duplicate: number;
  readonly filtered: number;
  /** Inputs cut off mid-record (their complete records are kept; the cut is in the rejects). */
  readonly truncated_files: number;
  /** Accepted records whose sessions were cut by paging (sessions@odata.nextLink). */
  readonly sessions_truncated: number;
  /** Accepted records that carried no sessions (exported without $expand=sessions): calls without streams. */
  readonly sessions_missing: number;
  /** Accepted records whose participants_v2 were cut by paging (participants_v2@odata.nextLink). */
  readonly participants_truncated: number;
  readonly streams: number;
  readonly calls: number;
}

function summaryCounts(c: RunCounts): SummaryCounts {
  return {
    read: c.read,
    accepted: c.accepted,
    rejected: c.rejected,
    duplicate: c.duplicate,
    filtered: c.filtered,
    truncated_files: c.truncatedFiles,
    sessions_truncated: c.sessionsTruncated,
    sessions_missing: c.sessionsMissing,
    participants_truncated: c.participantsTruncated,
    streams: c.streams,
    calls: c.calls,
  };
}

/** Counts (sign 1) or takes back (sign -1, a superseded copy) what an accepted record's outcome notes. */
export function countNotes(counts: RunCounts, outcome: RecordOutcome, sign: 1 | -1): void {
  if (outcome.sessionsTruncated) counts.sessionsTruncated += sign;
  if (outcome.sessionsMissing) counts.sessionsMissing += sign;
  if (outcome.participantsTruncated) counts.participantsTruncated += sign;
}

/** One warning per kind of incomplete export the counts show, naming the fix. */
export function noteWarnings(counts: RunCounts): string[] {
  const warnings: string[] = [];
  if (counts.sessionsMissing > 0) {
    warnings.push(
      `${counts.sessionsMissing} record(s) carry no sessions (listed or exported without $expand): they count as calls without streams. ` +
        'Export each record with GET /communications/callRecords/{id}?$expand=sessions($expand=segments), or use callaudit fetch.',
    );
  }
  return warnings;
}

/** Groups with fewer classified streams than this are not ranked among the worst (never shown below a minimum volume). */
const WORST_MIN_CLASSIFIED = 20;
/** Where an admin acts: places (buildings, access points), devices and clients first, then the older breakdowns. */
const WORST_ROLLUPS = ['building', 'access_point', 'capture_device', 'render_device', 'client_version', 'user', 'subnet', 'platform', 'connection', 'codec'];

function column(batch: ColumnBatch, name: string): CellValue[] | undefined {
  const index = batch.schema.columns.findIndex((c) => c.name === name);
  return index < 0 ? undefined : batch.columns[index];
}

function num(value: CellValue | undefined): number {
  return typeof value === 'number' ? value : 0;
}

function pct(part: number, whole: number): number | null {
  return whole > 0 ? (100 * part) / whole : null;
}

function findRollup(result: ReportResult, name: string): ColumnBatch | undefined {
  return result.rollups.find((r) => r.name === `rollup_${name}` || r.name === name)?.batch;
}

function byModality(result: ReportResult): ModalityHeadline[] {
  const batch = findRollup(result, 'modality');
  if (!batch) return [];
  const modality = column(batch, 'modality')!;
  const streams = column(batch, 'streams')!;
  const classified = column(batch, 'classified')!;
  const poor = column(batch, 'poor')!;
  return modality.map((m, row) => ({
    modality: String(m ?? ''),
    streams: num(streams[row]),
    classified: num(classified[row]),
    poor: num(poor[row]),
    poor_pct: pct(num(poor[row]), num(classified[row])),
  }));
}

function callTotals(result: ReportResult): RunSummary['headline']['calls'] {
  // Every call has exactly one call_type, so the call_type rollup sums to the run's totals.
  const batch = findRollup(result, 'call_type');
  let calls = 0;
  let classified = 0;
  let poor = 0;
  if (batch) {
    const c = column(batch, 'calls')!;
    const k = column(batch, 'classified_calls')!;
    const p = column(batch, 'poor_calls')!;
    for (let row = 0; row < batch.length; row++) {
      calls += num(c[row]);
      classified += num(k[row]);
      poor += num(p[row]);
    }
  }
  return { calls, classified, poor, poor_call_pct: pct(poor, classified) };
}

function worstGroups(result: ReportResult, perRollup = 3): WorstGroup[] {
  const out: WorstGroup[] = [];
  for (const name of WORST_ROLLUPS) {
    const batch = findRollup(result, name);
    if (!batch) continue;
    const classified = column(batch, 'classified')!;
    const poor = column(batch, 'poor')!;
    const keys = batch.schema.columns.map((c, i) => ({ c, i })).filter(({ c }) => c.type === 'string');
    const rows: WorstGroup[] = [];
    for (let row = 0; row < batch.length; row++) {
      const k = num(classified[row]);
      const p = num(poor[row]);
      if (k < WORST_MIN_CLASSIFIED || p === 0) continue;
      const group: Record<string, CellValue> = {};
      for (const { c, i } of keys) group[c.name] = batch.columns[i]![row] ?? null;
      // A group with no key at all (no user, no subnet reported) is not a place to act on.
      if (Object.values(group).every((v) => v === null || v === '' || v === 'unknown')) continue;
      rows.push({ rollup: name, group, classified: k, poor: p, poor_pct: (100 * p) / k });
    }
    rows.sort((a, b) => b.poor_pct - a.poor_pct || b.poor - a.poor || JSON.stringify(a.group).localeCompare(JSON.stringify(b.group)));
    out.push(...rows.slice(0, perRollup));
  }
  return out;
}

export function buildSummary(result: ReportResult, version: string = coreVersion()): RunSummary {
  const seconds = result.elapsedMs / 1000;
  return {
    tool: { name: 'callaudit', version },
    started_at: result.startedAt.toISOString(),
    finished_at: new Date(result.startedAt.getTime() + result.elapsedMs).toISOString(),
    run_time_s: round(seconds, 3),
    throughput: {
      mb_per_s: round(result.jsonBytes / 1e6 / Math.max(seconds, 1e-3), 2),
      input_mb_per_s: round(result.bytesRead / 1e6 / Math.max(seconds, 1e-3), 2),
      records_per_s: round(result.counts.read / Math.max(seconds, 1e-3), 1),
    },
    workers: result.workers,
    rules: { name: result.rules.name, description: typeof result.rules.description === 'string' ? result.rules.description : null },
    inputs: result.inputs,
    counts: summaryCounts(result.counts),
    headline: { by_modality: byModality(result), calls: callTotals(result), worst_groups: worstGroups(result) },
    outputs: result.outputs,
    out: result.out,
    warnings: result.warnings,
    dedup_ledger_bytes: result.ledgerBytes,
  };
}

function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

const fmtPct = (value: number | null): string => (value === null ? 'n/a' : `${value.toFixed(1)}%`);

/** The short human summary the CLI prints. */
export function renderSummaryText(summary: RunSummary): string {
  const c = summary.counts;
  const lines: string[] = [];
  lines.push(
    `callaudit ${summary.tool.version}: ${summary.inputs.length} input(s), ${summary.run_time_s.toFixed(1)} s, ${summary.throughput.mb_per_s} MB/s of JSON, rules ${summary.rules.name}`,
  );
  lines.push(
    `records: ${c.read} read, ${c.accepted} accepted, ${c.rejected} rejected, ${c.duplicate} duplicate${c.filtered ? `, ${c.filtered} filtered out` : ''}${c.truncated_files ? `, ${c.truncated_files} truncated file(s)` : ''}${c.sessions_truncated ? `, ${c.sessions_truncated} with truncated sessions` : ''}${c.sessions_missing ? `, ${c.sessions_missing} without sessions` : ''}${c.participants_truncated ? `, ${c.participants_truncated} with truncated participants` : ''}`,
  );
  lines.push(`streams: ${c.streams}, calls: ${c.calls}`);
  const calls = summary.headline.calls;
  lines.push(`poor calls: ${calls.poor} of ${calls.classified} classified (${fmtPct(calls.poor_call_pct)})`);
  for (const m of summary.headline.by_modality) {
    if (m.classified === 0) continue;
    lines.push(
      `  ${m.modality.padEnd(10)} poor streams ${String(m.poor).padStart(6)} of ${String(m.classified).padStart(7)} classified (${fmtPct(m.poor_pct)})`,
    );
  }
  if (summary.headline.worst_groups.length > 0) {
    lines.push('worst groups (poor stream %):');
    for (const w of summary.headline.worst_groups) {
      const label =
        Object.values(w.group)
          .filter((v) => v !== null && v !== '')
          .join(' / ') || '(empty)';
      lines.push(`  ${w.rollup.padEnd(14)} ${label.slice(0, 48).padEnd(48)} ${fmtPct(w.poor_pct).padStart(6)} (${w.poor}/${w.classified})`);
    }
  }
  for (const warning of summary.warnings) lines.push(`warning: ${warning}`);
  if (summary.out !== null)
    lines.push(`report: ${summary.out} (${summary.outputs.length} outputs${c.rejected > 0 ? `; ${c.rejected} rejected, listed in rejects.jsonl` : ''})`);
  return `${lines.join('\n')}\n`;
}
