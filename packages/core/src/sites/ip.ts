/**
 * IPv4 and IPv6 addresses as bigints, and longest-prefix matching over ranges of both families.
 * Pure; no node:* import.
 */

export interface IpAddress {
  readonly family: 4 | 6;
  /** The address as an unsigned integer of 32 (IPv4) or 128 (IPv6) bits. */
  readonly value: bigint;
}

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

function parseV4(text: string): bigint | null {
  const match = IPV4.exec(text);
  if (match === null) return null;
  let value = 0n;
  for (let i = 1; i <= 4; i++) {
    const part = match[i]!;
    if (part.length > 1 && part.startsWith('0')) return null; // leading zeros are ambiguous (octal in some tools)
    const octet = Number(part);
    if (octet > 255) return null;
    value = (value << 8n) | BigInt(octet);
  }
  return value;
}

function parseGroups(text: string): bigint[] | null {
  if (text === '') return [];
  const groups: bigint[] = [];
  for (const group of text.split(':')) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(group)) return null;
    groups.push(BigInt(`0x${group}`));
  }
  return groups;
}

function parseV6(text: string): bigint | null {
  let body = text;
  const zone = body.indexOf('%');
  if (zone >= 0) body = body.slice(0, zone);
  // An embedded IPv4 tail (::ffff:192.0.2.1) becomes two groups.
  const lastColon = body.lastIndexOf(':');
  if (lastColon >= 0 && body.includes('.', lastColon)) {
    const v4 = parseV4(body.slice(lastColon + 1));
    if (v4 === null) return null;
    body = `${body.slice(0, lastColon + 1)}${(v4 >> 16n).toString(16)}:${(v4 & 0xffffn).toString(16)}`;
  }
  const halves = body.split('::');
  if (halves.length > 2) return null;
  const head = parseGroups(halves[0]!);
  const tail = halves.length === 2 ? parseGroups(halves[1]!) : [];
  if (head === null || tail === null) return null;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return null;
  const groups = [...head, ...Array<bigint>(halves.length === 2 ? missing : 0).fill(0n), ...tail];
  return groups.reduce((value, group) => (value << 16n) | group, 0n);
}

/** An IPv4 (dotted quad) or IPv6 address; null when the text is neither. Surrounding spaces are ignored. */
export function parseIp(text: string): IpAddress | null {
  const trimmed = text.trim();
  if (trimmed.includes(':')) {
    const value = parseV6(trimmed);
    return value === null ? null : { family: 6, value };
  }
  const value = parseV4(trimmed);
  return value === null ? null : { family: 4, value };
}

export const familyBits = (family: 4 | 6): number => (family === 4 ? 32 : 128);

/** The address with every bit past `prefix` cleared. */
export function maskAddress(value: bigint, family: 4 | 6, prefix: number): bigint {
  const bits = BigInt(familyBits(family));
  const host = bits - BigInt(prefix);
  return (value >> host) << host;
}

/** The canonical text of an address: dotted quad, or IPv6 in lower-case groups with the longest zero run as `::`. */
export function formatIp(address: IpAddress): string {
  if (address.family === 4) return [24n, 16n, 8n, 0n].map((shift) => String((address.value >> shift) & 0xffn)).join('.');
  const groups = Array.from({ length: 8 }, (_, i) => Number((address.value >> BigInt(112 - 16 * i)) & 0xffffn));
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLength) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  const hex = groups.map((group) => group.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLength).join(':')}`;
}

/**
 * Ranges of both families, found by longest prefix: per family, one Map per prefix length in use
 * (masked address -> value), tried from the longest length down. A lookup costs one Map probe per
 * distinct length (at most 33 for IPv4, 129 for IPv6), whatever the number of ranges.
 */
export class PrefixTable<T> {
  private readonly byFamily = new Map<4 | 6, Map<number, Map<bigint, T>>>();
  private readonly lengths = new Map<4 | 6, number[]>();

  /** Adds a range; returns false (and changes nothing) when the same range is there already. */
  add(network: IpAddress, prefix: number, value: T): boolean {
    let byLength = this.byFamily.get(network.family);
    if (byLength === undefined) {
      byLength = new Map();
      this.byFamily.set(network.family, byLength);
    }
    let ranges = byLength.get(prefix);
    if (ranges === undefined) {
      ranges = new Map();
      byLength.set(prefix, ranges);
      this.lengths.set(network.family, [...byLength.keys()].sort((a, b) => b - a));
    }
    const key = maskAddress(network.value, network.family, prefix);
    if (ranges.has(key)) return false;
    ranges.set(key, value);
    return true;
  }

  /** The value of the most specific range holding the address; null when none does. */
  lookup(address: IpAddress): T | null {
    const byLength = this.byFamily.get(address.family);
    if (byLength === undefined) return null;
    for (const prefix of this.lengths.get(address.family)!) {
      const found = byLength.get(prefix)!.get(maskAddress(address.value, address.family, prefix));
      if (found !== undefined) return found;
    }
    return null;
  }
}
