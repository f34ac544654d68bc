/**
 * Complaints, from every channel. A background rate per subscriber (busier in the afternoon, with
 * repeat complainers), plus the complaints faults cause: their number grows with the subscribers
 * affected and the fault's duration (capped at the 1–2 % who ever complain), they arrive minutes to
 * hours after the customer noticed, and each carries a cell id, a lat/lon near the cell, or only a
 * district — as hotline agents record them.
 */
import type { ComplaintCategory, ComplaintChannel, CustomerClass } from '../../model/index.js';
import { HOUR, MINUTE } from '../../model/index.js';
import type { CellLoad, FeedContext } from '../cell-load.js';
import type { CellProfiles } from '../cell-profiles.js';
import { CONGESTED_PRB_MARK, congestedPrb } from '../fault-effects.js';
import {
  COMPLAINT_CAP, COMPLAINT_HAZARD_PER_HOUR, COVERAGE_HOLE_COMPLAINTS_PER_DAY, FAULT_COMPLAINT_CATEGORIES, FAULT_KINDS,
  overlapFraction, type Fault, type FaultKind,
} from '../faults.js';
import { offsetKm, SiteGrid, type SimNetwork } from '../network.js';
import { AliasTable, hash32, Rng, WeightedChoice } from '../prng.js';

export interface ComplaintRecordOut {
  complaintId: string;
  channel: ComplaintChannel;
  receivedAt: string;
  customer: { id: string; class: CustomerClass };
  category: ComplaintCategory;
  location: { cellId: string } | { lat: number; lon: number } | { district: string };
  description: string;
}

/** A complaint waiting for its arrival time, and the fault behind it (null: background). */
export interface PendingComplaint {
  t: number;
  faultId: string | null;
  complaint: Omit<ComplaintRecordOut, 'receivedAt'>;
}

const BACKGROUND_CATEGORIES = new WeightedChoice<ComplaintCategory>({
  weak_signal: 25, slow_data: 25, call_drop: 12, no_coverage: 10, call_failure: 8, voice_quality: 8, no_data: 5, other: 7,
});
const CHANNELS: Record<'regular' | 'vip' | 'enterprise', WeightedChoice<ComplaintChannel>> = {
  regular: new WeightedChoice<ComplaintChannel>({ hotline: 50, app: 18, online: 12, retail: 10, staff: 4, quality_supervisor: 3, regulator: 3 }),
  vip: new WeightedChoice<ComplaintChannel>({ hotline: 70, app: 15, retail: 10, quality_supervisor: 5 }),
  enterprise: new WeightedChoice<ComplaintChannel>({ enterprise_manager: 60, hotline: 30, online: 10 }),
};
const DESCRIPTIONS: Record<ComplaintCategory, readonly string[]> = {
  no_coverage: ['no signal at all', 'phone shows no service', 'no service since this morning'],
  weak_signal: ['signal very weak indoors', 'only one bar at home', 'signal keeps falling back to 2G'],
  call_drop: ['calls drop after a minute', 'calls keep dropping in the office', 'calls cut off while driving'],
  call_failure: ['cannot make calls', 'calls fail to connect', 'outgoing calls fail'],
  slow_data: ['mobile data very slow', 'videos keep buffering', 'web pages load slowly in the evening'],
  no_data: ['mobile data not working', 'cannot get online', 'apps say no connection'],
  voice_quality: ['voice breaks up during calls', 'cannot hear the other party clearly', 'echo on calls'],
  other: ['network problem', 'service unstable', 'problem with the network at home'],
};
const BUSINESS_AREAS = new Set(['core_business', 'industrial', 'government']);
const FAULT_CATEGORY_CHOICE = Object.fromEntries(
  FAULT_KINDS.map((k) => [k, new WeightedChoice<ComplaintCategory>(FAULT_COMPLAINT_CATEGORIES[k])]),
) as Record<FaultKind, WeightedChoice<ComplaintCategory>>;

/** Relative complaint arrival rate by local hour: people complain in the daytime. */
function hourWeight(hour: number): number {
  return 0.12 + Math.exp(-0.5 * ((hour - 14.5) / 4) ** 2);
}
const MEAN_HOUR_WEIGHT = (() => {
  let s = 0;
  for (let h = 0; h < 24; h += 0.25) s += hourWeight(h + 0.125);
  return s / 96;
})();

export interface ComplaintFeedOptions {
  /** Background complaints per subscriber per day (0.00004 ≈ one per 25,000 subscribers a day). */
  perSubscriberDay: number;
  /** Share of background complaints from someone who complained recently. */
  repeatShare: number;
}

export const DEFAULT_COMPLAINT_OPTIONS: ComplaintFeedOptions = { perSubscriberDay: 0.00004, repeatShare: 0.1 };

interface Complainant {
  cell: number;
  customerNo: number;
}

/** Per-fault complaint state: how many so far (against the cap) and who, for repeats. */
interface FaultComplaintState {
  count: number;
  cap: number;
  weights: Float64Array;
  people: Complainant[];
}

export class ComplaintFeed {
  private readonly rng = new Rng(0);
  private readonly bySubscribers: AliasTable;
  private readonly totalSubscribers: number;
  private readonly recent: Complainant[] = [];
  private readonly faultState = new Map<string, FaultComplaintState>();
  private tickPrefix = '';
  private seq = 0;

  private readonly ctx: FeedContext;
  private readonly sites: SiteGrid;
  private readonly net: SimNetwork;
  private readonly prof: CellProfiles;
  private readonly load: CellLoad;
  private readonly seed: number;

  constructor(
    ctx: FeedContext,
    private readonly idTag: string,
    private readonly opts: ComplaintFeedOptions = DEFAULT_COMPLAINT_OPTIONS,
  ) {
    this.ctx = ctx;
    this.sites = new SiteGrid(ctx.net);
    this.net = ctx.net;
    this.prof = ctx.prof;
    this.load = ctx.load;
    this.seed = ctx.seed;
    this.bySubscribers = new AliasTable(ctx.prof.subscribers);
    this.totalSubscribers = ctx.prof.subscribers.reduce((a, b) => a + b, 0);
  }

  /** Starts a tick; complaint ids are `C-<local date>-<tag><tick of day><n>`. */
  beginTick(tickIndex: number, compactDate: string, tickOfDay: number): void {
    this.tickPrefix = `C-${compactDate}-${this.idTag}${String(tickOfDay).padStart(3, '0')}`;
    this.seq = 0;
    this.rng.reseed(this.seed, 0xc0c, tickIndex);
  }

  /** Background complaints experienced in (a, b]. */
  background(a: number, b: number, out: PendingComplaint[]): void {
    const { rng } = this;
    const w = hourWeight(this.load.traffic.localHour((a + b) / 2)) / MEAN_HOUR_WEIGHT;
    const n = rng.poisson((this.totalSubscribers * this.opts.perSubscriberDay * (b - a) * w) / (24 * HOUR));
    for (let i = 0; i < n; i++) {
      let who: Complainant;
      if (this.recent.length > 0 && rng.chance(this.opts.repeatShare)) who = this.recent[rng.int(this.recent.length)];
      else {
        const cell = this.bySubscribers.sample(rng);
        who = { cell, customerNo: rng.int(Math.max(1, this.prof.subscribers[cell])) };
        this.recent.push(who);
        if (this.recent.length > 300) this.recent.shift();
      }
      const t = a + rng.next() * (b - a);
      out.push(this.make(who, BACKGROUND_CATEGORIES.sample(rng), t, null));
    }
  }

  /** Complaints caused by `fault` among customers who noticed it in (a, b]. */
  fromFault(fault: Fault, a: number, b: number, out: PendingComplaint[]): void {
    const f = overlapFraction(fault, a, b);
    if (f <= 0) return;
    if (fault.kind === 'coverage_hole') return this.fromCoverageHole(fault, a, b, out);
    const hazard = COMPLAINT_HAZARD_PER_HOUR[fault.kind];
    if (hazard <= 0) return;
    const st = this.stateOf(fault);
    if (st.count >= st.cap) return;
    const { rng } = this;
    const sev = fault.kind.endsWith('outage') ? 1 : fault.severity;
    const hours = ((b - a) * f) / HOUR;
    let total = 0;
    for (let k = 0; k < fault.cells.length; k++) {
      const ci = fault.cells[k];
      // People notice a fault when they use the phone. A congestion hurts only while the cell is full:
      // from the congestion mark (a cell with room carries the crowd) to fully 10 points above it.
      const mid = (a + b) / 2;
      const use = fault.kind === 'congestion'
        ? Math.min(1, Math.max(0, (congestedPrb(fault, ci, mid, this.ctx) - CONGESTED_PRB_MARK) / 10))
        : Math.min(1, 0.2 + Math.min(1.2, this.load.at(ci, mid)));
      st.weights[k] = this.prof.subscribers[ci] * hazard * sev * use * hours;
      total += st.weights[k];
    }
    const n = Math.min(rng.poisson(total), st.cap - st.count);
    if (n <= 0) return;
    const table = new AliasTable(st.weights);
    const categories = FAULT_CATEGORY_CHOICE[fault.kind];
    const lo = Math.max(a, fault.start);
    const hi = Math.min(b, fault.end);
    for (let i = 0; i < n; i++) {
      let who: Complainant;
      if (st.people.length > 0 && rng.chance(0.12)) who = st.people[rng.int(st.people.length)];
      else {
        const cell = fault.cells[table.sample(rng)];
        who = { cell, customerNo: rng.int(Math.max(1, this.prof.subscribers[cell])) };
        st.people.push(who);
      }
      const noticed = lo + rng.next() * (hi - lo);
      out.push(this.make(who, categories.sample(rng), noticed + this.delay(), fault.id));
      st.count++;
    }
  }

  /** Forgets a finished fault's state. */
  release(faultId: string): void {
    this.faultState.delete(faultId);
  }

  /** Complaint delay after noticing: log-normal, median 25 minutes, 2 minutes to 8 hours. */
  private delay(): number {
    return Math.min(8 * HOUR, Math.max(2 * MINUTE, this.rng.logNormal(25 * MINUTE, 0.9)));
  }

  private stateOf(fault: Fault): FaultComplaintState {
    let st = this.faultState.get(fault.id);
    if (!st) {
      let subs = 0;
      for (const ci of fault.cells) subs += this.prof.subscribers[ci];
      st = { count: 0, cap: Math.max(1, Math.round(subs * COMPLAINT_CAP)), weights: new Float64Array(fault.cells.length), people: [] };
      this.faultState.set(fault.id, st);
    }
    return st;
  }

  /** A coverage hole: a chronic trickle of complaints from the people who live or work there. */
  private fromCoverageHole(fault: Fault, a: number, b: number, out: PendingComplaint[]): void {
    const { rng } = this;
    const lo = Math.max(a, fault.start);
    const hi = Math.min(b, fault.end);
    const w = hourWeight(this.load.traffic.localHour((lo + hi) / 2)) / MEAN_HOUR_WEIGHT;
    const n = rng.poisson((COVERAGE_HOLE_COMPLAINTS_PER_DAY * fault.severity * (hi - lo) * w) / (24 * HOUR));
    const point = fault.point ?? { lat: this.net.cells[fault.cells[0]].lat, lon: this.net.cells[fault.cells[0]].lon };
    for (let i = 0; i < n; i++) {
      // About 150 residents; the same ones complain again and again about a hole that stays.
      const who = { cell: fault.cells[0], customerNo: 900_000 + rng.int(150) };
      const noticed = lo + rng.next() * (hi - lo);
      const p = rng.next();
      const c = this.make(who, FAULT_CATEGORY_CHOICE.coverage_hole.sample(rng), noticed + this.delay(), fault.id);
      if (p < 0.6) {
        const here = offsetKm(point.lat, point.lon, rng.gauss(0, 0.2), rng.gauss(0, 0.2));
        c.complaint.location = { lat: round5(here.lat), lon: round5(here.lon) };
      }
      out.push(c);
    }
  }

  private make(who: Complainant, category: ComplaintCategory, t: number, faultId: string | null): PendingComplaint {
    const { rng, net } = this;
    const cell = net.cells[who.cell];
    const h = hash32(this.seed, who.cell, who.customerNo);
    const h2 = hash32(h, 0x5eed);
    const u = h / 4294967296;
    const business = BUSINESS_AREAS.has(cell.areaClass);
    const cls: CustomerClass = u < 0.01 ? 'vip_diamond' : u < 0.05 ? 'vip_gold' : u < 0.11 ? 'vip_silver'
      : u < (business ? 0.26 : 0.15) ? 'enterprise' : 'regular';
    const group = cls === 'enterprise' ? 'enterprise' : cls === 'regular' ? 'regular' : 'vip';
    const where = rng.next();
    let location: ComplaintRecordOut['location'];
    if (where < 0.4) location = { cellId: cell.cellId };
    else if (where < 0.85) {
      let km = rng.logNormal(0.3, 0.5);
      const ang = rng.uniform(0, 2 * Math.PI);
      let p = offsetKm(cell.lat, cell.lon, km * Math.cos(ang), km * Math.sin(ang));
      // A customer is where the cell serves: nearer its site than any other (a point past another
      // site is that site's customer, served by it, and untouched by this cell's fault). Closer in
      // until it is — the same draws, so every other complaint stays as it was.
      const site = net.cellSite[who.cell];
      for (let i = 0; i < 8 && this.sites.nearest(p.lat, p.lon) !== site; i++) {
        km /= 2;
        p = offsetKm(cell.lat, cell.lon, km * Math.cos(ang), km * Math.sin(ang));
      }
      location = { lat: round5(p.lat), lon: round5(p.lon) };
    } else location = { district: cell.district };
    const texts = DESCRIPTIONS[category];
    return {
      t: Math.round(t),
      faultId,
      complaint: {
        complaintId: `${this.tickPrefix}${String(this.seq++).padStart(3, '0')}`,
        channel: CHANNELS[group].sample(rng),
        customer: { id: h.toString(16).padStart(8, '0') + h2.toString(16).padStart(8, '0'), class: cls },
        category,
        location,
        description: texts[rng.int(texts.length)],
      },
    };
  }
}

function round5(x: number): number {
  return Math.round(x * 1e5) / 1e5;
}
