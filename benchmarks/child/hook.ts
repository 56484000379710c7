/**
 * Loaded with `node --import` into every measured process: at exit it writes the process's peak
 * RSS and CPU time (main thread and worker threads: they share the process) and the counts the variant
 * published to the file named by CALLAUDIT_BENCH_OUT.
 */
import { writeFileSync } from 'node:fs';
import { published } from './walk.js';

const out = process.env.CALLAUDIT_BENCH_OUT;
if (out !== undefined && out !== '') {
  process.on('exit', (code) => {
    const usage = process.resourceUsage();
    // CPU time of every thread of the process (user + system): steadier than wall time on a shared machine.
    const cpuMs = (usage.userCPUTime + usage.systemCPUTime) / 1000;
    writeFileSync(out, JSON.stringify({ maxRssKb: usage.maxRSS, cpuMs, counts: published(), code }));
  });
}
