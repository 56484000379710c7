/** Shared fixtures: the documented exchange verbatim (issue 7, from Microsoft's GetCallInfo page) and response builders. */

export const DOCUMENTED_CALL_ID = 'MDlkZjllZGMtNGUyMy00NzA5LWJkYWYtN2JlMjBjYjBhZTU2QGRmLWV1bS0wMS5leGNoYW5nZS5jb3JwLm1pY3Jvc29mdC5jb20=';

export const DOCUMENTED_REQUEST = `<?xml version="1.0" encoding="utf-8"?>
<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/">
  <soap:Body>
    <GetCallInfo xmlns="https://schemas.microsoft.com/exchange/services/2006/messages">
      <CallId>MDlkZjllZGMtNGUyMy00NzA5LWJkYWYtN2JlMjBjYjBhZTU2QGRmLWV1bS0wMS5leGNoYW5nZS5jb3JwLm1pY3Jvc29mdC5jb20=</CallId>
    </GetCallInfo>
  </soap:Body>
</soap:Envelope>`;

export const DOCUMENTED_RESPONSE = `<?xml version="1.0" encoding="utf-8" ?>
<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xsd="http://www.w3.org/2001/XMLSchema">
  <soap:Body>
    <GetCallInfoResponse xmlns="https://schemas.microsoft.com/exchange/services/2006/messages">
      <GetCallInfoResponse>
        <CallState>Connected</CallState>
        <EventCause>None</EventCause>
      </GetCallInfoResponse>
    </GetCallInfoResponse>
  </soap:Body>
</soap:Envelope>`;

export const MESSAGES_HTTP = 'http://schemas.microsoft.com/exchange/services/2006/messages';
export const MESSAGES_HTTPS = 'https://schemas.microsoft.com/exchange/services/2006/messages';

/** A GetCallInfo response as the service writes it (http namespace unless told). */
export function callInfoResponse(callState: string, eventCause: string, namespace = MESSAGES_HTTP): string {
  return `<?xml version="1.0" encoding="utf-8"?>
<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xsd="http://www.w3.org/2001/XMLSchema">
  <soap:Body>
    <GetCallInfoResponse xmlns="${namespace}">
      <GetCallInfoResponse>
        <CallState>${callState}</CallState>
        <EventCause>${eventCause}</EventCause>
      </GetCallInfoResponse>
    </GetCallInfoResponse>
  </soap:Body>
</soap:Envelope>`;
}

/** A SOAP 1.1 fault shaped like MS-OXWUMS's example (prefix s:, faultcode QName in the errors namespace). */
export function faultResponse(exception = 'InvalidCallIdException', message = "The call ID isn't valid."): string {
  return `<?xml version="1.0" encoding="utf-8"?>
<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/">
  <s:Body>
    <s:Fault>
      <faultcode xmlns:a="http://schemas.microsoft.com/exchange/services/2006/errors">a:${exception}</faultcode>
      <faultstring xml:lang="en-US">${message}</faultstring>
      <detail>
        <m:ExceptionType xmlns:m="http://schemas.microsoft.com/exchange/services/2006/messages">${exception}</m:ExceptionType>
      </detail>
    </s:Fault>
  </s:Body>
</s:Envelope>`;
}
