/**
 * Progress on stderr: a live bar on a terminal (cli-progress), a plain line every few seconds when
 * stderr is a file or pipe (CI logs), nothing with --quiet.
 */
import cliProgress from 'cli-progress';
import type { Progress } from '@callaudit/core';
import type { Io } from './io.js';

export interface ProgressReporter {
  update(progress: Progress): void;
  stop(): void;
}

const MB = 1e6;

function rate(progress: Progress): { mbps: number; rps: number; etaS: number | null } {
  const seconds = Math.max(progress.elapsedMs / 1000, 1e-3);
  const mbps = progress.bytesRead / MB / seconds;
  const rps = progress.records / seconds;
  const left = progress.bytesTotal === null ? null : Math.max(progress.bytesTotal - progress.bytesRead, 0);
  const etaS = left === null || mbps === 0 ? null : left / MB / mbps;
  return { mbps, rps, etaS };
}

export function plainLine(progress: Progress): string {
  const { mbps, rps, etaS } = rate(progress);
  const total = progress.bytesTotal;
  const pct = total ? ` (${((100 * progress.bytesRead) / total).toFixed(1)}%)` : '';
  const size = `${(progress.bytesRead / MB).toFixed(1)}${total ? `/${(total / MB).toFixed(1)}` : ''} MB${pct}`;
  const eta = etaS === null ? '' : `, ETA ${Math.ceil(etaS)}s`;
  return `callaudit: ${size}, ${progress.records} records, ${mbps.toFixed(1)} MB/s, ${Math.round(rps)} records/s${eta}\n`;
}

export function createProgress(io: Io, quiet: boolean, plainEveryMs = 5000): ProgressReporter {
  if (quiet) return { update: () => {}, stop: () => {} };
  if (io.stderr.isTTY) {
    const bar = new cliProgress.SingleBar(
      {
        stream: io.stderr as NodeJS.WritableStream as NodeJS.WriteStream,
        format: ' {bar} {percentage}% | {mb} MB | {rps} records/s | {mbps} MB/s | ETA {eta_formatted}',
        hideCursor: true,
        clearOnComplete: true,
        etaBuffer: 20,
      },
      cliProgress.Presets.shades_classic,
    );
    let started = false;
    return {
      update(progress) {
        const total = progress.bytesTotal ?? Math.max(progress.bytesRead, 1);
        const { mbps, rps } = rate(progress);
        const payload = { mb: (progress.bytesRead / MB).toFixed(1), rps: Math.round(rps), mbps: mbps.toFixed(1) };
        if (!started) {
          bar.start(total, progress.bytesRead, payload);
          started = true;
        } else {
          bar.setTotal(total);
          bar.update(progress.bytesRead, payload);
        }
      },
      stop() {
        if (started) bar.stop();
      },
    };
  }
  let last = 0;
  return {
    update(progress) {
      if (progress.elapsedMs - last < plainEveryMs) return;
      last = progress.elapsedMs;
      io.stderr.write(plainLine(progress));
    },
    stop() {},
  };
}
