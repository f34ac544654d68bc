/**
 * A bounded FIFO of lines that drops its oldest entries when full. Storage grows by doubling up to
 * the bound, so a large `maxBufferedPoints` costs memory only when InfluxDB actually falls behind.
 */
export class LineRing {
  private buf: Array<string | undefined>;
  private head = 0;
  length = 0;

  constructor(readonly capacity: number) {
    this.buf = new Array(Math.min(16, capacity));
  }

  /** Appends; returns how many old lines had to go (0 or 1). */
  push(line: string): number {
    if (this.length === this.buf.length && this.buf.length < this.capacity) this.grow();
    if (this.length === this.capacity) {
      // Full: the oldest goes, the new line takes the last place.
      this.buf[this.head] = undefined;
      this.head = (this.head + 1) % this.buf.length;
      this.buf[(this.head + this.length - 1) % this.buf.length] = line;
      return 1;
    }
    this.buf[(this.head + this.length) % this.buf.length] = line;
    this.length++;
    return 0;
  }

  take(n: number): string[] {
    const k = Math.min(n, this.length);
    const out = new Array<string>(k);
    for (let i = 0; i < k; i++) {
      out[i] = this.buf[this.head]!;
      this.buf[this.head] = undefined;
      this.head = (this.head + 1) % this.buf.length;
    }
    this.length -= k;
    return out;
  }

  private grow(): void {
    const next = new Array<string | undefined>(Math.min(this.capacity, this.buf.length * 2));
    for (let i = 0; i < this.length; i++) next[i] = this.buf[(this.head + i) % this.buf.length];
    this.buf = next;
    this.head = 0;
  }
}
