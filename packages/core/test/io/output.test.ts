import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { spawn, spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { OutputDir } from '../../src/io/output.js';
import { REPORT_MARKER } from '../../src/report-marker.js';

const root = mkdtempSync(join(tmpdir(), 'callaudit-output-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

let counter = 0;
/** A fresh parent folder and a target path inside it (not created). */
function target(): string {
  const parent = join(root, `case-${++counter}`);
  mkdirSync(parent);
  return join(parent, 'report');
}

/** Everything in the target's parent folder, hidden temporaries included. */
function siblings(dir: string): string[] {
  return readdirSync(dirname(dir)).sort();
}

/** The files below a folder, relative, with their contents (the report marker left out). */
function tree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile() && !(entry.name === REPORT_MARKER && entry.parentPath === dir))
      out[join(entry.parentPath, entry.name).slice(dir.length + 1)] = readFileSync(join(entry.parentPath, entry.name), 'utf8');
  }
  return out;
}

/** An existing report with one file (and the marker every report holds). */
function oldReport(dir: string): void {
  mkdirSync(dir);
  writeFileSync(join(dir, 'old.csv'), 'old\r\n');
  writeFileSync(join(dir, REPORT_MARKER), '{"tool":"callaudit","version":"0.0.1"}\n');
}

/** An OutputDir with force over an existing report, one new file written. */
async function forcedOver(dir: string): Promise<OutputDir> {
  oldReport(dir);
  const out = await OutputDir.create(dir, { force: true });
  await out.writeFile('new.csv', 'new\r\n');
  return out;
}

const code = (value: string): unknown => expect.objectContaining({ code: value });

describe('OutputDir', () => {
  it('writes into a hidden temporary folder beside the target and renames it on commit', async () => {
    const dir = target();
    const out = await OutputDir.create(dir, {});
    expect(out.temp).toMatch(new RegExp(`/\\.report\\.tmp-${process.pid}-[0-9a-f]{8}$`));
    expect(dirname(out.temp)).toBe(dirname(dir));
    await out.writeFile('summary.json', '{}\n');
    await out.writeFile('streams/part-00000.parquet', Uint8Array.of(1, 2, 3));
    const csv = await out.openAppend('streams.csv');
    await csv.write('a,b\r\n');
    await csv.write(Buffer.from('1,2\r\n'));
    await csv.close();
    expect(existsSync(dir)).toBe(false);
    await out.commit();
    expect(tree(dir)).toEqual({ 'summary.json': '{}\n', 'streams/part-00000.parquet': '\x01\x02\x03', 'streams.csv': 'a,b\r\n1,2\r\n' });
    expect(JSON.parse(readFileSync(join(dir, REPORT_MARKER), 'utf8'))).toEqual({ tool: 'callaudit', version: expect.stringMatching(/^\d+\.\d+\.\d+/) });
    expect(siblings(dir)).toEqual(['report']);
    await out.commit();
    await out.abort();
    expect(existsSync(join(dir, 'summary.json'))).toBe(true);
  });

  it('leaves no target and no temporary folder after abort, even mid-write', async () => {
    const dir = target();
    const out = await OutputDir.create(dir, {});
    const csv = await out.openAppend('streams.csv');
    const writes = Array.from({ length: 50 }, (_, i) => csv.write(`${i},${'x'.repeat(100_000)}\r\n`).catch((error: unknown) => error));
    const file = out.writeFile('calls.csv', 'x'.repeat(1_000_000)).catch((error: unknown) => error);
    await out.abort();
    await Promise.all([...writes, file]);
    expect(siblings(dir)).toEqual([]);
    await out.abort();
    await expect(csv.write('late\r\n')).rejects.toEqual(code('E_INTERRUPTED'));
    await expect(out.writeFile('late.csv', 'x')).rejects.toEqual(code('E_INTERRUPTED'));
    await expect(out.openAppend('late.csv')).rejects.toEqual(code('E_INTERRUPTED'));
    await expect(out.commit()).rejects.toEqual(code('E_INTERRUPTED'));
    expect(siblings(dir)).toEqual([]);
  });

  it('refuses an existing non-empty folder without force, before writing anything', async () => {
    const dir = target();
    oldReport(dir);
    await expect(OutputDir.create(dir, {})).rejects.toEqual(
      expect.objectContaining({ code: 'E_OUTPUT', message: expect.stringContaining('exists and is not empty') }),
    );
    expect(siblings(dir)).toEqual(['report']);
    expect(tree(dir)).toEqual({ 'old.csv': 'old\r\n' });
  });

  it('takes an existing empty folder without force', async () => {
    const dir = target();
    mkdirSync(dir);
    const out = await OutputDir.create(dir, {});
    await out.writeFile('a.csv', 'a\r\n');
    await out.commit();
    expect(tree(dir)).toEqual({ 'a.csv': 'a\r\n' });
    expect(siblings(dir)).toEqual(['report']);
  });

  it('with force, replaces an existing report on commit only', async () => {
    const dir = target();
    const out = await forcedOver(dir);
    expect(tree(dir)).toEqual({ 'old.csv': 'old\r\n' });
    await out.commit();
    expect(tree(dir)).toEqual({ 'new.csv': 'new\r\n' });
    expect(siblings(dir)).toEqual(['report']);
  });

  it('with force, keeps the old report when aborted', async () => {
    const dir = target();
    const out = await forcedOver(dir);
    await out.abort();
    expect(tree(dir)).toEqual({ 'old.csv': 'old\r\n' });
    expect(siblings(dir)).toEqual(['report']);
  });

  it('keeps the old report intact when the commit fails', async () => {
    const dir = target();
    const out = await forcedOver(dir);
    rmSync(out.temp, { recursive: true });
    await expect(out.commit()).rejects.toEqual(
      expect.objectContaining({ code: 'E_OUTPUT', message: expect.stringContaining(`cannot move the finished report to ${dir}`) }),
    );
    expect(tree(dir)).toEqual({ 'old.csv': 'old\r\n' });
    expect(siblings(dir)).toEqual(['report', 'report.lock']); // held until the run aborts
    await out.abort();
    expect(siblings(dir)).toEqual(['report']);
  });

  it('fails the commit when the target appeared meanwhile and force was not given', async () => {
    const dir = target();
    const out = await OutputDir.create(dir, {});
    await out.writeFile('new.csv', 'new\r\n');
    oldReport(dir);
    await expect(out.commit()).rejects.toEqual(code('E_OUTPUT'));
    expect(tree(dir)).toEqual({ 'old.csv': 'old\r\n' });
    await out.abort();
    expect(siblings(dir)).toEqual(['report']);
  });

  it('refuses a target that is a file, even with force', async () => {
    const dir = target();
    writeFileSync(dir, 'not a folder');
    await expect(OutputDir.create(dir, { force: true })).rejects.toEqual(
      expect.objectContaining({ code: 'E_OUTPUT', message: expect.stringContaining('is not a folder') }),
    );
    expect(readFileSync(dir, 'utf8')).toBe('not a folder');
  });

  it('never replaces the working folder or its parents, even with force', async () => {
    for (const dir of [process.cwd(), dirname(process.cwd()), '/']) {
      await expect(OutputDir.create(dir, { force: true })).rejects.toEqual(
        expect.objectContaining({ code: 'E_OUTPUT', message: expect.stringContaining('never replaces') }),
      );
    }
  });

  it('with or without force, never replaces a folder that is or contains an input, or lies inside one and is no report (by real path)', async () => {
    const parent = dirname(target());
    const inputs = join(parent, 'dumps');
    mkdirSync(join(inputs, 'old-audit'), { recursive: true });
    writeFileSync(join(inputs, 'a.json'), '{}');
    writeFileSync(join(inputs, 'old-audit', 'b.json'), '{}');
    symlinkSync(inputs, join(parent, 'link'));
    const cases: Array<[string, string, string]> = [
      [inputs, join(inputs, 'a.json'), 'contains the input'],
      [inputs, inputs, 'is the input'],
      [parent, join(parent, 'link'), 'contains the input'], // the input named through a link
      [join(parent, 'link', 'old-audit'), inputs, 'lies inside the input'], // the output named through a link
      [join(inputs, 'old-audit'), inputs, 'lies inside the input'],
    ];
    for (const [dir, input, relation] of cases) {
      for (const force of [true, false]) {
        const error = await OutputDir.create(dir, { force, inputs: [input] }).catch((e: unknown) => e);
        expect(error, `${dir} ${input}`).toEqual(expect.objectContaining({ code: 'E_USAGE', message: expect.stringContaining(relation) }));
      }
    }
    expect(readFileSync(join(inputs, 'a.json'), 'utf8')).toBe('{}');
    expect(readdirSync(parent).sort()).toEqual(['dumps', 'link']); // no temporary folder, no lock left
    // a report inside an input folder is not read as input (the folder's walk skips it): force replaces it
    writeFileSync(join(inputs, 'old-audit', REPORT_MARKER), '{}\n');
    const out = await OutputDir.create(join(inputs, 'old-audit'), { force: true, inputs: [inputs, join(inputs, 'a.json')] });
    await out.commit();
    expect(readdirSync(join(inputs, 'old-audit'))).toEqual([REPORT_MARKER]);
  });

  it('with force, replaces only a callaudit report: by its marker, or (older reports) by a summary.json by callaudit', async () => {
    const dir = target();
    mkdirSync(dir);
    writeFileSync(join(dir, 'notes.txt'), 'mine');
    await expect(OutputDir.create(dir, { force: true })).rejects.toEqual(
      expect.objectContaining({ code: 'E_USAGE', message: expect.stringContaining('is not a callaudit report') }),
    );
    writeFileSync(join(dir, 'summary.json'), '{"tool":{"name":"other"}}');
    await expect(OutputDir.create(dir, { force: true })).rejects.toEqual(expect.objectContaining({ code: 'E_USAGE' }));
    expect(tree(dir)).toEqual({ 'notes.txt': 'mine', 'summary.json': '{"tool":{"name":"other"}}' });
    writeFileSync(join(dir, 'summary.json'), '{"tool":{"name":"callaudit","version":"0.0.9"}}');
    const out = await OutputDir.create(dir, { force: true });
    await out.writeFile('new.csv', 'new');
    await out.commit();
    expect(tree(dir)).toEqual({ 'new.csv': 'new' });
  });

  it('creates missing parent folders', async () => {
    const dir = join(target(), 'daily', '2026-01-02');
    const out = await OutputDir.create(dir, {});
    await out.writeFile('a.csv', 'a');
    await out.commit();
    expect(tree(dir)).toEqual({ 'a.csv': 'a' });
  });

  it('keeps file names inside the folder', async () => {
    const out = await OutputDir.create(target(), {});
    for (const name of ['../escape.csv', '/etc/passwd', '', '.', 'streams/../../x']) {
      expect(() => out.path(name)).toThrow(expect.objectContaining({ code: 'E_INTERNAL' }));
    }
    expect(out.path('streams/part-00001.parquet')).toBe(join(out.temp, 'streams', 'part-00001.parquet'));
    expect(statSync(join(out.temp, 'streams')).isDirectory()).toBe(true);
    await out.abort();
  });
});

describe('OutputDir lock', () => {
  it('holds <target>.lock with its pid from create to commit or abort; a second run on the target fails at once naming it', async () => {
    const dir = target();
    const first = await OutputDir.create(dir, {});
    expect(readFileSync(`${dir}.lock`, 'utf8')).toMatch(new RegExp(`^${process.pid} [0-9a-f]{16}\n$`));
    const error = await OutputDir.create(dir, { force: true }).catch((e: unknown) => e);
    expect(error).toEqual(
      expect.objectContaining({ code: 'E_OUTPUT', message: expect.stringContaining(`another callaudit run (pid ${process.pid}) is writing ${dir}`) }),
    );
    expect(siblings(dir)).toEqual([`.report.tmp-${first.temp.split('.tmp-')[1]}`, 'report.lock']);
    await first.writeFile('a.csv', 'a');
    await first.commit();
    expect(siblings(dir)).toEqual(['report']);
    const second = await OutputDir.create(dir, { force: true });
    await second.abort();
    expect(siblings(dir)).toEqual(['report']);
    expect(tree(dir)).toEqual({ 'a.csv': 'a' });
  });

  it('is held when the commit fails, and released when the run then aborts', async () => {
    const dir = target();
    const out = await OutputDir.create(dir, {});
    rmSync(out.temp, { recursive: true });
    await expect(out.commit()).rejects.toEqual(code('E_OUTPUT'));
    expect(siblings(dir)).toEqual(['report.lock']);
    await out.abort();
    expect(siblings(dir)).toEqual([]);
  });

  it('takes over the lock of a process that no longer runs, and refuses one whose process runs (real processes)', async () => {
    const dir = target();
    const dead = spawnSync(process.execPath, ['-e', '0']).pid!;
    writeFileSync(`${dir}.lock`, `${dead} 0123456789abcdef\n`);
    const out = await OutputDir.create(dir, {});
    expect(readFileSync(`${dir}.lock`, 'utf8')).toMatch(new RegExp(`^${process.pid} `));
    await out.abort();
    expect(siblings(dir)).toEqual([]);

    const live = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
    try {
      writeFileSync(`${dir}.lock`, `${live.pid} 0123456789abcdef\n`);
      await expect(OutputDir.create(dir, {})).rejects.toEqual(
        expect.objectContaining({ code: 'E_OUTPUT', message: expect.stringContaining(`(pid ${live.pid})`) }),
      );
      expect(readFileSync(`${dir}.lock`, 'utf8')).toBe(`${live.pid} 0123456789abcdef\n`); // not touched
      expect(siblings(dir)).toEqual(['report.lock']);
    } finally {
      live.kill();
    }
    await new Promise((resolve) => live.once('exit', resolve));
    const after = await OutputDir.create(dir, {}); // its process ended: the lock is stale now
    await after.abort();
    expect(siblings(dir)).toEqual([]);
  });
});

describe('OutputDir.openAppend', () => {
  it('appends text and bytes in order, UTF-8, across many flushes', async () => {
    const dir = target();
    const out = await OutputDir.create(dir, {});
    const file = await out.openAppend('streams.csv');
    const expected: string[] = [];
    for (let i = 0; i < 3_000; i++) {
      const text = `${i},Mikrofon – Büro 😀,${'y'.repeat(i % 997)}\r\n`;
      expected.push(text);
      await file.write(i % 3 === 0 ? new TextEncoder().encode(text) : text);
    }
    await file.write('');
    await file.close();
    await file.close();
    await out.commit();
    expect(readFileSync(join(dir, 'streams.csv'), 'utf8')).toBe(expected.join(''));
  });

  it('holds the writer back: a write past the high-water mark resolves once on disk', async () => {
    const out = await OutputDir.create(target(), {});
    const file = await out.openAppend('big.csv');
    await file.write('x'.repeat(1_000));
    expect(statSync(out.path('big.csv')).size).toBe(0);
    await file.write('y'.repeat(2 << 20));
    expect(statSync(out.path('big.csv')).size).toBe(1_000 + (2 << 20));
    await file.close();
    await out.abort();
  });

  it('keeps writes in order when the caller does not await them', async () => {
    const dir = target();
    const out = await OutputDir.create(dir, {});
    const file = await out.openAppend('lines.txt');
    const lines = Array.from({ length: 200 }, (_, i) => `${i}:${'z'.repeat(20_000)}\n`);
    await Promise.all(lines.map((line) => file.write(line)));
    await file.close();
    await out.commit();
    expect(readFileSync(join(dir, 'lines.txt'), 'utf8')).toBe(lines.join(''));
  });

  it('refuses to commit with a file still open, and abort closes it', async () => {
    const dir = target();
    const out = await OutputDir.create(dir, {});
    const file = await out.openAppend('streams.csv');
    await file.write('a\r\n');
    await expect(out.commit()).rejects.toEqual(expect.objectContaining({ code: 'E_INTERNAL', message: expect.stringContaining('still open: streams.csv') }));
    expect(existsSync(dir)).toBe(false);
    await out.abort();
    expect(siblings(dir)).toEqual([]);
    await expect(file.write('b')).rejects.toEqual(code('E_INTERRUPTED'));
  });

  it('reports a failing write as E_OUTPUT naming the file', async () => {
    const out = await OutputDir.create(target(), {});
    const file = await out.openAppend('streams.csv');
    // Closing the descriptor underneath the appender makes its next flush fail.
    await (file as unknown as { handle: { close(): Promise<void> } }).handle.close();
    const failure = expect.objectContaining({ code: 'E_OUTPUT', message: expect.stringContaining(basename(out.path('streams.csv'))) });
    await expect(file.write('x'.repeat(2 << 20))).rejects.toEqual(failure);
    await expect(file.write('more')).rejects.toEqual(failure);
    await out.abort();
  });
});
