/**
 * Dial tests from a fleet of fixed probes (a few hundred for a province, placed where traffic and
 * importance are), each running a test cycle every 15 minutes at its own minute: voice, HTTP and
 * ping every cycle, and one of video, DNS, SMS in turn. Most probes report their serving cell; some
 * report only GPS. Results follow the cell's load and whatever fault hits the cell at the test time.
 */
import type { DialTestService } from '../../model/index.js';
import { MINUTE } from '../../model/index.js';
import type { CellEffect } from '../fault-effects.js';
import type { FeedContext } from '../cell-load.js';
import type { SimNetwork } from '../network.js';
import { AliasTable, Rng } from '../prng.js';

export const DIALTEST_CYCLE_MS = 15 * MINUTE;

export interface Probe {
  probeId: string;
  cell: number;
  /** Reports lat/lon instead of a cell id. */
  gps: boolean;
  /** Offset of its cycle within the 15 minutes. */
  offsetMs: number;
}

export interface DialTestRecordOut {
  testId: string;
  probeId: string;
  service: DialTestService;
  time: string;
  cellId?: string;
  lat?: number;
  lon?: number;
  success: boolean;
  setupMs: number | null;
  latencyMs: number | null;
  throughputKbps: number | null;
  mos: number | null;
  failureCause: string | null;
}

interface ServiceModel {
  baseFail: number;
  causes: readonly string[];
  /** Uses data bearers: suffers from core failures and congestion. */
  data: boolean;
}

const SERVICES: Record<DialTestService, ServiceModel> = {
  voice: { baseFail: 0.012, causes: ['no_answer', 'network_busy', 'call_dropped', 'setup_timeout'], data: false },
  data_http: { baseFail: 0.008, causes: ['http_timeout', 'tcp_connect_failed', 'dns_failure'], data: true },
  video: { baseFail: 0.012, causes: ['start_timeout', 'stall'], data: true },
  ping: { baseFail: 0.004, causes: ['timeout'], data: true },
  dns: { baseFail: 0.003, causes: ['dns_timeout', 'servfail'], data: true },
  sms: { baseFail: 0.005, causes: ['delivery_timeout'], data: false },
};
const ROTATING: readonly DialTestService[] = ['video', 'dns', 'sms'];
const IMPORTANT = new Set(['core_business', 'transport_hub', 'hospital', 'government', 'campus']);

/** How many probes a network of `cells` gets: one per ~8 cells, 3 to 300. */
export function probeCount(cells: number): number {
  return Math.max(3, Math.min(300, Math.round(cells / 8)));
}

/**
 * Places probes on cells, weighted towards important areas; `mustCover` cells (targets of
 * dial-test-only faults in a scenario) get a probe each so their fault can be seen at all.
 */
export function placeProbes(net: SimNetwork, seed: number, mustCover: readonly number[] = []): Probe[] {
  const rng = new Rng(seed, 0x9b0);
  const weights = net.cells.map((c) => (IMPORTANT.has(c.areaClass) ? 4 : c.areaClass === 'rural' ? 0.5 : 1));
  const table = new AliasTable(weights);
  const chosen = new Set<number>();
  const want = Math.min(net.cells.length, probeCount(net.cells.length));
  for (let guard = 0; chosen.size < want && guard < want * 20; guard++) chosen.add(table.sample(rng));
  for (const ci of mustCover) chosen.add(ci);
  const perRegion = new Map<number, number>();
  return [...chosen].map((cell) => {
    const r = net.cellRegion[cell];
    const n = (perRegion.get(r) ?? 0) + 1;
    perRegion.set(r, n);
    return {
      probeId: `PRB-${net.regions[r].code}-${String(n).padStart(2, '0')}`,
      cell,
      gps: rng.chance(0.2),
      offsetMs: rng.int(15) * MINUTE,
    };
  });
}

export class DialTestFeed {
  private readonly rng = new Rng(0);

  constructor(
    private readonly ctx: FeedContext,
    readonly probes: readonly Probe[],
    private readonly idTag: string,
  ) {}

  /**
   * Tests whose time falls in (a, b]. `effectAt` tells what faults do to a cell at a moment.
   * `format` turns an event time into the record's time string.
   */
  generate(
    a: number, b: number, effectAt: (cell: number, t: number) => CellEffect | undefined,
    format: (t: number) => string, out: DialTestRecordOut[],
  ): void {
    const rng = this.rng.reseed(this.ctx.seed, 0xd1a1, Math.floor(b / MINUTE));
    for (let pi = 0; pi < this.probes.length; pi++) {
      const probe = this.probes[pi];
      let cycle = Math.floor((a - probe.offsetMs) / DIALTEST_CYCLE_MS) + 1;
      for (let t0 = cycle * DIALTEST_CYCLE_MS + probe.offsetMs; t0 <= b; cycle++, t0 += DIALTEST_CYCLE_MS) {
        if (t0 <= a) continue;
        const services: DialTestService[] = ['voice', 'data_http', 'ping'];
        const turn = ((cycle % 4) + 4) % 4;
        if (turn > 0) services.push(ROTATING[turn - 1]);
        services.forEach((service, j) => {
          const t = t0 + j * 20_000;
          out.push(this.test(rng, probe, service, t, effectAt(probe.cell, t), format(t)));
        });
      }
    }
  }

  private test(rng: Rng, probe: Probe, service: DialTestService, t: number, e: CellEffect | undefined, time: string): DialTestRecordOut {
    const { net, prof, load } = this.ctx;
    const ci = probe.cell;
    const cell = net.cells[ci];
    const m = SERVICES[service];
    const L = load.at(ci, t) * (e ? e.loadMult : 1);
    const u = prof.loadRatio[ci] * L;
    const nr = prof.isNr[ci] === 1;
    const rec: DialTestRecordOut = {
      testId: `DT-${this.idTag}${probe.probeId.slice(4)}-${Math.floor(t / MINUTE).toString(36)}-${service}`,
      probeId: probe.probeId, service, time, success: true,
      setupMs: null, latencyMs: null, throughputKbps: null, mos: null, failureCause: null,
    };
    if (probe.gps) {
      rec.lat = cell.lat;
      rec.lon = cell.lon;
    } else rec.cellId = cell.cellId;

    if (e && e.down > 0 && rng.chance(e.down)) {
      rec.success = false;
      rec.failureCause = 'no_service';
      return rec;
    }
    let pFail = m.baseFail + (u > 1.3 ? 0.05 * (u - 1.3) : 0);
    if (e) pFail += e.dialFailAdd + (m.data ? e.coreFailAdd * 0.8 : e.coreFailAdd * 0.3);
    if (rng.chance(Math.min(0.98, pFail))) {
      rec.success = false;
      rec.failureCause = m.causes[rng.int(m.causes.length)];
      return rec;
    }
    const latencyMult = (1 + 0.6 * u * u) * (e ? e.dialLatencyMult : 1);
    const tpKbps = () =>
      Math.round(prof.peakTp[ci] * 1000 * Math.max(0.05, 1 - 0.6 * Math.min(1.5, u)) * rng.logNormal(1, 0.25) * (e ? e.dialTpMult * e.tpMult : 1));
    switch (service) {
      case 'voice':
        rec.setupMs = Math.round(rng.logNormal(nr ? 1900 : 2300, 0.18) * (e ? e.dialLatencyMult : 1));
        rec.mos = Math.round(Math.min(4.6, Math.max(1, rng.gauss(4.15, 0.12) - (e ? e.mosDrop : 0))) * 100) / 100;
        break;
      case 'data_http':
        rec.latencyMs = Math.round(rng.logNormal(850, 0.3) * latencyMult);
        rec.throughputKbps = tpKbps();
        break;
      case 'video':
        rec.setupMs = Math.round(rng.logNormal(1100, 0.3) * latencyMult);
        rec.throughputKbps = tpKbps();
        break;
      case 'ping':
        rec.latencyMs = Math.round(rng.logNormal(nr ? 14 : 32, 0.25) * latencyMult * 10) / 10;
        break;
      case 'dns':
        rec.latencyMs = Math.round(rng.logNormal(38, 0.3) * latencyMult * 10) / 10;
        break;
      case 'sms':
        rec.setupMs = Math.round(rng.logNormal(3500, 0.35) * (e ? e.dialLatencyMult : 1));
        break;
    }
    return rec;
  }
}
