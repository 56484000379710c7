import type { ColumnDef, ColumnType, TableSchema } from './schema.js';

type Side = 'caller' | 'callee';

/**
 * The columns each side of a stream has besides who and where it is (user .. render device): its
 * network path, Wi-Fi, devices' event ratios and client version, in this order, `caller_` then
 * `callee_` (one definition for both sides, so they cannot drift apart).
 */
export const SIDE_DETAIL_COLUMNS: ReadonlyArray<{ readonly name: string; readonly type: ColumnType; readonly doc: string }> = [
  {
    name: 'bssid',
    type: 'string',
    doc: 'Wi-Fi access point BSSID (networkInfo.basicServiceSetIdentifier), normalized to lower-case hex pairs joined by colons (00:1a:2b:3c:4d:5e); as exported when it is not 6 hex pairs.',
  },
  { name: 'wifi_signal', type: 'int', doc: 'wifiSignalStrength, percent 0..100.' },
  { name: 'wifi_channel', type: 'int', doc: 'wifiChannel.' },
  { name: 'wifi_radio', type: 'string', doc: 'wifiRadioType: wifi80211a/b/g/n/ac/ax, unknown.' },
  { name: 'wifi_driver', type: 'string', doc: 'wifiVendorDriver and wifiVendorDriverVersion, joined by a space.' },
  { name: 'transport', type: 'string', doc: 'networkTransportProtocol: udp, tcp, unknown.' },
  { name: 'relay_ip', type: 'string', doc: 'relayIPAddress: the media relay used, when relayed.' },
  { name: 'reflexive_ip', type: 'string', doc: 'reflexiveIPAddress: the public address the side was seen from.' },
  { name: 'link_speed', type: 'int', doc: 'linkSpeed, bits per second.' },
  { name: 'sent_quality_event_ratio', type: 'float', doc: 'sentQualityEventRatio: share of the stream with poor sent quality, 0..1.' },
  { name: 'received_quality_event_ratio', type: 'float', doc: 'receivedQualityEventRatio, 0..1.' },
  { name: 'delay_event_ratio', type: 'float', doc: 'delayEventRatio: share with high network delay, 0..1.' },
  { name: 'bandwidth_low_event_ratio', type: 'float', doc: 'bandwidthLowEventRatio: share with too little bandwidth, 0..1.' },
  { name: 'capture_not_functioning_ratio', type: 'float', doc: 'captureNotFunctioningEventRatio: share with the microphone not working, 0..1.' },
  { name: 'render_not_functioning_ratio', type: 'float', doc: 'renderNotFunctioningEventRatio: share with the speaker not working, 0..1.' },
  { name: 'howling_events', type: 'int', doc: 'howlingEventCount (acoustic feedback).' },
  { name: 'clipping_ratio', type: 'float', doc: 'deviceClippingEventRatio, 0..1.' },
  { name: 'low_speech_level_ratio', type: 'float', doc: 'lowSpeechLevelEventRatio, 0..1.' },
  {
    name: 'low_speech_to_noise_ratio',
    type: 'float',
    doc: 'lowSpeechToNoiseEventRatio (noise or echo drowning speech), 0..1. Graph v1.0 has no separate echo ratio.',
  },
  { name: 'device_glitch_ratio', type: 'float', doc: 'deviceGlitchEventRatio, 0..1.' },
  { name: 'mic_glitch_rate', type: 'float', doc: 'micGlitchRate, glitches per 5 minutes.' },
  { name: 'speaker_glitch_rate', type: 'float', doc: 'speakerGlitchRate, glitches per 5 minutes.' },
  { name: 'cpu_insufficient_ratio', type: 'float', doc: 'cpuInsufficentEventRatio: share with too little CPU, 0..1.' },
  {
    name: 'client_version',
    type: 'string',
    doc: 'Client version: userAgent.applicationVersion, else the version of the first `name/version` token of userAgent.headerValue (`Teams/1.6.00.4472 (windows)` gives 1.6.00.4472).',
  },
  {
    name: 'network',
    type: 'string',
    doc: "With --buildings: the most specific range of the building file holding the side's subnet (its ipAddress when the subnet is missing), in CIDR form; empty when none does.",
  },
  { name: 'network_name', type: 'string', doc: "With --buildings: that range's NetworkName." },
  { name: 'building', type: 'string', doc: "With --buildings: that range's BuildingName." },
  { name: 'city', type: 'string', doc: 'With --buildings: City.' },
  { name: 'country', type: 'string', doc: 'With --buildings: Country.' },
  { name: 'region', type: 'string', doc: 'With --buildings: Region.' },
  { name: 'inside_corp', type: 'bool', doc: 'With --buildings: InsideCorp (1 = true); empty when unmatched.' },
  { name: 'expressroute', type: 'bool', doc: 'With --buildings: ExpressRoute; empty when unmatched.' },
  { name: 'vpn', type: 'bool', doc: 'With --buildings: VPN; empty when unmatched.' },
  {
    name: 'missing_subnet',
    type: 'string',
    doc: 'With --buildings, for a participant side that matched no range: its subnet (its ipAddress when none), or for a common home subnet (10.0.0.0, 192.168.0.0, 192.168.1.0, 192.168.2.0, 172.20.10.0, 192.168.43.0 /24) that subnet, grouped by missing_reflexive_ip.',
  },
  {
    name: 'missing_reflexive_ip',
    type: 'string',
    doc: 'With --buildings, for an unmatched side in a home subnet: its reflexiveIPAddress (the public address the home subnets are grouped by).',
  },
  {
    name: 'access_point',
    type: 'string',
    doc: "With --access-points: the access_point named for the side's BSSID (any spelling matches); empty when unknown.",
  },
  { name: 'access_point_building', type: 'string', doc: "With --access-points: that access point's building (from the access point file)." },
  { name: 'access_point_floor', type: 'string', doc: "With --access-points: that access point's floor." },
  {
    name: 'feedback_rating',
    type: 'string',
    doc: "Rate My Call: userFeedback.rating the side's participant gave (its session's endpoint, else its segment's): bad, poor, fair, good, excellent, notRated, or a newer value, as exported; empty when none.",
  },
  {
    name: 'feedback_tokens',
    type: 'string',
    doc: 'Rate My Call: the userFeedback tokens reported true, names as exported, `;`-joined in code-unit order; at most 32, each 1..64 characters without `;` or control characters (others are not kept); empty when none.',
  },
  {
    name: 'feedback_text',
    type: 'string',
    doc: "Rate My Call: userFeedback.text, the user's own words, cut to 1000 characters. Never in a rollup; `--redact` empties it.",
  },
];

function sideDetail(side: Side): ColumnDef[] {
  const who = side === 'caller' ? 'Caller' : 'Callee';
  return SIDE_DETAIL_COLUMNS.map((column) => ({ name: `${side}_${column.name}`, type: column.type, doc: `${who} ${column.doc}` }));
}

/**
 * The `streams` table: one row per media stream (one direction of one media of one segment),
 * flattened with its call, session, segment, endpoint, network and device context, and scored.
 * This is a public contract: the README documents every column from these definitions.
 */
export const STREAMS: TableSchema = {
  name: 'streams',
  columns: [
    { name: 'call_id', type: 'string', doc: 'callRecord id (GUID).' },
    { name: 'call_version', type: 'int', doc: 'callRecord version; the highest version of an id is the one kept.' },
    { name: 'call_type', type: 'string', doc: 'callRecord type: groupCall, peerToPeer, unknown (raw value kept).' },
    { name: 'call_start', type: 'timestamp', doc: 'callRecord startDateTime (UTC).' },
    { name: 'session_id', type: 'string', doc: 'Session id.' },
    { name: 'segment_id', type: 'string', doc: 'Segment id.' },
    { name: 'segment_start', type: 'timestamp', doc: 'Segment startDateTime (UTC).' },
    { name: 'media_label', type: 'string', doc: 'Media label as exported: main-audio, main-video, applicationsharing-video, data, ...' },
    { name: 'modality', type: 'string', doc: 'Stream kind used for classification: audio, video, vbss, appsharing, data, unknown.' },
    { name: 'stream_id', type: 'string', doc: 'mediaStream streamId.' },
    { name: 'stream_direction', type: 'string', doc: 'callerToCallee or calleeToCaller.' },
    {
      name: 'caller_user_id',
      type: 'string',
      doc: 'Caller identity id: associatedIdentity, else identity.user, else another identity kind (guest, phone, acsUser, ...).',
    },
    { name: 'caller_upn', type: 'string', doc: 'Caller userPrincipalName (associatedIdentity), when exported.' },
    { name: 'caller_platform', type: 'string', doc: 'Caller clientUserAgent.platform (windows, macOS, iOS, android, web, ...). Empty for a service endpoint.' },
    { name: 'caller_product', type: 'string', doc: 'Caller clientUserAgent.productFamily (teams, skypeForBusiness, lync, azureCommunicationServices).' },
    {
      name: 'caller_role',
      type: 'string',
      doc: 'Caller serviceRole when the caller is a serviceEndpoint (gateway, mediationServer, voicemail, ...); `unknown` for a service endpoint exported without @odata.type and role (SDK/CLI exports); empty for a participant.',
    },
    { name: 'caller_connection_type', type: 'string', doc: 'Caller network connectionType: wired, wifi, mobile, tunnel, unknown.' },
    { name: 'caller_wifi_band', type: 'string', doc: 'Caller network wifiBand, when on Wi-Fi.' },
    { name: 'caller_subnet', type: 'string', doc: 'Caller network subnet.' },
    { name: 'caller_ip', type: 'string', doc: 'Caller network ipAddress.' },
    { name: 'caller_device_capture', type: 'string', doc: 'Caller captureDeviceName (microphone).' },
    { name: 'caller_device_render', type: 'string', doc: 'Caller renderDeviceName (speaker).' },
    ...sideDetail('caller'),
    { name: 'callee_user_id', type: 'string', doc: 'Callee identity id (as caller_user_id).' },
    { name: 'callee_upn', type: 'string', doc: 'Callee userPrincipalName.' },
    { name: 'callee_platform', type: 'string', doc: 'Callee clientUserAgent.platform.' },
    { name: 'callee_product', type: 'string', doc: 'Callee clientUserAgent.productFamily.' },
    { name: 'callee_role', type: 'string', doc: 'Callee serviceRole when the callee is a serviceEndpoint.' },
    { name: 'callee_connection_type', type: 'string', doc: 'Callee network connectionType.' },
    { name: 'callee_wifi_band', type: 'string', doc: 'Callee network wifiBand.' },
    { name: 'callee_subnet', type: 'string', doc: 'Callee network subnet.' },
    { name: 'callee_ip', type: 'string', doc: 'Callee network ipAddress.' },
    { name: 'callee_device_capture', type: 'string', doc: 'Callee captureDeviceName.' },
    { name: 'callee_device_render', type: 'string', doc: 'Callee renderDeviceName.' },
    ...sideDetail('callee'),
    { name: 'audio_codec', type: 'string', doc: 'audioCodec (raw enum value).' },
    { name: 'video_codec', type: 'string', doc: 'videoCodec (raw enum value).' },
    { name: 'jitter_avg_ms', type: 'float', doc: 'averageJitter in milliseconds.' },
    { name: 'jitter_max_ms', type: 'float', doc: 'maxJitter in milliseconds.' },
    { name: 'rtt_avg_ms', type: 'float', doc: 'averageRoundTripTime in milliseconds.' },
    { name: 'rtt_max_ms', type: 'float', doc: 'maxRoundTripTime in milliseconds.' },
    { name: 'packet_loss_avg', type: 'float', doc: 'averagePacketLossRate, fraction 0..1.' },
    { name: 'packet_loss_max', type: 'float', doc: 'maxPacketLossRate, fraction 0..1.' },
    { name: 'concealed_ratio_avg', type: 'float', doc: 'averageRatioOfConcealedSamples, fraction 0..1.' },
    { name: 'audio_degradation_avg', type: 'float', doc: 'averageAudioDegradation, NMOS points.' },
    { name: 'packet_utilization', type: 'int', doc: 'packetUtilization, packets.' },
    { name: 'video_frame_loss_pct_avg', type: 'float', doc: 'averageVideoFrameLossPercentage, percent 0..100.' },
    { name: 'video_frame_rate_avg', type: 'float', doc: 'averageVideoFrameRate, frames per second.' },
    { name: 'post_fec_packet_loss', type: 'float', doc: 'postForwardErrorCorrectionPacketLossRate, fraction 0..1.' },
    { name: 'bandwidth_estimate_bps', type: 'float', doc: 'averageBandwidthEstimate, bits per second.' },
    { name: 'was_media_bypassed', type: 'bool', doc: 'wasMediaBypassed.' },
    { name: 'audio_network_jitter_avg_ms', type: 'float', doc: 'averageAudioNetworkJitter in milliseconds (network jitter before the jitter buffer).' },
    { name: 'audio_network_jitter_max_ms', type: 'float', doc: 'maxAudioNetworkJitter in milliseconds.' },
    { name: 'audio_fec_used', type: 'bool', doc: 'isAudioForwardErrorCorrectionUsed.' },
    { name: 'freeze_avg_ms', type: 'float', doc: 'averageFreezeDuration of video, milliseconds.' },
    { name: 'freeze_rms_ms', type: 'float', doc: 'rmsFreezeDuration of video, milliseconds.' },
    { name: 'low_frame_rate_ratio', type: 'float', doc: 'lowFrameRateRatio: share of the video below the target frame rate, 0..1.' },
    { name: 'low_video_processing_ratio', type: 'float', doc: 'lowVideoProcessingCapabilityRatio, 0..1.' },
    { name: 'received_frame_rate_avg', type: 'float', doc: 'averageReceivedFrameRate, frames per second.' },
    {
      name: 'failure_stage',
      type: 'string',
      doc: "failureInfo.stage of the stream's segment, else of its session: callSetup (CQD: a setup-failed stream), midcall (a dropped stream), unknown; empty when neither failed.",
    },
    { name: 'failure_reason', type: 'string', doc: 'failureInfo.reason beside failure_stage, as exported.' },
    { name: 'cqd_class', type: 'string', doc: 'Call Quality Dashboard class under the active rule set: good, poor or unclassified.' },
    {
      name: 'cqd_reasons',
      type: 'string',
      doc: 'For poor: every threshold crossed (rtt;packet_loss;jitter;degradation;concealed;frame_loss;frame_rate;post_fec_loss). For unclassified: why (no_metrics, low_packet_utilization, app_sharing, data, unknown_kind). Empty for good.',
    },
    {
      name: 'poor_cause',
      type: 'string',
      doc: 'Poor streams only: the likely cause by the attribution rules (README "Attribution"): device, cpu, vpn, tcp, mobile, wifi, relay, network, unknown. Empty for good and unclassified streams.',
    },
    { name: 'poor_side', type: 'string', doc: 'Poor streams only: the side(s) whose facts decided poor_cause: caller, callee, both; empty for unknown.' },
    {
      name: 'poor_evidence',
      type: 'string',
      doc: 'Poor streams only: the facts that decided poor_cause, `;`-separated `column=value` (caller_connection_type=wifi;caller_wifi_signal=32).',
    },
    { name: 'r_factor', type: 'float', doc: 'E-model R factor (ITU-T G.107 simplified), audio streams only.' },
    { name: 'mos', type: 'float', doc: 'E-model MOS estimate (1..4.5), audio streams only.' },
    {
      name: 'mos_missing',
      type: 'string',
      doc: 'Why an audio stream has no r_factor and mos: the unreported inputs, `;`-separated (rtt;packet_loss). Empty when scored and for other kinds.',
    },
    {
      name: 'sessions_truncated',
      type: 'bool',
      doc: 'The record carried sessions@odata.nextLink (and no saved last sessions page completed it): its export is missing sessions.',
    },
  ],
};

/** The `calls` table: one row per call record kept after de-duplication. */
export const CALLS: TableSchema = {
  name: 'calls',
  columns: [
    { name: 'call_id', type: 'string', doc: 'callRecord id.' },
    { name: 'call_version', type: 'int', doc: 'callRecord version kept.' },
    { name: 'call_type', type: 'string', doc: 'groupCall, peerToPeer, unknown.' },
    { name: 'call_start', type: 'timestamp', doc: 'startDateTime (UTC).' },
    { name: 'call_end', type: 'timestamp', doc: 'endDateTime (UTC).' },
    { name: 'duration_s', type: 'float', doc: 'endDateTime - startDateTime in seconds.' },
    { name: 'modalities', type: 'string', doc: 'Record modalities, `;`-separated (audio;video;screenSharing;...).' },
    { name: 'organizer_id', type: 'string', doc: 'Organizer id: organizer_v2, else organizer (identitySet) user, else another identity kind.' },
    {
      name: 'participant_count',
      type: 'int',
      doc: 'Distinct participants: participants_v2 entry ids (an entry without one: its identity user id, else another identity kind), else participants; the first page only when participants_truncated.',
    },
    { name: 'session_count', type: 'int', doc: 'Sessions in the record (as exported, plus those stitched from its saved sessions pages).' },
    { name: 'stream_count', type: 'int', doc: 'Media streams in the record.' },
    { name: 'audio_streams_classified', type: 'int', doc: 'Audio streams classified good or poor.' },
    { name: 'audio_streams_poor', type: 'int', doc: 'Audio streams classified poor.' },
    { name: 'verdict', type: 'string', doc: 'poor if any classified audio stream is poor; good if some are classified and none poor; else unclassified.' },
    { name: 'worst_reasons', type: 'string', doc: 'The poor reasons found across the call`s audio streams, `;`-separated, in reason order.' },
    { name: 'min_mos', type: 'float', doc: 'Lowest E-model MOS among the call`s audio streams.' },
    { name: 'feedback_min_rating', type: 'string', doc: 'Lowest userFeedback rating given (bad < poor < fair < good < excellent); empty when none rated.' },
    { name: 'setup_failed', type: 'bool', doc: 'A session or segment failureInfo has stage callSetup.' },
    { name: 'dropped', type: 'bool', doc: 'A session or segment failureInfo has stage midcall.' },
    { name: 'sessions_truncated', type: 'bool', doc: 'The record carried sessions@odata.nextLink, and no saved last sessions page completed it.' },
    { name: 'sessions_missing', type: 'bool', doc: 'The record carried no sessions (exported without $expand=sessions): its streams are unknown, not absent.' },
    { name: 'participants_truncated', type: 'bool', doc: 'The record carried participants_v2@odata.nextLink: participant_count counts the first page only.' },
  ],
};
