/**
 * --redact end to end: every output file (CSV, Parquet read back with DuckDB, JSON Lines, rejects,
 * summary.json, and what is printed) is searched for every user id, UPN, IP address, subnet and
 * device name of the input. The input is the committed sample (every export shape and the broken
 * files) plus a record whose reject reason quotes a personal value, so rejects are tested too.
 */
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateRecords } from '@callaudit/datasets';
import { duckdbQuery, listFiles, readCsv, runCli } from './helpers.js';
import type { Run } from './helpers.js';

const SAMPLE = resolve(import.meta.dirname, '../../../datasets/sample');
/** With the site files, so that building, missing-subnet and access point columns are searched too. */
const SITES = [
  '--buildings',
  resolve(import.meta.dirname, '../../../datasets/sites/buildings.csv'),
  '--access-points',
  resolve(import.meta.dirname, '../../../datasets/sites/access-points.csv'),
];

/** Where personal values sit in a callRecord, by category. */
const FIELDS: Record<string, string> = {
  userPrincipalName: 'upn',
  ipAddress: 'ip',
  reflexiveIPAddress: 'ip',
  relayIPAddress: 'ip',
  subnet: 'subnet',
  captureDeviceName: 'device',
  renderDeviceName: 'device',
  basicServiceSetIdentifier: 'bssid',
  macAddress: 'mac',
  displayName: 'name',
};
/** An `id` below one of these keys identifies a person (or a phone, guest, bot...). */
const IDENTITY_KEYS = new Set(['organizer', 'organizer_v2', 'participants', 'participants_v2', 'identity', 'associatedIdentity']);
/** The categories callaudit writes when not redacting (the others it never writes at all). */
const WRITTEN = ['user', 'upn', 'ip', 'subnet', 'device', 'bssid'];

/**
 * Personal values in JSON text, by category. A tolerant scan (strings, keys and nesting only), so it
 * also reads truncated, malformed and concatenated documents.
 */
function personalValues(text: string, into: Map<string, Set<string>>): void {
  const add = (category: string, value: string): void => {
    if (value === '') return;
    if (!into.has(category)) into.set(category, new Set());
    into.get(category)!.add(value);
  };
  const parents: Array<string | null> = []; // the key each open container sits under
  let key: string | null = null; // the key of the value that comes next
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === '{' || ch === '[') {
      parents.push(key);
      key = null;
    } else if (ch === '}' || ch === ']') {
      parents.pop();
      key = null;
    } else if (ch === '"') {
      let end = i + 1;
      while (end < text.length && text[end] !== '"') end += text[end] === '\\' ? 2 : 1;
      let value: string;
      try {
        value = JSON.parse(text.slice(i, end + 1)) as string;
      } catch {
        break; // the text ends inside this string
      }
      i = end;
      let next = i + 1;
      while (/\s/.test(text[next] ?? '')) next++;
      if (text[next] === ':') {
        key = value;
        continue;
      }
      const inIdentity = parents.some((p) => p !== null && IDENTITY_KEYS.has(p));
      if (key !== null && FIELDS[key] !== undefined) add(FIELDS[key]!, value);
      else if (key === 'id' && inIdentity) add('user', value);
      else if (key !== null && IDENTITY_KEYS.has(key)) add('user', value); // a string where an identity belongs
      key = null;
    } else if (ch === ',') {
      key = null;
    }
  }
}

/** Every output as searchable text: files by their bytes, Parquet files row by row through DuckDB. */
async function outputText(out: string): Promise<Map<string, string>> {
  const texts = new Map<string, string>();
  for (const file of await listFiles(out)) {
    const path = join(out, file);
    if (file.endsWith('.parquet')) {
      const rows = await duckdbQuery(`SELECT * FROM read_parquet('${path}')`);
      expect(rows.length + file.length).toBeGreaterThan(0);
      texts.set(file, rows.map((row) => Object.values(row).map(String).join('\t')).join('\n'));
    } else {
      texts.set(file, await readFile(path, 'utf8'));
    }
  }
  return texts;
}

/** [category, value, where] for every personal value found in the texts. */
function findPersonal(personal: Map<string, Set<string>>, texts: Map<string, string>): Array<[string, string, string]> {
  const hits: Array<[string, string, string]> = [];
  for (const [category, values] of personal) {
    for (const value of values) {
      for (const [where, text] of texts) if (text.includes(value)) hits.push([category, value, where]);
    }
  }
  return hits;
}

let dir: string;
let keyFile: string;
let leaky: string;
let inputs: string[];
const personal = new Map<string, Set<string>>();
const KEY = 'a redaction key of 32 characters';

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'callaudit-cli-redact-'));
  keyFile = join(dir, 'key.txt');
  await writeFile(keyFile, KEY);
  // A record whose caller identity is a string: the schema's reason for rejecting it quotes the value.
  const [a, b] = [...generateRecords({ records: 2, seed: 77, kinds: { peerToPeer: 1 } })] as Array<Record<string, unknown>>;
  const sessions = b!.sessions as Array<{ caller: Record<string, unknown> }>;
  sessions[0]!.caller.associatedIdentity = 'leaky.user@contoso.com';
  leaky = join(dir, 'leaky.ndjson');
  await writeFile(leaky, `${JSON.stringify(a)}\n${JSON.stringify(b)}\n`);

  inputs = [SAMPLE, leaky];
  for (const file of [...(await listFiles(SAMPLE)).map((f) => join(SAMPLE, f)), leaky]) {
    let bytes = await readFile(file);
    if (bytes[0] === 0x1f && bytes[1] === 0x8b) bytes = gunzipSync(bytes);
    personalValues(bytes.toString('utf8'), personal);
  }
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const reportArgs = (out: string, ...extra: string[]): string[] => [
  'report',
  ...inputs,
  '--out',
  out,
  '--format',
  'csv,parquet,json,html',
  '--group-by',
  'caller_subnet,caller_device_capture',
  '--workers',
  '0',
  ...SITES,
  ...extra,
];
const report = (out: string, ...extra: string[]): Promise<Run> => runCli(reportArgs(out, ...extra));

let redacted: Promise<{ out: string; run: Run }> | undefined;
/** The report with a key file, run once and shared. */
const redactedReport = (): Promise<{ out: string; run: Run }> =>
  (redacted ??= (async () => {
    const out = join(dir, 'redacted');
    return { out, run: await report(out, '--redact', '--redact-key-file', keyFile) };
  })());

describe('callaudit report --redact', () => {
  it('the search finds personal values of every kind in a report made without --redact', async () => {
    for (const category of [...WRITTEN, 'mac', 'name']) expect(personal.get(category)?.size ?? 0, category).toBeGreaterThan(0);
    expect(personal.get('user')).toContain('leaky.user@contoso.com');
    const out = join(dir, 'plain');
    const run = await report(out);
    expect(run.code, run.stderr).toBe(0);
    const texts = await outputText(out);
    texts.set('<stdout>', run.stdout);
    const found = new Set(findPersonal(personal, texts).map(([category]) => category));
    for (const category of WRITTEN) expect(found, category).toContain(category);
    // Reject reasons quote the input when not redacting: the schema's offending value, JSON.parse's excerpt.
    const rejects = texts.get('rejects.jsonl')!;
    expect(rejects).toContain('got string (\\"leaky.user@contoso.com\\")');
    expect(rejects).toContain('DateTime\\":}');
  });

  it('with a key file, no output file and nothing printed holds any of them', async () => {
    const { out, run } = await redactedReport();
    expect(run.code, run.stderr).toBe(0);
    const texts = await outputText(out);
    texts.set('<stdout>', run.stdout);
    texts.set('<stderr>', run.stderr);
    for (const name of [
      'streams.csv',
      'calls.csv',
      'rejects.jsonl',
      'summary.json',
      'report.html',
      'rollup_user.parquet',
      'rollup_by_caller_subnet__caller_device_capture.jsonl',
    ]) {
      expect([...texts.keys()]).toContain(name);
    }
    expect([...texts.keys()].some((f) => f.startsWith('streams/part-'))).toBe(true);
    expect(findPersonal(personal, texts)).toEqual([]);

    // The values are replaced, not dropped: pseudonyms of each kind, and joins still work.
    const streams = await readCsv(join(out, 'streams.csv'));
    const kinds: Array<[string, RegExp]> = [
      ['caller_user_id', /^user_[0-9a-f]{20}$/],
      ['caller_upn', /^upn_[0-9a-f]{20}$/],
      ['caller_ip', /^ip_[0-9a-f]{20}$/],
      ['caller_subnet', /^subnet_[0-9a-f]{20}$/],
      ['callee_device_render', /^device_[0-9a-f]{20}$/],
      ['caller_reflexive_ip', /^ip_[0-9a-f]{20}$/],
      ['caller_bssid', /^bssid_[0-9a-f]{20}$/],
      ['caller_missing_subnet', /^subnet_[0-9a-f]{20}$/],
      ['caller_network', /^subnet_[0-9a-f]{20}$/],
    ];
    for (const [column, pattern] of kinds) {
      const values = streams.map((s) => s[column]!).filter((v) => v !== '');
      expect(values.length, column).toBeGreaterThan(0);
      for (const value of values) expect(value, column).toMatch(pattern);
    }
    const users = new Set(streams.flatMap((s) => [s.caller_user_id, s.callee_user_id]).filter((v) => v !== ''));
    const rollupUsers = new Set((await readCsv(join(out, 'rollup_user.csv'))).map((r) => r.user_id).filter((v) => v !== ''));
    expect(rollupUsers).toEqual(users);
    const organizers = (await readCsv(join(out, 'calls.csv'))).map((c) => c.organizer_id!).filter((v) => v !== '');
    expect(organizers.length).toBeGreaterThan(0);
    for (const id of organizers) expect(id).toMatch(/^user_[0-9a-f]{20}$/);

    // Rejects keep their file, offset and kind; snippets are withheld.
    const rejects = texts
      .get('rejects.jsonl')!
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { file: string; kind: string; reason: string; snippet: string });
    expect(rejects.filter((r) => r.file === leaky).map((r) => [r.kind, r.reason])).toEqual([['schema', expect.stringContaining('got string (<redacted>)')]]);
    const malformed = rejects.find((r) => r.kind === 'invalid_json')!;
    expect(malformed.reason).toBe("Unexpected token '}' (excerpt <redacted>) is not valid JSON");
    for (const reject of rejects) expect(['', '<redacted>']).toContain(reject.snippet);
  });

  it('the same key gives the same pseudonyms in two runs (key file or environment); another key other ones', async () => {
    const { out: first } = await redactedReport();
    const second = join(dir, 'key-env');
    const other = join(dir, 'key-other');
    const env = await runCli(reportArgs(second, '--quiet', '--redact'), { env: { CALLAUDIT_REDACT_KEY: KEY } });
    expect(env.code, env.stderr).toBe(0);
    const files = (await listFiles(first)).filter((f) => f !== 'summary.json' && f !== 'report.html'); // these carry run times
    for (const file of files) expect((await readFile(join(second, file))).equals(await readFile(join(first, file))), file).toBe(true);

    const otherKey = join(dir, 'other-key.txt');
    await writeFile(otherKey, 'another redaction key, 32 bytes!');
    expect((await report(other, '--redact', '--redact-key-file', otherKey, '--quiet')).code).toBe(0);
    const a = await readCsv(join(first, 'streams.csv'));
    const b = await readCsv(join(other, 'streams.csv'));
    expect(b).toHaveLength(a.length);
    for (let row = 0; row < a.length; row++) {
      expect(b[row]!.stream_id).toBe(a[row]!.stream_id); // the same rows, in the same order
      expect(b[row]!.jitter_avg_ms).toBe(a[row]!.jitter_avg_ms);
      if (a[row]!.caller_ip !== '') expect(b[row]!.caller_ip).not.toBe(a[row]!.caller_ip);
    }
  });

  it('refuses a key shorter than 16 bytes, and --redact without a key (exit 2, nothing written)', async () => {
    const short = join(dir, 'short-key.txt');
    await writeFile(short, 'too short');
    const runs = [
      await report(join(dir, 'short'), '--redact', '--redact-key-file', short),
      await report(join(dir, 'keyless'), '--redact'),
      await runCli(['summary', SAMPLE, '--redact'], { env: { CALLAUDIT_REDACT_KEY: 'short' } }),
    ];
    for (const run of runs) {
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(/^callaudit: .*(at least 16 bytes|needs a key)/);
    }
    expect((await readdir(dir)).filter((name) => /^\.?(short|keyless)(\.tmp-|$)/.test(name))).toEqual([]);
  });
});
