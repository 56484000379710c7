/** The measured code is the built code (dist/): missing is an error, older than its sources a note. */
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';

async function newestMtime(dir: string): Promise<number> {
  let newest = 0;
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile() && entry.name.endsWith('.ts')) newest = Math.max(newest, (await stat(join(entry.parentPath, entry.name))).mtimeMs);
  }
  return newest;
}

/** Checks packages/<name>/dist for each package; returns notes about stale builds. */
export async function checkBuilds(root: string, packages: readonly string[]): Promise<string[]> {
  const notes: string[] = [];
  for (const name of packages) {
    const built = join(root, 'packages', name, 'dist', 'index.js');
    const builtAt = await stat(built).then(
      (s) => s.mtimeMs,
      () => null,
    );
    if (builtAt === null) throw new Error(`${built} is missing: run \`pnpm build\` first (the benchmark measures the built code)`);
    if ((await newestMtime(join(root, 'packages', name, 'src'))) > builtAt)
      notes.push(`packages/${name}/dist is older than its sources: measured the last build`);
  }
  return notes;
}
