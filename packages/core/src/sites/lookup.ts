/**
 * Where a stream side is: its building (the CQD building file) by the longest range holding its
 * subnet (its ipAddress when the subnet is missing), and, when it matched none, what the admin should
 * add to the file (`missing_subnet`, with home subnets grouped by the public address).
 */
import type { AccessPoint } from './access-points.js';
import type { Building } from './buildings.js';
import { formatIp, parseIp, PrefixTable, type IpAddress } from './ip.js';

/** What the workers get: the parsed files, plain data. */
export interface SitesData {
  readonly buildings: readonly Building[] | null;
  readonly accessPoints?: readonly AccessPoint[] | null;
}

/**
 * Common home-router subnets that many sites share: an unmatched side in one of them is grouped by
 * its public (reflexive) address in `missing_subnet`, since the private subnet says nothing.
 */
export const HOME_SUBNETS: readonly string[] = ['10.0.0.0/24', '192.168.0.0/24', '192.168.1.0/24', '192.168.2.0/24', '172.20.10.0/24', '192.168.43.0/24'];

/** The site columns of one side, in SITE_COLUMNS order (tables.ts). */
export interface SiteMatch {
  readonly building: Building | null;
  readonly missingSubnet: string | null;
  readonly missingReflexiveIp: string | null;
}

const NO_MATCH: SiteMatch = { building: null, missingSubnet: null, missingReflexiveIp: null };

/** Results cached per (subnet-or-ip, reflexive) text; bounded. */
const CACHE_LIMIT = 50_000;

export class SiteLookup {
  private readonly buildings: PrefixTable<Building> | null;
  private readonly homes = new PrefixTable<string>();
  private readonly cache = new Map<string, SiteMatch>();
  private readonly accessPoints: Map<string, AccessPoint> | null;

  constructor(data: SitesData) {
    this.accessPoints = data.accessPoints == null ? null : new Map(data.accessPoints.map((ap) => [ap.bssid, ap]));
    if (data.buildings === null) {
      this.buildings = null;
    } else {
      const table = new PrefixTable<Building>();
      for (const building of data.buildings) {
        const [address, prefix] = building.network.split('/');
        table.add(parseIp(address!)!, Number(prefix), building);
      }
      this.buildings = table;
    }
    for (const home of HOME_SUBNETS) {
      const [address, prefix] = home.split('/');
      this.homes.add(parseIp(address!)!, Number(prefix), home.slice(0, home.indexOf('/')));
    }
  }

  /** The access point of a BSSID already in canonical spelling (the streams column); null when unknown. */
  accessPoint(bssid: string | null): AccessPoint | null {
    if (this.accessPoints === null || bssid === null) return null;
    return this.accessPoints.get(bssid) ?? null;
  }

  /**
   * The side whose network reports `subnet` and `ip` (and `reflexiveIp`); `service` is true for a
   * service endpoint (a Microsoft relay or a PSTN gateway), which is never reported missing.
   */
  match(subnet: string | null, ip: string | null, reflexiveIp: string | null, service: boolean): SiteMatch {
    if (this.buildings === null) return NO_MATCH;
    const where = subnet ?? ip;
    if (where === null) return NO_MATCH;
    const key = `${where}\u0000${service ? '' : (reflexiveIp ?? '')}`;
    let found = this.cache.get(key);
    if (found === undefined) {
      found = this.resolve(where, reflexiveIp, service);
      if (this.cache.size >= CACHE_LIMIT) this.cache.clear();
      this.cache.set(key, found);
    }
    return found;
  }

  private resolve(where: string, reflexiveIp: string | null, service: boolean): SiteMatch {
    const address = parseIp(where);
    if (address === null) return service ? NO_MATCH : { building: null, missingSubnet: where, missingReflexiveIp: null };
    const building = this.buildings!.lookup(address);
    if (building !== null) return { building, missingSubnet: null, missingReflexiveIp: null };
    if (service) return NO_MATCH;
    const home = this.homes.lookup(address);
    if (home !== null) return { building: null, missingSubnet: home, missingReflexiveIp: reflexiveIp };
    return { building: null, missingSubnet: canonical(address, where), missingReflexiveIp: null };
  }
}

/** A subnet as reported, or an address in canonical form (IPv6 spelled many ways). */
function canonical(address: IpAddress, text: string): string {
  return address.family === 4 ? text.trim() : formatIp(address);
}
