/**
 * The last day of every KPI series, for `GET /api/v1/cells/:id` and the dashboard's cell panel: a
 * ring of `slots` values per series, one per `slotMinutes` of event time (the latest sample in a
 * slot wins). Times are implied by the slot number, so the ring costs 4 bytes per slot.
 */
import { grownCapacity } from './capacity.js';

export class KpiHistory {
  private values = new Float32Array(0);
  /** Slot number (event time / slot length) of each series' newest slot, -1 when empty. */
  private newest = new Int32Array(0);
  private capacity = 0;
  private readonly slotMs: number;

  constructor(readonly slots: number, slotMinutes: number) {
    this.slotMs = slotMinutes * 60_000;
  }

  get bytesPerSeries(): number {
    return this.slots * 4 + 4;
  }

  private ensure(series: number): void {
    if (series < this.capacity) return;
    const cap = Math.max(series + 1, grownCapacity(this.capacity));
    // Not filled: a series' first `put` writes its whole ring, and pages no series has touched stay
    // zero and are not resident.
    const v = new Float32Array(cap * this.slots);
    v.set(this.values);
    const n = new Int32Array(cap).fill(-1);
    n.set(this.newest);
    this.values = v;
    this.newest = n;
    this.capacity = cap;
  }

  put(series: number, t: number, value: number): void {
    this.ensure(series);
    const slot = Math.floor(t / this.slotMs);
    const base = series * this.slots;
    const newest = this.newest[series];
    if (newest >= 0 && slot <= newest) {
      // Late data inside the window still lands in its slot; older than the window is dropped.
      if (slot > newest - this.slots) this.values[base + (slot % this.slots)] = value;
      return;
    }
    // Slots skipped since the newest one hold nothing (at most one lap of the ring).
    const from = newest < 0 ? slot - this.slots + 1 : Math.max(newest + 1, slot - this.slots + 1);
    for (let s = from; s < slot; s++) this.values[base + (((s % this.slots) + this.slots) % this.slots)] = NaN;
    this.values[base + (slot % this.slots)] = value;
    this.newest[series] = slot;
  }

  /** The series' samples, oldest first, with the end time of their slot's sample. */
  read(series: number): { t: number[]; value: number[] } {
    const t: number[] = [];
    const value: number[] = [];
    if (series >= this.capacity || this.newest[series] < 0) return { t, value };
    const newest = this.newest[series];
    const base = series * this.slots;
    for (let s = newest - this.slots + 1; s <= newest; s++) {
      const v = this.values[base + (((s % this.slots) + this.slots) % this.slots)];
      if (!Number.isNaN(v)) {
        t.push(s * this.slotMs);
        value.push(v);
      }
    }
    return { t, value };
  }

  snapshot(count: number): ArrayBufferView[] {
    this.ensure(Math.max(0, count - 1));
    return [this.values.subarray(0, count * this.slots), this.newest.subarray(0, count)];
  }

  restore(count: number, values: Float32Array, newest: Int32Array): void {
    if (values.length !== count * this.slots || newest.length !== count) throw new Error('history checkpoint does not match the configured ring');
    this.capacity = 0;
    this.values = new Float32Array(0);
    this.newest = new Int32Array(0);
    this.ensure(Math.max(0, count - 1));
    this.values.set(values);
    this.newest.set(newest);
  }
}
