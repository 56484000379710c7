/**
 * The people and machines calls are drawn from: one tenant's users (with a home site, platform and
 * devices they keep across calls, so rollups by user, subnet or device mean something) and guests.
 */
import { Rng, deriveSeed } from './random.js';
import type { Platform } from './vocab.js';
import {
  AUDIO_DRIVERS,
  CAPTURE_DEVICES,
  CPU_NAMES,
  FIRST_NAMES,
  GUEST_DOMAINS,
  LAST_NAMES,
  PLATFORM_WEIGHTS,
  PRODUCT_WEIGHTS,
  RENDER_DEVICES,
  SITES,
  TENANT_DOMAIN,
} from './vocab.js';

export interface Person {
  readonly id: string;
  readonly displayName: string;
  readonly upn: string;
  readonly tenantId: string;
  readonly guest: boolean;
  readonly platform: Platform;
  readonly productFamily: string;
  readonly appVersion: string;
  readonly machineName: string;
  readonly cpuName: string;
  readonly cpuCores: number;
  readonly cpuMhz: number;
  readonly captureDevice: string;
  readonly renderDevice: string;
  readonly audioDriver: string;
  /** Index into SITES, or -1 for a remote worker. */
  readonly site: number;
  readonly macAddress: string;
}

export interface Population {
  readonly tenantId: string;
  readonly users: readonly Person[];
  readonly guests: readonly Person[];
}

/** Salt that keeps the population's random stream apart from the records' streams. */
const POPULATION_STREAM = 0x7fffffff;

export function makePopulation(seed: number, users: number): Population {
  const rng = new Rng(deriveSeed(seed, POPULATION_STREAM));
  const tenantId = rng.guid();
  const upns = new Set<string>();
  const people: Person[] = [];
  for (let i = 0; i < users; i++) people.push(makePerson(rng, tenantId, false, upns));
  const guests: Person[] = [];
  const guestTenants = GUEST_DOMAINS.map(() => rng.guid());
  for (let i = 0; i < Math.max(4, Math.floor(users / 10)); i++) {
    const domain = rng.int(0, GUEST_DOMAINS.length - 1);
    guests.push(makePerson(rng, guestTenants[domain]!, true, upns, GUEST_DOMAINS[domain]));
  }
  return { tenantId, users: people, guests };
}

function makePerson(rng: Rng, tenantId: string, guest: boolean, upns: Set<string>, domain: string = TENANT_DOMAIN): Person {
  const first = rng.pick(FIRST_NAMES);
  const last = rng.pick(LAST_NAMES);
  const base = `${ascii(first)}.${ascii(last)}`.toLowerCase();
  let upn = `${base}@${domain}`;
  for (let n = 2; upns.has(upn); n++) upn = `${base}${n}@${domain}`;
  upns.add(upn);
  const platform = rng.weighted(PLATFORM_WEIGHTS);
  const apple = platform === 'macOS' || platform === 'iOS';
  const device = apple ? rng.int(4, 6) : rng.int(0, CAPTURE_DEVICES.length - 1);
  return {
    id: rng.guid(),
    displayName: `${first} ${last}`,
    upn,
    tenantId,
    guest,
    platform,
    productFamily: rng.weighted(PRODUCT_WEIGHTS),
    appVersion: rng.chance(0.2)
      ? `1.7.00.${rng.int(10000, 39999)}`
      : `${rng.pick(['24', '25'])}${rng.int(100, 365)}.${rng.int(100, 2999)}.${rng.int(1000, 3999)}.${rng.int(1000, 9999)}`,
    machineName: `${platform === 'windows' ? 'DESKTOP' : platform.toUpperCase()}-${rng.hex(3).toUpperCase()}`,
    cpuName: apple ? rng.pick(['Apple M1', 'Apple M2 Pro']) : rng.pick(CPU_NAMES),
    cpuCores: rng.pick([4, 8, 8, 10, 12, 16]),
    cpuMhz: rng.pick([1600, 1800, 2400, 2995, 3000, 3200]),
    captureDevice: CAPTURE_DEVICES[device]!,
    renderDevice: RENDER_DEVICES[device]!,
    audioDriver: rng.pick(AUDIO_DRIVERS),
    site: guest || rng.chance(0.4) ? -1 : rng.int(0, SITES.length - 1),
    macAddress: rng
      .hex(6)
      .toUpperCase()
      .replace(/(..)(?!$)/g, '$1-'),
  };
}

function ascii(name: string): string {
  return name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^A-Za-z]/g, '');
}
