/**
 * What the ticket stage knows of the incidents open right now, learnt from the incident changes it
 * is handed (and the live incidents after a restart): for each cell, the open incidents whose active
 * evidence is there. The incident stage has already decided what each anomaly belongs to; this only
 * remembers its answer, so verification can tell a ticket's own problem coming back from its cells
 * dragged down by another fault (see `verificationStep`).
 */
import type { Incident, ObjectType } from '../model/index.js';

/** An open incident as verification needs it: which one, and what it is rooted at. */
export interface OpenIncidentRef {
  id: string;
  root: { objectType: ObjectType; objectId: string };
  region: string;
}

/** The open incidents with active evidence at a cell (none when nothing known is active there). */
export interface CellCauses {
  at(cellId: string): Iterable<OpenIncidentRef>;
}

export class OpenIncidents implements CellCauses {
  private readonly byId = new Map<string, { ref: OpenIncidentRef; cells: string[] }>();
  private readonly byCell = new Map<string, Map<string, OpenIncidentRef>>();

  /** The incident's latest state: indexed while open, forgotten once resolved or merged. */
  apply(inc: Incident & { mergedInto?: string }): void {
    this.forget(inc.id);
    if (inc.state !== 'open' || inc.mergedInto !== undefined) return;
    const cells = activeCells(inc);
    if (cells.length === 0) return;
    const ref: OpenIncidentRef = {
      id: inc.id, root: { objectType: inc.rootCause.objectType, objectId: inc.rootCause.objectId }, region: inc.region,
    };
    this.byId.set(inc.id, { ref, cells });
    for (const c of cells) {
      let m = this.byCell.get(c);
      if (!m) this.byCell.set(c, (m = new Map()));
      m.set(inc.id, ref);
    }
  }

  at(cellId: string): Iterable<OpenIncidentRef> {
    return this.byCell.get(cellId)?.values() ?? [];
  }

  get size(): number {
    return this.byId.size;
  }

  private forget(id: string): void {
    const old = this.byId.get(id);
    if (!old) return;
    this.byId.delete(id);
    for (const c of old.cells) {
      const m = this.byCell.get(c);
      m?.delete(id);
      if (m?.size === 0) this.byCell.delete(c);
    }
  }
}

/**
 * The cells an incident's unresolved evidence touches, as the detectors' cell status counts them: an
 * anomaly at a cell touches that cell; a site or transport alarm every cell behind it (the incident's
 * cells stand for those: a site or transport incident covers what is behind its root); a core or
 * region finding no cell.
 */
function activeCells(inc: Incident): string[] {
  const out = new Set<string>();
  let wholeIncident = false;
  for (const e of inc.anomalies) {
    if (e.resolvedAt !== undefined) continue;
    if (e.cellId !== undefined) out.add(e.cellId);
    else if (e.objectType === 'site' || e.objectType === 'transport') wholeIncident = true;
  }
  if (wholeIncident) for (const c of inc.cells) out.add(c);
  return [...out];
}
