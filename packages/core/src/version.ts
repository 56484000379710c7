/** The version of @callaudit/core, from its package.json (src/ and dist/ both sit one level below it). */
import { createRequire } from 'node:module';

let cachedVersion: string | null = null;

export function coreVersion(): string {
  if (cachedVersion === null) {
    const pkg = createRequire(import.meta.url)('../package.json') as { version: string };
    cachedVersion = pkg.version;
  }
  return cachedVersion;
}
