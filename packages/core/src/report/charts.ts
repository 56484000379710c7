/**
 * The page's charts as Vega-Lite specs (plain data), built from the finalized rollup tables only,
 * so a chart's figures are the CSV rollups' figures. A chart whose table is not there (yet) is left
 * out; one whose table is there but has nothing to show says so instead.
 */
import type { TopLevelSpec } from 'vega-lite';
import { DEFAULT_HEALTH } from '../quality/types.js';
import type { ColumnBatch } from '../table/schema.js';
import { cells, findTable, groupLabel, keyColumns, num, type NamedRollup } from './tables.js';

export interface ChartSpec {
  readonly id: string;
  readonly title: string;
  /** What the chart shows and how to read it (plain text). */
  readonly note: string;
  /** null: the table is there but has nothing to draw; `empty` says why. */
  readonly spec: TopLevelSpec | null;
  readonly empty?: string;
}

/**
 * Groups with fewer classified audio streams than this are not ranked, by default: the health minimum
 * volume (a rule file's `health.min_classified_audio` replaces it; summary.json's worst groups use the same).
 */
export const MIN_VOLUME = DEFAULT_HEALTH.min_classified_audio;
/** Bars per "worst" chart. */
export const WORST_BARS = 15;
/** Days drawn at most (the latest). */
export const MAX_DAYS = 400;
/** Rows of a distribution, cause or feedback chart at most (the ones with the most streams or calls). */
export const MAX_ROWS = 15;

/** The rows of a table with the largest `measure`, at most `count`, in table order. */
function largest(batch: ColumnBatch, measure: string, count: number): number[] {
  const values = cells(batch, measure) ?? [];
  const rows = Array.from({ length: batch.length }, (_, i) => i);
  if (rows.length <= count) return rows;
  return rows
    .sort((a, b) => num(values[b]) - num(values[a]) || a - b)
    .slice(0, count)
    .sort((a, b) => a - b);
}

export const COLORS = { poor: '#c0392b', good: '#2e7d32', unclassified: '#9e9e9e', volume: '#b0bec5', accent: '#1f5f8b' };

/** The rollups ranked by poor %, in this order, when present; any table named like a device or client joins them. */
const WORST_TABLES = ['building', 'network', 'subnet', 'access_point', 'user', 'platform'];
const WORST_PATTERN = /device|client/;

const WIDTH = 640;

function worstTableNames(rollups: readonly NamedRollup[]): string[] {
  const present = rollups.map((r) => r.name.replace(/^rollup_/, ''));
  const named = WORST_TABLES.filter((name) => present.includes(name));
  return [...named, ...present.filter((name) => WORST_PATTERN.test(name) && !named.includes(name))];
}

function dayChart(day: ColumnBatch): ChartSpec {
  const days = cells(day, 'day')!;
  const classified = cells(day, 'classified')!;
  const poorPct = cells(day, 'poor_pct')!;
  const from = Math.max(0, day.length - MAX_DAYS);
  const values = [];
  for (let row = from; row < day.length; row++) {
    if (days[row] === null) continue;
    values.push({ day: days[row], classified: num(classified[row]), poor_pct: poorPct[row] });
  }
  const note = `Bars: classified streams per day (volume, left axis). Line: poor streams in percent of classified streams, every modality (right axis).${from > 0 ? ` The latest ${MAX_DAYS} days of ${day.length}.` : ''}`;
  if (values.length === 0) return { id: 'chart-day', title: 'Poor % by day, with volume', note, spec: null, empty: 'No call has a start day.' };
  const x = { field: 'day', type: 'ordinal' as const, title: null, axis: { labelAngle: -45, labelOverlap: true } };
  return {
    id: 'chart-day',
    title: 'Poor % by day, with volume',
    note,
    spec: {
      width: WIDTH,
      height: 220,
      data: { values },
      layer: [
        {
          mark: { type: 'bar', color: COLORS.volume },
          encoding: {
            x,
            y: { field: 'classified', type: 'quantitative', title: 'classified streams' },
            tooltip: [{ field: 'day' }, { field: 'classified', format: ',' }],
          },
        },
        {
          mark: { type: 'line', color: COLORS.poor, point: { color: COLORS.poor } },
          encoding: {
            x,
            y: { field: 'poor_pct', type: 'quantitative', title: 'poor %', axis: { titleColor: COLORS.poor } },
            tooltip: [{ field: 'day' }, { field: 'poor_pct', format: '.2f', title: 'poor %' }],
          },
        },
      ],
      resolve: { scale: { y: 'independent' } },
    },
  };
}

function reasonChart(modality: ColumnBatch): ChartSpec {
  const reasons = modality.schema.columns.map((c) => c.name).filter((name) => name.startsWith('reason_'));
  const kinds = cells(modality, 'modality')!;
  const values = [];
  for (let row = 0; row < modality.length; row++) {
    for (const column of reasons) {
      const streams = num(cells(modality, column)![row]);
      if (streams > 0) values.push({ reason: column.slice('reason_'.length), modality: String(kinds[row] ?? '(none)'), streams });
    }
  }
  const note = 'Poor streams by the threshold they crossed (a stream can cross several), per stream kind, from rollup_modality.';
  if (values.length === 0) return { id: 'chart-reasons', title: 'Poor streams by reason', note, spec: null, empty: 'No stream was classified poor.' };
  return {
    id: 'chart-reasons',
    title: 'Poor streams by reason',
    note,
    spec: {
      width: WIDTH - 120,
      data: { values },
      mark: 'bar',
      encoding: {
        y: { field: 'reason', type: 'nominal', sort: '-x', title: null },
        x: { aggregate: 'sum', field: 'streams', type: 'quantitative', title: 'poor streams' },
        color: { field: 'modality', type: 'nominal', title: 'kind' },
        tooltip: [{ field: 'reason' }, { field: 'modality' }, { field: 'streams', format: ',' }],
      },
    },
  };
}

/** Poor streams by attributed cause, from any rollup keyed by `poor_cause` (or named after causes). */
function causeCharts(rollups: readonly NamedRollup[]): ChartSpec[] {
  return rollups
    .filter((r) => keyColumns(r.batch).includes('poor_cause') || /cause/.test(r.name))
    .map(({ name, batch }) => {
      const measure = cells(batch, 'poor') !== undefined ? 'poor' : 'streams';
      const values = [];
      for (const row of largest(batch, measure, MAX_ROWS)) {
        const streams = num(cells(batch, measure)![row]);
        if (streams > 0) values.push({ cause: groupLabel(batch, row), streams });
      }
      const note = `Poor streams by the cause they were attributed to, from ${name}${batch.length > MAX_ROWS ? ` (the ${MAX_ROWS} causes with the most, of ${batch.length})` : ''}.`;
      const id = `chart-${name}`;
      if (values.length === 0) return { id, title: 'Poor streams by attributed cause', note, spec: null, empty: 'No poor stream to attribute.' };
      return {
        id,
        title: 'Poor streams by attributed cause',
        note,
        spec: {
          width: WIDTH - 120,
          data: { values },
          mark: { type: 'bar', color: COLORS.poor },
          encoding: {
            y: { field: 'cause', type: 'nominal', sort: '-x', title: null },
            x: { field: 'streams', type: 'quantitative', title: 'poor streams' },
            tooltip: [{ field: 'cause' }, { field: 'streams', format: ',' }],
          },
        },
      };
    });
}

/** Wired, Wi-Fi and mobile first, the others after them in table order. */
const CONNECTION_ORDER = ['wired', 'wifi', 'mobile'];

const METRICS = [
  { prefix: 'jitter', unit: '_ms', title: 'jitter (ms)', scale: 1 },
  { prefix: 'rtt', unit: '_ms', title: 'round trip (ms)', scale: 1 },
  { prefix: 'packet_loss', unit: '', title: 'packet loss (%)', scale: 100 },
  { prefix: 'mos', unit: '', title: 'MOS (E-model)', scale: 1 },
];

/**
 * Distributions per connection type from rollup_connection's percentiles: each bar spans the
 * lowest to the highest percentile the table has, a dot marks each percentile. The percentiles of
 * different rows cannot be merged, so every (connection type, Wi-Fi band) row is its own bar.
 */
function distributionChart(connection: ColumnBatch): ChartSpec {
  const names = connection.schema.columns.map((c) => c.name);
  const streams = cells(connection, 'streams')!;
  const values: Array<{ group: string; metric: string; p: string; value: number }> = [];
  const ranges: Array<{ group: string; metric: string; low: number; high: number }> = [];
  const used = new Set<string>();
  const types = cells(connection, 'connection_type') ?? [];
  const rank = (row: number): number => {
    const at = CONNECTION_ORDER.indexOf(String(types[row] ?? ''));
    return at < 0 ? CONNECTION_ORDER.length : at;
  };
  const order = largest(connection, 'streams', MAX_ROWS).sort((a, b) => rank(a) - rank(b) || a - b);
  for (const row of order) {
    if (num(streams[row]) === 0) continue;
    const group = groupLabel(connection, row);
    for (const metric of METRICS) {
      const pattern = new RegExp(`^${metric.prefix}_p(\\d+)${metric.unit}$`);
      const points = names
        .map((name) => ({ name, match: pattern.exec(name) }))
        .filter((c) => c.match !== null)
        .map((c) => ({ p: `p${c.match![1]}`, value: cells(connection, c.name)![row] }))
        .filter((c): c is { p: string; value: number } => typeof c.value === 'number');
      if (points.length === 0) continue;
      for (const point of points) {
        values.push({ group, metric: metric.title, p: point.p, value: point.value * metric.scale });
        used.add(point.p);
      }
      const scaled = points.map((point) => point.value * metric.scale);
      ranges.push({ group, metric: metric.title, low: Math.min(...scaled), high: Math.max(...scaled) });
    }
  }
  const percentiles = [...used].sort((a, b) => Number(a.slice(1)) - Number(b.slice(1)));
  const note =
    `Per connection type (and Wi-Fi band), the percentiles ${percentiles.join(', ') || 'of the rollup'} of each stream's average jitter, round trip and packet loss, and of its MOS, from rollup_connection. ` +
    'Percentiles of different rows cannot be combined, so each row is its own line; a stream counts for the connection of each of its two endpoints. Video streams report jitter, round trip and loss too. ' +
    'For MOS, the high percentiles are the best streams; the low tail (p10, p1) shows here once the rollups carry it.' +
    (connection.length > MAX_ROWS ? ` The ${MAX_ROWS} rows with the most streams, of ${connection.length}.` : '');
  if (values.length === 0)
    return {
      id: 'chart-distributions',
      title: 'Jitter, round trip, packet loss and MOS by connection',
      note,
      spec: null,
      empty: 'No stream reports these metrics.',
    };
  const panel = (metric: (typeof METRICS)[number]) => ({
    title: metric.title,
    width: 240,
    layer: [
      {
        data: { values: ranges.filter((r) => r.metric === metric.title) },
        mark: { type: 'rule' as const, color: COLORS.volume, strokeWidth: 3 },
        encoding: {
          y: { field: 'group', type: 'nominal' as const, title: null, sort: null, axis: { labelLimit: 220 } },
          x: { field: 'low', type: 'quantitative' as const, title: null },
          x2: { field: 'high' },
        },
      },
      {
        data: { values: values.filter((v) => v.metric === metric.title) },
        mark: { type: 'point' as const, filled: true, size: 60 },
        encoding: {
          y: { field: 'group', type: 'nominal' as const, title: null, sort: null },
          x: { field: 'value', type: 'quantitative' as const },
          color: { field: 'p', type: 'ordinal' as const, title: 'percentile', sort: percentiles, scale: { scheme: 'orangered' } },
          tooltip: [{ field: 'group' }, { field: 'p' }, { field: 'value', format: '.3~f' }],
        },
      },
    ],
  });
  const panels = METRICS.filter((m) => ranges.some((r) => r.metric === m.title)).map(panel);
  const rows = [];
  for (let i = 0; i < panels.length; i += 2) rows.push({ hconcat: panels.slice(i, i + 2) });
  return { id: 'chart-distributions', title: 'Jitter, round trip, packet loss and MOS by connection', note, spec: { vconcat: rows } };
}

function worstChart(name: string, batch: ColumnBatch, minimum: number): ChartSpec {
  const classified = cells(batch, 'audio_classified')!;
  const poor = cells(batch, 'audio_poor')!;
  const keys = keyColumns(batch);
  const candidates = [];
  for (let row = 0; row < batch.length; row++) {
    const k = num(classified[row]);
    const p = num(poor[row]);
    if (k < minimum || k === 0) continue;
    const label = groupLabel(batch, row, keys);
    if (label === '(none)') continue;
    candidates.push({ group: label.length > 60 ? `${label.slice(0, 59)}…` : label, poor_pct: (100 * p) / k, poor: p, classified: k });
  }
  candidates.sort((a, b) => b.poor_pct - a.poor_pct || b.poor - a.poor || (a.group < b.group ? -1 : a.group > b.group ? 1 : 0));
  const values = candidates.slice(0, WORST_BARS);
  const title = `Worst ${name.replace(/_/g, ' ')} groups by poor audio %`;
  const note = `The ${WORST_BARS} groups of rollup_${name} with the highest poor audio stream % (audio_poor_pct, what health judges) among those with at least ${minimum} classified audio streams, the health minimum volume (${candidates.length} qualify of ${batch.length}); an empty key is left out.`;
  if (values.length === 0) return { id: `chart-worst-${name}`, title, note, spec: null, empty: `No group has ${minimum} classified audio streams.` };
  return {
    id: `chart-worst-${name}`,
    title,
    note,
    spec: {
      width: WIDTH - 220,
      data: { values },
      mark: { type: 'bar', color: COLORS.poor },
      encoding: {
        y: { field: 'group', type: 'nominal', sort: { field: 'poor_pct', order: 'descending' }, title: null },
        x: { field: 'poor_pct', type: 'quantitative', title: 'poor audio %' },
        tooltip: [
          { field: 'group' },
          { field: 'poor_pct', format: '.2f', title: 'poor audio %' },
          { field: 'poor', format: ',', title: 'poor audio' },
          { field: 'classified', format: ',', title: 'classified audio' },
        ],
      },
    },
  };
}

/** A color encoding of a measured class: `names` are the poor, good and unclassified values of `field`, drawn in that order. */
function classColor(field: string, title: string, names: readonly [string, string, string]) {
  return {
    field,
    type: 'nominal' as const,
    title,
    sort: [...names],
    scale: { domain: [...names], range: [COLORS.poor, COLORS.good, COLORS.unclassified] },
  };
}

const RATINGS = ['bad', 'poor', 'fair', 'good', 'excellent', '(not rated)'];

function feedbackChart(feedback: ColumnBatch): ChartSpec {
  const ratings = cells(feedback, 'feedback_rating')!;
  const calls = cells(feedback, 'calls')!;
  const classified = cells(feedback, 'classified_calls')!;
  const poor = cells(feedback, 'poor_calls')!;
  const values = [];
  const labels = new Map<string, string>();
  for (const row of largest(feedback, 'calls', MAX_ROWS)) {
    const name = ratings[row] === null || ratings[row] === '' ? '(not rated)' : String(ratings[row]);
    const c = num(calls[row]);
    const rating = `${name} (${c.toLocaleString('en-US')} call${c === 1 ? '' : 's'})`;
    labels.set(name, rating);
    const k = num(classified[row]);
    const p = num(poor[row]);
    for (const [verdict, count] of [
      ['poor', p],
      ['good', k - p],
      ['unclassified', c - k],
    ] as const)
      if (count > 0) values.push({ rating, verdict, calls: count });
  }
  const note =
    "Calls by the lowest rating their users gave (Rate My Call) and by the call's measured verdict (poor when a classified audio stream is poor), from rollup_feedback; bars show the share of each rating's calls.";
  if (values.length === 0) return { id: 'chart-feedback', title: 'Feedback rating against measured quality', note, spec: null, empty: 'No calls.' };
  const order = [...RATINGS.filter((r) => labels.has(r)), ...[...labels.keys()].filter((r) => !RATINGS.includes(r))].map((r) => labels.get(r)!);
  return {
    id: 'chart-feedback',
    title: 'Feedback rating against measured quality',
    note,
    spec: {
      width: WIDTH - 120,
      data: { values },
      mark: 'bar',
      encoding: {
        y: { field: 'rating', type: 'nominal', sort: order, title: 'rating' },
        x: { aggregate: 'sum', field: 'calls', type: 'quantitative', stack: 'normalize', title: 'share of calls', axis: { format: '%' } },
        color: classColor('verdict', 'measured', ['poor', 'good', 'unclassified']),
        tooltip: [{ field: 'rating' }, { field: 'verdict' }, { aggregate: 'sum', field: 'calls', format: ',', title: 'calls' }],
      },
    },
  };
}

/** The five ratings, worst first (notRated and newer values are no rating: rollup_rating's `rated` leaves them out). */
const STARS = ['bad', 'poor', 'fair', 'good', 'excellent'];

function ratingChart(rating: ColumnBatch): ChartSpec {
  const names = cells(rating, 'rating')!;
  const rated = cells(rating, 'rated')!;
  const onPoor = cells(rating, 'rated_audio_poor')!;
  const onGood = cells(rating, 'rated_audio_good')!;
  const share = cells(rating, 'rated_share_pct')!;
  const values = [];
  const order: string[] = [];
  for (const name of STARS) {
    const row = names.indexOf(name);
    const r = row < 0 ? 0 : num(rated[row]);
    if (r === 0) continue;
    const label = `${name} (${r.toLocaleString('en-US')}, ${num(share[row]).toFixed(1)}%)`;
    order.push(label);
    const p = num(onPoor[row]);
    const g = num(onGood[row]);
    for (const [measured, count] of [
      ['poor audio', p],
      ['good audio', g],
      ['no classified audio', r - p - g],
    ] as const)
      if (count > 0) values.push({ rating: label, measured, endpoints: count });
  }
  const note =
    "Every rating an endpoint gave (Rate My Call; one per side of a session, the call's other ratings included), from rollup_rating: bars show how many rated so, " +
    'split by what its streams measured: a poor audio stream, classified audio streams all good, or none classified. A bad rating on good audio points past the network (device, echo, the meeting itself); an excellent one on poor audio, at a measurement users did not hear.';
  const title = 'Rate My Call: ratings against measured quality';
  if (values.length === 0) return { id: 'chart-rating', title, note, spec: null, empty: 'No endpoint rated its call.' };
  return {
    id: 'chart-rating',
    title,
    note,
    spec: {
      width: WIDTH - 120,
      data: { values },
      mark: 'bar',
      encoding: {
        y: { field: 'rating', type: 'nominal', sort: order, title: 'rating (endpoints, share)' },
        x: { aggregate: 'sum', field: 'endpoints', type: 'quantitative', title: 'rated endpoints' },
        color: classColor('measured', 'its streams', ['poor audio', 'good audio', 'no classified audio']),
        tooltip: [{ field: 'rating' }, { field: 'measured' }, { aggregate: 'sum', field: 'endpoints', format: ',', title: 'endpoints' }],
      },
    },
  };
}

function tokenChart(tokens: ColumnBatch): ChartSpec {
  const names = cells(tokens, 'feedback_token')!;
  const reported = cells(tokens, 'feedback_endpoints')!;
  const mean = cells(tokens, 'mean_rating')!;
  const ratedPoor = cells(tokens, 'rated_poor_pct')!;
  const poorPct = cells(tokens, 'poor_pct')!;
  const share = cells(tokens, 'rated_share_pct')!;
  const values = [];
  for (const row of largest(tokens, 'feedback_endpoints', MAX_ROWS)) {
    const name = names[row];
    if (typeof name !== 'string' || name === '') continue;
    values.push({
      token: name.length > 60 ? `${name.slice(0, 59)}…` : name,
      reported: num(reported[row]),
      mean_rating: mean[row],
      rated_poor_pct: ratedPoor[row],
      poor_pct: poorPct[row],
      share_pct: share[row],
    });
  }
  values.sort((a, b) => b.reported - a.reported || (a.token < b.token ? -1 : a.token > b.token ? 1 : 0));
  const note =
    `The feedback tokens users reported true (names as the clients spell them), most reported first, from rollup_feedback_token; the tooltip gives the share of rated endpoints, their mean rating (1-5 stars), the share of 1-2 star ratings and the poor % of their streams.` +
    (tokens.length > MAX_ROWS ? ` The ${MAX_ROWS} most reported, of ${tokens.length}.` : '');
  const title = 'Rate My Call: feedback tokens ranked';
  if (values.length === 0) return { id: 'chart-tokens', title, note, spec: null, empty: 'No endpoint reported a feedback token.' };
  return {
    id: 'chart-tokens',
    title,
    note,
    spec: {
      width: WIDTH - 220,
      data: { values },
      mark: { type: 'bar', color: COLORS.accent },
      encoding: {
        y: { field: 'token', type: 'nominal', sort: null, title: null, axis: { labelLimit: 220 } },
        x: { field: 'reported', type: 'quantitative', title: 'endpoints reporting it' },
        tooltip: [
          { field: 'token' },
          { field: 'reported', format: ',', title: 'endpoints' },
          { field: 'share_pct', format: '.1f', title: '% of rated endpoints' },
          { field: 'mean_rating', format: '.2f', title: 'mean rating' },
          { field: 'rated_poor_pct', format: '.1f', title: '1-2 star %' },
          { field: 'poor_pct', format: '.1f', title: 'poor stream %' },
        ],
      },
    },
  };
}

/** Every chart the rollups present allow, in page order. */
export function chartSpecs(rollups: readonly NamedRollup[], minVolume: number = MIN_VOLUME): ChartSpec[] {
  const charts: ChartSpec[] = [];
  const day = findTable(rollups, 'day');
  if (day) charts.push(dayChart(day));
  const modality = findTable(rollups, 'modality');
  if (modality) charts.push(reasonChart(modality));
  charts.push(...causeCharts(rollups));
  const connection = findTable(rollups, 'connection');
  if (connection) charts.push(distributionChart(connection));
  for (const name of worstTableNames(rollups)) charts.push(worstChart(name, findTable(rollups, name)!, minVolume));
  const feedback = findTable(rollups, 'feedback');
  if (feedback) charts.push(feedbackChart(feedback));
  const rating = findTable(rollups, 'rating');
  if (rating) charts.push(ratingChart(rating));
  const tokens = findTable(rollups, 'feedback_token');
  if (tokens) charts.push(tokenChart(tokens));
  return charts;
}
