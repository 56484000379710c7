import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorCode, isCallauditError } from '../../src/errors.js';
import { expandInputs } from '../../src/ingest/index.js';

let cwd = '';
beforeAll(async () => {
  cwd = await mkdtemp(join(tmpdir(), 'callaudit-ingest-inputs-'));
  for (const file of ['data/b.json', 'data/a.json.gz', 'data/sub/c.ndjson', 'data/sub/.hidden.json', 'data/.git/x.json', 'other/z.json', 'weird[1].json']) {
    await mkdir(join(cwd, file, '..'), { recursive: true });
    await writeFile(join(cwd, file), '{}');
  }
  await mkdir(join(cwd, 'empty'));
  await symlink(join(cwd, 'other/z.json'), join(cwd, 'data/link.json'));
  await symlink(join(cwd, 'other'), join(cwd, 'data/linked-folder'));
});
afterAll(async () => {
  await rm(cwd, { recursive: true, force: true });
});

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

  it('throws E_INPUT naming the input for a missing path, a pattern matching nothing, an empty folder', async () => {
    for (const input of ['nope.json', 'data/*.xml', 'empty']) {
      const error = await inputError(['data/b.json', input]);
      expect(isCallauditError(error)).toBe(true);
      expect(error).toMatchObject({ code: ErrorCode.Input, file: input });
      expect((error as Error).message).toContain(input);
    }
  });
});
