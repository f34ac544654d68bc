/**
 * A simulated day on 600 cells with one fault of each kind: every record must pass the API's own
 * validation, every built-in KPI must be there with its evidence, and each fault must show in the
 * feeds that should see it — and only there.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import {
  alarmRecordSchema, BUILTIN_KPIS, complaintRecordSchema, dialTestRecordSchema, pmRecordSchema, signalingRecordSchema,
  type Feed,
} from '../../src/model/index.js';
import { generateNetwork } from '../../src/simulator/inventory-generator.js';
import { distanceKm, type SimNetwork } from '../../src/simulator/network.js';
import { HOUR, nearestSiteByScan, runSim, T0, tOf, type SimRun } from './sim-fixture.js';

const SCHEMAS = {
  pm: pmRecordSchema, signaling: signalingRecordSchema, dialtest: dialTestRecordSchema,
  alarms: alarmRecordSchema, complaints: complaintRecordSchema,
} as const;

type Rec = Record<string, unknown>;

function scenarioFor(net: SimNetwork) {
  const lteCell = (si: number) => net.cells[net.sites[si].cells[0]].cellId;
  const zz = net.regions.findIndex((r) => r.name === 'Zhuzhou');
  const otherDistrictSite = net.sites.findIndex((s) => net.districts[s.district].region === 0 && s.district !== net.sites[5].district);
  return {
    faults: [
      { id: 'cell', kind: 'cell_outage', start: '2h', duration: '90m', target: { cell: lteCell(0) } },
      { id: 'site', kind: 'site_outage', start: '4h', duration: '2h', target: { site: net.sites[5].siteId } },
      { id: 'transport', kind: 'transport_outage', start: '7h', duration: '1h', target: { transport: net.transports[net.sites[otherDistrictSite].transport].transportId } },
      { id: 'interference', kind: 'interference', start: '9h', duration: '6h', severity: 'critical', target: { cell: lteCell(10) } },
      { id: 'congestion', kind: 'congestion', start: '10h', duration: '12h', severity: 'critical', target: { cell: lteCell(12) } },
      // Starts at 01:00 local: tripled night-time demand leaves the cell room until the morning.
      { id: 'night-congestion', kind: 'congestion', start: '1h', duration: '20h', severity: 'critical', target: { cell: lteCell(14) } },
      { id: 'core', kind: 'core_signaling_failure', start: '16h', duration: '45m', target: { region: net.regions[zz].name } },
      { id: 'dialtest', kind: 'dialtest_degradation', start: '12h', duration: '4h', severity: 'critical', target: { cell: lteCell(20) } },
      { id: 'hole', kind: 'coverage_hole', start: '1h', duration: '22h', severity: 'critical', target: { district: net.districts[0].name } },
    ],
  };
}

let run: SimRun;
const inFault = (id: string) => {
  const f = run.sim.faults().find((x) => x.id === id);
  if (!f) throw new Error(`no fault ${id}`);
  const cells = new Set(f.cells.map((i) => run.net.cells[i].cellId));
  return { f, cells };
};
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);

beforeAll(() => {
  const net = generateNetwork({ cells: 600, seed: 4 });
  run = runSim({ cells: 600, seed: 4, hours: 24, net, scenario: scenarioFor(net) });
});

describe('generated records', () => {
  it('all pass the API`s validation, in every feed', () => {
    for (const feed of Object.keys(SCHEMAS) as Feed[]) {
      // Signaling is most of the volume and comes from one code path: every 5th record is plenty.
      const recs = feed === 'signaling' ? run.records[feed].filter((_, i) => i % 5 === 0) : run.records[feed];
      expect(recs.length, feed).toBeGreaterThan(0);
      const bad = recs.map((r, i) => ({ i, r: SCHEMAS[feed].safeParse(r) })).filter((x) => !x.r.success);
      expect(bad.slice(0, 3).map((x) => JSON.stringify(x.r.error?.issues)), feed).toEqual([]);
    }
  });

  it('carry every built-in KPI, attempts behind every rate, and counters that agree with the KPIs', () => {
    const seen = new Set<string>();
    const rates = new Set(BUILTIN_KPIS.filter((k) => k.isRate).map((k) => k.name));
    const problems: string[] = [];
    for (const r of run.records.pm) {
      const kpis = r.kpis as Record<string, number | null>;
      const attempts = r.attempts as Record<string, number>;
      for (const [k, v] of Object.entries(kpis)) {
        if (v === null) continue;
        seen.add(k);
        if (rates.has(k) && !(attempts[k] > 0)) problems.push(`${r.cellId} ${k}: no attempts`);
      }
      const c = r.counters as Record<string, number>;
      const rrc = c['RRC.ConnEstabAtt.sum'] > 0 ? (100 * c['RRC.ConnEstabSucc.sum']) / c['RRC.ConnEstabAtt.sum'] : null;
      if (rrc !== null && Math.abs((kpis.rrc_setup_success_rate as number) - rrc) > 0.01) problems.push(`${r.cellId} rrc ${kpis.rrc_setup_success_rate} vs ${rrc}`);
      const ul = c['L.UL.Interference.Avg'] ?? c['N.UL.NI.Avg'] ?? null;
      if (ul !== kpis.ul_interference_dbm) problems.push(`${r.cellId} UL interference ${kpis.ul_interference_dbm} vs ${ul}`);
    }
    expect(problems.slice(0, 5)).toEqual([]);
    expect([...seen].sort()).toEqual(BUILTIN_KPIS.map((k) => k.name).sort());
  });

  it('come every 15 minutes per cell (PM) and every 5 minutes per cell and procedure (signaling)', () => {
    const healthy = run.net.cells.find((c) => ![...run.sim.faults()].some((f) => f.kind !== 'core_signaling_failure' && f.cells.includes(run.net.cellIndex.get(c.cellId) as number)));
    const pm = run.records.pm.filter((r) => r.cellId === healthy?.cellId);
    expect(pm).toHaveLength(96);
    expect(tOf(pm[1]) - tOf(pm[0])).toBe(15 * 60_000);
    const sig = run.records.signaling.filter((r) => r.cellId === healthy?.cellId);
    expect(sig).toHaveLength(288 * 3);
    const ids = run.records.complaints.map((r) => r.complaintId);
    expect(new Set(ids).size).toBe(ids.length);
  });
});

describe('faults show where they should', () => {
  it('a cell outage: availability 0 and a critical alarm that is raised at the start', () => {
    const { f, cells } = inFault('cell');
    const [cellId] = [...cells];
    const during = run.records.pm.filter((r) => r.cellId === cellId && tOf(r) > f.start + 15 * 60_000 && tOf(r) <= f.end);
    expect(during.length).toBeGreaterThanOrEqual(4);
    for (const r of during) expect((r.kpis as Rec).availability).toBe(0);
    const alarm = run.records.alarms.find((a) => a.objectId === cellId && a.probableCause === 'cell_unavailable' && a.severity === 'critical');
    expect(alarm).toBeDefined();
    expect(tOf(alarm as Rec, 'eventTime') - f.start).toBeLessThan(2 * 60_000);
  });

  it('a site outage darkens its cells (no PM) and raises site alarms', () => {
    const { f, cells } = inFault('site');
    const during = run.records.pm.filter((r) => cells.has(r.cellId as string) && tOf(r) > f.start + 15 * 60_000 && tOf(r) <= f.end);
    expect(during).toEqual([]);
    expect(run.records.alarms.filter((a) => a.objectId === f.root.id && a.severity !== 'cleared').map((a) => a.probableCause).sort())
      .toEqual(['ne_disconnected', 'power_failure']);
    const after = run.records.pm.filter((r) => cells.has(r.cellId as string) && tOf(r) > f.end + 15 * 60_000 && tOf(r) <= f.end + HOUR);
    expect(after.length).toBe(cells.size * 3);
  });

  it('a transport outage darkens every site behind it, each with its own alarm', () => {
    const { f, cells } = inFault('transport');
    const sites = new Set(run.net.transports.find((t) => t.transportId === f.root.id)?.sites.map((s) => run.net.sites[s].siteId));
    expect(sites.size).toBeGreaterThan(3);
    expect(run.records.pm.filter((r) => cells.has(r.cellId as string) && tOf(r) > f.start + 15 * 60_000 && tOf(r) <= f.end)).toEqual([]);
    const disconnected = new Set(run.records.alarms.filter((a) => a.probableCause === 'ne_disconnected' && a.severity === 'major').map((a) => a.objectId));
    for (const s of sites) expect(disconnected).toContain(s);
  });

  it('interference raises the drop rate and the uplink noise floor without any alarm', () => {
    const { f, cells } = inFault('interference');
    const [cellId] = [...cells];
    const kpi = (name: string, from: number, to: number) =>
      run.records.pm.filter((r) => r.cellId === cellId && tOf(r) > from && tOf(r) <= to).map((r) => (r.kpis as Record<string, number>)[name]).filter((x) => x != null);
    expect(mean(kpi('erab_drop_rate', f.start + HOUR, f.end))).toBeGreaterThan(4 * mean(kpi('erab_drop_rate', f.start - 8 * HOUR, f.start)) + 0.5);
    // Full severity: 14 dB above an idle receiver's floor, at any hour.
    const before = kpi('ul_interference_dbm', f.start - 8 * HOUR, f.start);
    expect(Math.max(...before)).toBeLessThan(-105);
    expect(Math.min(...kpi('ul_interference_dbm', f.start + 15 * 60_000, f.end))).toBeGreaterThan(Math.max(...before) + 5);
    expect(run.records.alarms.filter((a) => a.objectId === cellId && a.probableCause !== 'vswr_over_threshold')).toEqual([]);
  });

  it('congestion pushes PRB utilisation near 100 % and throughput down at busy hours', () => {
    const { f, cells } = inFault('congestion');
    const [cellId] = [...cells];
    const pm = run.records.pm.filter((r) => r.cellId === cellId);
    const during = pm.filter((r) => tOf(r) > f.start && tOf(r) <= f.end).map((r) => r.kpis as Record<string, number>);
    const before = pm.filter((r) => tOf(r) <= f.start).map((r) => r.kpis as Record<string, number>);
    expect(Math.max(...during.map((k) => k.prb_dl_utilization))).toBeGreaterThan(95);
    expect(Math.max(...before.map((k) => k.prb_dl_utilization))).toBeLessThan(90);
    const tp = (ks: Record<string, number>[]) => mean(ks.filter((k) => k.prb_dl_utilization > 30).map((k) => k.dl_user_throughput_mbps));
    expect(tp(during)).toBeLessThan(0.7 * Math.max(...before.map((k) => k.dl_user_throughput_mbps)));
    // The cell's own users are not interference: its uplink noise floor stays where its neighbours keep it.
    expect(Math.max(...during.map((k) => k.ul_interference_dbm))).toBeLessThan(Math.max(...before.map((k) => k.ul_interference_dbm)) + 3);
  });

  it('a congestion is recorded as congested from the first period its demand fills the cell, not before', () => {
    const { f, cells } = inFault('night-congestion');
    const [cellId] = [...cells];
    const from = f.congestedFrom as number;
    expect(from).toBeGreaterThan(f.start + 3 * HOUR);
    expect(from % (15 * 60_000)).toBe(0);
    const prb = (a: number, b: number) => run.records.pm.filter((r) => r.cellId === cellId && tOf(r) > a && tOf(r) <= b).map((r) => (r.kpis as Record<string, number>).prb_dl_utilization);
    // Room before (each period's own noise aside), full in the hours after.
    expect(mean(prb(f.start + 15 * 60_000, from))).toBeLessThan(60);
    expect(Math.max(...prb(f.start, from))).toBeLessThan(90);
    expect(mean(prb(from + 15 * 60_000, from + 2 * HOUR))).toBeGreaterThan(85);
    // A busy cell at 10:00: congested from the start. Other kinds carry no such time.
    expect(inFault('congestion').f.congestedFrom).toBe(inFault('congestion').f.start);
    const truth = run.sim.truth().faults;
    expect(truth.find((x) => x.id === 'night-congestion')?.congestedFrom).toBe(new Date(from).toISOString());
    expect(truth.find((x) => x.id === 'interference')).not.toHaveProperty('congestedFrom');
  });

  it('a core failure fails core procedures across the region, and only there', () => {
    const { f, cells } = inFault('core');
    const ratio = (recs: Rec[]) => recs.reduce((s, r) => s + (r.failures as number), 0) / Math.max(1, recs.reduce((s, r) => s + (r.attempts as number), 0));
    const core = run.records.signaling.filter((r) => r.procedure === 'attach' || r.procedure === 'registration');
    const inside = core.filter((r) => cells.has(r.cellId as string) && tOf(r) > f.start && tOf(r) <= f.end);
    const outside = core.filter((r) => !cells.has(r.cellId as string) && tOf(r) > f.start && tOf(r) <= f.end);
    expect(ratio(inside)).toBeGreaterThan(0.2);
    expect(ratio(outside)).toBeLessThan(0.02);
    expect(inside.some((r) => (r.affectedSubscribers as number) > 0 && r.topCause === 'EMM#17')).toBe(true);
    expect(run.records.alarms.some((a) => a.objectType === 'core' && a.objectId === f.root.id)).toBe(true);
  });

  it('a dial-test-only degradation shows in dial tests at the cell and nowhere else', () => {
    const { f, cells } = inFault('dialtest');
    const [cellId] = [...cells];
    const cell = run.net.cells[run.net.cellIndex.get(cellId) as number];
    const atCell = run.records.dialtest.filter((r) => r.cellId === cellId || (r.lat === cell.lat && r.lon === cell.lon));
    const success = (rs: Rec[]) => rs.filter((r) => r.success).length / Math.max(1, rs.length);
    expect(success(atCell.filter((r) => tOf(r) >= f.start && tOf(r) < f.end))).toBeLessThan(0.5);
    expect(success(atCell.filter((r) => tOf(r) < f.start))).toBeGreaterThan(0.9);
    const pmDrops = run.records.pm.filter((r) => r.cellId === cellId && tOf(r) > f.start && tOf(r) <= f.end).map((r) => (r.kpis as Record<string, number>).availability);
    expect(pmDrops.every((a) => a === 100)).toBe(true);
  });

  it('a coverage hole shows only as complaints from around the hole', () => {
    const { f, cells } = inFault('hole');
    const ids = new Set(run.sim.truth().faults.find((x) => x.id === 'hole')?.complaintIds);
    expect(ids.size).toBeGreaterThan(0);
    for (const c of run.records.complaints.filter((r) => ids.has(r.complaintId as string))) {
      const loc = c.location as { cellId?: string; lat?: number; lon?: number; district?: string };
      if (loc.cellId) expect(cells).toContain(loc.cellId);
      else if (loc.district) expect(loc.district).toBe(f.district);
      else expect(distanceKm(loc.lat as number, loc.lon as number, f.point?.lat as number, f.point?.lon as number)).toBeLessThan(3);
      expect(['weak_signal', 'no_coverage', 'call_drop']).toContain(c.category);
    }
  });
});

describe('complaints', () => {
  it('caused by faults arrive minutes to hours after the fault starts, and the truth lists them', () => {
    const truth = run.sim.truth();
    const byId = new Map(run.records.complaints.map((c) => [c.complaintId as string, c]));
    const site = truth.faults.find((f) => f.id === 'site');
    expect(site?.complaintIds.length).toBeGreaterThan(3);
    const delays = (site?.complaintIds ?? []).map((id) => tOf(byId.get(id) as Rec, 'receivedAt') - Date.parse(site?.start as string));
    expect(Math.min(...delays)).toBeGreaterThan(0);
    expect(Math.max(...delays)).toBeLessThan(12 * HOUR);
    const all = new Set([...truth.backgroundComplaintIds, ...truth.faults.flatMap((f) => f.complaintIds)]);
    expect(all).toEqual(new Set(byId.keys()));
    expect(truth.backgroundComplaintIds.length).toBeGreaterThan(5);
    const located = run.records.complaints.map((c) => Object.keys(c.location as object).sort().join('+'));
    expect(new Set(located)).toEqual(new Set(['cellId', 'lat+lon', 'district']));
    expect(new Set(run.records.complaints.map((c) => c.channel)).size).toBeGreaterThan(3);
  });

  it('a fault\'s complaint placed by lat/lon lies where one of its cells serves: nearer that cell\'s site than any other', () => {
    const truth = run.sim.truth();
    const net = run.net;
    const byId = new Map(run.records.complaints.map((c) => [c.complaintId as string, c]));
    let placed = 0;
    for (const f of truth.faults) {
      if (f.kind === 'coverage_hole') continue;
      const sites = new Set(f.cells.map((id) => net.cellSite[net.cellIndex.get(id)!]));
      for (const id of f.complaintIds) {
        const loc = byId.get(id)!.location as { lat?: number; lon?: number };
        if (loc.lat === undefined) continue;
        placed++;
        expect(sites, `${f.id} ${id}`).toContain(nearestSiteByScan(net, loc.lat, loc.lon!));
      }
    }
    expect(placed).toBeGreaterThan(20);
  });

  it('the outage with more subscribers and more time causes more complaints', () => {
    const truth = run.sim.truth();
    const n = (id: string) => truth.faults.find((f) => f.id === id)?.complaintIds.length ?? 0;
    // The transport outage hits many sites; the cell outage one cell.
    expect(n('transport')).toBeGreaterThan(n('cell'));
    expect(new Date(T0).toISOString()).toBe(truth.from);
  });
});
