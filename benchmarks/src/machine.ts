/** The machine and the code the numbers come from. */
import { execFileSync } from 'node:child_process';
import { availableParallelism, cpus, platform, arch, release, totalmem } from 'node:os';
import type { Machine } from './types.js';

export function describeMachine(): Machine {
  return {
    cpu: cpus()[0]?.model.trim() ?? 'unknown',
    cores: availableParallelism(),
    memoryGb: totalmem() / 1e9,
    node: process.version,
    platform: `${platform()} ${release()} ${arch()}`,
  };
}

/** The commit measured, "+changes" when the working tree differs from it; null outside git. */
export function describeRevision(cwd: string): string | null {
  try {
    const git = (...args: string[]): string => execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    return `${git('rev-parse', '--short', 'HEAD')}${git('status', '--porcelain', '--untracked-files=no') === '' ? '' : '+changes'}`;
  } catch {
    return null;
  }
}
