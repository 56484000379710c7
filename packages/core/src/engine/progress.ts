/** Progress of a run, reported at most every `intervalMs` (or when forced: a file starts or ends). */
import type { ReportOptions } from './options.js';

export class ProgressMeter {
  /** Input bytes read so far (decompressed bytes for a gzip file being read). */
  bytesRead = 0;
  /** Bytes of the inputs already finished. */
  bytesDone = 0;
  private last = 0;

  constructor(
    private readonly options: Pick<ReportOptions, 'onProgress' | 'progressIntervalMs'>,
    private readonly bytesTotal: number | null,
    private readonly t0: number,
    /** Records read so far. */
    private readonly records: () => number,
  ) {}

  report(file: string | null, force = false): void {
    const onProgress = this.options.onProgress;
    if (!onProgress) return;
    const now = performance.now();
    if (!force && now - this.last < (this.options.progressIntervalMs ?? 500)) return;
    this.last = now;
    onProgress({ bytesRead: this.bytesRead, bytesTotal: this.bytesTotal, records: this.records(), elapsedMs: now - this.t0, file });
  }
}
