import { describe, expect, it } from 'vitest';
import { disconnectRequest, getCallInfoRequest, playOnPhoneRequest } from '../../src/um/envelope.js';
import { readXml } from '../../src/um/xml.js';
import { DOCUMENTED_CALL_ID, DOCUMENTED_REQUEST, MESSAGES_HTTP, MESSAGES_HTTPS } from './fixtures.js';

describe('request envelopes', () => {
  it('builds the documented GetCallInfo request byte for byte (https spelling, as the docs write it)', () => {
    const request = getCallInfoRequest(DOCUMENTED_CALL_ID, { namespace: MESSAGES_HTTPS });
    expect(request.body).toBe(DOCUMENTED_REQUEST);
    expect(request.soapAction).toBe(`"${MESSAGES_HTTPS}/GetCallInfo"`);
  });

  it('writes the WSDL namespace (http) by default, in the body and the SOAPAction', () => {
    const request = getCallInfoRequest(DOCUMENTED_CALL_ID);
    expect(request.body).toBe(DOCUMENTED_REQUEST.replace(MESSAGES_HTTPS, MESSAGES_HTTP));
    expect(request.soapAction).toBe('"http://schemas.microsoft.com/exchange/services/2006/messages/GetCallInfo"');
  });

  it('builds PlayOnPhone (entryId, DialString) and Disconnect (CallId) with their SOAPActions', () => {
    const play = playOnPhoneRequest('AAAAAGsd2rbQ/9IU==', '+1 (555) 0100');
    expect(play.operation).toBe('PlayOnPhone');
    expect(play.soapAction).toBe(`"${MESSAGES_HTTP}/PlayOnPhone"`);
    const body = readXml(play.body).children[0]!.children[0]!;
    expect(body.name).toBe('PlayOnPhone');
    expect(body.children.map((child) => [child.name, child.text])).toEqual([
      ['entryId', 'AAAAAGsd2rbQ/9IU=='],
      ['DialString', '+1 (555) 0100'],
    ]);
    const hangUp = disconnectRequest(DOCUMENTED_CALL_ID);
    expect(hangUp.soapAction).toBe(`"${MESSAGES_HTTP}/Disconnect"`);
    expect(hangUp.body).toContain(`<Disconnect xmlns="${MESSAGES_HTTP}">\n      <CallId>${DOCUMENTED_CALL_ID}</CallId>`);
  });

  it('escapes markup in values so they cannot inject elements', () => {
    const request = getCallInfoRequest('a</CallId><Evil>&x');
    expect(request.body).toContain('<CallId>a&lt;/CallId&gt;&lt;Evil&gt;&amp;x</CallId>');
    const callId = readXml(request.body).children[0]!.children[0]!.children[0]!;
    expect(callId.text).toBe('a</CallId><Evil>&x');
    expect(callId.children).toEqual([]);
  });

  it.each([
    ['empty', ''],
    ['blank', '   '],
    ['a NUL', 'abc\u0000def'],
    ['a form feed', 'abc\fdef'],
    ['a lone surrogate', 'abc\ud800'],
  ])('refuses a CallId that is %s (E_USAGE)', (_what, callId) => {
    expect(() => getCallInfoRequest(callId)).toThrow(expect.objectContaining({ code: 'E_USAGE', message: expect.stringContaining('CallId') }));
  });

  it('refuses a namespace other than the two spellings', () => {
    expect(() => getCallInfoRequest('x', { namespace: 'urn:other' })).toThrow(expect.objectContaining({ code: 'E_USAGE' }));
    expect(() => playOnPhoneRequest('x', '')).toThrow(expect.objectContaining({ code: 'E_USAGE', message: expect.stringContaining('DialString') }));
  });
});
