import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorCode, isCallauditError } from '../../src/errors.js';
import { expandInputs } from '../../src/ingest/index.js';

let cwd = '';
beforeAll(async () => {
  cwd = await mkdtemp(join(tmpdir(), 'callaudit-ingest-inputs-'));
  for (const file of [
    'data/b.json',
    'data/a.json.gz',
    'data/sub/c.ndjson',
    'data/sub/.hidden.json',
    'data/.git/x.json',
    'other/z.json',
    'weird[1].json',
    'mixed/d.JSONL',
    'mixed/e.jsonl.gz',
    'mixed/notes.txt',
    'mixed/calls.csv',
    'mixed/old/f.json',
    'mixed/audit/summary.json',
    'mixed/audit/rejects.jsonl',
    'mixed/audit/.callaudit-report',
    'mixed/legacy/summary.json',
    'csv-only/a.csv',
  ]) {
    await mkdir(join(cwd, file, '..'), { recursive: true });
    await writeFile(join(cwd, file), '{}');
  }
  await mkdir(join(cwd, 'empty'));
  await writeFile(join(cwd, 'mixed/legacy/summary.json'), '{"tool":{"name":"callaudit","version":"0.0.9"}}');
  await symlink(join(cwd, 'other/z.json'), join(cwd, 'data/link.json'));
  await symlink(join(cwd, 'other'), join(cwd, 'data/linked-folder'));
});
afterAll(async () => {
  await rm(cwd, { recursive: true, force: true });
});

/** expandInputs with its notes. */
async function expand(inputs: string[], options: { include?: string[]; exclude?: string[] } = {}): Promise<{ files: string[]; notes: string[] }> {
  const notes: string[] = [];
  const files = await expandInputs(inputs, { cwd, ...options, onNote: (note) => notes.push(note) });
  return { files, notes };
}

async function inputError(inputs: string[]): Promise<unknown> {
  return expandInputs(inputs, { cwd }).then(
    () => null,
    (error: unknown) => error,
  );
}

describe('expandInputs', () => {
  it('lists a folder recursively and sorted, skipping dot names and links to folders', async () => {
    expect(await expandInputs(['data'], { cwd })).toEqual(['data/a.json.gz', 'data/b.json', 'data/link.json', 'data/sub/c.ndjson']);
    expect(await expandInputs([join(cwd, 'data/sub')])).toEqual([join(cwd, 'data/sub/c.ndjson')]);
  });

  it('keeps files and stdin as given, in order, each once', async () => {
    expect(await expandInputs(['other/z.json', '-', 'data/b.json', './other/z.json', '-', 'data'], { cwd })).toEqual([
      'other/z.json',
      '-',
      'data/b.json',
      'data/a.json.gz',
      'data/link.json',
      'data/sub/c.ndjson',
    ]);
  });

  it('expands globs, sorted, and takes a file whose name looks like a glob literally', async () => {
    expect(await expandInputs(['data/**/*.json*'], { cwd })).toEqual(['data/a.json.gz', 'data/b.json', 'data/link.json', 'data/linked-folder/z.json']);
    expect(await expandInputs(['weird[1].json'], { cwd })).toEqual(['weird[1].json']);
  });

  it('reads *.json, *.ndjson, *.jsonl and their .gz from a folder; notes the files skipped and the report folders', async () => {
    expect(await expand(['mixed'])).toEqual({
      files: ['mixed/d.JSONL', 'mixed/e.jsonl.gz', 'mixed/old/f.json'],
      notes: [
        'mixed/audit: a callaudit report folder inside the input mixed: not read',
        'mixed/legacy: a callaudit report folder inside the input mixed: not read',
        'mixed: skipped 2 file(s) not matching *.json, *.ndjson, *.jsonl, *.json.gz, *.ndjson.gz, *.jsonl.gz: calls.csv, notes.txt',
      ],
    });
  });

  it('--include replaces the default filter, --exclude takes files out (by name, or by path with a /); files named directly are always read', async () => {
    expect((await expand(['mixed'], { include: ['*.csv', '*.txt'] })).files).toEqual(['mixed/calls.csv', 'mixed/notes.txt']);
    expect(await expand(['mixed', 'mixed/notes.txt'], { exclude: ['old/**', '*.gz'] })).toEqual({
      files: ['mixed/d.JSONL', 'mixed/notes.txt'],
      notes: [
        'mixed/audit: a callaudit report folder inside the input mixed: not read',
        'mixed/legacy: a callaudit report folder inside the input mixed: not read',
        'mixed: skipped 4 file(s) not matching *.json, *.ndjson, *.jsonl, *.json.gz, *.ndjson.gz, *.jsonl.gz or matching old/**, *.gz: calls.csv, e.jsonl.gz, notes.txt, old/f.json',
      ],
    });
  });

  it("skips report folders below a glob's fixed part, but reads a report the glob points into", async () => {
    expect(await expand(['mixed/**/*.json*'])).toEqual({
      files: ['mixed/e.jsonl.gz', 'mixed/old/f.json'],
      notes: [
        'mixed/audit: a callaudit report folder matched by the input mixed/**/*.json*: not read',
        'mixed/legacy: a callaudit report folder matched by the input mixed/**/*.json*: not read',
      ],
    });
    expect((await expand(['mixed/audit/*.json'])).files).toEqual(['mixed/audit/summary.json']);
  });

  it('throws E_INPUT for a folder with no file to read, naming the files skipped', async () => {
    const error = await inputError(['csv-only']);
    expect(error).toMatchObject({
      code: ErrorCode.Input,
      file: 'csv-only',
      message: expect.stringContaining('holds no file to read (skipped 1 file(s) not matching *.json'),
    });
    expect((error as Error).message).toContain(': a.csv');
  });

  it('throws E_INPUT naming the input for a missing path, a pattern matching nothing, an empty folder', async () => {
    for (const input of ['nope.json', 'data/*.xml', 'empty']) {
      const error = await inputError(['data/b.json', input]);
      expect(isCallauditError(error)).toBe(true);
      expect(error).toMatchObject({ code: ErrorCode.Input, file: input });
      expect((error as Error).message).toContain(input);
    }
  });
});
