import type { ColumnDef } from '../table/schema.js';
import { STREAMS } from '../table/tables.js';
import type { ResolvedRollupOptions } from './options.js';

/**
 * What a rollup groups by. A `call` dimension takes its key from the call row (every stream of the call
 * lands in the call's one group, and a call without streams still counts). A `stream` dimension takes
 * its key from each stream row; with two sides (caller, callee) a stream counts once in each distinct
 * group of its two endpoints (see README.md, "Attribution").
 */
export type Dimension = CallDimension | StreamDimension;

interface DimensionBase {
  /** The rollup's name: the table is `rollup_<name>`. */
  readonly name: string;
  /** Output key columns, in order. */
  readonly keys: readonly ColumnDef[];
  /**
   * A ranking rather than a breakdown: the group whose key is all empty (streams without a failure,
   * good streams without a cause) is left out, and rows go most streams first, then by key.
   */
  readonly ranked?: boolean;
}

export interface CallDimension extends DimensionBase {
  readonly source: 'call';
  /** The calls-table column giving the key; `call_start` is turned into the local day. */
  readonly callColumn: 'call_start' | 'call_type' | 'feedback_min_rating';
}

export interface StreamDimension extends DimensionBase {
  readonly source: 'stream';
  /** Per endpoint side, the streams columns forming the key (same order as `keys`). */
  readonly sides: readonly (readonly string[])[];
  /**
   * A label column reported beside the key, from streams columns per side: the most frequent value
   * seen per group (`top`, the default), or the number of distinct values (`distinct`, an int).
   */
  readonly label?: { readonly def: ColumnDef; readonly columns: readonly string[]; readonly kind?: 'top' | 'distinct' };
  /**
   * The (single) key column holds a `;`-separated set (feedback tokens): each value is a group of its
   * own, and a stream counts once in each distinct group of its two endpoints' sets (none: the empty key).
   */
  readonly multi?: boolean;
}

const text = (name: string, doc: string): ColumnDef => ({ name, type: 'string', doc });
const bothSides = (...columns: string[]): string[][] => [columns.map((c) => `caller_${c}`), columns.map((c) => `callee_${c}`)];

/** The rollups every report has, in output order; user group-bys follow them. */
function fixedDimensions(tz: string): Dimension[] {
  return [
    { name: 'day', source: 'call', callColumn: 'call_start', keys: [text('day', `Local day of the call start in ${tz}, YYYY-MM-DD.`)] },
    {
      name: 'user',
      source: 'stream',
      sides: bothSides('user_id'),
      keys: [text('user_id', 'Endpoint user id (caller and callee sides; empty for a service endpoint or an unidentified user).')],
      label: {
        def: text('upn', 'The userPrincipalName seen most often with this user id (ties: the smallest); empty when never exported.'),
        columns: ['caller_upn', 'callee_upn'],
      },
    },
    {
      name: 'platform',
      source: 'stream',
      sides: bothSides('platform', 'product'),
      keys: [text('platform', 'Endpoint clientUserAgent.platform.'), text('product', 'Endpoint clientUserAgent.productFamily.')],
    },
    {
      name: 'connection',
      source: 'stream',
      sides: bothSides('connection_type', 'wifi_band'),
      keys: [text('connection_type', 'Endpoint network connectionType.'), text('wifi_band', 'Endpoint wifiBand (when on Wi-Fi).')],
    },
    { name: 'subnet', source: 'stream', sides: bothSides('subnet'), keys: [text('subnet', 'Endpoint network subnet.')] },
    {
      name: 'codec',
      source: 'stream',
      sides: [['audio_codec']],
      keys: [text('audio_codec', 'Stream audioCodec (empty for streams without one, e.g. video).')],
    },
    { name: 'call_type', source: 'call', callColumn: 'call_type', keys: [text('call_type', 'callRecord type: groupCall, peerToPeer, unknown.')] },
    { name: 'modality', source: 'stream', sides: [['modality']], keys: [text('modality', 'Stream kind: audio, video, vbss, appsharing, data, unknown.')] },
    {
      name: 'feedback',
      source: 'call',
      callColumn: 'feedback_min_rating',
      keys: [text('feedback_rating', 'Lowest user feedback rating given in the call; empty when none rated.')],
    },
    {
      name: 'rating',
      source: 'stream',
      sides: bothSides('feedback_rating'),
      keys: [
        text(
          'rating',
          'Rate My Call: the rating each endpoint gave (caller and callee sides): bad, poor, fair, good, excellent, notRated, or a newer value as exported; empty for endpoints that gave none.',
        ),
      ],
    },
    {
      name: 'feedback_token',
      source: 'stream',
      sides: bothSides('feedback_tokens'),
      multi: true,
      keys: [text('feedback_token', 'Rate My Call: a feedback token an endpoint reported true, its name as exported (DistortedSpeech, NoSound, ...).')],
      ranked: true,
    },
    {
      name: 'building',
      source: 'stream',
      sides: bothSides('building', 'city', 'country', 'region'),
      keys: [
        text('building', 'BuildingName of the building-file range holding the endpoint (--buildings); empty when unmatched or no file.'),
        text('city', 'City of that range.'),
        text('country', 'Country of that range.'),
        text('region', 'Region of that range.'),
      ],
    },
    {
      name: 'network',
      source: 'stream',
      sides: bothSides('network', 'network_name'),
      keys: [text('network', 'The building-file range holding the endpoint, CIDR (--buildings).'), text('network_name', 'NetworkName of that range.')],
    },
    {
      name: 'missing_subnets',
      source: 'stream',
      sides: bothSides('missing_subnet', 'missing_reflexive_ip'),
      keys: [
        text(
          'missing_subnet',
          'A subnet (ipAddress when none) that carries streams and is in no range of the building file; a common home subnet appears once per public address.',
        ),
        text('missing_reflexive_ip', 'For a home subnet: the public (reflexive) address its streams came from.'),
      ],
      label: {
        def: { name: 'users', type: 'int', doc: 'Distinct user ids seen on the endpoints in the group.' },
        columns: ['caller_user_id', 'callee_user_id'],
        kind: 'distinct',
      },
      ranked: true,
    },
    {
      name: 'access_point',
      source: 'stream',
      sides: bothSides('access_point', 'access_point_building', 'access_point_floor'),
      keys: [
        text('access_point', "The access point of the endpoint's BSSID (--access-points); empty when unknown or not on Wi-Fi."),
        text('access_point_building', 'Its building, from the access point file.'),
        text('access_point_floor', 'Its floor.'),
      ],
    },
    {
      name: 'capture_device',
      source: 'stream',
      sides: bothSides('device_capture'),
      keys: [text('device_capture', 'Endpoint captureDeviceName (microphone).')],
    },
    {
      name: 'render_device',
      source: 'stream',
      sides: bothSides('device_render'),
      keys: [text('device_render', 'Endpoint renderDeviceName (speaker).')],
    },
    {
      name: 'client_version',
      source: 'stream',
      sides: bothSides('product', 'client_version'),
      keys: [
        text('product', 'Endpoint clientUserAgent.productFamily.'),
        text('client_version', 'Endpoint client version (applicationVersion, else parsed from headerValue).'),
      ],
    },
    {
      name: 'failure_reason',
      source: 'stream',
      sides: [['failure_stage', 'failure_reason']],
      keys: [
        text('failure_stage', "failureInfo.stage of the streams' segment or session: callSetup, midcall, unknown."),
        text('failure_reason', 'failureInfo.reason, as exported.'),
      ],
      ranked: true,
    },
    {
      name: 'poor_cause',
      source: 'stream',
      sides: [['poor_cause']],
      keys: [text('poor_cause', 'The attributed cause of the poor streams: device, cpu, vpn, tcp, mobile, wifi, relay, network, unknown.')],
      ranked: true,
    },
  ];
}

/** The rollup name of a user group-by: `by_` and the columns joined by `__` (column names never hold `__`). */
export function groupByName(columns: readonly string[]): string {
  return `by_${columns.join('__')}`;
}

/** Every rollup for these options, in output order. */
export function dimensionsFor(options: ResolvedRollupOptions): Dimension[] {
  const userDimensions = options.groupBy.map(
    (columns): StreamDimension => ({
      name: groupByName(columns),
      source: 'stream',
      sides: [columns],
      keys: columns.map((name) => STREAMS.columns.find((column) => column.name === name)!),
    }),
  );
  return [...fixedDimensions(options.tz), ...userDimensions];
}
