/**
 * What a ticket copies from its incident to describe the problem — region, district, root cause,
 * when the problem started — and keeping those copies in step as the incident learns more. A core
 * incident opens on its element's alarm before any cell of a region reports the fault (no region
 * yet) and names the element after it opens; a site incident may be re-rooted at its transport
 * node; earlier evidence moves the problem's start back. The ticket must say what the incident
 * says, or the ticketing system routes on a stale region and the evaluation groups it under "".
 */
import type { Incident, Ticket } from '../model/index.js';

/** The descriptive fields of a ticket, as its incident has them now. */
export type IncidentDescription = Pick<Ticket, 'region' | 'district' | 'category' | 'rootCause' | 'problemStartedAt'>;

export function describeIncident(inc: Incident): IncidentDescription {
  const { objectType, objectId, category } = inc.rootCause;
  return {
    region: inc.region,
    district: inc.district,
    category,
    rootCause: { objectType, objectId, category },
    problemStartedAt: inc.openedAt,
  };
}

/** What changed in a ticket's description, in words: `notes` go out at once, `routine` may wait (see `UpdateCoalescer`). */
export interface DescriptionChanges {
  notes: string[];
  routine: string[];
}

/**
 * Brings `t`'s description in step with `inc` (in place) and says what changed; nothing when the
 * incident's update changed none of it, so no ticket version is made for nothing. Where the problem
 * is and what failed matter to whoever works the ticket (routing in the ticketing system, the field
 * team's brief): they go out at once. The start moving back is detail: it rides on the next version.
 */
export function syncDescription(t: Ticket, inc: Incident): DescriptionChanges {
  const next = describeIncident(inc);
  const out: DescriptionChanges = { notes: [], routine: [] };
  if ((next.region ?? '') !== (t.region ?? '')) {
    out.notes.push(`region: ${next.region || 'unknown'} (was ${t.region || 'unknown'})`);
    t.region = next.region;
  }
  if ((next.district ?? '') !== (t.district ?? '')) {
    out.notes.push(`district: ${next.district || 'unknown'} (was ${t.district || 'unknown'})`);
    if (next.district === undefined) delete t.district;
    else t.district = next.district;
  }
  const was = t.rootCause;
  const root = next.rootCause!;
  const rootText = `root cause: ${root.objectType} ${root.objectId} (${root.category})`;
  if (!was || was.objectType !== root.objectType || was.objectId !== root.objectId || was.category !== root.category) {
    if (was) out.notes.push(`${rootText}, was ${was.objectType} ${was.objectId} (${was.category}); department stays ${t.department}`);
    else if (t.category !== root.category) out.notes.push(`${rootText}, was ${t.category ?? 'unknown'}; department stays ${t.department}`);
    // A ticket stored before roots were copied: its root rides on the next version.
    else out.routine.push(rootText);
    t.rootCause = root;
    t.category = root.category;
  }
  if (next.problemStartedAt !== t.problemStartedAt) {
    out.routine.push(`problem started at ${new Date(next.problemStartedAt!).toISOString()}`);
    t.problemStartedAt = next.problemStartedAt;
  }
  return out;
}
