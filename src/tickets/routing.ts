/**
 * Department routing: maintenance for equipment, power, transport and outage faults; optimisation
 * for degradation, interference, congestion and parameter problems; construction only for chronic
 * coverage or capacity problems that optimisation has already had and not fixed — "optimise before
 * you build".
 */
import type { Department, Incident } from '../model/index.js';
import { DAY } from '../model/index.js';
import type { TicketsConfig } from './config.js';

/** An earlier ticket on a cell, as routing remembers it. */
interface PastTicket {
  ticketId: string;
  at: number;
  department: Department;
  category: string;
}

/**
 * Which tickets were opened on which cells recently: the evidence that a problem is chronic.
 * Bounded by the look-back window (older entries are pruned as time advances).
 */
export class TicketHistory {
  private readonly byCell = new Map<string, PastTicket[]>();

  constructor(private readonly lookbackMs: number) {}

  record(cells: readonly string[], past: PastTicket): void {
    for (const cell of cells) {
      const list = this.byCell.get(cell) ?? [];
      if (!list.some((p) => p.ticketId === past.ticketId)) list.push(past);
      this.byCell.set(cell, list);
    }
  }

  /** Distinct earlier tickets on any of `cells` since `now - lookback`, other than `exceptId`. */
  recent(cells: readonly string[], now: number, exceptId: string): PastTicket[] {
    const seen = new Map<string, PastTicket>();
    for (const cell of cells) {
      for (const p of this.byCell.get(cell) ?? []) {
        if (p.ticketId !== exceptId && p.at >= now - this.lookbackMs && p.at <= now) seen.set(p.ticketId, p);
      }
    }
    return [...seen.values()];
  }

  prune(now: number): void {
    for (const [cell, list] of this.byCell) {
      const kept = list.filter((p) => p.at >= now - this.lookbackMs);
      if (kept.length === 0) this.byCell.delete(cell);
      else if (kept.length !== list.length) this.byCell.set(cell, kept);
    }
  }
}

export interface RoutingDecision {
  department: Department;
  /** Why, in words, for the ticket and the operator. */
  reasons: string[];
}

/** Compiled routing rules. */
export class Router {
  private readonly maintenancePattern: RegExp | null;
  readonly history: TicketHistory;

  constructor(private readonly config: TicketsConfig['routing']) {
    const parts = config.maintenanceSignals.filter((s) => s.length > 0);
    this.maintenancePattern = parts.length > 0 ? new RegExp(parts.join('|'), 'i') : null;
    this.history = new TicketHistory(config.constructionLookbackWeeks * 7 * DAY);
  }

  /** The department for a new ticket on `incident`, opened at event time `now`. */
  route(incident: Incident, ticketId: string, now: number): RoutingDecision {
    const category = incident.rootCause.category;
    // Equipment and power alarms point at a field fix whatever the KPIs look like.
    const equipment = this.equipmentEvidence(incident);
    if (equipment) {
      return { department: 'maintenance', reasons: [`alarm ${equipment}: equipment or power fault`] };
    }
    const mapped = this.config.byCategory[category] ?? 'optimization';
    if (mapped === 'construction' || this.config.constructionCategories.includes(category)) {
      const earlier = this.history
        .recent(incident.cells, now, ticketId)
        .filter((p) => p.department === 'optimization' && p.category === category);
      if (this.config.constructionMinRepeats === 0) {
        return { department: 'construction', reasons: [`${category} → construction (configured without an optimisation round first)`] };
      }
      if (earlier.length >= this.config.constructionMinRepeats) {
        return {
          department: 'construction',
          reasons: [
            `chronic ${category}: ${earlier.length} optimisation tickets on the same cells in ` +
              `${this.config.constructionLookbackWeeks} weeks (${earlier.map((p) => p.ticketId).join(', ')}) did not fix it`,
          ],
        };
      }
      return {
        department: mapped === 'construction' ? 'optimization' : mapped,
        reasons: [
          `${category}: optimise before you build (${earlier.length} of ${this.config.constructionMinRepeats} ` +
            'earlier optimisation tickets on these cells needed for construction)',
        ],
      };
    }
    return { department: mapped, reasons: [`root cause ${category} → ${mapped}`] };
  }

  private equipmentEvidence(incident: Incident): string | null {
    if (!this.maintenancePattern) return null;
    const severities: readonly string[] = this.config.maintenanceAlarmSeverities;
    for (const a of incident.anomalies) {
      if (a.source !== 'alarm' || !this.maintenancePattern.test(a.signal)) continue;
      if (a.severity === undefined || severities.includes(a.severity)) return a.signal;
    }
    return null;
  }
}
