/**
 * Request envelopes for the UM web service, laid out exactly as Microsoft's published examples
 * (two-space indent, no trailing newline), so a request can be compared with the docs byte for byte.
 */
import { ErrorCode, fail } from '../errors.js';
import type { UmOperation } from './protocol.js';
import { SOAP_ENVELOPE_NAMESPACE, UM_MESSAGES_NAMESPACE, UM_MESSAGES_NAMESPACES, soapAction } from './protocol.js';

/** A request ready to POST: the body and the SOAPAction header that goes with it. */
export interface UmRequest {
  readonly operation: UmOperation;
  /** The SOAPAction header value, quoted. */
  readonly soapAction: string;
  readonly body: string;
}

export interface EnvelopeOptions {
  /** The messages namespace to write: the WSDL's http spelling (default) or the docs' https one. */
  readonly namespace?: string;
}

/** GetCallInfo: the state of the outbound call `callId` (as PlayOnPhone returned it). */
export function getCallInfoRequest(callId: string, options: EnvelopeOptions = {}): UmRequest {
  return envelope('GetCallInfo', [['CallId', callId]], options);
}

/** PlayOnPhone: call `dialString` and play the item `entryId`; the response carries the new CallId. */
export function playOnPhoneRequest(entryId: string, dialString: string, options: EnvelopeOptions = {}): UmRequest {
  return envelope(
    'PlayOnPhone',
    [
      ['entryId', entryId],
      ['DialString', dialString],
    ],
    options,
  );
}

/** Disconnect: hang up the outbound call `callId`. */
export function disconnectRequest(callId: string, options: EnvelopeOptions = {}): UmRequest {
  return envelope('Disconnect', [['CallId', callId]], options);
}

function envelope(operation: UmOperation, fields: ReadonlyArray<readonly [string, string]>, options: EnvelopeOptions): UmRequest {
  const namespace = options.namespace ?? UM_MESSAGES_NAMESPACE;
  if (!UM_MESSAGES_NAMESPACES.includes(namespace)) {
    throw fail(ErrorCode.Usage, `${operation}: namespace must be one of ${UM_MESSAGES_NAMESPACES.join(', ')}, not ${JSON.stringify(namespace)}`);
  }
  const lines = [
    '<?xml version="1.0" encoding="utf-8"?>',
    `<soap:Envelope xmlns:soap="${SOAP_ENVELOPE_NAMESPACE}">`,
    '  <soap:Body>',
    `    <${operation} xmlns="${namespace}">`,
    ...fields.map(([name, value]) => `      <${name}>${escapeText(operation, name, value)}</${name}>`),
    `    </${operation}>`,
    '  </soap:Body>',
    '</soap:Envelope>',
  ];
  return { operation, soapAction: soapAction(operation, namespace), body: lines.join('\n') };
}

/** Escapes character data; refuses values XML cannot carry (empty, or with control characters). */
function escapeText(operation: UmOperation, name: string, value: string): string {
  if (typeof value !== 'string' || value.trim() === '') throw fail(ErrorCode.Usage, `${operation}: ${name} must be a non-empty string`);
  let out = '';
  for (const ch of value) {
    const cp = ch.codePointAt(0)!;
    if ((cp < 0x20 && cp !== 0x9 && cp !== 0xa && cp !== 0xd) || cp === 0xfffe || cp === 0xffff || (cp >= 0xd800 && cp <= 0xdfff)) {
      throw fail(ErrorCode.Usage, `${operation}: ${name} contains a character XML cannot carry (U+${cp.toString(16).toUpperCase().padStart(4, '0')})`);
    }
    out += ch === '&' ? '&amp;' : ch === '<' ? '&lt;' : ch === '>' ? '&gt;' : ch;
  }
  return out;
}
