/**
 * The first bytes of a problem's text, gathered from however many chunks it spans. Pure.
 */
import { SNIPPET_BYTES, utf8 } from './bytes.js';

export class Snippet {
  private readonly bytes = new Uint8Array(SNIPPET_BYTES);
  private length = 0;

  reset(): void {
    this.length = 0;
  }

  /** Appends bytes[from, to), as much as still fits. */
  add(bytes: Uint8Array, from: number, to: number): void {
    const room = SNIPPET_BYTES - this.length;
    if (room <= 0 || to <= from) return;
    const part = bytes.subarray(from, Math.min(to, from + room));
    this.bytes.set(part, this.length);
    this.length += part.length;
  }

  text(): string {
    return utf8(this.bytes.subarray(0, this.length));
  }
}
