/**
 * Sites: where a stream side is. The CQD building file (longest-prefix match, IPv4 and IPv6) and
 * BSSID spellings. Pure except load.ts. See README.md in this folder.
 */
export { canonicalBssid } from './bssid.js';
export { parseAccessPoints } from './access-points.js';
export type { AccessPoint } from './access-points.js';
export { parseBuildings } from './buildings.js';
export type { Building } from './buildings.js';
export { formatIp, parseIp, PrefixTable } from './ip.js';
export type { IpAddress } from './ip.js';
export { HOME_SUBNETS, SiteLookup } from './lookup.js';
export type { SiteMatch, SitesData } from './lookup.js';
export { loadSites } from './load.js';
export type { SiteFiles } from './load.js';
