import { readFile, readdir } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { GraphRecord } from '../src/index.js';
import { THRESHOLDS, buildSample } from '../src/index.js';
import { durationMs, splitDocuments, streamsOf } from './helpers.js';

const SAMPLE = fileURLToPath(new URL('../sample/', import.meta.url));
const files = buildSample();
const built = new Map(files.map((f) => [f.name, f]));

async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(entries.map((e) => (e.isDirectory() ? listFiles(join(dir, e.name)) : [join(dir, e.name)])));
  return nested.flat();
}

function text(name: string): string {
  const file = built.get(name)!;
  return (file.gzip ? gunzipSync(file.data) : file.data).toString('utf8');
}

/** Every good record of the sample, from every shape. */
function sampleRecords(): GraphRecord[] {
  const pages = splitDocuments(text('graph-page.json').replace(/^\uFEFF/, '')).map((d) => JSON.parse(d) as { value: GraphRecord[] });
  return [
    ...pages.flatMap((p) => p.value),
    JSON.parse(text('single-record.json')) as GraphRecord,
    ...(JSON.parse(text('array.json')) as GraphRecord[]),
    ...text('records.ndjson.gz')
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as GraphRecord),
    ...files.filter((f) => f.name.startsWith('records/')).map((f) => JSON.parse(f.data.toString('utf8')) as GraphRecord),
  ];
}

/** Hand-made documents in the shapes of the Graph documentation's examples: not generated. */
const HAND_MADE = 'graph-docs';
const HAND_MADE_FILES = [
  'beta-get-expanded.json',
  'beta-sms-log.json',
  'sdk-export.ndjson',
  'v1-direct-routing-calls.json',
  'v1-get-expanded.json',
  'v1-list-page.json',
  'v1-participants-page.json',
  'v1-pstn-calls.json',
  'v1-sessions-page-1.json',
  'v1-sessions-page-2.json',
];

describe('the committed sample', () => {
  it(`holds the hand-made ${HAND_MADE}/ documents, each valid JSON (their meaning is tested in packages/core/test/engine/graph-docs.test.ts)`, async () => {
    const names = (await readdir(join(SAMPLE, HAND_MADE))).sort();
    expect(names).toEqual(HAND_MADE_FILES);
    for (const name of names) {
      const text = await readFile(join(SAMPLE, HAND_MADE, name), 'utf8');
      for (const doc of name.endsWith('.ndjson') ? text.trimEnd().split('\n') : [text]) expect(() => JSON.parse(doc), name).not.toThrow();
    }
  });

  it('equals what buildSample() makes: byte for byte, gzip files by content', async () => {
    const committed = (await listFiles(SAMPLE))
      .map((p) => relative(SAMPLE, p).split(sep).join('/'))
      .filter((name) => !name.startsWith(`${HAND_MADE}/`))
      .sort();
    expect(committed).toEqual([...built.keys()].sort());
    for (const file of files) {
      const onDisk = await readFile(join(SAMPLE, file.name));
      if (file.gzip) expect(gunzipSync(onDisk).equals(gunzipSync(file.data)), file.name).toBe(true);
      else expect(onDisk.equals(file.data), `${file.name} differs: run pnpm gen -- --sample`).toBe(true);
    }
  });

  it('stays small', () => {
    const total = files.reduce((sum, f) => sum + f.data.length, 0);
    expect(total).toBeLessThan(450_000);
  });

  it('holds every export shape: two pretty pages with a BOM, a single GET, an array, gzip NDJSON, record files', () => {
    const page = text('graph-page.json');
    expect(page.charCodeAt(0)).toBe(0xfeff);
    const pages = splitDocuments(page.slice(1)).map((d) => JSON.parse(d) as Record<string, unknown>);
    expect(pages).toHaveLength(2);
    expect('@odata.nextLink' in pages[0]!).toBe(true);
    expect(page).toContain('\n  "value": [\n');
    expect((JSON.parse(text('single-record.json')) as GraphRecord)['@odata.context']).toMatch(/\$entity$/);
    expect(Array.isArray(JSON.parse(text('array.json')))).toBe(true);
    expect(built.get('records.ndjson.gz')!.data.subarray(0, 2)).toEqual(Buffer.from([0x1f, 0x8b]));
    expect(files.filter((f) => f.name.startsWith('records/'))).toHaveLength(2);
  });

  it('shows repeats with a higher version, a truncated record, both identity eras, PSTN and poor streams of several kinds', () => {
    const records = sampleRecords();
    const versions = new Map<string, number[]>();
    for (const r of records) versions.set(r.id as string, [...(versions.get(r.id as string) ?? []), r.version as number]);
    expect([...versions.values()].some((v) => new Set(v).size > 1)).toBe(true);
    expect(records.some((r) => 'sessions@odata.nextLink' in r)).toBe(true);
    expect(records.some((r) => 'organizer' in r && !('organizer_v2' in r))).toBe(true);
    expect(records.some((r) => 'organizer_v2' in r && !('organizer' in r))).toBe(true);
    const roles = new Set(records.flatMap((r) => [...streamsOf(r)].map(({ segment }) => (segment.callee as { userAgent: { role?: string } }).userAgent.role)));
    expect(roles).toContain('gateway');
    const reasons = new Set<string>();
    for (const r of records) {
      for (const { media, stream: s } of streamsOf(r)) {
        if (media.label === 'main-audio') {
          if (s.averageJitter != null && durationMs(s.averageJitter) > THRESHOLDS.jitterMs) reasons.add('jitter');
          if (s.averageRoundTripTime != null && durationMs(s.averageRoundTripTime) > THRESHOLDS.rttMs) reasons.add('rtt');
          if ((s.averagePacketLossRate as number) > THRESHOLDS.packetLoss) reasons.add('packet_loss');
          if ((s.averageRatioOfConcealedSamples as number) > THRESHOLDS.concealed) reasons.add('concealed');
        } else if ((s.averageVideoFrameLossPercentage as number) > THRESHOLDS.frameLossPct) reasons.add('frame_loss');
      }
    }
    expect(reasons.size).toBeGreaterThanOrEqual(4);
  });

  it('holds broken inputs that really are broken, one defect each', () => {
    const bad = (name: string): string => built.get(`bad/${name}`)!.data.toString('utf8');
    expect(() => JSON.parse(bad('truncated.json'))).toThrow(SyntaxError);
    expect(bad('truncated.json').length).toBeGreaterThan(1000);
    const lines = bad('malformed.ndjson').trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    expect(() => JSON.parse(lines[1]!)).toThrow(SyntaxError);
    expect(() => [lines[0], lines[2]].map((l) => JSON.parse(l!) as unknown)).not.toThrow();
    const wrong = JSON.parse(bad('wrong-type.json')) as GraphRecord;
    expect(typeof wrong.version).toBe('string');
    expect(Array.isArray(wrong.sessions)).toBe(false);
    expect(() => gunzipSync(built.get('bad/not-gzip.json.gz')!.data)).toThrow();
    expect(built.get('bad/empty.json')!.data.length).toBe(0);
  });
});
