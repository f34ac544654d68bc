/**
 * A compact, bounded memory of who complained and what went wrong where, for the repeat-count
 * principle: the same customer again within the window, the same cell again. Per customer it keeps
 * the last few complaint times; per cell the last few complaint times and incidents. Both maps forget
 * the least recently touched entries first once over their caps, so memory stays bounded on a
 * province-sized network.
 */
import { DAY } from '../model/index.js';

export interface RepeatHistoryLimits {
  repeatWindowDays: number;
  maxCustomers: number;
  maxCells: number;
  eventsPerCell: number;
}

interface CellEvents {
  /** Complaint times, oldest first. */
  complaints: number[];
  /** [time, incidentId] of incidents that touched the cell, oldest first. */
  incidents: [number, string][];
}

/** Keeps at most `max` entries: re-inserting moves a key to the back, the front is evicted first. */
function touch<V>(map: Map<string, V>, key: string, value: V, max: number): void {
  map.delete(key);
  map.set(key, value);
  if (map.size > max) map.delete(map.keys().next().value as string);
}

function pushBounded<T>(list: T[], item: T, max: number): void {
  list.push(item);
  if (list.length > max) list.splice(0, list.length - max);
}

const CUSTOMER_EVENTS = 4;

export class RepeatHistory {
  private readonly customers = new Map<string, number[]>();
  private readonly cells = new Map<string, CellEvents>();
  private readonly windowMs: number;

  constructor(private readonly limits: RepeatHistoryLimits) {
    this.windowMs = limits.repeatWindowDays * DAY;
  }

  /** Complaints by this customer in the window before `t` (not counting one at `t` itself). */
  customerComplaintsBefore(customerId: string, t: number): number {
    const times = this.customers.get(customerId);
    if (!times) return 0;
    return times.filter((x) => x < t && x >= t - this.windowMs).length;
  }

  /** Complaints from these cells in the window before `t`. */
  cellComplaintsBefore(cellIds: Iterable<string>, t: number): number {
    let n = 0;
    for (const id of cellIds) {
      const ev = this.cells.get(id);
      if (ev) n = Math.max(n, ev.complaints.filter((x) => x < t && x >= t - this.windowMs).length);
    }
    return n;
  }

  /** Distinct earlier incidents (other than `excludeId` and those it absorbed) on these cells within the window before `t`. */
  incidentsBefore(cellIds: Iterable<string>, t: number, exclude: ReadonlySet<string> = new Set()): number {
    const seen = new Set<string>();
    for (const id of cellIds) {
      const ev = this.cells.get(id);
      if (!ev) continue;
      for (const [at, incId] of ev.incidents) {
        if (at < t && at >= t - this.windowMs && !exclude.has(incId)) seen.add(incId);
      }
    }
    return seen.size;
  }

  /** Remembers a complaint by a customer from the given cells. */
  noteComplaint(customerId: string, cellIds: Iterable<string>, t: number): void {
    const times = this.customers.get(customerId) ?? [];
    pushBounded(times, t, CUSTOMER_EVENTS);
    touch(this.customers, customerId, times, this.limits.maxCustomers);
    for (const id of cellIds) pushBounded(this.cellEvents(id).complaints, t, this.limits.eventsPerCell);
  }

  /** Remembers that an incident touched these cells (once per incident and cell). */
  noteIncident(incidentId: string, cellIds: Iterable<string>, t: number): void {
    for (const id of cellIds) {
      const list = this.cellEvents(id).incidents;
      if (!list.some(([, i]) => i === incidentId)) pushBounded(list, [t, incidentId], this.limits.eventsPerCell);
    }
  }

  /** Number of customers and cells remembered (for tests and metrics). */
  get size(): { customers: number; cells: number } {
    return { customers: this.customers.size, cells: this.cells.size };
  }

  private cellEvents(cellId: string): CellEvents {
    let ev = this.cells.get(cellId);
    if (!ev) ev = { complaints: [], incidents: [] };
    touch(this.cells, cellId, ev, this.limits.maxCells);
    return ev;
  }
}
