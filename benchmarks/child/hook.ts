/**
 * Loaded with `node --import` into every measured process: at exit it writes the process's peak
 * RSS (main thread and worker threads: they share the process) and the counts the variant
 * published to the file named by CALLAUDIT_BENCH_OUT.
 */
import { writeFileSync } from 'node:fs';
import { published } from './walk.js';

const out = process.env.CALLAUDIT_BENCH_OUT;
if (out !== undefined && out !== '') {
  process.on('exit', (code) => {
    writeFileSync(out, JSON.stringify({ maxRssKb: process.resourceUsage().maxRSS, counts: published(), code }));
  });
}
