import { describe, expect, it } from 'vitest';
import { CALL_STATES, EVENT_CAUSES } from '../../src/um/protocol.js';
import { parseDisconnectResponse, parseGetCallInfoResponse, parsePlayOnPhoneResponse } from '../../src/um/response.js';
import { DOCUMENTED_RESPONSE, MESSAGES_HTTP, MESSAGES_HTTPS, callInfoResponse, faultResponse } from './fixtures.js';

const ENVELOPE = (body: string, prefix = 'soap'): string =>
  `<${prefix}:Envelope xmlns:${prefix}="http://schemas.xmlsoap.org/soap/envelope/"><${prefix}:Body>${body}</${prefix}:Body></${prefix}:Envelope>`;

function inputError(run: () => unknown): { code: string; message: string } {
  try {
    run();
  } catch (error) {
    return error as { code: string; message: string };
  }
  throw new Error('expected an error');
}

describe('parseGetCallInfoResponse', () => {
  it('reads the documented response verbatim', () => {
    expect(parseGetCallInfoResponse(DOCUMENTED_RESPONSE)).toEqual({ ok: true, value: { callState: 'Connected', eventCause: 'None', unrecognized: [] } });
  });

  it('reads the documented response as bytes, with a UTF-8 BOM', () => {
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(DOCUMENTED_RESPONSE)]);
    expect(parseGetCallInfoResponse(bytes)).toMatchObject({ ok: true, value: { callState: 'Connected' } });
  });

  it.each(CALL_STATES)('reads CallState %s', (state) => {
    expect(parseGetCallInfoResponse(callInfoResponse(state, 'None'))).toEqual({ ok: true, value: { callState: state, eventCause: 'None', unrecognized: [] } });
  });

  it.each(EVENT_CAUSES)('reads EventCause %s (Unavailable from the EWS twin included)', (cause) => {
    expect(parseGetCallInfoResponse(callInfoResponse('Disconnected', cause))).toEqual({
      ok: true,
      value: { callState: 'Disconnected', eventCause: cause, unrecognized: [] },
    });
  });

  it('keeps unknown enum values raw and flags them instead of rejecting', () => {
    expect(parseGetCallInfoResponse(callInfoResponse('Ringing', 'Rejected'))).toEqual({
      ok: true,
      value: { callState: 'Ringing', eventCause: 'Rejected', unrecognized: ['callState', 'eventCause'] },
    });
    // Case matters: the schema's enumeration is exact.
    expect(parseGetCallInfoResponse(callInfoResponse('connected', 'None'))).toMatchObject({ value: { callState: 'connected', unrecognized: ['callState'] } });
  });

  it('trims whitespace around values and decodes references', () => {
    const response = callInfoResponse('\n   Alerted  ', '&#78;o&#x41;nswer');
    expect(parseGetCallInfoResponse(response)).toMatchObject({ value: { callState: 'Alerted', eventCause: 'NoAnswer', unrecognized: [] } });
  });

  it('accepts both namespace spellings and any prefix', () => {
    expect(parseGetCallInfoResponse(callInfoResponse('Idle', 'None', MESSAGES_HTTP))).toMatchObject({ ok: true });
    expect(parseGetCallInfoResponse(callInfoResponse('Idle', 'None', MESSAGES_HTTPS))).toMatchObject({ ok: true });
    const prefixed = ENVELOPE(
      `<m:GetCallInfoResponse xmlns:m="${MESSAGES_HTTP}"><m:GetCallInfoResponse><m:CallState>Alerted</m:CallState><m:EventCause>None</m:EventCause></m:GetCallInfoResponse></m:GetCallInfoResponse>`,
      'env',
    );
    expect(parseGetCallInfoResponse(prefixed)).toMatchObject({ value: { callState: 'Alerted' } });
  });

  it('ignores a SOAP header and elements from other namespaces (extensions)', () => {
    const response = `<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Header><h:ServerVersionInfo xmlns:h="http://schemas.microsoft.com/exchange/services/2006/types" MajorVersion="8"/></s:Header><s:Body><GetCallInfoResponse xmlns="${MESSAGES_HTTP}"><GetCallInfoResponse><x:Extra xmlns:x="urn:x">1</x:Extra><CallState>Idle</CallState><EventCause>None</EventCause></GetCallInfoResponse></GetCallInfoResponse></s:Body></s:Envelope>`;
    expect(parseGetCallInfoResponse(response)).toMatchObject({ value: { callState: 'Idle' } });
  });

  it.each([
    [
      'a missing CallState',
      callInfoResponse('Connected', 'None').replace('<CallState>Connected</CallState>', ''),
      'GetCallInfoResponse/GetCallInfoResponse/CallState: element is missing',
    ],
    ['an empty EventCause', callInfoResponse('Connected', ''), 'EventCause: element is empty'],
    [
      'a duplicated CallState',
      callInfoResponse('Connected', 'None').replace('<CallState>', '<CallState>Idle</CallState><CallState>'),
      'CallState: element appears more than once',
    ],
    ['a CallState holding elements', callInfoResponse('<b>Connected</b>', 'None'), 'CallState: expected text, found child elements'],
    [
      'a single (not doubled) wrapper',
      ENVELOPE(`<GetCallInfoResponse xmlns="${MESSAGES_HTTP}"><CallState>Idle</CallState><EventCause>None</EventCause></GetCallInfoResponse>`),
      'GetCallInfoResponse/GetCallInfoResponse: element is missing',
    ],
    [
      'the response in no namespace',
      ENVELOPE('<GetCallInfoResponse><GetCallInfoResponse/></GetCallInfoResponse>'),
      'expected GetCallInfoResponse in namespace',
    ],
    [
      "another operation's response",
      ENVELOPE(`<DisconnectResponse xmlns="${MESSAGES_HTTP}"/>`),
      'found {http://schemas.microsoft.com/exchange/services/2006/messages}DisconnectResponse',
    ],
    ['an empty body', ENVELOPE(''), 'soap:Body is empty'],
    [
      'two body elements',
      ENVELOPE(`<GetCallInfoResponse xmlns="${MESSAGES_HTTP}"/><GetCallInfoResponse xmlns="${MESSAGES_HTTP}"/>`),
      'soap:Body holds 2 elements',
    ],
    ['no Body', '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"/>', 'has 0 Body elements'],
    ['not an envelope', `<GetCallInfoResponse xmlns="${MESSAGES_HTTP}"/>`, 'not a SOAP 1.1 envelope'],
    ['a SOAP 1.2 envelope', '<e:Envelope xmlns:e="http://www.w3.org/2003/05/soap-envelope"><e:Body/></e:Envelope>', 'SOAP 1.2 envelope'],
    ['an HTML error page', '<html><body><h1>Service Unavailable</h1></body></html>', 'root element is html'],
  ])('rejects %s with a message naming it (E_INPUT)', (_what, xml, message) => {
    const error = inputError(() => parseGetCallInfoResponse(xml, { source: 'resp.xml' }));
    expect(error).toMatchObject({ code: 'E_INPUT', file: 'resp.xml' });
    expect(error.message).toContain(message);
  });

  it('returns a SOAP fault as a result, with the faultcode QName resolved', () => {
    expect(parseGetCallInfoResponse(faultResponse())).toEqual({
      ok: false,
      fault: {
        code: 'a:InvalidCallIdException',
        codeName: 'InvalidCallIdException',
        codeNamespace: 'http://schemas.microsoft.com/exchange/services/2006/errors',
        message: "The call ID isn't valid.",
        actor: null,
        exceptionType: 'InvalidCallIdException',
      },
    });
  });

  it('reads a minimal fault (soap:Client, no detail) and one with faultactor', () => {
    const fault = ENVELOPE(
      '<soap:Fault><faultcode>soap:Client</faultcode><faultstring>Missing CallId</faultstring><faultactor>https://um/x</faultactor></soap:Fault>',
    );
    expect(parseGetCallInfoResponse(fault)).toEqual({
      ok: false,
      fault: {
        code: 'soap:Client',
        codeName: 'Client',
        codeNamespace: 'http://schemas.xmlsoap.org/soap/envelope/',
        message: 'Missing CallId',
        actor: 'https://um/x',
        exceptionType: null,
      },
    });
    expect(parseGetCallInfoResponse(ENVELOPE('<soap:Fault/>'))).toMatchObject({ ok: false, fault: { code: '', message: '' } });
  });
});

describe('parsePlayOnPhoneResponse and parseDisconnectResponse', () => {
  it('reads the CallId from the doubled PlayOnPhoneResponse', () => {
    const callId = 'NDEzYjEzNmMtZTE2Zi00NTJlLWI3YzctNDhkMTE3MDE3YjlmQGRmLWV1bS0wMS5leGNoYW5nZS5jb3JwLm1pY3Jvc29mdC5jb20=';
    const xml = ENVELOPE(`<PlayOnPhoneResponse xmlns="${MESSAGES_HTTPS}"><PlayOnPhoneResponse>${callId}</PlayOnPhoneResponse> </PlayOnPhoneResponse>`);
    expect(parsePlayOnPhoneResponse(xml)).toEqual({ ok: true, value: callId });
    expect(parsePlayOnPhoneResponse(faultResponse('InvalidObjectIdException'))).toMatchObject({ ok: false, fault: { codeName: 'InvalidObjectIdException' } });
  });

  it('reads the empty DisconnectResponse', () => {
    expect(parseDisconnectResponse(ENVELOPE(`<DisconnectResponse xmlns="${MESSAGES_HTTP}" />`))).toEqual({ ok: true, value: null });
    expect(() => parseDisconnectResponse(ENVELOPE(`<GetCallInfoResponse xmlns="${MESSAGES_HTTP}" />`))).toThrow(/expected DisconnectResponse/);
  });
});
