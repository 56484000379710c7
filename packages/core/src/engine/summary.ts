/**
 * summary.json and the short text the CLI prints: built from a finished run, pure.
 */
import { coreVersion } from '../version.js';
import { CQD_TARGETS, DEFAULT_HEALTH, withinTarget, type TargetFigure } from '../quality/types.js';
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

/**
 * A group among the worst: ranked by its poor audio stream % (`audio_poor_pct`, what health judges),
 * among groups with at least the health minimum volume of classified audio streams.
 */
export interface WorstGroup {
  readonly rollup: string;
  readonly group: Record<string, CellValue>;
  /** Classified audio streams of the group (audio_classified). */
  readonly classified: number;
  /** Poor audio streams (audio_poor). */
  readonly poor: number;
  readonly poor_pct: number;
}

/** One headline figure against its CQD target: value = part / whole x 100 (null when whole is 0). */
export interface HeadlineTarget {
  readonly figure: TargetFigure;
  readonly part: number;
  readonly whole: number;
  readonly value: number | null;
  readonly target: number;
  readonly meets: boolean;
}

/** The run's own figures against CQD's targets; inside corp when every stream is. */
export interface HeadlineTargets {
  readonly inside_corp: boolean;
  readonly figures: readonly HeadlineTarget[];
  readonly meets_targets: boolean;
}

/** The low tail of audio MOS over the whole run (from rollup_modality's audio row). */
export interface HeadlineMos {
  readonly p1: number | null;
  readonly p10: number | null;
  readonly p50: number | null;
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
    readonly targets: HeadlineTargets;
    readonly audio_mos: HeadlineMos;
    /** The PSTN and Direct Routing logs, when the run kept such rows (from their day rollups and rollup_dr_sip_code). */
    readonly call_logs: CallLogsHeadline;
  };
  readonly outputs: readonly string[];
  readonly out: string | null;
  readonly warnings: readonly string[];
  readonly dedup_ledger_bytes: number;
}

export interface CallLogHeadline {
  readonly calls: number;
  readonly successful: number;
  readonly success_pct: number | null;
}

export interface CallLogsHeadline {
  readonly pstn: CallLogHeadline | null;
  readonly direct_routing:
    | (CallLogHeadline & {
        /** The final SIP codes most calls ended with (at most 5), with their phrase and sub-reason. */
        readonly top_sip_codes: ReadonlyArray<{
          readonly final_sip_code: number | null;
          readonly final_sip_code_phrase: string | null;
          readonly call_end_sub_reason: number | null;
          readonly calls: number;
        }>;
      })
    | null;
}

const TOP_SIP_CODES = 5;

function callLogs(result: ReportResult): CallLogsHeadline {
  const find = (name: string) => result.logRollups.find((r) => r.name === name)?.batch;
  const sum = (batch: ColumnBatch, name: string): number => (column(batch, name) ?? []).reduce<number>((total, v) => total + num(v), 0);
  const totals = (batch: ColumnBatch | undefined): CallLogHeadline | null => {
    if (batch === undefined) return null;
    const calls = sum(batch, 'calls');
    const successful = sum(batch, 'successful');
    return { calls, successful, success_pct: calls > 0 ? round((100 * successful) / calls, 2) : null };
  };
  const dr = totals(find('rollup_dr_day'));
  const sip = find('rollup_dr_sip_code');
  const cell = (batch: ColumnBatch, name: string, row: number): CellValue => column(batch, name)?.[row] ?? null;
  const top =
    sip === undefined
      ? []
      : Array.from({ length: Math.min(TOP_SIP_CODES, sip.length) }, (_, row) => ({
          final_sip_code: cell(sip, 'final_sip_code', row) as number | null,
          final_sip_code_phrase: cell(sip, 'final_sip_code_phrase', row) as string | null,
          call_end_sub_reason: cell(sip, 'call_end_sub_reason', row) as number | null,
          calls: cell(sip, 'calls', row) as number,
        }));
  return { pstn: totals(find('rollup_pstn_day')), direct_routing: dr === null ? null : { ...dr, top_sip_codes: top } };
}

/** Record counts: read = accepted + pstn_calls + direct_routing_calls + rejected + duplicate + filtered + sessions_stitched. */
export interface SummaryCounts {
  readonly read: number;
  readonly accepted: number;
  /** getPstnCalls rows kept in pstn_calls (each row id once). */
  readonly pstn_calls: number;
  /** getDirectRoutingCalls rows kept in direct_routing_calls (each row id once). */
  readonly direct_routing_calls: number;
  readonly rejected: number;
  readonly duplicate: number;
  readonly filtered: number;
  /** Sessions saved on their own (sessions pages) merged into their call's record. */
  readonly sessions_stitched: number;
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
    pstn_calls: c.pstnCalls,
    direct_routing_calls: c.directRoutingCalls,
    rejected: c.rejected,
    duplicate: c.duplicate,
    filtered: c.filtered,
    sessions_stitched: c.sessionsStitched,
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

/** Where an admin acts: places (buildings, access points), devices and clients first, then the older breakdowns. */
const WORST_ROLLUPS = ['building', 'access_point', 'capture_device', 'render_device', 'client_version', 'user', 'subnet', 'platform', 'connection', 'codec'];

function column(batch: ColumnBatch, name: string): CellValue[] | undefined {
  const index = batch.schema.columns.findIndex((c) => c.name === name);
  return index < 0 ? undefined : batch.columns[index];
}

/** A rollup's key (and label) columns: its text columns but `health`, with their positions. */
function keyColumns(batch: ColumnBatch): { c: ColumnBatch['schema']['columns'][number]; i: number }[] {
  return batch.schema.columns.map((c, i) => ({ c, i })).filter(({ c }) => c.type === 'string' && c.name !== 'health');
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

/** Sums counters over a rollup that holds each stream once (call_type: every call has one type). */
function totals(result: ReportResult, names: readonly string[]): Record<string, number> {
  const out: Record<string, number> = Object.fromEntries(names.map((name) => [name, 0]));
  const batch = findRollup(result, 'call_type');
  if (!batch) return out;
  for (const name of names) {
    const values = column(batch, name);
    for (let row = 0; row < batch.length; row++) out[name]! += num(values?.[row]);
  }
  return out;
}

function headlineTargets(result: ReportResult): HeadlineTargets {
  const t = totals(result, ['streams', 'inside_corp_streams', 'audio_classified', 'audio_poor', 'setup_failed_streams', 'dropped_streams']);
  const insideCorp = t.streams! > 0 && t.inside_corp_streams === t.streams;
  const figure = (name: TargetFigure, part: number, whole: number): HeadlineTarget => {
    const target = CQD_TARGETS[name][insideCorp ? 'insideCorp' : 'overall'];
    return { figure: name, part, whole, value: pct(part, whole), target, meets: withinTarget(part, whole, target) };
  };
  const figures = [
    figure('audio_poor_pct', t.audio_poor!, t.audio_classified!),
    figure('setup_failure_pct', t.setup_failed_streams!, t.streams!),
    figure('drop_pct', t.dropped_streams!, t.streams! - t.setup_failed_streams!),
  ];
  return { inside_corp: insideCorp, figures, meets_targets: figures.every((f) => f.meets) };
}

function audioMos(result: ReportResult): HeadlineMos {
  const batch = findRollup(result, 'modality');
  const row = batch ? column(batch, 'modality')!.indexOf('audio') : -1;
  const at = (name: string): number | null => {
    const value = row < 0 ? null : column(batch!, name)?.[row];
    return typeof value === 'number' ? value : null;
  };
  return { p1: at('mos_p1'), p10: at('mos_p10'), p50: at('mos_p50') };
}

/** What --fail-on-breach reacts to: a critical entity of a chosen rollup, or a headline target missed. */
export interface Breach {
  readonly kind: 'critical' | 'target';
  /** The rollup table (rollup_building, ...); null for a headline target. */
  readonly rollup: string | null;
  /** The entity's key columns; null for a headline target. */
  readonly group: Record<string, CellValue> | null;
  readonly figure: TargetFigure;
  readonly value: number;
  /** The headline target missed; for a critical entity, null (health's critical_pct decided). */
  readonly target: number | null;
  readonly part: number;
  readonly whole: number;
}

/**
 * The breaches of a finished run, worst first: the critical rows of the named rollups (`building` or
 * `rollup_building`; a rollup the run does not have is skipped; a row whose keys are all empty is
 * no entity), by audio_poor_pct, then volume, then key; then the headline targets missed, by how far.
 */
export function findBreaches(result: ReportResult, rollups: readonly string[]): Breach[] {
  const critical: Breach[] = [];
  for (const name of rollups) {
    const batch = findRollup(result, name);
    if (!batch) continue;
    const health = column(batch, 'health')!;
    const poor = column(batch, 'audio_poor')!;
    const classified = column(batch, 'audio_classified')!;
    const keys = keyColumns(batch);
    for (let row = 0; row < batch.length; row++) {
      if (health[row] !== 'critical') continue;
      const group: Record<string, CellValue> = {};
      for (const { c, i } of keys) group[c.name] = batch.columns[i]![row] ?? null;
      if (Object.values(group).every((v) => v === null || v === '')) continue;
      const part = num(poor[row]);
      const whole = num(classified[row]);
      critical.push({ kind: 'critical', rollup: batch.schema.name, group, figure: 'audio_poor_pct', value: (100 * part) / whole, target: null, part, whole });
    }
  }
  critical.sort((a, b) => b.part * a.whole - a.part * b.whole || b.whole - a.whole || JSON.stringify(a.group).localeCompare(JSON.stringify(b.group)));
  const missed = headlineTargets(result)
    .figures.filter((f) => !f.meets)
    .map((f): Breach => ({ kind: 'target', rollup: null, group: null, figure: f.figure, value: f.value!, target: f.target, part: f.part, whole: f.whole }))
    .sort((a, b) => b.value - b.target! - (a.value - a.target!));
  return [...critical, ...missed];
}

/** One line naming a breach and its figure. */
export function describeBreach(breach: Breach): string {
  const figure = `${breach.value.toFixed(1)}% ${FIGURE_NAMES[breach.figure]} (${breach.part} of ${breach.whole})`;
  if (breach.kind === 'target') return `headline ${figure} misses the CQD target of ${breach.target}%`;
  const label = Object.values(breach.group!)
    .filter((v) => v !== null && v !== '')
    .join(' / ');
  return `${breach.rollup} "${label}" is critical: ${figure}`;
}

const FIGURE_NAMES: Record<TargetFigure, string> = {
  audio_poor_pct: 'poor audio streams',
  setup_failure_pct: 'setup failures',
  drop_pct: 'drops',
};

/**
 * The worst groups of the rollups where an admin acts, by poor audio stream %: never a group under the
 * health minimum volume (the rule set's `health.min_classified_audio` classified audio streams, 30 by
 * default), the same floor under which a row's health is `insufficient`.
 */
function worstGroups(result: ReportResult, perRollup = 3): WorstGroup[] {
  const minimum = result.rules.health?.min_classified_audio ?? DEFAULT_HEALTH.min_classified_audio;
  const out: WorstGroup[] = [];
  for (const name of WORST_ROLLUPS) {
    const batch = findRollup(result, name);
    if (!batch) continue;
    const classified = column(batch, 'audio_classified')!;
    const poor = column(batch, 'audio_poor')!;
    const keys = keyColumns(batch);
    const rows: WorstGroup[] = [];
    for (let row = 0; row < batch.length; row++) {
      const k = num(classified[row]);
      const p = num(poor[row]);
      if (k < minimum || k === 0 || p === 0) continue;
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
    headline: {
      by_modality: byModality(result),
      calls: callTotals(result),
      worst_groups: worstGroups(result),
      targets: headlineTargets(result),
      audio_mos: audioMos(result),
      call_logs: callLogs(result),
    },
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
/** `1 call`, `2 calls`: the terminal's counts read as English. */
const counted = (n: number, noun: string): string => `${n} ${noun}${n === 1 ? '' : 's'}`;

/** The short human summary the CLI prints. */
export function renderSummaryText(summary: RunSummary): string {
  const c = summary.counts;
  const lines: string[] = [];
  lines.push(
    `callaudit ${summary.tool.version}: ${summary.inputs.length} input(s), ${summary.run_time_s.toFixed(1)} s, ${summary.throughput.mb_per_s} MB/s of JSON, rules ${summary.rules.name}`,
  );
  lines.push(
    `records: ${c.read} read, ${c.accepted} accepted${c.pstn_calls ? `, ${counted(c.pstn_calls, 'PSTN row')}` : ''}${c.direct_routing_calls ? `, ${counted(c.direct_routing_calls, 'Direct Routing row')}` : ''}, ${c.rejected} rejected, ${c.duplicate} duplicate${c.filtered ? `, ${c.filtered} filtered out` : ''}${c.sessions_stitched ? `, ${counted(c.sessions_stitched, 'session')} stitched` : ''}${c.truncated_files ? `, ${c.truncated_files} truncated file(s)` : ''}${c.sessions_truncated ? `, ${c.sessions_truncated} with truncated sessions` : ''}${c.sessions_missing ? `, ${c.sessions_missing} without sessions` : ''}${c.participants_truncated ? `, ${c.participants_truncated} with truncated participants` : ''}`,
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
  const mos = summary.headline.audio_mos;
  if (mos.p50 !== null) lines.push(`audio MOS: p1 ${mos.p1!.toFixed(2)}, p10 ${mos.p10!.toFixed(2)}, median ${mos.p50.toFixed(2)}`);
  const targets = summary.headline.targets;
  const shown = targets.figures.filter((f) => f.value !== null);
  if (shown.length > 0) {
    const scope = targets.inside_corp ? 'inside corp' : 'overall';
    lines.push(
      `CQD targets (${scope}): ${shown.map((f) => `${FIGURE_NAMES[f.figure]} ${fmtPct(f.value)} ${f.meets ? '<=' : '>'} ${f.target}%${f.meets ? '' : ' MISSED'}`).join(', ')}`,
    );
  }
  if (summary.headline.worst_groups.length > 0) {
    lines.push('worst groups (poor audio stream %, poor/classified audio streams):');
    for (const w of summary.headline.worst_groups) {
      const label =
        Object.values(w.group)
          .filter((v) => v !== null && v !== '')
          .join(' / ') || '(empty)';
      lines.push(`  ${w.rollup.padEnd(14)} ${label.slice(0, 48).padEnd(48)} ${fmtPct(w.poor_pct).padStart(6)} (${w.poor}/${w.classified})`);
    }
  }
  const logs = summary.headline.call_logs;
  if (logs.pstn !== null) lines.push(`PSTN: ${counted(logs.pstn.calls, 'call')}, ${fmtPct(logs.pstn.success_pct)} connected`);
  if (logs.direct_routing !== null) {
    const codes = logs.direct_routing.top_sip_codes
      .slice(0, 3)
      .map((c) => `${c.final_sip_code ?? '?'} ${c.final_sip_code_phrase ?? ''}`.trim() + ` (${c.calls})`)
      .join(', ');
    lines.push(
      `Direct Routing: ${counted(logs.direct_routing.calls, 'call')}, ${fmtPct(logs.direct_routing.success_pct)} successful${codes ? `; final SIP codes: ${codes}` : ''}`,
    );
  }
  for (const warning of summary.warnings) lines.push(`warning: ${warning}`);
  if (summary.out !== null)
    lines.push(`report: ${summary.out} (${summary.outputs.length} outputs${c.rejected > 0 ? `; ${c.rejected} rejected, listed in rejects.jsonl` : ''})`);
  return `${lines.join('\n')}\n`;
}
