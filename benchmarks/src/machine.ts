/** The machine the numbers come from. */
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
