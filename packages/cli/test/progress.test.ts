/** Progress: a plain line every few seconds when stderr is not a terminal, none with --quiet. */
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { Progress } from '@callaudit/core';
import { createProgress, plainLine } from '../src/progress.js';
import type { Io } from '../src/io.js';

function fakeIo(isTTY: boolean): { io: Io; text: () => string } {
  const stderr = new PassThrough() as PassThrough & { isTTY?: boolean };
  stderr.isTTY = isTTY;
  let text = '';
  stderr.on('data', (chunk: Buffer) => (text += chunk.toString()));
  const io: Io = { stdout: new PassThrough(), stderr, stdin: new PassThrough(), env: {}, cwd: '/', version: 'test' };
  return { io, text: () => text };
}

const at = (elapsedMs: number, bytesRead: number): Progress => ({ bytesRead, bytesTotal: 200e6, records: bytesRead / 40_000, elapsedMs, file: 'a.json' });

describe('progress', () => {
  it('says bytes, percent, records/s, MB/s and ETA', () => {
    // 50 of 200 MB in 2 s: 25 MB/s, 625 records/s, 150 MB left -> 6 s.
    expect(plainLine(at(2000, 50e6))).toBe('callaudit: 50.0/200.0 MB (25.0%), 1250 records, 25.0 MB/s, 625 records/s, ETA 6s\n');
  });

  it('leaves out percent and ETA when the total is unknown (stdin)', () => {
    expect(plainLine({ ...at(1000, 10e6), bytesTotal: null })).toBe('callaudit: 10.0 MB, 250 records, 10.0 MB/s, 250 records/s\n');
  });

  it('writes a plain line at most every interval when stderr is not a terminal', async () => {
    const { io, text } = fakeIo(false);
    const progress = createProgress(io, false, 5000);
    for (let ms = 0; ms <= 12_000; ms += 500) progress.update(at(ms, ms * 10_000));
    progress.stop();
    await new Promise((resolve) => setImmediate(resolve));
    expect(text().trim().split('\n')).toHaveLength(2); // at 5 s and 10 s
  });

  it('writes nothing with --quiet', async () => {
    const { io, text } = fakeIo(false);
    const progress = createProgress(io, true, 5000);
    for (let ms = 0; ms <= 12_000; ms += 500) progress.update(at(ms, ms * 10_000));
    progress.stop();
    await new Promise((resolve) => setImmediate(resolve));
    expect(text()).toBe('');
  });
});
