/**
 * The callRecords schema: what a record must look like, ISO-8601 durations and date-times, and the
 * projecting parser that builds only what the schema declares.
 */
export { validateCallRecord, validateSession } from './validate.js';
export { parseProjected, NOT_PROJECTED, MAX_DEPTH } from './project.js';
export type { ValidationResult } from './validate.js';
export { callRecordSchema, ODATA_TYPE, IDENTITY_KINDS } from './callrecord.js';
export {
  documentSchema,
  recognizeDocument,
  rejectReason,
  callIdFromContext,
  kindFromContext,
  kindFromShape,
  kindFromType,
  DOCUMENT_REJECT_KINDS,
} from './document.js';
export type { DocumentKind } from './document.js';
export type {
  CallRecord,
  Session,
  Segment,
  Media,
  MediaStream,
  NetworkInfo,
  DeviceInfo,
  Endpoint,
  UserAgent,
  Identity,
  IdentitySet,
  CommunicationsIdentitySet,
  Participant,
  AssociatedIdentity,
  UserFeedback,
  FailureInfo,
} from './callrecord.js';
export { durationToMs } from './duration.js';
export { dateTimeToMs } from './datetime.js';
