/**
 * Expands the inputs a user names (files, folders, globs, '-') into the list of files to read.
 */
import { readdir, stat } from 'node:fs/promises';
import type { Dirent, Stats } from 'node:fs';
import { dirname, isAbsolute, join, posix, relative, resolve, sep } from 'node:path';
import picomatch from 'picomatch';
import { glob } from 'tinyglobby';
import { ErrorCode, fail } from '../errors.js';
import { isReportFolder } from '../report-marker.js';

const GLOB_CHARS = /[*?[\]{}]/;

/** What a folder's walk reads unless told otherwise: JSON, NDJSON and JSON Lines, plain or gzip. */
export const DEFAULT_INCLUDE: readonly string[] = ['*.json', '*.ndjson', '*.jsonl', '*.json.gz', '*.ndjson.gz', '*.jsonl.gz'];

/** Names listed in a note about skipped files, at most. */
const NOTE_NAMES = 5;

export interface ExpandOptions {
  readonly cwd?: string;
  /**
   * Globs a file found by walking a folder must match to be read (default DEFAULT_INCLUDE). A glob
   * without '/' is matched against the file's name, one with '/' against its path below the
   * folder; case-insensitive. Files named directly and glob inputs are not filtered.
   */
  readonly include?: readonly string[];
  /** Globs (as include) of files found by walking a folder that are not read. */
  readonly exclude?: readonly string[];
  /** Receives a note for what a folder's walk skipped (files filtered out, report folders). */
  readonly onNote?: (note: string) => void;
}

/**
 * Files (as given), folders (every file below matching the include globs and no exclude glob,
 * recursively, sorted, dotfiles and dot-folders skipped), globs (tinyglobby, sorted; used only when
 * no file has that very name) and '-' (stdin). A callaudit report folder found below a folder or
 * below a glob's fixed part is skipped, with a note; so are files a folder's filter leaves out,
 * counted and named. A path named twice is read once. A missing path, a glob matching nothing and
 * a folder with no file to read throw E_INPUT naming the input.
 */
export async function expandInputs(inputs: readonly string[], options: ExpandOptions = {}): Promise<string[]> {
  const cwd = options.cwd ?? process.cwd();
  const filter = folderFilter(options.include ?? DEFAULT_INCLUDE, options.exclude ?? []);
  const note = options.onNote ?? ((): void => {});
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
      const { files: found, skipped, reports } = await listFolder(cwd, input, filter);
      for (const report of reports) note(`${report}: a callaudit report folder inside the input ${input}: not read`);
      const skippedNote = skipped.length === 0 ? '' : `skipped ${skipped.length} file(s) ${filter.describe}: ${listed(skipped)}`;
      if (found.length === 0)
        throw fail(ErrorCode.Input, `input folder ${input} holds no file to read${skippedNote ? ` (${skippedNote})` : ''}`, { file: input });
      if (skippedNote) note(`${input}: ${skippedNote}`);
      found.forEach(add);
    } else if (stats) {
      add(input);
    } else if (GLOB_CHARS.test(input)) {
      const matches = await glob(input, { cwd, onlyFiles: true, dot: false, absolute: isAbsolute(input) });
      const found = await outsideReports(cwd, picomatch.scan(input).base, matches, (report) =>
        note(`${report}: a callaudit report folder matched by the input ${input}: not read`),
      );
      if (found.length === 0)
        throw fail(ErrorCode.Input, `no file matches the input pattern ${input}${matches.length > 0 ? ' outside callaudit report folders' : ''}`, {
          file: input,
        });
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

interface FolderFilter {
  readonly accepts: (path: string) => boolean;
  /** Why a file was skipped, for the note. */
  readonly describe: string;
}

function folderFilter(include: readonly string[], exclude: readonly string[]): FolderFilter {
  const included = matcher(include);
  const excluded = matcher(exclude);
  return {
    accepts: (path) => included(path) && !excluded(path),
    describe: `not matching ${include.join(', ')}${exclude.length > 0 ? ` or matching ${exclude.join(', ')}` : ''}`,
  };
}

/** A glob without '/' matches a file's name, one with '/' its '/'-separated path below the folder. */
function matcher(globs: readonly string[]): (path: string) => boolean {
  const options = { nocase: true, dot: true };
  const byName = globs.filter((g) => !g.includes('/'));
  const byPath = globs.filter((g) => g.includes('/'));
  const name = byName.length > 0 ? picomatch(byName, options) : (): boolean => false;
  const path = byPath.length > 0 ? picomatch(byPath, options) : (): boolean => false;
  return (relativePath) => name(posix.basename(relativePath)) || path(relativePath);
}

function listed(names: readonly string[]): string {
  const shown = names.slice(0, NOTE_NAMES).join(', ');
  return names.length > NOTE_NAMES ? `${shown}, ... (${names.length - NOTE_NAMES} more)` : shown;
}

/**
 * Files below a folder, as paths joined to the folder as given, sorted by path; the files the
 * filter skipped (paths below the folder); the report folders skipped. Names starting with a dot
 * are skipped; a link to a file counts as a file, a link to a folder is not followed (no cycles).
 */
async function listFolder(cwd: string, folder: string, filter: FolderFilter): Promise<{ files: string[]; skipped: string[]; reports: string[] }> {
  const files: string[] = [];
  const skipped: string[] = [];
  const reports: string[] = [];
  const walk = async (below: string): Promise<void> => {
    let entries: Dirent[];
    try {
      entries = await readdir(resolve(cwd, folder, below), { withFileTypes: true });
    } catch (error) {
      throw fail(ErrorCode.Input, `cannot list input folder ${join(folder, below)}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`, {
        cause: error,
        file: folder,
      });
    }
    for (const entry of entries) {
      if (entry.name.startsWith('.')) continue;
      const path = join(below, entry.name);
      if (entry.isDirectory()) {
        if (await isReportFolder(resolve(cwd, folder, path))) reports.push(join(folder, path));
        else await walk(path);
      } else if (!entry.isSymbolicLink() || (await statOrNull(resolve(cwd, folder, path), join(folder, path)))?.isFile()) {
        if (filter.accepts(path.split(sep).join('/'))) files.push(join(folder, path));
        else skipped.push(path);
      }
    }
  };
  await walk('');
  return { files: files.sort(byPath), skipped: skipped.sort(byPath), reports: reports.sort(byPath) };
}

/** The glob's matches that are not inside a report folder below the glob's fixed part `base`. */
async function outsideReports(cwd: string, base: string, matches: readonly string[], onReport: (folder: string) => void): Promise<string[]> {
  const root = resolve(cwd, base);
  const known = new Map<string, boolean>();
  const isReport = async (folder: string): Promise<boolean> => {
    let verdict = known.get(folder);
    if (verdict === undefined) {
      verdict = await isReportFolder(folder);
      known.set(folder, verdict);
      if (verdict) onReport(relative(cwd, folder) || folder);
    }
    return verdict;
  };
  const kept: string[] = [];
  next: for (const match of matches) {
    for (let folder = dirname(resolve(cwd, match)); folder !== root && folder.startsWith(root + sep); folder = dirname(folder)) {
      if (await isReport(folder)) continue next;
    }
    kept.push(match);
  }
  return kept;
}

/** Code-unit order: the same on every machine, unlike localeCompare. */
function byPath(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
