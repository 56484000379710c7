/** networkInfo and deviceInfo for both sides of a media: a client on some network, or a Microsoft service. */
import { NETWORK_WEIGHTS } from './anomalies.js';
import type { Json } from './json.js';
import type { Person } from './population.js';
import type { Rng } from './random.js';
import { round } from './random.js';
import { DNS_SUFFIXES, HOME_SUBNETS, NOVEL_CONNECTION_TYPES, SITES, WIFI_DRIVERS } from './vocab.js';

export type NetworkKind = 'wired' | 'wifi50' | 'wifi24' | 'mobile' | 'tunnel';

/** Where one endpoint sits for a session; every media of the session shares it. */
export interface NetworkChoice {
  readonly kind: NetworkKind;
  readonly connectionType: string;
  readonly badSite: boolean;
  readonly ipAddress: string;
  readonly subnet: string | null;
  readonly reflexiveIPAddress: string;
  readonly dnsSuffix: string | null;
  readonly macAddress: string;
  readonly wifiDriver: number;
  readonly bssid: string;
  /** Relative likelihood of a poor stream on this network (NETWORK_WEIGHTS). */
  readonly weight: number;
}

/** Most subnets a `subnets` pool can name (subnetName). */
export const MAX_SUBNETS = 32_768;

/** Subnet k of a `subnets` pool: 10.128.0.0 .. 10.255.255.0, apart from the sites' and tunnels' 10.x. */
export function subnetName(k: number): string {
  return `10.${128 + (k >> 8)}.${k & 255}.0`;
}

/**
 * `subnets`: null for the built-in few (sites' 10.x.1-60.0, VPN, five home subnets); a number
 * draws every non-mobile subnet from that many instead (high-cardinality tenants), after the usual
 * draws, so the default output is unchanged.
 */
export function chooseNetwork(rng: Rng, person: Person, novelShare: number, subnets: number | null = null): NetworkChoice {
  const handheld = person.platform === 'iOS' || person.platform === 'android';
  const site = person.site >= 0 ? SITES[person.site] : undefined;
  let kind: NetworkKind;
  if (site) kind = handheld ? rng.weighted({ wifi50: 80, wifi24: 20 }) : rng.weighted({ wired: 55, wifi50: 37, wifi24: 8 });
  else if (handheld) kind = rng.weighted({ wifi50: 45, wifi24: 20, mobile: 35 });
  else kind = rng.weighted({ wired: 12, wifi50: 50, wifi24: 30, tunnel: 8 });
  const badSite = site?.bad === true;
  let ipAddress: string;
  let subnet: string | null;
  if (site) {
    const third = rng.int(1, 60);
    ipAddress = `10.${site.octet}.${third}.${rng.int(2, 254)}`;
    subnet = `10.${site.octet}.${third}.0`;
  } else if (kind === 'mobile') {
    ipAddress = `100.${rng.int(64, 127)}.${rng.int(0, 255)}.${rng.int(1, 254)}`;
    subnet = null;
  } else if (kind === 'tunnel') {
    const third = rng.int(0, 31);
    ipAddress = `10.250.${third}.${rng.int(2, 254)}`;
    subnet = `10.250.${third}.0`;
  } else {
    subnet = rng.pick(HOME_SUBNETS);
    ipAddress = `${subnet.slice(0, subnet.lastIndexOf('.'))}.${rng.int(2, 60)}`;
  }
  if (subnets !== null && subnet !== null) {
    subnet = subnetName(rng.int(0, subnets - 1));
    ipAddress = `${subnet.slice(0, subnet.lastIndexOf('.'))}.${rng.int(2, 254)}`;
  }
  const connectionType = rng.chance(novelShare) ? rng.pick(NOVEL_CONNECTION_TYPES) : kind === 'wifi50' || kind === 'wifi24' ? 'wifi' : kind;
  return {
    kind,
    connectionType,
    badSite,
    ipAddress,
    subnet,
    reflexiveIPAddress: `${rng.int(20, 220)}.${rng.int(0, 255)}.${rng.int(0, 255)}.${rng.int(1, 254)}`,
    dnsSuffix: site ? DNS_SUFFIXES[rng.int(0, 1)]! : kind === 'mobile' ? null : rng.pick(DNS_SUFFIXES),
    macAddress: person.macAddress,
    wifiDriver: rng.int(0, WIFI_DRIVERS.length - 1),
    bssid: rng.hex(6).replace(/(..)(?!$)/g, '$1:'),
    weight: (kind === 'wifi50' ? NETWORK_WEIGHTS.wifi50 : NETWORK_WEIGHTS[kind]) * (badSite ? NETWORK_WEIGHTS.badSite : 1),
  };
}

function eventRatio(rng: Rng, choice: NetworkChoice): number {
  return rng.chance(0.85 / choice.weight) ? 0 : round(rng.float(0, 0.2) * Math.min(choice.weight, 3), 4);
}

export function networkInfo(rng: Rng, choice: NetworkChoice): Json {
  const wifi = choice.kind === 'wifi50' || choice.kind === 'wifi24';
  const driver = WIFI_DRIVERS[choice.wifiDriver]!;
  const udp = rng.chance(0.95);
  const relayed = !udp || choice.kind === 'tunnel' || rng.chance(0.2);
  return {
    connectionType: choice.connectionType,
    ipAddress: choice.ipAddress,
    subnet: choice.subnet,
    linkSpeed: wifi ? rng.pick([144_000_000, 300_000_000, 866_700_000, 1_201_000_000]) : choice.kind === 'wired' ? 1_000_000_000 : null,
    macAddress: choice.macAddress,
    networkTransportProtocol: udp ? 'udp' : 'tcp',
    port: rng.int(50000, 50059),
    reflexiveIPAddress: choice.reflexiveIPAddress,
    relayIPAddress: relayed ? `52.115.${rng.int(0, 255)}.${rng.int(1, 254)}` : null,
    relayPort: relayed ? (udp ? 3478 : 443) : null,
    dnsSuffix: choice.dnsSuffix,
    bandwidthLowEventRatio: eventRatio(rng, choice),
    delayEventRatio: eventRatio(rng, choice),
    receivedQualityEventRatio: eventRatio(rng, choice),
    sentQualityEventRatio: eventRatio(rng, choice),
    basicServiceSetIdentifier: wifi ? choice.bssid : null,
    wifiBand: wifi ? (choice.kind === 'wifi24' ? 'frequency24GHz' : 'frequency50GHz') : null,
    wifiChannel: wifi ? (choice.kind === 'wifi24' ? rng.pick([1, 6, 11]) : rng.pick([36, 44, 100, 149])) : null,
    wifiRadioType: wifi ? (choice.kind === 'wifi24' ? rng.pick(['wifi80211n', 'wifi80211g']) : rng.pick(['wifi80211ac', 'wifi80211ax'])) : null,
    wifiSignalStrength: wifi ? rng.int(choice.kind === 'wifi24' ? 20 : 45, 100) : null,
    wifiBatteryCharge: wifi ? rng.int(5, 100) : null,
    wifiMicrosoftDriver: wifi ? 'Microsoft: 10.0.22621.2506' : null,
    wifiMicrosoftDriverVersion: wifi ? '10.0.22621.2506' : null,
    wifiVendorDriver: wifi ? driver.vendor : null,
    wifiVendorDriverVersion: wifi ? driver.version : null,
    traceRouteHops: [],
  };
}

/** The Microsoft side (conferencing server, media relay) or a PSTN gateway / SBC. */
export function serviceNetwork(rng: Rng, gateway: boolean): Json {
  const ipAddress = gateway ? `203.0.113.${rng.int(10, 40)}` : `52.114.${rng.int(0, 255)}.${rng.int(1, 254)}`;
  return {
    connectionType: gateway ? 'wired' : 'unknown',
    ipAddress,
    subnet: `${ipAddress.slice(0, ipAddress.lastIndexOf('.'))}.0`,
    linkSpeed: null,
    networkTransportProtocol: 'udp',
    port: gateway ? rng.int(49152, 53247) : rng.int(3478, 3481),
    reflexiveIPAddress: null,
    relayIPAddress: null,
    relayPort: null,
    traceRouteHops: [],
  };
}

export function clientDevice(rng: Rng, person: Person): Json {
  const troubled = rng.chance(0.08);
  const ratio = (): number => (troubled && rng.chance(0.5) ? round(rng.float(0.001, 0.3), 4) : 0);
  return {
    captureDeviceName: person.captureDevice,
    captureDeviceDriver: person.audioDriver,
    renderDeviceName: person.renderDevice,
    renderDeviceDriver: person.audioDriver,
    captureNotFunctioningEventRatio: ratio(),
    cpuInsufficentEventRatio: ratio(),
    deviceClippingEventRatio: ratio(),
    deviceGlitchEventRatio: ratio(),
    lowSpeechLevelEventRatio: ratio(),
    lowSpeechToNoiseEventRatio: ratio(),
    renderMuteEventRatio: ratio(),
    renderNotFunctioningEventRatio: ratio(),
    renderZeroVolumeEventRatio: ratio(),
    howlingEventCount: troubled ? rng.int(0, 4) : 0,
    initialSignalLevelRootMeanSquare: round(rng.float(20, 900), 2),
    micGlitchRate: round(troubled ? rng.float(0, 40) : rng.float(0, 2), 2),
    speakerGlitchRate: round(troubled ? rng.float(0, 40) : rng.float(0, 2), 2),
    receivedSignalLevel: rng.int(-40, -5),
    receivedNoiseLevel: rng.int(-80, -50),
    sentSignalLevel: rng.int(-40, -5),
    sentNoiseLevel: rng.int(-80, -50),
  };
}

/** A service endpoint reports no device: every field present and null, as exports show it. */
export function serviceDevice(): Json {
  return {
    captureDeviceName: null,
    captureDeviceDriver: null,
    renderDeviceName: null,
    renderDeviceDriver: null,
    receivedSignalLevel: null,
    receivedNoiseLevel: null,
    sentSignalLevel: null,
    sentNoiseLevel: null,
  };
}
