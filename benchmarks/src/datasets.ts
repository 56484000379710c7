/**
 * Seeded datasets in .bench/data, generated once per (generator source, seed, size, format) and
 * reused. A gzip dataset is the plain one compressed, so both hold the same records. A file is
 * used only once its .meta.json exists: a run killed mid-write leaves nothing that looks done.
 * Files of an older generator are removed (pruneDatasets).
 */
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { writeDataset } from '@callaudit/datasets';
import type { Dataset, DatasetSpec } from './types.js';

interface Meta {
  readonly fileBytes: number;
  readonly jsonBytes: number;
}

/** A short hash of the generator's sources: a changed generator makes new files. */
export async function generatorVersion(sourceDir: string): Promise<string> {
  const hash = createHash('sha256');
  for (const name of (await readdir(sourceDir)).filter((n) => n.endsWith('.ts')).sort()) {
    hash
      .update(name)
      .update('\0')
      .update(await readFile(join(sourceDir, name)))
      .update('\0');
  }
  return hash.digest('hex').slice(0, 10);
}

/** Removes datasets made by other generator versions: they would never be used again. */
export async function pruneDatasets(dir: string, version: string, log: (line: string) => void): Promise<void> {
  const names = await readdir(dir).catch(() => []);
  for (const name of names) {
    const made = /-g([0-9a-f]{10})\./.exec(name);
    if (made === null || made[1] === version) continue;
    log(`removing ${name} (an older generator made it)`);
    await rm(join(dir, name), { force: true });
  }
}

/** Removes the data folders of --ci runs (`ci-data-<pid>`) whose process is gone: a killed run leaves one. */
export async function pruneRunFolders(work: string, log: (line: string) => void): Promise<void> {
  for (const name of await readdir(work).catch(() => [])) {
    const pid = /^ci-data-(\d+)$/.exec(name)?.[1];
    if (pid === undefined || alive(Number(pid))) continue;
    log(`removing ${name} (left by an interrupted run)`);
    await rm(join(work, name), { recursive: true, force: true });
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function fileName(spec: DatasetSpec, version: string): string {
  const ext = spec.format === 'ndjson' ? 'ndjson' : 'json';
  return `${spec.format}-${spec.bytes}-s${spec.seed}-g${version}.${ext}${spec.gzip ? '.gz' : ''}`;
}

async function readMeta(path: string): Promise<Meta | null> {
  try {
    const meta = JSON.parse(await readFile(`${path}.meta.json`, 'utf8')) as Meta;
    return (await stat(path)).size === meta.fileBytes ? meta : null;
  } catch {
    return null;
  }
}

export async function ensureDataset(spec: DatasetSpec, dir: string, version: string, log: (line: string) => void): Promise<Dataset> {
  const path = join(dir, fileName(spec, version));
  let meta = await readMeta(path);
  if (meta === null) {
    const tmp = `${path}.${process.pid}.tmp`;
    await rm(tmp, { force: true });
    if (spec.gzip) {
      const plain = await ensureDataset({ ...spec, gzip: false }, dir, version, log);
      log(`compressing ${plain.path}`);
      await pipeline(createReadStream(plain.path), createGzip(), createWriteStream(tmp));
      meta = { fileBytes: (await stat(tmp)).size, jsonBytes: plain.jsonBytes };
    } else {
      log(`generating ${path}`);
      // No duplicate ids: every variant must count the same records and streams, and the report
      // (rightly) writes a duplicated record's streams once.
      await writeDataset(tmp, { bytes: spec.bytes, seed: spec.seed, format: spec.format, duplicateShare: 0 });
      const bytes = (await stat(tmp)).size;
      meta = { fileBytes: bytes, jsonBytes: bytes };
    }
    await rename(tmp, path);
    await writeFile(`${path}.meta.json`, JSON.stringify(meta));
  }
  return { ...spec, path, ...meta };
}
