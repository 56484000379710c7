/**
 * The CQD building file: the file admins upload to the Call Quality Dashboard, read as it is.
 *
 * No header; comma- or tab-separated (the first line with a tab makes the whole file tab-separated);
 * 15 columns in this order: NetworkIP, NetworkName, NetworkRange (prefix length), BuildingName,
 * OwnershipType, BuildingType, BuildingOfficeType, City, ZipCode, Country, State, Region, InsideCorp
 * (0/1), ExpressRoute (0/1), VPN (0/1, optional: 14 columns mean VPN 0). NetworkIP, NetworkRange,
 * InsideCorp and ExpressRoute are required; the others may be empty. Fields are not quoted (CQD's
 * format has no quoting): a name holding a comma needs the tab-separated form. Blank lines are
 * skipped; a UTF-8 BOM and CRLF line ends are fine.
 *
 * Refused, naming the file and line: a wrong column count, an invalid address, a prefix length out of
 * range for the family, an address with bits set past its prefix, the same range twice, a flag other
 * than 0/1. Pure: the caller reads the file (load.ts).
 */
import { ErrorCode, fail } from '../errors.js';
import { familyBits, formatIp, maskAddress, parseIp } from './ip.js';

/** One row of the file, as plain data (it travels to the workers). Empty texts are null. */
export interface Building {
  /** The range in CIDR form, canonical (`10.20.0.0/16`, `2001:db8::/48`). */
  readonly network: string;
  readonly networkName: string | null;
  readonly building: string | null;
  readonly ownershipType: string | null;
  readonly buildingType: string | null;
  readonly buildingOfficeType: string | null;
  readonly city: string | null;
  readonly zipCode: string | null;
  readonly country: string | null;
  readonly state: string | null;
  readonly region: string | null;
  readonly insideCorp: boolean;
  readonly expressRoute: boolean;
  readonly vpn: boolean;
  /** 1-based line in the file. */
  readonly line: number;
}

const text = (value: string | undefined): string | null => {
  const trimmed = (value ?? '').trim();
  return trimmed === '' ? null : trimmed;
};

/** Parses a building file's text; `file` names it in errors. Every problem is E_CONFIG. */
export function parseBuildings(content: string, file: string): Building[] {
  const body = content.charCodeAt(0) === 0xfeff ? content.slice(1) : content;
  const lines = body.split(/\r?\n/);
  const separator = lines.some((line) => line.includes('\t')) ? '\t' : ',';
  const refuse = (line: number, why: string): never => {
    throw fail(ErrorCode.Config, `${file}:${line}: ${why}`);
  };
  const flag = (value: string | undefined, name: string, line: number, optional: boolean): boolean => {
    const v = (value ?? '').trim();
    if (v === '' && optional) return false;
    if (v !== '0' && v !== '1') refuse(line, `${name} must be 0 or 1, got ${JSON.stringify(v)}`);
    return v === '1';
  };
  const seen = new Map<string, number>();
  const out: Building[] = [];
  lines.forEach((raw, i) => {
    const line = i + 1;
    if (raw.trim() === '') return;
    const cells = raw.split(separator);
    if (cells.length !== 14 && cells.length !== 15) {
      refuse(line, `expected 15 ${separator === '\t' ? 'tab' : 'comma'}-separated columns (NetworkIP, NetworkName, NetworkRange, BuildingName, OwnershipType, BuildingType, BuildingOfficeType, City, ZipCode, Country, State, Region, InsideCorp, ExpressRoute, VPN; VPN may be left out), got ${cells.length}`);
    }
    const address = parseIp(cells[0]!);
    if (address === null) refuse(line, `NetworkIP ${JSON.stringify(cells[0]!.trim())} is not an IPv4 or IPv6 address`);
    const rangeText = cells[2]!.trim();
    const bits = familyBits(address!.family);
    if (!/^\d{1,3}$/.test(rangeText) || Number(rangeText) > bits) {
      refuse(line, `NetworkRange ${JSON.stringify(rangeText)} is not a prefix length 0..${bits} for an IPv${address!.family} network`);
    }
    const prefix = Number(rangeText);
    const network = maskAddress(address!.value, address!.family, prefix);
    if (network !== address!.value) {
      refuse(line, `NetworkIP ${cells[0]!.trim()} has bits set past /${prefix}: the range starts at ${formatIp({ family: address!.family, value: network })}`);
    }
    const cidr = `${formatIp(address!)}/${prefix}`;
    const earlier = seen.get(cidr);
    if (earlier !== undefined) refuse(line, `the range ${cidr} is already on line ${earlier}`);
    seen.set(cidr, line);
    out.push({
      network: cidr,
      networkName: text(cells[1]),
      building: text(cells[3]),
      ownershipType: text(cells[4]),
      buildingType: text(cells[5]),
      buildingOfficeType: text(cells[6]),
      city: text(cells[7]),
      zipCode: text(cells[8]),
      country: text(cells[9]),
      state: text(cells[10]),
      region: text(cells[11]),
      insideCorp: flag(cells[12], 'InsideCorp', line, false),
      expressRoute: flag(cells[13], 'ExpressRoute', line, false),
      vpn: flag(cells[14], 'VPN', line, true),
      line,
    });
  });
  return out;
}
