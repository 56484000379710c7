/** --buildings end to end: the sample with the sample building file, and a bad file refused before any report. */
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCsv, runCli } from './helpers.js';

const SAMPLE = resolve(import.meta.dirname, '../../../datasets/sample');
const BUILDINGS = resolve(import.meta.dirname, '../../../datasets/sites/buildings.csv');
const ACCESS_POINTS = resolve(import.meta.dirname, '../../../datasets/sites/access-points.csv');

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'callaudit-cli-sites-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('callaudit report --buildings', () => {
  it('places streams in buildings, ranks missing subnets, and rolls up by building and network', async () => {
    const out = join(dir, 'with-buildings');
    const run = await runCli([
      'report',
      SAMPLE,
      '--out',
      out,
      '--format',
      'csv',
      '--buildings',
      BUILDINGS,
      '--access-points',
      ACCESS_POINTS,
      '--workers',
      '0',
      '--quiet',
    ]);
    expect(run.code, run.stderr).toBe(0);
    const streams = await readCsv(join(out, 'streams.csv'));
    // Every side in a 10.<site>.x.x subnet of the file is placed in that site's building.
    for (const s of streams) {
      const subnet = s.caller_subnet!;
      const match = /^10\.(20|21|30|40|44|60|72)\./.exec(subnet);
      if (match !== null && s.caller_role === '') expect(s.caller_building, subnet).not.toBe('');
      if (s.caller_building !== '') expect(s.caller_missing_subnet).toBe('');
    }
    const buildings = await readCsv(join(out, 'rollup_building.csv'));
    expect(buildings.some((b) => b.building === 'SEA-B40' && b.city === 'Seattle' && b.country === 'US' && b.region === 'NA')).toBe(true);
    const missing = await readCsv(join(out, 'rollup_missing_subnets.csv'));
    expect(missing.length).toBeGreaterThan(0);
    const volumes = missing.map((m) => Number(m.streams));
    expect(volumes).toEqual([...volumes].sort((a, b) => b - a));
    for (const m of missing) {
      expect(m.missing_subnet).not.toMatch(/^10\.(20|21|30|40|44|60|72)\./);
      expect(Number(m.users)).toBeGreaterThanOrEqual(0);
    }
    // Each of the four access points (BSSIDs spelled four ways in the file) is found.
    const aps = (await readCsv(join(out, 'rollup_access_point.csv'))).map((a) => a.access_point).filter((a) => a !== '');
    expect(aps.sort()).toEqual(['BLR-ECO-F4-AP07', 'LON-VIC-F1-AP02', 'SEA-B40-F2-AP03', 'SEA-B40-F3-AP11']);
    expect((await readCsv(join(out, 'rollup_network.csv'))).some((n) => n.network === '10.20.0.0/16' && n.network_name === 'USA/Seattle/SEA-B40')).toBe(true);
  });

  it.each([
    ['a flag other than 0/1', '10.20.0.0,N,16,B,,,,,,,,,1,yes,0\n', ':1: ExpressRoute must be 0 or 1, got "yes"'],
    ['the same range twice', '10.20.0.0,N,16,B,,,,,,,,,1,0,0\n10.20.0.0,N,16,C,,,,,,,,,1,0,0\n', ':2: the range 10.20.0.0/16 is already on line 1'],
    ['a prefix out of range', '10.20.0.0,N,40,B,,,,,,,,,1,0,0\n', ':1: NetworkRange "40" is not a prefix length 0..32'],
  ])('refuses %s: exit 3, file and line named, no report written', async (_, text, message) => {
    const file = join(dir, 'bad-buildings.csv');
    await writeFile(file, text);
    const out = join(dir, 'refused');
    const run = await runCli(['report', SAMPLE, '--out', out, '--buildings', file, '--workers', '0', '--quiet']);
    expect(run.code).toBe(3);
    expect(run.stderr.startsWith(`callaudit: ${file}${message}`), run.stderr).toBe(true);
    expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect((await readdir(dir)).filter((name) => name.startsWith('refused') || name.startsWith('.refused'))).toEqual([]);
  });

  it('refuses a bad access point file: exit 3, file and line named', async () => {
    const file = join(dir, 'bad-aps.csv');
    await writeFile(file, 'bssid,access_point,building,floor\n00:1a:2b:3c:4d:5e,A,B,1\nnot-a-bssid,C,D,2\n');
    const run = await runCli(['report', SAMPLE, '--out', join(dir, 'refused-ap'), '--access-points', file, '--workers', '0', '--quiet']);
    expect(run.code).toBe(3);
    expect(run.stderr).toContain(`${file}:3: bssid "not-a-bssid" is not a BSSID`);
  });

  it('refuses a missing building file with exit 3', async () => {
    const run = await runCli(['report', SAMPLE, '--out', join(dir, 'nofile'), '--buildings', join(dir, 'absent.csv'), '--quiet']);
    expect(run.code).toBe(3);
    expect(run.stderr).toContain('absent.csv: no such building file');
  });
});
