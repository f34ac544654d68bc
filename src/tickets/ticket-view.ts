/**
 * A ticket as the API and the generic webhook show it: the fields of API.md with every time as an
 * RFC 3339 UTC string, plus the details the dashboard and operators use.
 */
import type { Ticket } from '../model/index.js';
import { isoTime } from '../model/index.js';

/** What the outbox knows about a ticket's delivery, overriding the stored `external`. */
export interface ExternalView {
  system: string;
  key: string | null;
  pushState: Ticket['external']['pushState'];
}

export function ticketView(t: Ticket, external: ExternalView = t.external): Record<string, unknown> {
  const times = t.times ?? {};
  return {
    id: t.id,
    incidentId: t.incidentId,
    complaintIds: t.complaintIds,
    department: t.department,
    class: t.class,
    state: t.state,
    proactive: t.proactive,
    createdAt: isoTime(t.createdAt),
    updatedAt: isoTime(t.updatedAt),
    version: t.version,
    priority: t.priority ?? null,
    stale: t.stale ?? false,
    sla: {
      respondBy: isoTime(t.sla.respondBy),
      onsiteBy: isoTime(t.sla.onsiteBy),
      resolveBy: isoTime(t.sla.resolveBy),
      breached: t.sla.breached,
    },
    breaches: (t.breaches ?? []).map((b) => ({ stage: b.stage, at: isoTime(b.at) })),
    external,
    cells: t.cells ?? [],
    region: t.region ?? null,
    district: t.district ?? null,
    category: t.category ?? null,
    rootCause: t.rootCause ?? null,
    routing: t.routing ?? [],
    reasons: t.reasons ?? [],
    problemStartedAt: isoTime(t.problemStartedAt ?? null),
    detectedAt: isoTime(t.detectedAt ?? null),
    firstComplaintAt: isoTime(t.firstComplaintAt ?? null),
    lastActivityAt: isoTime(t.lastActivityAt ?? null),
    times: Object.fromEntries(Object.entries(times).map(([k, v]) => [k, isoTime(v)])),
    reopenCount: t.reopenCount ?? 0,
    verification: t.verification
      ? {
        passed: t.verification.passed, failed: t.verification.failed, normalSince: isoTime(t.verification.normalSince),
        heldBy: t.verification.heldBy ?? null,
      }
      : null,
    notes: (t.notes ?? []).map((n) => ({ at: isoTime(n.at), text: n.text })),
  };
}
