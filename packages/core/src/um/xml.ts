/**
 * A small, defensive XML reader for SOAP messages, built on fast-xml-parser.
 *
 * - Input is capped (`maxBytes`) before anything is decoded or parsed.
 * - A DOCTYPE is refused outright (SOAP 1.1 §3 forbids one), so no entity is ever declared, expanded
 *   or fetched: billion-laughs and external-entity payloads fail before any expansion happens.
 * - Only the five predefined entities and character references are decoded.
 * - The document must be well-formed (fast-xml-parser's validator, which reports line and column).
 * - Element names are resolved against their in-scope `xmlns` declarations, so callers match on
 *   (namespace, local name), whatever prefix a server chose.
 *
 * Errors are CallauditError E_INPUT naming the source, the byte offset when known, and the reason.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { ErrorCode, fail } from '../errors.js';

/** One element, namespace-resolved. */
export interface XmlElement {
  /** Namespace URI ('' when the element is in no namespace). */
  readonly namespace: string;
  /** Local name (without prefix). */
  readonly name: string;
  /** Attributes as written (qualified name -> value), `xmlns` declarations left out. */
  readonly attributes: ReadonlyMap<string, string>;
  readonly children: readonly XmlElement[];
  /** The element's own character data (text and CDATA), concatenated, untrimmed. */
  readonly text: string;
  /** In-scope namespace prefixes ('' is the default namespace), for QName-valued content. */
  readonly scope: ReadonlyMap<string, string>;
}

export interface XmlReadOptions {
  /** Refuse inputs larger than this many bytes (UTF-8). Default 1 MiB. */
  readonly maxBytes?: number;
  /** Names the input in error messages (a file path or a URL). */
  readonly source?: string;
}

export const DEFAULT_MAX_XML_BYTES = 1024 * 1024;
/** Deeper nesting than this is refused (a SOAP response nests 5 or 6 deep). */
const MAX_DEPTH = 64;
const XML_NAMESPACE = 'http://www.w3.org/XML/1998/namespace';
const PREDEFINED_ENTITIES: Readonly<Record<string, string>> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

class DoctypeRefused extends Error {}

/** Parses one XML document into a namespace-resolved element tree. */
export function readXml(input: string | Uint8Array, options: XmlReadOptions = {}): XmlElement {
  const source = options.source;
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_XML_BYTES;
  const { text, bomBytes } = decode(input, maxBytes, source);
  if (text.trim() === '') throw fail(ErrorCode.Input, 'XML document is empty', { file: source });

  const verdict = XMLValidator.validate(text, { allowBooleanAttributes: false });
  if (verdict !== true) {
    const { msg, line, col } = verdict.err;
    const where = line === undefined ? '' : ` (line ${line}${col === undefined ? '' : `, column ${col}`})`;
    throw fail(ErrorCode.Input, `malformed XML: ${msg}${where}`, {
      file: source,
      offset: line === undefined ? undefined : bomBytes + byteOffsetOf(text, line, col ?? 1),
    });
  }

  let nodes: unknown;
  try {
    nodes = PARSER.parse(text);
  } catch (error) {
    if (error instanceof DoctypeRefused) {
      throw fail(ErrorCode.Input, 'XML refused: a DOCTYPE declaration is not allowed in a SOAP message (no entity is declared, expanded or fetched)', {
        file: source,
        cause: error,
      });
    }
    const reason = error instanceof Error ? error.message : String(error);
    throw fail(ErrorCode.Input, `malformed XML: ${reason}`, { file: source, cause: error });
  }

  const roots = toElements(
    asNodeList(nodes),
    new Map([
      ['', ''],
      ['xml', XML_NAMESPACE],
    ]),
    source,
  );
  if (roots.length !== 1) throw fail(ErrorCode.Input, `malformed XML: expected one root element, found ${roots.length}`, { file: source });
  return roots[0]!;
}

/** The children of `element` with this namespace and local name. */
export function childrenNamed(element: XmlElement, namespaces: readonly string[], name: string): XmlElement[] {
  return element.children.filter((child) => child.name === name && namespaces.includes(child.namespace));
}

/** `{namespace}name`, for messages. */
export function describeElement(element: Pick<XmlElement, 'namespace' | 'name'>): string {
  return element.namespace === '' ? element.name : `{${element.namespace}}${element.name}`;
}

function decode(input: string | Uint8Array, maxBytes: number, source: string | undefined): { text: string; bomBytes: number } {
  const tooBig = (size: string): never => {
    throw fail(ErrorCode.Input, `XML refused: ${size} is over the ${maxBytes}-byte limit`, { file: source });
  };
  if (typeof input === 'string') {
    if (input.length > maxBytes) tooBig(`${input.length} characters`);
    const bytes = Buffer.byteLength(input, 'utf8');
    if (bytes > maxBytes) tooBig(`${bytes} bytes`);
    return { text: input.charCodeAt(0) === 0xfeff ? input.slice(1) : input, bomBytes: 0 };
  }
  if (input.byteLength > maxBytes) tooBig(`${input.byteLength} bytes`);
  const [b0, b1, b2] = [input[0], input[1], input[2]];
  const encoding = b0 === 0xff && b1 === 0xfe ? 'utf-16le' : b0 === 0xfe && b1 === 0xff ? 'utf-16be' : 'utf-8';
  const bomBytes = encoding !== 'utf-8' ? 2 : b0 === 0xef && b1 === 0xbb && b2 === 0xbf ? 3 : 0;
  try {
    // The decoder strips the BOM itself.
    return { text: new TextDecoder(encoding, { fatal: true }).decode(input), bomBytes };
  } catch (error) {
    throw fail(ErrorCode.Input, `XML is not valid ${encoding.toUpperCase()}`, { file: source, cause: error });
  }
}

/** One parser serves every call: its options and entity decoder hold no per-document state. */
const PARSER = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
  processEntities: true,
  maxNestedTags: MAX_DEPTH,
  entityDecoder: {
    setExternalEntities: () => {},
    addInputEntities: () => {
      throw new DoctypeRefused('DOCTYPE');
    },
    reset: () => {},
    setXmlVersion: () => {},
    decode: decodeReferences,
  },
});

/** Decodes the predefined entities and character references; any other reference is an error. */
function decodeReferences(text: string): string {
  let amp = text.indexOf('&');
  if (amp < 0) return text;
  let out = '';
  let from = 0;
  while (amp >= 0) {
    const semi = text.indexOf(';', amp);
    const name = semi < 0 ? '' : text.slice(amp + 1, semi);
    out += text.slice(from, amp) + referenceValue(name, text.slice(amp, Math.min(text.length, amp + 12)));
    from = semi + 1;
    amp = text.indexOf('&', from);
  }
  return out + text.slice(from);
}

function referenceValue(name: string, snippet: string): string {
  const predefined = PREDEFINED_ENTITIES[name];
  if (predefined !== undefined && Object.hasOwn(PREDEFINED_ENTITIES, name)) return predefined;
  if (name.startsWith('#')) {
    const hex = name[1] === 'x';
    const digits = name.slice(hex ? 2 : 1);
    const valid = digits.length > 0 && digits.length <= 8 && [...digits].every((c) => (hex ? '0123456789abcdefABCDEF' : '0123456789').includes(c));
    const codePoint = valid ? Number.parseInt(digits, hex ? 16 : 10) : -1;
    if (isXmlChar(codePoint)) return String.fromCodePoint(codePoint);
    throw new Error(`invalid character reference "${snippet}"`);
  }
  throw new Error(`undefined entity reference "${snippet}" (only &lt; &gt; &amp; &quot; &apos; and character references are allowed)`);
}

function isXmlChar(cp: number): boolean {
  return cp === 0x9 || cp === 0xa || cp === 0xd || (cp >= 0x20 && cp <= 0xd7ff) || (cp >= 0xe000 && cp <= 0xfffd) || (cp >= 0x10000 && cp <= 0x10ffff);
}

type RawNode = Record<string, unknown>;

function asNodeList(value: unknown): RawNode[] {
  return Array.isArray(value) ? (value as RawNode[]) : [];
}

function toElements(nodes: RawNode[], parentScope: ReadonlyMap<string, string>, source: string | undefined): XmlElement[] {
  const elements: XmlElement[] = [];
  for (const node of nodes) {
    const tag = Object.keys(node).find((key) => key !== ':@');
    if (tag === undefined || tag === '#text') continue;
    elements.push(toElement(tag, node, parentScope, source));
  }
  return elements;
}

function toElement(tag: string, node: RawNode, parentScope: ReadonlyMap<string, string>, source: string | undefined): XmlElement {
  const rawAttributes = (node[':@'] ?? {}) as Record<string, string>;
  const scope = new Map(parentScope);
  const attributes = new Map<string, string>();
  for (const [key, value] of Object.entries(rawAttributes)) {
    if (key === 'xmlns') scope.set('', value);
    else if (key.startsWith('xmlns:')) scope.set(key.slice(6), value);
    else attributes.set(key, value);
  }
  const colon = tag.indexOf(':');
  const prefix = colon < 0 ? '' : tag.slice(0, colon);
  const namespace = scope.get(prefix);
  if (namespace === undefined || (prefix !== '' && namespace === '')) {
    throw fail(ErrorCode.Input, `malformed XML: element <${tag}> uses the undeclared namespace prefix "${prefix}"`, { file: source });
  }
  const content = asNodeList(node[tag]);
  let text = '';
  for (const child of content) {
    const value = child['#text'];
    if (value !== undefined && Object.keys(child).length === 1) text += String(value);
  }
  return {
    namespace,
    name: colon < 0 ? tag : tag.slice(colon + 1),
    attributes,
    children: toElements(content, scope, source),
    text,
    scope,
  };
}

/** UTF-8 byte offset of a 1-based line and column. */
function byteOffsetOf(text: string, line: number, column: number): number {
  let index = 0;
  for (let current = 1; current < line; current++) {
    const next = text.indexOf('\n', index);
    if (next < 0) break;
    index = next + 1;
  }
  return Buffer.byteLength(text.slice(0, Math.min(text.length, index + Math.max(0, column - 1))), 'utf8');
}
