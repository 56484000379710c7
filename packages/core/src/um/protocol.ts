/**
 * The Exchange Unified Messaging web service as callaudit speaks it: SOAP 1.1, document/literal,
 * elements in the Exchange "messages" namespace. Facts: MS-OXWUMS and the Exchange UM web service
 * reference (GetCallInfo, PlayOnPhone, Disconnect).
 */

/** The messages namespace as the WSDL and the schema define it. */
export const UM_MESSAGES_NAMESPACE = 'http://schemas.microsoft.com/exchange/services/2006/messages';
/** The same namespace as Microsoft's published examples spell it (https). Accepted on input. */
export const UM_MESSAGES_NAMESPACE_HTTPS = 'https://schemas.microsoft.com/exchange/services/2006/messages';
export const UM_MESSAGES_NAMESPACES: readonly string[] = [UM_MESSAGES_NAMESPACE, UM_MESSAGES_NAMESPACE_HTTPS];

/** SOAP 1.1 envelope namespace; older copies of the docs spell it with https, accepted on input. */
export const SOAP_ENVELOPE_NAMESPACE = 'http://schemas.xmlsoap.org/soap/envelope/';
export const SOAP_ENVELOPE_NAMESPACES: readonly string[] = [SOAP_ENVELOPE_NAMESPACE, 'https://schemas.xmlsoap.org/soap/envelope/'];
/** SOAP 1.2: recognised only to say it is not supported. */
export const SOAP12_ENVELOPE_NAMESPACE = 'http://www.w3.org/2003/05/soap-envelope';

export type UmOperation = 'GetCallInfo' | 'PlayOnPhone' | 'Disconnect';

/**
 * Whether repeating the operation is harmless. PlayOnPhone places a phone call: it is retried only
 * when the server says it did not process the request (429, 503), never after a timeout.
 */
export const UM_IDEMPOTENT: Readonly<Record<UmOperation, boolean>> = { GetCallInfo: true, PlayOnPhone: false, Disconnect: true };

/** The SOAPAction header value (quoted, as SOAP 1.1 writes it) for an operation. */
export function soapAction(operation: UmOperation, namespace: string = UM_MESSAGES_NAMESPACE): string {
  return `"${namespace}/${operation}"`;
}

/** UMCallState values. */
export const CALL_STATES = ['Idle', 'Connecting', 'Alerted', 'Connected', 'Disconnected', 'Incoming', 'Transferring', 'Forwarding'] as const;
export type CallState = (typeof CALL_STATES)[number];

/** UMEventCause values, plus Unavailable from the EWS twin (ConnectionFailureCauseType). */
export const EVENT_CAUSES = ['None', 'UserBusy', 'NoAnswer', 'Other', 'Unavailable'] as const;
export type EventCause = (typeof EVENT_CAUSES)[number];

export function isCallState(value: string): value is CallState {
  return (CALL_STATES as readonly string[]).includes(value);
}

export function isEventCause(value: string): value is EventCause {
  return (EVENT_CAUSES as readonly string[]).includes(value);
}

/** Which field of a call-info carries a value outside the documented enumeration. */
export type UnrecognizedField = 'callState' | 'eventCause';

/**
 * One GetCallInfo answer. Values are kept exactly as the server sent them (trimmed); a value outside
 * the documented enumeration is kept raw and its field listed in `unrecognized`, never rejected.
 */
export interface CallInfo {
  readonly callState: string;
  readonly eventCause: string;
  readonly unrecognized: readonly UnrecognizedField[];
}

/** Builds a CallInfo from raw values, flagging unknown ones. */
export function callInfo(callState: string, eventCause: string): CallInfo {
  const unrecognized: UnrecognizedField[] = [];
  if (!isCallState(callState)) unrecognized.push('callState');
  if (!isEventCause(eventCause)) unrecognized.push('eventCause');
  return { callState, eventCause, unrecognized };
}

/** A SOAP 1.1 fault. */
export interface SoapFault {
  /** faultcode as written, e.g. `soap:Client` or `a:InvalidCallIdException`. */
  readonly code: string;
  /** faultcode's local part, e.g. `Client`, `InvalidCallIdException`. */
  readonly codeName: string;
  /** The namespace faultcode's prefix resolves to ('' when it has none or it is undeclared). */
  readonly codeNamespace: string;
  readonly message: string;
  readonly actor: string | null;
  /** detail's ExceptionType (Exchange puts the server exception name there), when present. */
  readonly exceptionType: string | null;
}

/** A parsed response: the operation's value, or the fault the server returned instead. */
export type UmResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly fault: SoapFault };
