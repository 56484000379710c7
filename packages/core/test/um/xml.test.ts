import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { parseGetCallInfoResponse } from '../../src/um/response.js';
import { readXml } from '../../src/um/xml.js';
import { DOCUMENTED_RESPONSE, callInfoResponse } from './fixtures.js';

function errorOf(run: () => unknown): { code: string; message: string; offset?: number } {
  try {
    run();
  } catch (error) {
    return error as { code: string; message: string; offset?: number };
  }
  throw new Error('expected an error');
}

const BILLION_LAUGHS = `<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
${callInfoResponse('&lol9;', 'None').replace('<?xml version="1.0" encoding="utf-8"?>\n', '')}`;

describe('readXml: hostile input', () => {
  it('refuses the billion laughs without expanding anything', () => {
    const started = performance.now();
    const error = errorOf(() => parseGetCallInfoResponse(BILLION_LAUGHS, { source: 'bomb.xml' }));
    expect(error).toMatchObject({ code: 'E_INPUT', file: 'bomb.xml' });
    expect(error.message).toContain('DOCTYPE declaration is not allowed');
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('refuses an external entity and never fetches it', async () => {
    let hits = 0;
    const server = createServer((_request, response) => {
      hits++;
      response.end('Connected');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    try {
      for (const doctype of [
        `<!DOCTYPE e [<!ENTITY xxe SYSTEM "http://127.0.0.1:${port}/secret">]>`,
        `<!DOCTYPE e SYSTEM "http://127.0.0.1:${port}/evil.dtd">`,
        `<!DOCTYPE e [<!ENTITY % p SYSTEM "http://127.0.0.1:${port}/p.dtd"> %p;]>`,
        `<!DOCTYPE e [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>`,
      ]) {
        const xml = callInfoResponse('&xxe;', 'None').replace('?>\n', `?>\n${doctype}\n`);
        expect(errorOf(() => parseGetCallInfoResponse(xml))).toMatchObject({ code: 'E_INPUT', message: expect.stringMatching(/DOCTYPE|malformed/) });
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(hits).toBe(0);
    } finally {
      server.close();
    }
  });

  it('refuses undeclared entity references instead of passing them through', () => {
    expect(errorOf(() => parseGetCallInfoResponse(callInfoResponse('&xxe;', 'None')))).toMatchObject({
      code: 'E_INPUT',
      message: expect.stringContaining('undefined entity reference "&xxe;"'),
    });
    expect(errorOf(() => readXml('<a>&#0;</a>')).message).toContain('invalid character reference');
    expect(errorOf(() => readXml('<a>&#x110000;</a>')).message).toContain('invalid character reference');
  });

  it('refuses input over the size limit before parsing it, as text or bytes', () => {
    const big = DOCUMENTED_RESPONSE.replace('<soap:Body>', `<soap:Body><!--${'x'.repeat(2048)}-->`);
    expect(errorOf(() => parseGetCallInfoResponse(big, { maxBytes: 1024 })).message).toMatch(/over the 1024-byte limit/);
    expect(errorOf(() => parseGetCallInfoResponse(Buffer.from(big), { maxBytes: 1024 })).message).toMatch(/over the 1024-byte limit/);
    // Multi-byte text is measured in bytes, not characters.
    expect(errorOf(() => readXml(`<a>${'é'.repeat(600)}</a>`, { maxBytes: 1024 })).message).toMatch(/1207 bytes/);
    // The default limit (1 MiB) applies too.
    expect(errorOf(() => readXml(`<a>${'x'.repeat(1024 * 1024)}</a>`)).message).toMatch(/limit/);
  });

  it('refuses nesting deeper than a SOAP message needs', () => {
    const deep = `${'<a>'.repeat(200)}x${'</a>'.repeat(200)}`;
    expect(errorOf(() => readXml(deep))).toMatchObject({ code: 'E_INPUT' });
  });
});

describe('readXml: malformed input', () => {
  it.each([
    ['empty', '', 'XML document is empty'],
    ['blank', ' \n ', 'XML document is empty'],
    ['not XML', 'Service Unavailable', 'malformed XML'],
    ['JSON', '{"CallState":"Connected"}', 'malformed XML'],
    ['truncated', DOCUMENTED_RESPONSE.slice(0, 300), 'malformed XML'],
    ['mismatched tags', '<a>\n  <b></a>', "Expected closing tag 'b'"],
    ['duplicate attributes', '<a x="1" x="2"/>', "Attribute 'x' is repeated"],
    ['two roots', '<a/><b/>', 'expected one root element, found 2'],
    ['an undeclared prefix', '<p:a/>', 'undeclared namespace prefix "p"'],
  ])('refuses %s with a message naming the problem', (_what, xml, message) => {
    const error = errorOf(() => readXml(xml, { source: 'x.xml' }));
    expect(error).toMatchObject({ code: 'E_INPUT', file: 'x.xml' });
    expect(error.message).toContain(message);
  });

  it('gives the byte offset and line of a syntax error', () => {
    const error = errorOf(() => readXml('<a>\n  <b></a>'));
    expect(error.message).toContain('line 2');
    expect(error.offset).toBeGreaterThanOrEqual(4);
    expect(error.offset).toBeLessThanOrEqual(13);
  });

  it('refuses invalid UTF-8 bytes rather than guessing', () => {
    const bytes = Buffer.concat([Buffer.from('<a>'), Buffer.from([0xc3, 0x28]), Buffer.from('</a>')]);
    expect(errorOf(() => readXml(bytes)).message).toContain('not valid UTF-8');
  });

  it('reads UTF-16 with a BOM', () => {
    const text = '<a xmlns="urn:x">Connected</a>';
    const bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    expect(readXml(bytes)).toMatchObject({ namespace: 'urn:x', name: 'a', text: 'Connected' });
  });

  it('resolves namespaces by scope, including redeclared prefixes and CDATA text', () => {
    const root = readXml('<p:a xmlns:p="urn:one"><p:b xmlns:p="urn:two"><![CDATA[x<y]]></p:b><c/></p:a>');
    expect(root).toMatchObject({ namespace: 'urn:one', name: 'a' });
    expect(root.children.map((child) => [child.namespace, child.name, child.text])).toEqual([
      ['urn:two', 'b', 'x<y'],
      ['', 'c', ''],
    ]);
  });

  it('refuses __proto__ / constructor / prototype elements (fast-xml-parser guards them) and pollutes nothing', () => {
    for (const name of ['__proto__', 'constructor', 'prototype']) {
      expect(errorOf(() => readXml(`<a><${name}><polluted>1</polluted></${name}></a>`))).toMatchObject({
        code: 'E_INPUT',
        message: expect.stringContaining(name),
      });
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
