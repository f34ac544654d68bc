/** Decoding short byte ranges of a Buffer into strings, fast: the XML scanner's hot path. */

type Utf8Buffer = Buffer & { utf8Slice(start: number, end: number): string };
/** Buffer#utf8Slice without toString's argument checks: this is the hot path. */
export const utf8 = (buf: Buffer, start: number, end: number): string => (buf as Utf8Buffer).utf8Slice(start, end);

const CACHE_SLOTS = 4096;
const CACHE_MAX_LEN = 32;

/**
 * Interns short strings (element and attribute names, small attribute values such as `p="7"`):
 * a direct-mapped table keyed by an FNV-1a hash of the bytes, so the millions of repeated names in
 * a PM file are decoded once instead of once per tag.
 */
export class StringCache {
  private readonly bytes: Array<Uint8Array | undefined> = new Array(CACHE_SLOTS);
  private readonly strings: string[] = new Array(CACHE_SLOTS);

  get(buf: Buffer, start: number, end: number): string {
    const len = end - start;
    if (len > CACHE_MAX_LEN) return utf8(buf, start, end);
    let h = 0x811c9dc5;
    for (let i = start; i < end; i++) h = Math.imul(h ^ buf[i], 0x01000193);
    const slot = (h >>> 0) & (CACHE_SLOTS - 1);
    const known = this.bytes[slot];
    if (known !== undefined && known.length === len) {
      let same = true;
      for (let i = 0; i < len; i++) {
        if (known[i] !== buf[start + i]) {
          same = false;
          break;
        }
      }
      if (same) return this.strings[slot];
    }
    const str = utf8(buf, start, end);
    this.bytes[slot] = Uint8Array.prototype.slice.call(buf, start, end);
    this.strings[slot] = str;
    return str;
  }
}
