/**
 * RFC 3339 times with the network's local offset (`2026-11-23T10:15:00+08:00`), as real OSS exports
 * write them. Formatting is on the hot path (one string per record), so the offset suffix is built
 * once and whole-second times skip the milliseconds.
 */
import { DAY, MINUTE } from '../model/index.js';

export class LocalTimeFormat {
  private readonly offsetMs: number;
  private readonly suffix: string;

  constructor(utcOffsetMinutes: number) {
    this.offsetMs = utcOffsetMinutes * MINUTE;
    const sign = utcOffsetMinutes < 0 ? '-' : '+';
    const abs = Math.abs(utcOffsetMinutes);
    this.suffix = `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
  }

  /** `ms` (epoch) as local RFC 3339; milliseconds only when not zero. */
  format(ms: number): string {
    const iso = new Date(ms + this.offsetMs).toISOString();
    return (ms % 1000 === 0 ? iso.slice(0, 19) : iso.slice(0, 23)) + this.suffix;
  }

  /** Milliseconds since local midnight. */
  msOfDay(ms: number): number {
    return (((ms + this.offsetMs) % DAY) + DAY) % DAY;
  }

  /** `YYYYMMDD` of the local date, for ids. */
  compactDate(ms: number): string {
    const iso = new Date(ms + this.offsetMs).toISOString();
    return iso.slice(0, 4) + iso.slice(5, 7) + iso.slice(8, 10);
  }
}
