/**
 * Verification: a fix is believed only when the network data agrees. A `resolved` ticket becomes
 * `verified` once all its cells have stayed normal (KPIs, dial tests, signaling — whatever the
 * detectors watch) for the configured window; cells that go bad again after looking fixed, or that
 * never look fixed within the maximum wait, reopen it.
 *
 * A cell is not a relapse when what makes it abnormal is another fault: every active anomaly known
 * there belongs to another open incident, rooted at another object than the ticket's (a core fault
 * failing attaches across the region, a transport node or a site losing power above an optimised
 * cell). What an engineer expects then: the ticket's fix cannot be judged on those cells while the
 * other fault lasts — neither passed (the cells are not normal) nor failed (its own problem has not
 * come back); the other fault is worked on its own incident's ticket. Verification is held: the
 * other incident is named on the ticket (`verification.heldBy`, with a note), the maximum wait does
 * not end the wait while it lasts, and the window starts again once the cells are normal after it,
 * since the cells were not seen working through it.
 *
 * What is the ticket's own still counts against the fix: a cell where anything active belongs to
 * its incident or to an incident at the same root (for a core ticket, any core incident of its
 * region); and a cell nothing open explains, once that has lasted `relapseGraceS` (15 min) — the
 * incident stage holds some findings back before placing them (a signaling failure waits for the
 * region-wide picture), so a core fault's first cells look unexplained for a few minutes. Complaint
 * clusters explain nothing: they are symptoms whose cause is not known.
 */
import type { CellStatus } from '../pipeline/stages.js';
import { isCoreRoot, type Ticket } from '../model/index.js';
import type { TicketsConfig } from './config.js';
import type { CellCauses, OpenIncidentRef } from './open-incidents.js';

/** What verification needs from the detector stage (DetectorStage implements it). */
export interface CellHealth {
  cellStatus(cellId: string): CellStatus;
}

/** Verification's progress on a ticket, kept in `ticket.verification`. */
export interface VerificationProgress {
  normalSince: number | null;
  suspectSince: number | null;
}

export type VerificationStep =
  | ({ kind: 'wait' } & VerificationProgress)
  /** The cells are abnormal because of another open incident (`by`): neither passed nor failed. */
  | ({ kind: 'held'; by: OpenIncidentRef; cells: string[] } & VerificationProgress)
  | { kind: 'verified' }
  | { kind: 'relapse'; reason: string };

const NO_CAUSES: CellCauses = { at: () => [] };

/**
 * One look at a resolved ticket at event time `now`. `incidentOpen` says whether the ticket's
 * incident is still open (its anomalies have not resolved): that is as bad as an anomalous cell.
 * `causes` says which open incidents have active evidence at a cell.
 */
export function verificationStep(
  ticket: Ticket,
  now: number,
  health: CellHealth,
  incidentOpen: boolean,
  config: TicketsConfig['verification'],
  causes: CellCauses = NO_CAUSES,
): VerificationStep {
  const normalSince = ticket.verification?.normalSince ?? null;
  const suspectSince = ticket.verification?.suspectSince ?? null;
  const bad: string[] = [];
  const held: string[] = [];
  let heldBy: OpenIncidentRef | null = null;
  for (const c of ticket.cells ?? []) {
    if (health.cellStatus(c) === 'normal') continue;
    const other = otherFaultAt(c, ticket, causes);
    if (other) {
      held.push(c);
      heldBy ??= other;
    } else bad.push(c);
  }
  if (!incidentOpen && bad.length === 0) {
    // After another fault, or a bad stretch nothing explained, the window starts again: the cells
    // were not seen working through it.
    if (heldBy) return { kind: 'held', normalSince: normalSince == null ? null : now, suspectSince: null, by: heldBy, cells: held };
    const since = normalSince == null || suspectSince != null ? now : normalSince;
    if (now - since >= config.windowS * 1000) return { kind: 'verified' };
    return { kind: 'wait', normalSince: since, suspectSince: null };
  }
  const what = bad.length > 0 ? `cells ${bad.join(', ')} not normal` : 'incident still open';
  if (normalSince != null) {
    // Not yet: the incident stage may still be about to say which fault this is.
    const since = suspectSince ?? now;
    if (!incidentOpen && now - since < config.relapseGraceS * 1000) return { kind: 'wait', normalSince, suspectSince: since };
    return { kind: 'relapse', reason: `relapse during verification: ${what}` };
  }
  const resolvedAt = ticket.times?.resolvedAt ?? now;
  if (now - resolvedAt > config.maxWaitS * 1000) {
    return { kind: 'relapse', reason: `fix not confirmed by the network within ${config.maxWaitS / 3600} h: ${what}` };
  }
  return { kind: 'wait', normalSince: null, suspectSince: null };
}

/** The other fault that explains everything known to be active at `cellId`, or null when something there is the ticket's own, or nothing known is. */
function otherFaultAt(cellId: string, ticket: Ticket, causes: CellCauses): OpenIncidentRef | null {
  let other: OpenIncidentRef | null = null;
  for (const o of causes.at(cellId)) {
    if (!isOtherFault(o, ticket)) return null;
    other ??= o;
  }
  return other;
}

/**
 * Whether open incident `o` is a different fault from ticket `t`'s: not its incident, not a complaint
 * cluster (its cause is unknown), and rooted at another object. Two core incidents of one region are
 * one fault (a core incident is rooted at its region until its element is named). A ticket stored
 * before tickets kept their root compares by incident only.
 */
export function isOtherFault(o: OpenIncidentRef, t: Ticket): boolean {
  if (o.id === t.incidentId || o.root.objectType === 'district') return false;
  const root = t.rootCause;
  if (!root) return true;
  if (root.objectType === o.root.objectType && root.objectId === o.root.objectId) return false;
  return !(isCoreRoot(root.objectType) && isCoreRoot(o.root.objectType) && (!t.region || !o.region || t.region === o.region));
}
