/**
 * One callRecord to table rows: a streams row per media stream, a calls row per record.
 *
 * Each stream row carries its call, session and segment, its media label, and for caller and callee
 * the endpoint (the segment's, else the session's, side by side), the media's network and device
 * for that side. Durations and date-times, checked by the schema, become ms and epoch ms here. Kind,
 * class and E-model score come from the quality model.
 */
import { attributePoorStream, classifyStream, eModel, missingEModelInputs, streamKind } from '../quality/index.js';
import type { RuleSet, SideFacts, StreamMetrics } from '../quality/index.js';
import type { CallRecord, Media, MediaStream } from '../schema/index.js';
import { ColumnBuilder } from '../table/schema.js';
import type { CellValue, ColumnBatch } from '../table/schema.js';
import { CALLS, STREAMS } from '../table/tables.js';
import type { SiteLookup } from '../sites/lookup.js';
import { endpointContext, sideColumns, sideFacts, sideFeedback, siteOf } from './endpoint.js';
import { CallSummary, isTruncated } from './summary.js';
import { durationMs, epochMs } from './units.js';

export interface FlattenOutput {
  readonly streams: ColumnBuilder;
  readonly calls: ColumnBuilder;
}

/** Appends the record's stream rows to `out.streams` and its call row to `out.calls`. */
export function flattenRecord(record: CallRecord, rules: RuleSet, out: FlattenOutput, sites: SiteLookup | null = null): void {
  const summary = new CallSummary();
  const call: CellValue[] = [record.id, record.version ?? null, record.type ?? null, epochMs(record.startDateTime)];
  const truncated = isTruncated(record);
  for (const session of record.sessions ?? []) {
    summary.addLeg(session.failureInfo, session.caller, session.callee);
    for (const segment of session.segments ?? []) {
      summary.addLeg(segment.failureInfo, segment.caller, segment.callee);
      const caller = endpointContext(segment.caller ?? session.caller);
      const callee = endpointContext(segment.callee ?? session.callee);
      const callerFeedback = sideFeedback(session.caller, segment.caller);
      const calleeFeedback = sideFeedback(session.callee, segment.callee);
      const leg: CellValue[] = [...call, session.id ?? null, segment.id ?? null, epochMs(segment.startDateTime)];
      const failure = segment.failureInfo ?? session.failureInfo;
      const failureCells: CellValue[] = [failure?.stage ?? null, failure?.reason ?? null];
      for (const media of segment.media ?? []) {
        const callerSite = siteOf(sites, caller, media.callerNetwork);
        const calleeSite = siteOf(sites, callee, media.calleeNetwork);
        const sides = [
          ...sideColumns(caller, media.callerNetwork, media.callerDevice, callerSite, sites, callerFeedback),
          ...sideColumns(callee, media.calleeNetwork, media.calleeDevice, calleeSite, sites, calleeFeedback),
        ];
        const vpn = (site: typeof callerSite): number | null => (site.building === null ? null : site.building.vpn ? 1 : 0);
        const facts = (): [SideFacts, SideFacts] => [
          sideFacts(media.callerNetwork, media.callerDevice, vpn(callerSite)),
          sideFacts(media.calleeNetwork, media.calleeDevice, vpn(calleeSite)),
        ];
        for (const stream of media.streams ?? []) {
          out.streams.push(streamRow(leg, media, sides, failureCells, facts, stream, rules, summary, truncated));
        }
      }
    }
  }
  out.calls.push(summary.row(record));
}

/** Flattens records into fresh batches. */
export function flattenToBatches(
  records: readonly CallRecord[],
  rules: RuleSet,
  sites: SiteLookup | null = null,
): { streams: ColumnBatch; calls: ColumnBatch } {
  const out = { streams: new ColumnBuilder(STREAMS), calls: new ColumnBuilder(CALLS) };
  for (const record of records) flattenRecord(record, rules, out, sites);
  return { streams: out.streams.finish(), calls: out.calls.finish() };
}

export function streamMetrics(stream: MediaStream): StreamMetrics {
  return {
    jitterAvgMs: durationMs(stream.averageJitter),
    rttAvgMs: durationMs(stream.averageRoundTripTime),
    packetLossAvg: stream.averagePacketLossRate ?? null,
    concealedRatioAvg: stream.averageRatioOfConcealedSamples ?? null,
    audioDegradationAvg: stream.averageAudioDegradation ?? null,
    packetUtilization: stream.packetUtilization ?? null,
    videoFrameLossPctAvg: stream.averageVideoFrameLossPercentage ?? null,
    videoFrameRateAvg: stream.averageVideoFrameRate ?? null,
    postFecPacketLoss: stream.postForwardErrorCorrectionPacketLossRate ?? null,
    audioCodec: stream.audioCodec ?? null,
  };
}

/** One streams row, in STREAMS column order; scores the stream into `summary` on the way. */
function streamRow(
  leg: readonly CellValue[],
  media: Media,
  sides: readonly CellValue[],
  failure: readonly CellValue[],
  facts: () => [SideFacts, SideFacts],
  stream: MediaStream,
  rules: RuleSet,
  summary: CallSummary,
  truncated: boolean,
): CellValue[] {
  const metrics = streamMetrics(stream);
  const audioCodec = metrics.audioCodec;
  const videoCodec = stream.videoCodec ?? null;
  const kind = streamKind(media.label ?? null, audioCodec, videoCodec);
  const classification = classifyStream(kind, metrics, rules);
  const score = kind === 'audio' ? eModel(metrics) : null;
  summary.addStream(kind, classification, score);
  const cause = classification.cls === 'poor' ? attributePoorStream(classification.reasons, ...facts()) : null;
  return [
    ...leg, // call_id, call_version, call_type, call_start, session_id, segment_id, segment_start
    media.label ?? null,
    kind,
    stream.streamId ?? null,
    stream.streamDirection ?? null,
    ...sides, // caller_user_id .. caller_device_render, callee_user_id .. callee_device_render
    audioCodec,
    videoCodec,
    metrics.jitterAvgMs,
    durationMs(stream.maxJitter),
    metrics.rttAvgMs,
    durationMs(stream.maxRoundTripTime),
    metrics.packetLossAvg,
    stream.maxPacketLossRate ?? null,
    metrics.concealedRatioAvg,
    metrics.audioDegradationAvg,
    metrics.packetUtilization,
    metrics.videoFrameLossPctAvg,
    metrics.videoFrameRateAvg,
    metrics.postFecPacketLoss,
    stream.averageBandwidthEstimate ?? null,
    stream.wasMediaBypassed ?? null,
    durationMs(stream.averageAudioNetworkJitter),
    durationMs(stream.maxAudioNetworkJitter),
    stream.isAudioForwardErrorCorrectionUsed ?? null,
    durationMs(stream.averageFreezeDuration),
    durationMs(stream.rmsFreezeDuration),
    stream.lowFrameRateRatio ?? null,
    stream.lowVideoProcessingCapabilityRatio ?? null,
    stream.averageReceivedFrameRate ?? null,
    ...failure, // failure_stage, failure_reason
    classification.cls,
    classification.reasons.join(';'),
    cause?.cause ?? null,
    cause?.side ?? null,
    cause === null || cause.evidence === '' ? null : cause.evidence,
    score?.rFactor ?? null,
    score?.mos ?? null,
    kind === 'audio' && score === null ? missingEModelInputs(metrics).join(';') : null,
    truncated,
  ];
}
