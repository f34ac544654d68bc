/**
 * Tickets as Alertmanager alerts (API v2 `postableAlerts`). Labels are what an existing
 * Alertmanager routes and groups on, so they stay stable over a ticket's life (a fingerprint per
 * ticket and severity); the changing details go into annotations. A ticket that is resolved,
 * verified or closed sends `endsAt`, which resolves the alert.
 */
import type { Ticket } from '../../../../model/index.js';
import type { OutboxEntry } from '../../outbox-entry.js';
import type { AlertmanagerTarget } from './config.js';

export interface PostableAlert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  endsAt?: string;
  generatorURL?: string;
}

const SEVERITY: Record<Ticket['class'], string> = { must_solve: 'critical', routine: 'warning', defer: 'info' };

export function encodeAlerts(entry: OutboxEntry, target: AlertmanagerTarget, now: number): PostableAlert[] {
  const t = entry.ticket;
  const labels = (cls: Ticket['class'], region: string | undefined): Record<string, string> => ({
    ...target.extraLabels,
    alertname: target.alertname,
    ticket_id: t.id,
    incident_id: t.incidentId,
    department: t.department,
    severity: SEVERITY[cls],
    ...(region ? { region } : {}),
    source: 'nocwatch',
  });
  const done = t.state === 'resolved' || t.state === 'verified' || t.state === 'closed';
  const endedAt = t.times?.resolvedAt ?? t.times?.closedAt ?? t.updatedAt;
  const alert: PostableAlert = {
    labels: labels(t.class, t.region),
    annotations: {
      summary: `${t.department}: ${t.category ?? 'problem'} in ${t.region ?? 'the network'} (${t.cells?.length ?? 0} cells)`,
      description: [entry.note, ...(t.reasons ?? [])].filter(Boolean).join('; '),
      state: t.state,
      class: t.class,
      priority: `P${t.priority ?? 4}`,
      version: String(t.version),
      cells: (t.cells ?? []).slice(0, 50).join(','),
      sla_breached: t.sla.breached.join(','),
      ...(t.sla.resolveBy != null ? { resolve_by: new Date(t.sla.resolveBy).toISOString() } : {}),
    },
    startsAt: new Date(t.createdAt).toISOString(),
    endsAt: new Date(done ? endedAt : now + target.activeForS * 1000).toISOString(),
  };
  if (target.publicUrl) alert.generatorURL = `${target.publicUrl.replace(/\/+$/, '')}/api/v1/tickets/${encodeURIComponent(t.id)}`;
  const out = [alert];
  // A label that changed since an earlier version leaves the alert under the old labels firing until
  // it times out: end it. A class raised to must_solve changed the severity label. A core ticket may
  // have had no region label: its incident opens on the element's alarm, before any cell of a region
  // reports the fault, and learns the region later. Ending an alert Alertmanager never notified is harmless.
  if (t.version > 1) {
    const severities: Ticket['class'][] = t.class === 'must_solve' ? ['must_solve', 'routine'] : [t.class];
    const regions = t.region && t.category === 'core' ? [t.region, undefined] : [t.region];
    for (const cls of severities) {
      for (const region of regions) {
        if (cls !== t.class || region !== t.region) out.push({ ...alert, labels: labels(cls, region), endsAt: new Date(now).toISOString() });
      }
    }
  }
  return out;
}
