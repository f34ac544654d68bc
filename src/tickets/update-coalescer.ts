/**
 * Holds back routine ticket updates (complaints attached, cells added) so a complaint storm does
 * not push hundreds of versions of one ticket to the ticketing system: at most one routine version
 * per ticket per interval of event time; the notes that waited ride on the next version.
 */
export class UpdateCoalescer {
  private readonly waiting = new Map<string, string[]>();
  private readonly lastSent = new Map<string, number>();

  constructor(private readonly intervalMs: number) {}

  /** True when a routine update of `id` may go out at `now`; otherwise its note waits. */
  offer(id: string, now: number, note: string): boolean {
    if (now - (this.lastSent.get(id) ?? -Infinity) >= this.intervalMs) return true;
    const list = this.waiting.get(id) ?? [];
    list.push(note);
    this.waiting.set(id, list);
    return false;
  }

  /** A version of `id` went out at `now`: returns (and forgets) the notes that waited for one. */
  sent(id: string, now: number): string[] {
    this.lastSent.set(id, now);
    const notes = this.waiting.get(id) ?? [];
    this.waiting.delete(id);
    return notes;
  }

  /** Event time at which the waiting notes of `id` are due, or null when none wait. */
  dueAt(id: string): number | null {
    return this.waiting.has(id) ? (this.lastSent.get(id) ?? -Infinity) + this.intervalMs : null;
  }

  forget(id: string): void {
    this.waiting.delete(id);
    this.lastSent.delete(id);
  }
}
