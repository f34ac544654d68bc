/**
 * Verification: a fix is believed only when the network data agrees. A `resolved` ticket becomes
 * `verified` once all its cells have stayed normal (KPIs, dial tests, signaling — whatever the
 * detectors watch) for the configured window; cells that go bad again after looking fixed, or that
 * never look fixed within the maximum wait, reopen it.
 */
import type { CellStatus } from '../pipeline/stages.js';
import type { Ticket } from '../model/index.js';
import type { TicketsConfig } from './config.js';

/** What verification needs from the detector stage (DetectorStage implements it). */
export interface CellHealth {
  cellStatus(cellId: string): CellStatus;
}

export type VerificationStep =
  | { kind: 'wait'; normalSince: number | null }
  | { kind: 'verified' }
  | { kind: 'relapse'; reason: string };

/**
 * One look at a resolved ticket at event time `now`. `incidentOpen` says whether the ticket's
 * incident is still open (its anomalies have not resolved): that is as bad as an anomalous cell.
 */
export function verificationStep(
  ticket: Ticket,
  now: number,
  health: CellHealth,
  incidentOpen: boolean,
  config: TicketsConfig['verification'],
): VerificationStep {
  const normalSince = ticket.verification?.normalSince ?? null;
  const bad = (ticket.cells ?? []).filter((c) => health.cellStatus(c) !== 'normal');
  if (!incidentOpen && bad.length === 0) {
    const since = normalSince ?? now;
    if (now - since >= config.windowS * 1000) return { kind: 'verified' };
    return { kind: 'wait', normalSince: since };
  }
  const what = bad.length > 0 ? `cells ${bad.join(', ')} not normal` : 'incident still open';
  if (normalSince != null) return { kind: 'relapse', reason: `relapse during verification: ${what}` };
  const resolvedAt = ticket.times?.resolvedAt ?? now;
  if (now - resolvedAt > config.maxWaitS * 1000) {
    return { kind: 'relapse', reason: `fix not confirmed by the network within ${config.maxWaitS / 3600} h: ${what}` };
  }
  return { kind: 'wait', normalSince: null };
}
