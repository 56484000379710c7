/** Reads the site files named on the command line. Every failure is E_CONFIG, naming the file. */
import { readFile, stat } from 'node:fs/promises';
import { ErrorCode, fail, isCallauditError } from '../errors.js';
import { parseAccessPoints } from './access-points.js';
import { parseBuildings } from './buildings.js';
import type { SitesData } from './lookup.js';

/** CQD takes up to 1,000,000 building rows (~100 bytes each); anything much larger is not such a file. */
const MAX_SITE_FILE_BYTES = 512 * 1024 * 1024;

async function readSiteFile(path: string, what: string): Promise<string> {
  try {
    const info = await stat(path);
    if (!info.isFile()) throw fail(ErrorCode.Config, `${path}: not a ${what} (not a regular file)`);
    if (info.size > MAX_SITE_FILE_BYTES) throw fail(ErrorCode.Config, `${path}: not a ${what} (${info.size} bytes, at most ${MAX_SITE_FILE_BYTES})`);
    return await readFile(path, 'utf8');
  } catch (error) {
    if (isCallauditError(error)) throw error;
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? `no such ${what}` : `cannot read ${what} (${(error as Error).message})`;
    throw fail(ErrorCode.Config, `${path}: ${reason}`, { cause: error });
  }
}

export interface SiteFiles {
  /** A CQD building file (sites/buildings.ts). */
  readonly buildings?: string;
  /** An access point CSV (sites/access-points.ts). */
  readonly accessPoints?: string;
}

/** Reads and checks the site files; null when none is given. */
export async function loadSites(files: SiteFiles): Promise<SitesData | null> {
  if (files.buildings === undefined && files.accessPoints === undefined) return null;
  const buildings = files.buildings === undefined ? null : parseBuildings(await readSiteFile(files.buildings, 'building file'), files.buildings);
  const accessPoints = files.accessPoints === undefined ? null : parseAccessPoints(await readSiteFile(files.accessPoints, 'access point file'), files.accessPoints);
  return { buildings, accessPoints };
}
