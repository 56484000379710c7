/**
 * Typed parsing of UM web service responses: the SOAP 1.1 envelope, the operation's response body
 * (checked with zod) or the SOAP fault the server returned instead.
 *
 * Errors are CallauditError E_INPUT (the input is not a response we can read); the client turns them
 * into E_REMOTE. A fault is not an error here: it is a result (`{ ok: false, fault }`), because saved
 * poll logs legitimately contain faults.
 */
import { z } from 'zod';
import { ErrorCode, fail } from '../errors.js';
import type { CallInfo, SoapFault, UmOperation, UmResult } from './protocol.js';
import { SOAP12_ENVELOPE_NAMESPACE, SOAP_ENVELOPE_NAMESPACES, UM_MESSAGES_NAMESPACES, callInfo } from './protocol.js';
import type { XmlElement, XmlReadOptions } from './xml.js';
import { childrenNamed, describeElement, readXml } from './xml.js';

export type ResponseReadOptions = XmlReadOptions;

/** GetCallInfoResponse/GetCallInfoResponse {CallState, EventCause} (the wrapper is doubled). */
export function parseGetCallInfoResponse(input: string | Uint8Array, options: ResponseReadOptions = {}): UmResult<CallInfo> {
  return parseResponse('GetCallInfo', input, options, GET_CALL_INFO, (body) => {
    const info = body.GetCallInfoResponse.GetCallInfoResponse;
    return callInfo(info.CallState, info.EventCause);
  });
}

/** PlayOnPhoneResponse/PlayOnPhoneResponse: the new call's CallId. */
export function parsePlayOnPhoneResponse(input: string | Uint8Array, options: ResponseReadOptions = {}): UmResult<string> {
  return parseResponse('PlayOnPhone', input, options, PLAY_ON_PHONE, (body) => body.PlayOnPhoneResponse.PlayOnPhoneResponse);
}

/** DisconnectResponse: empty. */
export function parseDisconnectResponse(input: string | Uint8Array, options: ResponseReadOptions = {}): UmResult<null> {
  return parseResponse('Disconnect', input, options, DISCONNECT, () => null);
}

/**
 * The simplified form zod checks: an element with child elements becomes an object of child name ->
 * list of children; an element without becomes its text. Only children in the messages namespace
 * (either spelling) are kept: anything else is an extension we ignore.
 */
type Simple = string | { [name: string]: Simple[] };

const text = z.string({ error: 'expected text, found child elements' }).trim().min(1, 'element is empty');
function one<T extends z.ZodType>(schema: T) {
  return z
    .array(schema, { error: (issue) => (issue.input === undefined ? 'element is missing' : 'expected an element') })
    .max(1, 'element appears more than once')
    .min(1, 'element is missing')
    .transform((list) => list[0]!);
}

const GET_CALL_INFO = z.object({
  GetCallInfoResponse: one(z.object({ GetCallInfoResponse: one(z.object({ CallState: one(text), EventCause: one(text) })) })),
});
const PLAY_ON_PHONE = z.object({ PlayOnPhoneResponse: one(z.object({ PlayOnPhoneResponse: one(text) })) });
const DISCONNECT = z.object({ DisconnectResponse: one(z.unknown()) });

function parseResponse<S extends z.ZodType, T>(
  operation: UmOperation,
  input: string | Uint8Array,
  options: ResponseReadOptions,
  schema: S,
  pick: (body: z.output<S>) => T,
): UmResult<T> {
  const source = options.source;
  const body = soapBody(readXml(input, options), source);
  const [first, ...rest] = body.children;
  if (first === undefined) throw fail(ErrorCode.Input, `${operation} response: soap:Body is empty`, { file: source });
  if (first.name === 'Fault' && SOAP_ENVELOPE_NAMESPACES.includes(first.namespace)) return { ok: false, fault: readFault(first) };

  const expected = `${operation}Response`;
  if (first.name !== expected || !UM_MESSAGES_NAMESPACES.includes(first.namespace)) {
    throw fail(
      ErrorCode.Input,
      `${operation} response: expected ${expected} in namespace ${UM_MESSAGES_NAMESPACES.join(' or ')}, found ${describeElement(first)}`,
      {
        file: source,
      },
    );
  }
  if (rest.length > 0) throw fail(ErrorCode.Input, `${operation} response: soap:Body holds ${body.children.length} elements, expected one`, { file: source });

  const parsed = schema.safeParse({ [expected]: [simplify(first)] });
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const path = issue.path.filter((part) => typeof part === 'string').join('/');
    throw fail(ErrorCode.Input, `${operation} response: ${path}: ${issue.message}`, { file: source });
  }
  return { ok: true, value: pick(parsed.data) };
}

/** Checks the envelope and returns its Body. */
function soapBody(root: XmlElement, source: string | undefined): XmlElement {
  if (root.name === 'Envelope' && root.namespace === SOAP12_ENVELOPE_NAMESPACE) {
    throw fail(ErrorCode.Input, 'SOAP 1.2 envelope: the UM web service speaks SOAP 1.1', { file: source });
  }
  if (root.name !== 'Envelope' || !SOAP_ENVELOPE_NAMESPACES.includes(root.namespace)) {
    throw fail(ErrorCode.Input, `not a SOAP 1.1 envelope: root element is ${describeElement(root)}`, { file: source });
  }
  const bodies = childrenNamed(root, SOAP_ENVELOPE_NAMESPACES, 'Body');
  if (bodies.length !== 1) throw fail(ErrorCode.Input, `SOAP envelope has ${bodies.length} Body elements, expected one`, { file: source });
  return bodies[0]!;
}

function simplify(element: XmlElement): Simple {
  if (element.children.length === 0) return element.text;
  const out: Record<string, Simple[]> = Object.create(null) as Record<string, Simple[]>;
  for (const child of element.children) {
    if (!UM_MESSAGES_NAMESPACES.includes(child.namespace)) continue;
    (out[child.name] ??= []).push(simplify(child));
  }
  return out;
}

/** SOAP 1.1 fault: faultcode, faultstring, faultactor, detail (children unqualified; qualified ones tolerated). */
function readFault(fault: XmlElement): SoapFault {
  const field = (name: string): XmlElement | undefined => childrenNamed(fault, ['', ...SOAP_ENVELOPE_NAMESPACES], name)[0];
  const codeElement = field('faultcode');
  const code = codeElement?.text.trim() ?? '';
  const colon = code.indexOf(':');
  const prefix = colon < 0 ? '' : code.slice(0, colon);
  const detail = field('detail');
  const exceptionType = detail?.children.find((child) => child.name === 'ExceptionType')?.text.trim();
  return {
    code,
    codeName: colon < 0 ? code : code.slice(colon + 1),
    codeNamespace: (colon < 0 ? undefined : codeElement?.scope.get(prefix)) ?? '',
    message: field('faultstring')?.text.trim() ?? '',
    actor: field('faultactor')?.text.trim() || null,
    exceptionType: exceptionType || null,
  };
}
