/**
 * Expands the inputs a user names (files, folders, globs, '-') into the list of files to read.
 */
import { readdir, stat } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { glob } from 'tinyglobby';
import { ErrorCode, fail } from '../errors.js';

const GLOB_CHARS = /[*?[\]{}]/;

/**
 * Files (as given), folders (every file below, recursively, sorted, dotfiles and dot-folders
 * skipped), globs (tinyglobby, sorted; used only when no file has that very name) and '-' (stdin).
 * A path named twice is read once. A missing path, a glob matching nothing and an empty folder
 * throw E_INPUT naming the input.
 */
export async function expandInputs(inputs: readonly string[], options: { cwd?: string } = {}): Promise<string[]> {
  const cwd = options.cwd ?? process.cwd();
  const files: string[] = [];
  const seen = new Set<string>();
  const add = (file: string): void => {
    const id = file === '-' ? '-' : resolve(cwd, file);
    if (seen.has(id)) return;
    seen.add(id);
    files.push(file);
  };
  for (const input of inputs) {
    if (input === '-') {
      add(input);
      continue;
    }
    const stats = await statOrNull(resolve(cwd, input), input);
    if (stats?.isDirectory()) {
      const found = await listFolder(cwd, input);
      if (found.length === 0) throw fail(ErrorCode.Input, `input folder ${input} holds no files`, { file: input });
      found.forEach(add);
    } else if (stats) {
      add(input);
    } else if (GLOB_CHARS.test(input)) {
      const found = await glob(input, { cwd, onlyFiles: true, dot: false, absolute: isAbsolute(input) });
      if (found.length === 0) throw fail(ErrorCode.Input, `no file matches the input pattern ${input}`, { file: input });
      found.sort(byPath).forEach(add);
    } else {
      throw fail(ErrorCode.Input, `input ${input} does not exist`, { file: input });
    }
  }
  return files;
}

async function statOrNull(path: string, input: string): Promise<Stats | null> {
  try {
    return await stat(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return null;
    throw fail(ErrorCode.Input, `cannot read input ${input}: ${code ?? String(error)}`, { cause: error, file: input });
  }
}

/**
 * Files below a folder, as paths joined to the folder as given, sorted by path. Names starting with
 * a dot are skipped; a link to a file counts as a file, a link to a folder is not followed (no cycles).
 */
async function listFolder(cwd: string, folder: string): Promise<string[]> {
  const files: string[] = [];
  const walk = async (relative: string): Promise<void> => {
    let entries;
    try {
      entries = await readdir(resolve(cwd, folder, relative), { withFileTypes: true });
    } catch (error) {
      throw fail(ErrorCode.Input, `cannot list input folder ${join(folder, relative)}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`, { cause: error, file: folder });
    }
    for (const entry of entries) {
      if (entry.name.startsWith('.')) continue;
      const path = join(relative, entry.name);
      if (entry.isDirectory()) await walk(path);
      else if (!entry.isSymbolicLink() || (await statOrNull(resolve(cwd, folder, path), join(folder, path)))?.isFile()) files.push(join(folder, path));
    }
  };
  await walk('');
  return files.sort(byPath);
}

/** Code-unit order: the same on every machine, unlike localeCompare. */
function byPath(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
