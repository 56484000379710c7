/**
 * The DuckDB baseline's query: what a data engineer writes for callaudit's main job once the
 * schema is spelled out. `read_json` with the record's shape in `columns=` (no auto-detection),
 * duplicates removed by id (highest version, then latest lastModifiedDateTime), sessions, segments,
 * media and streams unnested, ISO-8601 durations to milliseconds, the stream's kind and the CQD
 * audio poor flag (default `cqd` rules), and 47 of the streams table's 54 columns (callaudit's
 * `cqd_reasons`, `r_factor`, `mos`, the video classes and the `*_role` columns are left out; the
 * caller/callee ids are simplified to associatedIdentity, else identity.user), written with COPY
 * to CSV. Its rules for the flag are callaudit's (benchmarks/test/duckdb.test.ts checks the row
 * count and the poor count against a report on the same input).
 */

export type DuckFormat = 'array' | 'page' | 'ndjson';

const IDENTITY = 'STRUCT(id VARCHAR, userPrincipalName VARCHAR)';
const IDENTITY_SET = 'STRUCT("user" STRUCT(id VARCHAR))';
const ENDPOINT = `STRUCT("@odata.type" VARCHAR, userAgent STRUCT("@odata.type" VARCHAR, platform VARCHAR, productFamily VARCHAR, "role" VARCHAR), identity ${IDENTITY_SET}, associatedIdentity ${IDENTITY})`;
const NETWORK = 'STRUCT(connectionType VARCHAR, wifiBand VARCHAR, subnet VARCHAR, ipAddress VARCHAR)';
const DEVICE = 'STRUCT(captureDeviceName VARCHAR, renderDeviceName VARCHAR)';
const STREAM =
  'STRUCT(streamId VARCHAR, streamDirection VARCHAR, audioCodec VARCHAR, videoCodec VARCHAR, averageAudioDegradation DOUBLE, ' +
  'averageJitter VARCHAR, maxJitter VARCHAR, averagePacketLossRate DOUBLE, maxPacketLossRate DOUBLE, averageRatioOfConcealedSamples DOUBLE, ' +
  'averageRoundTripTime VARCHAR, maxRoundTripTime VARCHAR, packetUtilization BIGINT, averageBandwidthEstimate DOUBLE, wasMediaBypassed BOOLEAN, ' +
  'postForwardErrorCorrectionPacketLossRate DOUBLE, averageVideoFrameLossPercentage DOUBLE, averageVideoFrameRate DOUBLE)';
const MEDIA = `STRUCT(label VARCHAR, callerNetwork ${NETWORK}, calleeNetwork ${NETWORK}, callerDevice ${DEVICE}, calleeDevice ${DEVICE}, streams ${STREAM}[])`;
const SEGMENT = `STRUCT(id VARCHAR, startDateTime VARCHAR, caller ${ENDPOINT}, callee ${ENDPOINT}, media ${MEDIA}[])`;
const SESSION = `STRUCT(id VARCHAR, caller ${ENDPOINT}, callee ${ENDPOINT}, segments ${SEGMENT}[])`;

/** The record's top-level columns, as `read_json(columns = ...)` takes them. */
const RECORD_COLUMNS: ReadonlyArray<readonly [string, string]> = [
  ['id', 'VARCHAR'],
  ['version', 'BIGINT'],
  ['type', 'VARCHAR'],
  ['lastModifiedDateTime', 'VARCHAR'],
  ['startDateTime', 'VARCHAR'],
  ['sessions@odata.nextLink', 'VARCHAR'],
  ['sessions', `${SESSION}[]`],
];

const quote = (text: string): string => `'${text.replaceAll("'", "''")}'`;
const ident = (name: string): string => `"${name.replaceAll('"', '""')}"`;

/** `{'id': 'VARCHAR', ...}`: the columns= argument. */
function columnsArg(columns: ReadonlyArray<readonly [string, string]>): string {
  return `{${columns.map(([name, type]) => `${quote(name)}: ${quote(type)}`).join(', ')}}`;
}

const RECORD_STRUCT = `STRUCT(${RECORD_COLUMNS.map(([name, type]) => `${ident(name)} ${type}`).join(', ')})`;

/** Records as rows of the top-level columns, whatever the export shape. */
function records(path: string, format: DuckFormat): string {
  const file = quote(path);
  if (format === 'page') {
    // Collection pages, one after another: each page's `value` array holds the records.
    const pages = `read_json(${file}, format = 'newline_delimited', columns = ${columnsArg([['value', `${RECORD_STRUCT}[]`]])}, maximum_object_size = 1073741824)`;
    return `SELECT unnest(r) FROM (SELECT unnest(value) AS r FROM ${pages})`;
  }
  const shape = format === 'array' ? 'array' : 'newline_delimited';
  return `SELECT * FROM read_json(${file}, format = '${shape}', columns = ${columnsArg(RECORD_COLUMNS)}, maximum_object_size = 1073741824)`;
}

/**
 * An ISO-8601 duration (`PT0.016S`, `PT1M5.25S`, `PT1H2M3S`) in milliseconds, computed in DECIMAL
 * and converted to DOUBLE once, so `PT0.03S` is exactly 30 as in callaudit (no float drift at a
 * threshold). NULL stays NULL.
 */
const ISO_MS = `CREATE OR REPLACE TEMP MACRO iso_ms(d) AS CASE WHEN d IS NULL THEN NULL ELSE CAST(
  coalesce(CAST(nullif(regexp_extract(d, 'T([0-9.]+)H', 1), '') AS DECIMAL(38, 9)), 0) * 3600000
  + coalesce(CAST(nullif(regexp_extract(d, 'T(?:[0-9.]+H)?([0-9.]+)M', 1), '') AS DECIMAL(38, 9)), 0) * 60000
  + coalesce(CAST(nullif(regexp_extract(d, '([0-9.]+)S$', 1), '') AS DECIMAL(38, 9)), 0) * 1000 AS DOUBLE) END`;

/** callaudit's user id of an endpoint: none for a service endpoint; associatedIdentity, else identity.user. */
function userId(side: string): string {
  return `CASE WHEN ${side}."@odata.type" = '#microsoft.graph.callRecords.serviceEndpoint' OR ${side}.userAgent."role" IS NOT NULL THEN NULL
    ELSE coalesce(nullif(${side}.associatedIdentity.id, ''), ${side}.identity."user".id) END`;
}

function sideColumns(prefix: string, endpoint: string, network: string, device: string): string {
  return [
    `${userId(endpoint)} AS ${prefix}_user_id`,
    `${endpoint}.associatedIdentity.userPrincipalName AS ${prefix}_upn`,
    `${endpoint}.userAgent.platform AS ${prefix}_platform`,
    `${endpoint}.userAgent.productFamily AS ${prefix}_product`,
    `${network}.connectionType AS ${prefix}_connection_type`,
    `${network}.wifiBand AS ${prefix}_wifi_band`,
    `${network}.subnet AS ${prefix}_subnet`,
    `${network}.ipAddress AS ${prefix}_ip`,
    `${device}.captureDeviceName AS ${prefix}_device_capture`,
    `${device}.renderDeviceName AS ${prefix}_device_render`,
  ].join(',\n    ');
}

const NO_CODEC = "('', 'unknown', 'invalid', 'unknownfuturevalue')";

/** The stream rows, one per media stream of the kept copy of each call. */
export function streamsQuery(path: string, format: DuckFormat): string {
  return `WITH raw AS (${records(path, format)}),
recs AS (
  SELECT * FROM raw
  QUALIFY row_number() OVER (PARTITION BY id ORDER BY version DESC NULLS LAST, CAST(lastModifiedDateTime AS TIMESTAMPTZ) DESC NULLS LAST) = 1
),
sess AS (
  SELECT id AS call_id, version AS call_version, type AS call_type, CAST(startDateTime AS TIMESTAMPTZ) AS call_start,
         "sessions@odata.nextLink" IS NOT NULL AS sessions_truncated, unnest(sessions) AS s
  FROM recs
),
segs AS (SELECT * EXCLUDE (s), s.id AS session_id, s.caller AS s_caller, s.callee AS s_callee, unnest(s.segments) AS g FROM sess),
meds AS (
  SELECT * EXCLUDE (g, s_caller, s_callee), g.id AS segment_id, CAST(g.startDateTime AS TIMESTAMPTZ) AS segment_start,
         coalesce(g.caller, s_caller) AS caller, coalesce(g.callee, s_callee) AS callee, unnest(g.media) AS m
  FROM segs
),
strs AS (SELECT * EXCLUDE (m), m.label AS media_label, m.callerNetwork AS cn, m.calleeNetwork AS kn, m.callerDevice AS cd, m.calleeDevice AS kd, unnest(m.streams) AS t FROM meds),
rows AS (
  SELECT call_id, call_version, call_type, call_start, session_id, segment_id, segment_start, media_label,
    CASE lower(trim(media_label))
      WHEN 'main-audio' THEN 'audio' WHEN 'main-video' THEN 'video' WHEN 'applicationsharing-video' THEN 'vbss' WHEN 'data' THEN 'data'
      ELSE CASE WHEN contains(lower(media_label), 'applicationsharing') THEN 'appsharing'
                WHEN lower(trim(t.audioCodec)) NOT IN ${NO_CODEC} THEN 'audio'
                WHEN lower(trim(t.videoCodec)) NOT IN ${NO_CODEC} THEN 'video'
                ELSE 'unknown' END
    END AS modality,
    t.streamId AS stream_id, t.streamDirection AS stream_direction,
    ${sideColumns('caller', 'caller', 'cn', 'cd')},
    ${sideColumns('callee', 'callee', 'kn', 'kd')},
    t.audioCodec AS audio_codec, t.videoCodec AS video_codec,
    iso_ms(t.averageJitter) AS jitter_avg_ms, iso_ms(t.maxJitter) AS jitter_max_ms,
    iso_ms(t.averageRoundTripTime) AS rtt_avg_ms, iso_ms(t.maxRoundTripTime) AS rtt_max_ms,
    t.averagePacketLossRate AS packet_loss_avg, t.maxPacketLossRate AS packet_loss_max,
    t.averageRatioOfConcealedSamples AS concealed_ratio_avg, t.averageAudioDegradation AS audio_degradation_avg,
    t.packetUtilization AS packet_utilization, t.averageVideoFrameLossPercentage AS video_frame_loss_pct_avg,
    t.averageVideoFrameRate AS video_frame_rate_avg, t.postForwardErrorCorrectionPacketLossRate AS post_fec_packet_loss,
    t.averageBandwidthEstimate AS bandwidth_estimate_bps, t.wasMediaBypassed AS was_media_bypassed,
    sessions_truncated
  FROM strs
)
SELECT * EXCLUDE (sessions_truncated),
  -- CQD (default rules) for audio: packetUtilization > 500 gates; then round trip > 500 ms, loss > 0.1 or jitter > 30 ms.
  coalesce(modality = 'audio' AND packet_utilization > 500 AND (rtt_avg_ms > 500 OR packet_loss_avg > 0.1 OR jitter_avg_ms > 30), false) AS audio_poor,
  sessions_truncated
FROM rows`;
}

/** The statements of the whole job: settings, the duration macro, then COPY of the stream rows to CSV. */
export function duckdbJob(path: string, format: DuckFormat, csv: string, threads: number): string[] {
  return [`SET threads = ${threads}`, "SET TimeZone = 'UTC'", ISO_MS, `COPY (${streamsQuery(path, format)}) TO ${quote(csv)} (HEADER, DELIMITER ',')`];
}
