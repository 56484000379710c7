/**
 * The de-duplication ledger's memory per record: registers N distinct call ids (GUID strings, as
 * Graph writes them) and reports the heap growth. Run: `npx tsx benchmarks/ledger-memory.ts [N]`
 * (default 1,000,000). Uses --expose-gc through a re-spawn so the figure is after a full GC.
 */
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { RecordLedger } from '../packages/core/src/engine/ledger.js';

const n = Number(process.argv[2] ?? 1_000_000);
const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) {
  const child = spawnSync(process.execPath, ['--expose-gc', ...process.execArgv, process.argv[1]!, String(n)], { stdio: 'inherit' });
  process.exit(child.status ?? 1);
}
gc!();
const before = process.memoryUsage();
const ledger = new RecordLedger();
for (let i = 0; i < n; i++) {
  // A flat string, as the framer makes ids (randomUUID's own result is a concatenation V8 keeps
  // as several string pieces, which would overstate the cost).
  const key = {
    id: Buffer.from(randomUUID(), 'latin1').toString('latin1'),
    version: 1,
    lastModified: '2026-11-02T08:15:30.1234567Z',
    sessions: 2,
    segments: 4,
    streams: 16,
  };
  ledger.add(key, { file: 'dump.json', offset: i * 42_000, index: i, context: null }, 42_000, ledger.judge(key));
}
gc!();
const after = process.memoryUsage();
const heap = after.heapUsed - before.heapUsed;
const external = after.arrayBuffers - before.arrayBuffers;
const total = heap + external;
const mb = (bytes: number): string => `${(bytes / 1e6).toFixed(1)} MB`;
console.log(
  `ledger for ${n.toLocaleString('en-US')} records: heap ${mb(heap)} + typed arrays ${mb(external)} = ${mb(total)}, ${(total / n).toFixed(0)} bytes per record (ledger's own estimate ${mb(ledger.approximateBytes())})`,
);
