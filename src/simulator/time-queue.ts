/**
 * Records waiting for their event time (delayed complaints, alarm clears after a fault ends): a
 * binary min-heap on time, ties kept in insertion order so output is deterministic.
 */
export class TimeQueue<T> {
  private readonly items: { t: number; seq: number; value: T }[] = [];
  private seq = 0;

  get size(): number {
    return this.items.length;
  }

  push(t: number, value: T): void {
    const h = this.items;
    h.push({ t, seq: this.seq++, value });
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.less(i, p)) break;
      [h[i], h[p]] = [h[p], h[i]];
      i = p;
    }
  }

  /** Removes and returns every value with time ≤ `t`, earliest first. */
  popUntil(t: number): { t: number; value: T }[] {
    const out: { t: number; value: T }[] = [];
    while (this.items.length > 0 && this.items[0].t <= t) {
      const top = this.pop();
      out.push({ t: top.t, value: top.value });
    }
    return out;
  }

  private pop(): { t: number; seq: number; value: T } {
    const h = this.items;
    const top = h[0];
    const last = h.pop() as (typeof h)[number];
    if (h.length > 0) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && this.less(l, m)) m = l;
        if (r < h.length && this.less(r, m)) m = r;
        if (m === i) break;
        [h[i], h[m]] = [h[m], h[i]];
        i = m;
      }
    }
    return top;
  }

  private less(i: number, j: number): boolean {
    const a = this.items[i];
    const b = this.items[j];
    return a.t < b.t || (a.t === b.t && a.seq < b.seq);
  }
}
