/** The CQD building file, longest-prefix matching (IPv4 and IPv6), home subnets, BSSID spellings. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ErrorCode, isCallauditError } from '../../src/errors.js';
import { canonicalBssid, formatIp, HOME_SUBNETS, parseAccessPoints, parseBuildings, parseIp, PrefixTable, SiteLookup } from '../../src/sites/index.js';

const row = (ip: string, range: string | number, building: string, extra: { inside?: string; er?: string; vpn?: string | null } = {}): string =>
  [ip, `net-${building}`, String(range), building, 'Contoso', 'Office', '', 'City', '', 'US', '', 'NA', extra.inside ?? '1', extra.er ?? '0', ...(extra.vpn === null ? [] : [extra.vpn ?? '0'])].join(',');

function refusal(text: string): string {
  try {
    parseBuildings(text, 'b.csv');
  } catch (error) {
    if (isCallauditError(error)) {
      expect(error.code).toBe(ErrorCode.Config);
      return error.message;
    }
    throw error;
  }
  throw new Error('expected the file to be refused');
}

describe('parseIp / formatIp', () => {
  it.each([
    ['10.0.0.1', 4, 0x0a000001n, '10.0.0.1'],
    ['255.255.255.255', 4, 0xffffffffn, '255.255.255.255'],
    ['0.0.0.0', 4, 0n, '0.0.0.0'],
    ['2001:db8::1', 6, 0x20010db8000000000000000000000001n, '2001:db8::1'],
    ['2001:DB8:0:0:0:0:0:1', 6, 0x20010db8000000000000000000000001n, '2001:db8::1'],
    ['::', 6, 0n, '::'],
    ['::ffff:192.0.2.1', 6, 0xffffc0000201n, '::ffff:c000:201'],
    ['fe80::1%eth0', 6, 0xfe800000000000000000000000000001n, 'fe80::1'],
  ])('%s', (text, family, value, formatted) => {
    const ip = parseIp(text)!;
    expect(ip).toEqual({ family, value });
    expect(formatIp(ip)).toBe(formatted);
  });

  it.each(['', '10.0.0', '10.0.0.256', '10.00.0.1', '1.2.3.4.5', 'a.b.c.d', '2001:db8::1::2', '1:2:3:4:5:6:7:8:9', '12345::', 'g::1', 'localhost'])('refuses %j', (text) => {
    expect(parseIp(text)).toBeNull();
  });
});

describe('PrefixTable: longest prefix', () => {
  const table = new PrefixTable<string>();
  const add = (cidr: string): boolean => {
    const [ip, prefix] = cidr.split('/');
    return table.add(parseIp(ip!)!, Number(prefix), cidr);
  };
  for (const cidr of ['0.0.0.0/0', '10.0.0.0/8', '10.20.0.0/16', '10.20.5.0/24', '10.20.5.7/32', '2001:db8::/32', '2001:db8:20::/48']) add(cidr);
  const find = (ip: string): string | null => table.lookup(parseIp(ip)!);

  it('takes the most specific of nested ranges, /32 and /0 included', () => {
    expect(find('10.20.5.7')).toBe('10.20.5.7/32');
    expect(find('10.20.5.8')).toBe('10.20.5.0/24');
    expect(find('10.20.6.1')).toBe('10.20.0.0/16');
    expect(find('10.21.0.1')).toBe('10.0.0.0/8');
    expect(find('192.0.2.1')).toBe('0.0.0.0/0');
    expect(find('10.20.5.255')).toBe('10.20.5.0/24');
    expect(find('10.20.4.255')).toBe('10.20.0.0/16');
  });

  it('keeps the families apart: IPv4 /0 holds no IPv6 address', () => {
    expect(find('2001:db8:20:1::5')).toBe('2001:db8:20::/48');
    expect(find('2001:db8:21::5')).toBe('2001:db8::/32');
    expect(find('2001:db9::1')).toBeNull();
  });

  it('refuses the same range twice, however spelled', () => {
    expect(add('10.20.0.0/16')).toBe(false);
    expect(table.add(parseIp('2001:DB8:0::')!, 32, 'again')).toBe(false);
  });
});

describe('parseBuildings', () => {
  it('reads every column, CSV or TSV, VPN optional, blank lines, BOM and CRLF', () => {
    const csv = `\ufeff192.168.1.0,USA/Seattle/SEATTLE-SEA-1,26,SEATTLE-SEA-1,Contoso,IT Termination,Engineering,Seattle,98001,US,WA,MSUS,1,0,0\r\n\r\n${row('10.1.0.0', 16, 'B', { vpn: null, er: '1' })}\n`;
    const [first, second] = parseBuildings(csv, 'b.csv');
    expect(first).toEqual({
      network: '192.168.1.0/26', networkName: 'USA/Seattle/SEATTLE-SEA-1', building: 'SEATTLE-SEA-1', ownershipType: 'Contoso', buildingType: 'IT Termination',
      buildingOfficeType: 'Engineering', city: 'Seattle', zipCode: '98001', country: 'US', state: 'WA', region: 'MSUS', insideCorp: true, expressRoute: false, vpn: false, line: 1,
    });
    expect(second).toMatchObject({ network: '10.1.0.0/16', buildingOfficeType: null, state: null, expressRoute: true, vpn: false, line: 3 });
    const tsv = ['10.2.0.0', 'Name, with comma', '16', 'B2', '', '', '', '', '', '', '', '', '0', '0', '1'].join('\t');
    expect(parseBuildings(tsv, 'b.tsv')).toEqual([expect.objectContaining({ network: '10.2.0.0/16', networkName: 'Name, with comma', building: 'B2', insideCorp: false, vpn: true })]);
  });

  it('reads IPv6 ranges in canonical form, and /0 and /32', () => {
    const text = [row('2001:DB8:20:0::', 48, 'v6'), row('0.0.0.0', 0, 'all'), row('10.9.9.9', 32, 'one')].join('\n');
    expect(parseBuildings(text, 'b.csv').map((b) => b.network)).toEqual(['2001:db8:20::/48', '0.0.0.0/0', '10.9.9.9/32']);
  });

  it.each([
    ['a wrong column count', `${row('10.0.0.0', 8, 'A')}\n10.1.0.0,x,16`, 'b.csv:2: expected 15 comma-separated columns'],
    ['an invalid address', row('10.0.0.300', 24, 'A'), 'b.csv:1: NetworkIP "10.0.0.300" is not an IPv4 or IPv6 address'],
    ['an empty address', row('', 24, 'A'), 'b.csv:1: NetworkIP "" is not an IPv4 or IPv6 address'],
    ['a prefix over 32', row('10.0.0.0', 33, 'A'), 'b.csv:1: NetworkRange "33" is not a prefix length 0..32 for an IPv4 network'],
    ['a prefix over 128', row('2001:db8::', 129, 'A'), 'b.csv:1: NetworkRange "129" is not a prefix length 0..128 for an IPv6 network'],
    ['a missing prefix', row('10.0.0.0', '', 'A'), 'b.csv:1: NetworkRange "" is not a prefix length'],
    ['a negative prefix', row('10.0.0.0', -1, 'A'), 'b.csv:1: NetworkRange "-1"'],
    ['host bits past the prefix', row('10.0.0.5', 24, 'A'), 'b.csv:1: NetworkIP 10.0.0.5 has bits set past /24: the range starts at 10.0.0.0'],
    ['the same range twice', `${row('10.0.0.0', 24, 'A')}\n\n${row('10.0.0.0', 24, 'B')}`, 'b.csv:3: the range 10.0.0.0/24 is already on line 1'],
    ['InsideCorp not 0/1', row('10.0.0.0', 24, 'A', { inside: 'yes' }), 'b.csv:1: InsideCorp must be 0 or 1, got "yes"'],
    ['ExpressRoute empty', row('10.0.0.0', 24, 'A', { er: '' }), 'b.csv:1: ExpressRoute must be 0 or 1, got ""'],
    ['VPN 2', row('10.0.0.0', 24, 'A', { vpn: '2' }), 'b.csv:1: VPN must be 0 or 1, got "2"'],
  ])('refuses %s, naming file and line', (_, text, message) => {
    expect(refusal(text)).toContain(message);
  });

  it('reads the sample building file', () => {
    const text = readFileSync(new URL('../../../../datasets/sites/buildings.csv', import.meta.url), 'utf8');
    const buildings = parseBuildings(text, 'buildings.csv');
    expect(buildings).toHaveLength(10);
    expect(buildings.filter((b) => b.vpn).map((b) => b.network)).toEqual(['10.250.0.0/16']);
  });
});

describe('SiteLookup', () => {
  const lookup = new SiteLookup({ buildings: parseBuildings([row('10.20.0.0', 16, 'HQ'), row('10.20.5.0', 24, 'Lab'), row('2001:db8::', 32, 'V6')].join('\n'), 'b.csv') });

  it('matches the subnet, else the address; the longest range wins', () => {
    expect(lookup.match('10.20.5.0', '10.20.5.9', null, false).building?.building).toBe('Lab');
    expect(lookup.match('10.20.6.0', '10.20.5.9', null, false).building?.building).toBe('HQ'); // the subnet decides
    expect(lookup.match(null, '10.20.5.9', null, false).building?.building).toBe('Lab');
    expect(lookup.match(null, '2001:db8::7', null, false).building?.building).toBe('V6');
  });

  it('reports an unmatched participant subnet as missing, home subnets by public address', () => {
    expect(lookup.match('10.99.1.0', '10.99.1.5', '203.0.113.9', false)).toEqual({ building: null, missingSubnet: '10.99.1.0', missingReflexiveIp: null });
    expect(lookup.match(null, '100.64.1.2', null, false)).toEqual({ building: null, missingSubnet: '100.64.1.2', missingReflexiveIp: null });
    for (const home of HOME_SUBNETS) {
      const subnet = home.slice(0, home.indexOf('/'));
      expect(lookup.match(subnet, null, '198.51.100.4', false), home).toEqual({ building: null, missingSubnet: subnet, missingReflexiveIp: '198.51.100.4' });
    }
    // 192.168.3.0 is not one of the common home subnets: reported as itself.
    expect(lookup.match('192.168.3.0', null, '198.51.100.4', false)).toEqual({ building: null, missingSubnet: '192.168.3.0', missingReflexiveIp: null });
    expect(lookup.match('2001:DB9:0::', null, null, false).missingSubnet).toBe('2001:db9::');
    expect(lookup.match('not an address', null, null, false).missingSubnet).toBe('not an address');
  });

  it('never reports a service endpoint (relay, gateway) or a side without a network as missing', () => {
    expect(lookup.match('52.114.1.0', null, null, true)).toEqual({ building: null, missingSubnet: null, missingReflexiveIp: null });
    expect(lookup.match(null, null, null, false)).toEqual({ building: null, missingSubnet: null, missingReflexiveIp: null });
  });

  it('reports nothing without a building file', () => {
    expect(new SiteLookup({ buildings: null }).match('10.99.1.0', null, null, false)).toEqual({ building: null, missingSubnet: null, missingReflexiveIp: null });
  });
});

describe('canonicalBssid', () => {
  it.each([
    ['00-1A-2B-3C-4D-5E', '00:1a:2b:3c:4d:5e'],
    ['00:1a:2b:3c:4d:5e', '00:1a:2b:3c:4d:5e'],
    ['001A.2B3C.4D5E', '00:1a:2b:3c:4d:5e'],
    ['001A2B3C4D5E', '00:1a:2b:3c:4d:5e'],
    ['00-1A-2B-3C-4D', null],
    ['00-1A-2B-3C-4D-5G', null],
    ['', null],
  ])('%j -> %s', (text, expected) => {
    expect(canonicalBssid(text)).toBe(expected);
  });
});

describe('parseAccessPoints', () => {
  const refused = (text: string): string => {
    try {
      parseAccessPoints(text, 'ap.csv');
    } catch (error) {
      if (isCallauditError(error)) return error.message;
      throw error;
    }
    throw new Error('expected a refusal');
  };

  it('reads any BSSID spelling, any column order, quoted cells and extra columns', () => {
    const text = '\ufefffloor,BSSID,model,access_point,building\r\n2,EC-4E-CB-91-C6-82,"AP-515, ""ceiling""",F2-AP03,SEA\r\n\r\n,bbdc.47ed.da69,,F3-AP11,\n';
    expect(parseAccessPoints(text, 'ap.csv')).toEqual([
      { bssid: 'ec:4e:cb:91:c6:82', accessPoint: 'F2-AP03', building: 'SEA', floor: '2', line: 2 },
      { bssid: 'bb:dc:47:ed:da:69', accessPoint: 'F3-AP11', building: null, floor: null, line: 4 },
    ]);
  });

  it.each([
    ['a header without floor', 'bssid,access_point,building\n', 'ap.csv:1: the header has no floor column'],
    ['an empty file', '\n\n', 'ap.csv:1: empty'],
    ['a short row', 'bssid,access_point,building,floor\n00:1a:2b:3c:4d:5e,A,B\n', 'ap.csv:2: expected 4 cells as the header has, got 3'],
    ['a bad BSSID', 'bssid,access_point,building,floor\n00:1a:2b:3c:4d,A,B,1\n', 'ap.csv:2: bssid "00:1a:2b:3c:4d" is not a BSSID'],
    ['one BSSID twice, spelled two ways', 'bssid,access_point,building,floor\n00:1a:2b:3c:4d:5e,A,B,1\n001A2B3C4D5E,C,D,2\n', 'ap.csv:3: the BSSID 00:1a:2b:3c:4d:5e is already on line 2'],
    ['an unbalanced quote', 'bssid,access_point,building,floor\n00:1a:2b:3c:4d:5e,"A,B,1\n', 'ap.csv:2: unbalanced quote'],
  ])('refuses %s', (_, text, message) => {
    expect(refused(text)).toContain(message);
  });

  it('reads the sample access point file, and the lookup finds each by the streams spelling', () => {
    const text = readFileSync(new URL('../../../../datasets/sites/access-points.csv', import.meta.url), 'utf8');
    const aps = parseAccessPoints(text, 'access-points.csv');
    expect(aps.map((ap) => ap.bssid)).toEqual(['ec:4e:cb:91:c6:82', 'bb:dc:47:ed:da:69', 'af:0e:30:74:30:c2', 'a8:b7:32:0b:a5:f3']);
    const lookup = new SiteLookup({ buildings: null, accessPoints: aps });
    expect(lookup.accessPoint('ec:4e:cb:91:c6:82')?.accessPoint).toBe('SEA-B40-F2-AP03');
    expect(lookup.accessPoint('00:00:00:00:00:00')).toBeNull();
    expect(lookup.accessPoint(null)).toBeNull();
  });
});
