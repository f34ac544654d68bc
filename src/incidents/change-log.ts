/**
 * The incident changes of one batch, coalesced: `opened` once per incident, `updated` folded into the
 * incident's pending change (a batch that opens and then grows an incident reports one `opened` with
 * the final state), `resolved` and `reopened` kept in order. Each change carries a snapshot of the
 * incident with its version bumped, so consumers can skip stale updates.
 */
import type { ComplaintLink } from '../model/index.js';
import type { IncidentChange } from '../pipeline/stages.js';
import { snapshotIncident, type LiveIncident } from './live-incident.js';

interface Entry {
  live: LiveIncident;
  type: IncidentChange['type'];
  links: ComplaintLink[];
  /** Taken when a later change of the same incident follows; otherwise at `take`. */
  snapshot: IncidentChange['incident'] | null;
}

export class ChangeLog {
  private entries: Entry[] = [];
  private readonly latest = new Map<string, Entry>();

  constructor(
    /** Brings the incident's derived fields (confidence, root cause, triage…) up to date, if stale. */
    private readonly refresh: (live: LiveIncident) => void,
  ) {}

  /** Notes a change. `updated` folds into the incident's pending change, if it has one. */
  record(live: LiveIncident, type: IncidentChange['type'], links: readonly ComplaintLink[] = []): void {
    const last = this.latest.get(live.doc.id);
    if (type === 'updated' && last && last.snapshot === null) {
      last.links.push(...links);
      return;
    }
    const entry: Entry = { live, type, links: [...links], snapshot: null };
    this.entries.push(entry);
    this.latest.set(live.doc.id, entry);
  }

  /**
   * Freezes the incident's pending change before a state change (resolve, reopen, merge), so the
   * earlier change keeps the state it was about.
   */
  seal(live: LiveIncident, now: number): void {
    const last = this.latest.get(live.doc.id);
    if (last && last.snapshot === null) last.snapshot = this.snap(last.live, now);
  }

  /** Forgets every pending change of an incident that never became public (absorbed in its first batch). */
  drop(id: string): void {
    this.entries = this.entries.filter((e) => e.live.doc.id !== id);
    this.latest.delete(id);
  }

  /** The changes since the last call, in order. */
  take(now: number): IncidentChange[] {
    const out: IncidentChange[] = [];
    for (const e of this.entries) {
      const incident = e.snapshot ?? this.snap(e.live, now);
      if (e.type === 'opened') e.live.reported = true;
      out.push(e.links.length > 0 ? { type: e.type, incident, linkedComplaints: e.links } : { type: e.type, incident });
    }
    this.entries = [];
    this.latest.clear();
    return out;
  }

  private snap(live: LiveIncident, now: number): IncidentChange['incident'] {
    this.refresh(live);
    live.doc.version += 1;
    live.doc.updatedAt = Math.max(live.doc.updatedAt, now);
    return snapshotIncident(live.doc);
  }
}
