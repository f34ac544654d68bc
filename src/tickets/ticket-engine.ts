/**
 * The ticket stage: opens a ticket for every confirmed incident that triage does not defer, routes
 * it, runs its SLA clocks, follows the ticketing system's status, verifies the fix against the
 * network data, closes it, and audits tickets nobody moves. Pure logic over event time: the
 * pipeline passes `now` (the watermark) and persists the changes this reports.
 *
 * One incident has at most one ticket, with a deterministic id, for its whole life: complaints that
 * join later attach to it, a relapse reopens it.
 */
import type {
  Complaint, Incident, SlaStage, Ticket, TicketState, TriageClass,
} from '../model/index.js';
import { DAY, HOUR, SLA_STAGES } from '../model/index.js';
import type { IncidentChange, TicketChange, TicketEventInput, TicketStage } from '../pipeline/stages.js';
import type { TicketsConfig } from './config.js';
import { invalidTransition, ticketNotFound } from './errors.js';
import { Router } from './routing.js';
import { deadlineOf, dueBreaches, slaDeadlines } from './sla.js';
import { isActive, nextState, type TicketInput } from './state-machine.js';
import { verificationStep, type CellHealth } from './verification.js';
import { OpenIncidents } from './open-incidents.js';
import { basePriority, newTicket, type IncidentLike } from './new-ticket.js';
import { syncDescription } from './incident-description.js';
import { UpdateCoalescer } from './update-coalescer.js';


/** Read access to stored complaints (their receive time decides `proactive`). */
export interface ComplaintLookup {
  complaint(complaintId: string): Complaint | undefined;
}

export interface TicketEngineDeps {
  config: TicketsConfig;
  cellHealth: CellHealth;
  complaints?: ComplaintLookup;
  /** Name of the ticketing system (the ticket's `external.system`); `none` when nothing is configured. */
  system?: string;
}

const CLASS_RANK: Record<TriageClass, number> = { defer: 0, routine: 1, must_solve: 2 };
/** Closed tickets stay in memory this long, so a late relapse still finds (and reopens) them. */
export const CLOSED_RETENTION = 35 * DAY;

/** The ticket id of an incident: stable, so a replay or restart produces the same ids. */
export function ticketIdFor(incidentId: string): string {
  return `TKT-${incidentId.replace(/^INC-/, '')}`;
}

export class TicketEngine implements TicketStage {
  private readonly tickets = new Map<string, Ticket>();
  private changes: TicketChange[] = [];
  /** Tickets whose verification clocks moved without a new version since `takeProgress`. */
  private readonly progress = new Set<string>();
  private readonly router: Router;
  /** Per ticket, the event time before which `advance` has nothing to do (absent: look now). */
  private readonly wakeAt = new Map<string, number>();
  private prunedAt = -Infinity;
  private readonly coalescer: UpdateCoalescer;
  /** Which open incidents have active evidence at which cells: what verification holds on. */
  private readonly openIncidents = new OpenIncidents();

  constructor(private readonly deps: TicketEngineDeps) {
    this.router = new Router(deps.config.routing);
    this.coalescer = new UpdateCoalescer(deps.config.updateCoalesceS * 1000);
  }

  /**
   * How far back (event time) closed tickets matter after a restart: a relapse may still reopen
   * them, and routing counts them as earlier tickets on their cells.
   */
  get restoreWindowMs(): number {
    return Math.max(CLOSED_RETENTION, this.deps.config.routing.constructionLookbackWeeks * 7 * DAY);
  }

  /** A copy of one ticket, or undefined. */
  get(ticketId: string): Ticket | undefined {
    const t = this.tickets.get(ticketId);
    return t ? structuredClone(t) : undefined;
  }

  /** The tickets held in memory (every ticket not closed long ago). Read-only views. */
  live(): Iterable<Readonly<Ticket>> {
    return this.tickets.values();
  }

  onIncidentChanges(changes: readonly IncidentChange[], now: number): void {
    for (const change of changes) {
      const inc: IncidentLike = change.incident;
      this.openIncidents.apply(inc);
      const t = this.tickets.get(ticketIdFor(inc.id));
      if (!t) {
        if (this.shouldOpen(inc)) this.open(inc, now);
        continue;
      }
      this.follow(t, change, now);
    }
  }

  onTicketEvent(ticketId: string, event: TicketEventInput, now: number): Ticket {
    const t = this.tickets.get(ticketId);
    if (!t) throw ticketNotFound(ticketId);
    const outcome = nextState(t.state, event.type);
    if (outcome == null) throw invalidTransition(ticketId, t.state, event.type);
    // A milestone stamped before the ticket existed (the ticketing system's clock behind ours) happened
    // when it was created at the earliest: it is no instant response, and no negative time.
    const at = Math.max(event.at, t.createdAt);
    const times = (t.times ??= {});
    const before = JSON.stringify([t.state, times]);
    switch (event.type) {
      case 'acknowledged': times.acknowledgedAt ??= at; break;
      case 'dispatched': times.dispatchedAt ??= at; break;
      case 'onsite': times.onsiteAt ??= at; times.dispatchedAt ??= at; break;
      case 'resolved': if (outcome !== 'same') times.resolvedAt = at; break;
      default: break;
    }
    const stateChanged = outcome !== 'same' && outcome !== t.state;
    // A retried delivery of an event already applied changes nothing: no new version to push.
    if (!stateChanged && event.type !== 'comment' && JSON.stringify([t.state, times]) === before) {
      return structuredClone(t);
    }
    t.stale = false;
    t.lastActivityAt = Math.max(t.lastActivityAt ?? t.createdAt, at);
    const text = `${event.type}${event.note ? `: ${event.note}` : ''}`;
    if (stateChanged) {
      const reopening = outcome === 'reopened';
      this.enter(t, outcome, at, now);
      this.emit(t, reopening ? 'reopened' : 'state', Math.max(now, at), `ticketing system: ${text}`);
    } else {
      this.emit(t, 'updated', Math.max(now, at), `ticketing system: ${text}`);
    }
    // An event stamped past a deadline that the watermark has not reached yet is a breach already.
    this.checkSla(t, Math.max(now, at));
    return structuredClone(t);
  }

  advance(now: number): void {
    for (const t of this.tickets.values()) {
      // Most tickets have nothing due for hours: skip them until their next deadline.
      if ((this.wakeAt.get(t.id) ?? -Infinity) > now) continue;
      this.check(t, now);
      if (this.tickets.has(t.id)) this.wakeAt.set(t.id, this.nextWake(t));
    }
    if (now - this.prunedAt >= HOUR) {
      this.router.history.prune(now);
      this.prunedAt = now;
    }
  }

  /** The time-driven work on one ticket: SLA, audit, verification, closing, forgetting. */
  private check(t: Ticket, now: number): void {
    const { verification, audit } = this.deps.config;
    const due = this.coalescer.dueAt(t.id);
    if (due != null && due <= now) this.emit(t, 'updated', now, '');
    if (isActive(t.state)) {
      this.checkSla(t, now);
      const limit = audit.staleAfterS[t.class] * 1000;
      const last = t.lastActivityAt ?? t.createdAt;
      if (!t.stale && now - last > limit) {
        t.stale = true;
        this.emit(t, 'updated', now, `audit: no progress for ${fmtHours(now - last)} (limit ${fmtHours(limit)})`);
      }
    } else if (t.state === 'resolved') {
      const step = verificationStep(t, now, this.deps.cellHealth, t.incidentState === 'open', verification, this.openIncidents);
      const v = (t.verification ??= { passed: 0, failed: 0, normalSince: null });
      if (step.kind === 'wait' || step.kind === 'held') {
        // Internal progress: no new version, but stored (`takeProgress`) so a restart resumes the window.
        if (v.normalSince !== step.normalSince || (v.suspectSince ?? null) !== step.suspectSince) this.progress.add(t.id);
        v.normalSince = step.normalSince;
        v.suspectSince = step.suspectSince;
      }
      // Said once per other incident (not on every flap of its evidence at these cells).
      if (step.kind === 'held' && v.heldBy !== step.by.id) {
        v.heldBy = step.by.id;
        const root = `${step.by.root.objectType} ${step.by.root.objectId}`;
        this.emit(t, 'updated', now, `verification held: cells ${step.cells.join(', ')} not normal with ${step.by.id} (${root}), another fault; the window starts again once they are normal after it`);
      } else if (step.kind === 'verified') {
        v.passed += 1;
        // Whatever held the window is over: a verified ticket names no holder.
        v.heldBy = null;
        this.transition(t, 'verify_passed', now, 'verified', 'network data normal for the verification window');
      } else if (step.kind === 'relapse') {
        v.failed += 1;
        this.transition(t, 'relapse', now, 'reopened', step.reason);
      }
    } else if (t.state === 'verified') {
      const verifiedAt = t.times?.verifiedAt ?? now;
      if (now - verifiedAt >= verification.closeAfterS * 1000) {
        this.transition(t, 'close_due', now, 'closed', 'verified and stable: closed');
      }
    } else if (t.state === 'closed' && now - (t.times?.closedAt ?? now) > CLOSED_RETENTION) {
      this.tickets.delete(t.id);
      this.wakeAt.delete(t.id);
      this.coalescer.forget(t.id);
    }
  }

  /** The earliest event time at which `check` can find something to do for `t`. */
  private nextWake(t: Ticket): number {
    return Math.min(this.coalescer.dueAt(t.id) ?? Infinity, this.deadlineWake(t));
  }

  private deadlineWake(t: Ticket): number {
    const { verification, audit } = this.deps.config;
    if (isActive(t.state)) {
      let at = t.stale ? Infinity : (t.lastActivityAt ?? t.createdAt) + audit.staleAfterS[t.class] * 1000 + 1;
      for (const stage of SLA_STAGES) {
        const deadline = deadlineOf(t.sla, stage);
        if (deadline != null && !t.sla.breached.includes(stage)) at = Math.min(at, deadline + 1);
      }
      return at;
    }
    // Cell health can change at any time: a resolved ticket is looked at on every advance.
    if (t.state === 'resolved') return -Infinity;
    if (t.state === 'verified') return (t.times?.verifiedAt ?? 0) + verification.closeAfterS * 1000;
    return (t.times?.closedAt ?? 0) + CLOSED_RETENTION + 1;
  }

  takeChanges(): TicketChange[] {
    const out = this.changes;
    this.changes = [];
    return out;
  }

  takeProgress(): Ticket[] {
    const out: Ticket[] = [];
    for (const id of this.progress) {
      const t = this.tickets.get(id);
      if (t) out.push(structuredClone(t));
    }
    this.progress.clear();
    return out;
  }

  /**
   * After a restart: the stored tickets, and the incidents the incident stage restored (open ones
   * tell verification which other faults hold which cells until their next change).
   */
  restore(tickets: readonly Ticket[], incidents: Iterable<Incident> = []): void {
    for (const inc of incidents) this.openIncidents.apply(inc);
    for (const stored of tickets) {
      const t = structuredClone(stored);
      this.tickets.set(t.id, t);
      this.router.history.record(t.cells ?? [], {
        ticketId: t.id, at: t.createdAt, department: t.department, category: t.category ?? 'unknown',
      });
    }
  }

  // ── opening and following incidents ──────────────────────────────────────────────────────────

  private shouldOpen(inc: IncidentLike): boolean {
    return (
      inc.state === 'open' &&
      inc.triage.class !== 'defer' &&
      inc.confirmed !== false &&
      (inc.confidence ?? 1) >= this.deps.config.minConfidence
    );
  }

  private open(inc: IncidentLike, now: number): void {
    const id = ticketIdFor(inc.id);
    const route = this.router.route(inc, id, now);
    const cls = inc.triage.class;
    const firstComplaintAt = this.firstComplaintAt(inc.complaintIds);
    const firstComplaintSinceStart = this.deps.complaints ? this.firstComplaintAt(inc.complaintIds, inc.openedAt) : undefined;
    const merged = this.absorbedTickets(inc);
    const firstTicketAt = Math.min(now, ...merged.map((m) => m.firstTicketAt ?? m.createdAt));
    const t = newTicket({
      inc, id, now, route, firstComplaintAt, firstComplaintSinceStart, firstTicketAt, mergedFrom: merged.map((m) => m.id),
      sla: slaDeadlines(this.deps.config.sla, cls, now, inc.rootCause.category), system: this.deps.system ?? 'none',
    });
    this.tickets.set(id, t);
    this.router.history.record(t.cells ?? [], { ticketId: id, at: now, department: t.department, category: inc.rootCause.category });
    this.emit(t, 'opened', now, `opened for ${inc.id} (${cls}, ${route.department}): ${route.reasons[0]}`);
  }

  /** Applies an incident change to its existing ticket. */
  private follow(t: Ticket, change: IncidentChange, now: number): void {
    const inc: IncidentLike = change.incident;
    const notes: string[] = [];
    /** Complaints and cells joining: pushed at most once per `updateCoalesceS`. */
    const routine: string[] = [];
    t.incidentState = inc.state;

    const absorbed = this.absorbedTickets(inc).filter((m) => !(t.mergedFrom ?? []).includes(m.id));
    if (absorbed.length > 0) {
      t.mergedFrom = [...(t.mergedFrom ?? []), ...absorbed.map((m) => m.id)];
      t.firstTicketAt = Math.min(t.firstTicketAt ?? t.createdAt, ...absorbed.map((m) => m.firstTicketAt ?? m.createdAt));
      notes.push(`carries on from ${absorbed.map((m) => m.id).join(', ')} (incidents merged into ${inc.id})`);
    }
    const added = inc.complaintIds.filter((c) => !t.complaintIds.includes(c));
    if (added.length > 0) {
      t.complaintIds.push(...added);
      const first = this.firstComplaintAt(t.complaintIds);
      if (first != null) t.firstComplaintAt = first;
      // Only a complaint since the problem began makes the ticket reactive (see `newTicket`).
      const sinceStart = this.firstComplaintAt(t.complaintIds, inc.openedAt);
      if (sinceStart != null && sinceStart <= (t.firstTicketAt ?? t.createdAt)) t.proactive = false;
      routine.push(`${added.length} complaint(s) attached: ${added.join(', ')}`);
    }
    if (CLASS_RANK[inc.triage.class] > CLASS_RANK[t.class]) {
      notes.push(`class raised ${t.class} → ${inc.triage.class}: ${inc.triage.reasons[0] ?? 're-triaged'}`);
      t.class = inc.triage.class;
      t.reasons = [...inc.triage.reasons];
      const deadlines = slaDeadlines(this.deps.config.sla, t.class, t.createdAt, inc.rootCause.category);
      t.sla = { ...t.sla, ...deadlines };
      t.priority = Math.min(t.priority ?? 4, basePriority(t.class, inc.severity) - t.sla.breached.length);
      t.priority = Math.max(1, t.priority);
    }
    const newCells = inc.cells.filter((c) => !(t.cells ?? []).includes(c));
    if (newCells.length > 0) {
      t.cells = [...(t.cells ?? []), ...newCells];
      routine.push(`cells added: ${newCells.join(', ')}`);
    }
    const described = syncDescription(t, inc);
    notes.push(...described.notes);
    routine.push(...described.routine);
    if (notes.length > 0) this.emit(t, 'updated', now, [...notes, ...routine].join('; '));
    else if (routine.length > 0 && this.coalescer.offer(t.id, now, routine.join('; '))) this.emit(t, 'updated', now, routine.join('; '));
    else if (routine.length > 0) this.wakeAt.delete(t.id);

    if (change.type === 'resolved' && inc.mergedInto !== undefined) {
      // The work goes on under the bigger incident's ticket: this one closes as a duplicate.
      const into = ticketIdFor(inc.mergedInto);
      this.transition(t, 'merged', now, 'closed', `merged: incident ${inc.id} is part of ${inc.mergedInto}; work continues on ${into}`);
    } else if (change.type === 'resolved' && this.deps.config.resolveOnIncidentRecovery) {
      if (nextState(t.state, 'network_recovered') === 'resolved') {
        this.transition(t, 'network_recovered', now, 'resolved', 'network recovered: verification started', inc.resolvedAt ?? now);
      }
    } else if (change.type === 'reopened' && nextState(t.state, 'relapse') === 'reopened') {
      t.verification = { ...(t.verification ?? { passed: 0, failed: 0 }), normalSince: null };
      if (t.state === 'resolved') t.verification.failed += 1;
      this.transition(t, 'relapse', now, 'reopened', `relapse: incident ${inc.id} reopened`);
    }
  }

  // ── state changes, SLA, emitting ─────────────────────────────────────────────────────────────

  /** A daemon-driven transition (`input` must lead to `to` in the table). */
  private transition(t: Ticket, input: TicketInput, now: number, to: TicketState, note: string, at = now): void {
    if (nextState(t.state, input) !== to) return;
    this.checkSla(t, at);
    this.enter(t, to, at, now);
    this.emit(t, to === 'reopened' ? 'reopened' : to === 'verified' ? 'verified' : to === 'closed' ? 'closed' : 'state', now, note);
  }

  /** Sets the state and its milestone. */
  private enter(t: Ticket, to: TicketState, at: number, now: number): void {
    const times = (t.times ??= {});
    t.state = to;
    switch (to) {
      case 'resolved':
        times.resolvedAt = at;
        t.verification = { ...(t.verification ?? { passed: 0, failed: 0 }), normalSince: null, heldBy: null, suspectSince: null };
        break;
      case 'verified': times.verifiedAt = at; break;
      case 'closed': times.closedAt = at; break;
      case 'reopened':
        times.reopenedAt = at;
        t.reopenCount = (t.reopenCount ?? 0) + 1;
        // The work starts again: the audit measures from now.
        t.lastActivityAt = Math.max(t.lastActivityAt ?? 0, now);
        t.stale = false;
        break;
      default: break;
    }
  }

  /** Records SLA breaches due by event time `now` and escalates each. */
  private checkSla(t: Ticket, now: number): void {
    for (const b of dueBreaches(t, now, isActive(t.state))) {
      t.sla.breached.push(b.stage);
      (t.breaches ??= []).push(b);
      t.priority = Math.max(1, (t.priority ?? 4) - 1);
      this.emit(t, 'sla_breach', now, `SLA ${stageName(b.stage)} breached at ${new Date(b.at).toISOString()}: escalated to P${t.priority}`);
    }
  }

  private emit(t: Ticket, type: TicketChange['type'], now: number, text: string): void {
    this.wakeAt.delete(t.id);
    // Every version carries the whole ticket: notes held back for a routine update ride on it.
    const note = [...this.coalescer.sent(t.id, now), text].filter(Boolean).join('; ');
    t.version += 1;
    t.updatedAt = Math.max(t.updatedAt, now);
    const notes = (t.notes ??= []);
    notes.push({ at: now, text: note });
    if (notes.length > this.deps.config.maxNotes) notes.splice(0, notes.length - this.deps.config.maxNotes);
    this.changes.push({ type, ticket: structuredClone(t), note });
  }

  /** Tickets of the incidents merged into `inc`. */
  private absorbedTickets(inc: IncidentLike): Ticket[] {
    const out: Ticket[] = [];
    for (const id of inc.absorbed ?? []) {
      const m = this.tickets.get(ticketIdFor(id));
      if (m) out.push(m);
    }
    return out;
  }

  /** The earliest receive time of the complaints `ids` received at or after `since`; null when none (or unknown). */
  private firstComplaintAt(ids: readonly string[], since = -Infinity): number | null {
    const lookup = this.deps.complaints;
    if (!lookup || ids.length === 0) return null;
    let first: number | null = null;
    for (const id of ids) {
      const c = lookup.complaint(id);
      if (c && c.receivedAt >= since && (first == null || c.receivedAt < first)) first = c.receivedAt;
    }
    return first;
  }
}


function stageName(stage: SlaStage): string {
  return stage === 'onsite' ? 'on site' : stage;
}

function fmtHours(ms: number): string {
  return `${Math.round((ms / HOUR) * 10) / 10} h`;
}
