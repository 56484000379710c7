/**
 * Exchange Unified Messaging web service (GetCallInfo and friends): envelopes, typed responses, an
 * HTTP client with a watch loop, and the offline poll-log audit. See README.md in this folder.
 */
export {
  UM_MESSAGES_NAMESPACE,
  UM_MESSAGES_NAMESPACE_HTTPS,
  SOAP_ENVELOPE_NAMESPACE,
  CALL_STATES,
  EVENT_CAUSES,
  isCallState,
  isEventCause,
  soapAction,
} from './protocol.js';
export type { CallInfo, CallState, EventCause, SoapFault, UmOperation, UmResult, UnrecognizedField } from './protocol.js';
export { getCallInfoRequest, playOnPhoneRequest, disconnectRequest } from './envelope.js';
export type { EnvelopeOptions, UmRequest } from './envelope.js';
export { parseGetCallInfoResponse, parsePlayOnPhoneResponse, parseDisconnectResponse } from './response.js';
export type { ResponseReadOptions } from './response.js';
export { createUmClient, faultError } from './client.js';
export type { CallOptions, RetryEvent, UmAuth, UmClient, UmClientOptions } from './client.js';
export { watchCallInfo } from './watch.js';
export type { CallInfoSample, WatchOptions } from './watch.js';
export { UM_CALLS, UM_DAILY, UM_CAUSES, UM_TABLES } from './tables.js';
export { auditPolls, OUTCOMES } from './audit.js';
export type { Outcome, PollObservation, UmAudit } from './audit.js';
export { readPollLogs, parsePollLine, parseResponseFileName } from './polllog.js';
export type { PollLogOptions, PollLogs, PollReject } from './polllog.js';
export { runUmReport } from './report.js';
export type { UmReportFormat, UmReportOptions, UmReportResult, UmReportSummary } from './report.js';
