import { describe, expect, it } from 'vitest';
import type { Anomaly, AnomalyTransition, Complaint, ComplaintLink, Incident, NetworkEvent, PmEvent } from '../../src/model/index.js';
import { pipelineConfigSchema } from '../../src/pipeline/config.js';
import { Pipeline } from '../../src/pipeline/pipeline.js';
import type { BatchOutcome, CellDetail, CellStatus, DetectorStage, IncidentChange, IncidentStage } from '../../src/pipeline/stages.js';
import { createMemoryStore, openSqliteStore, type Store } from '../../src/store/store.js';
import { silentLogger } from '../../src/telemetry/logger.js';
import { Metrics } from '../../src/telemetry/metrics.js';

const MIN = 60_000;
const pm = (t: number, cellId = 'A'): PmEvent => ({ kind: 'pm', t, cellId, period: 900, kpis: { availability: 100 } });

/** A detector stage that records what it is told and fires one transition per `advance`. */
class RecordingDetectors implements DetectorStage {
  calls: string[] = [];
  state: Uint8Array = new Uint8Array([7]);
  private pendingTransitions: AnomalyTransition[] = [];
  observe(ev: NetworkEvent) {
    this.calls.push(`observe:${ev.kind}:${ev.t}${ev.kind === 'complaint' && ev.nearIncident ? `:near ${ev.nearIncident}` : ''}`);
  }
  advance(wm: number) {
    this.calls.push(`advance:${wm}`);
    this.pendingTransitions.push({ from: null, to: 'firing', at: wm, anomaly: { id: `a${wm}`, source: 'pm', objectType: 'cell', objectId: 'A', signal: 'availability', hint: 'outage', severity: 'major', score: 5, state: 'firing', startedAt: wm, updatedAt: wm, evidence: {} } });
  }
  takeTransitions() {
    const t = this.pendingTransitions;
    this.pendingTransitions = [];
    return t;
  }
  activeList: Anomaly[] = [];
  active() { return this.activeList; }
  cellStatus(): CellStatus { return 'normal'; }
  cellDetail(): CellDetail { return { status: 'normal', kpis: {}, anomalies: [] }; }
  checkpoint() { return this.state; }
  restore(d: Uint8Array) { this.state = d; this.calls.push(`restore:${[...d]}`); }
  reconcile(known: { active: readonly Anomaly[]; resolvedIds: ReadonlySet<string> }, at: number) {
    this.calls.push(`reconcile:active=${known.active.map((a) => `${a.id}/${a.state}`).join(',')};resolved=${[...known.resolvedIds].join(',')}@${at / MIN}`);
    return { dropped: known.resolvedIds.size, adopted: known.active.length };
  }
}

class LinkingIncidents implements IncidentStage {
  seen: number[] = [];
  received: AnomalyTransition[] = [];
  restored: Incident[] = [];
  private changes: IncidentChange[] = [];
  onTransitions(ts: readonly AnomalyTransition[], now: number) {
    for (const t of ts) {
      this.seen.push(now);
      this.received.push(t);
      this.changes.push({ type: 'opened', incident: { id: `INC-${t.anomaly.id}`, state: 'open', severity: 'major', openedAt: t.at, detectedAt: now, resolvedAt: null, rootCause: { objectType: 'cell', objectId: 'A', category: 'outage' }, cells: ['A'], region: 'R', anomalies: [], complaintIds: [], ticketId: null, triage: { class: 'routine', score: 1, reasons: [] }, confidence: 1, feeds: ['pm'], reopenCount: 0, version: 1, updatedAt: now } });
    }
  }
  onComplaint(c: Complaint): ComplaintLink | null {
    return c.category === 'no_data' ? { complaintId: c.complaintId, incidentId: 'INC-x', confidence: 0.8, reason: 'test' } : null;
  }
  nearIncident(id: string): string | null {
    return id === 'N' ? 'INC-near' : null;
  }
  advance() {}
  takeChanges() {
    const c = this.changes;
    this.changes = [];
    return c;
  }
  recalled: string[] = [];
  readonly memoryMs = 60 * MIN;
  live() { return this.restored; }
  restore(list: readonly Incident[]) { this.restored = [...list]; }
  recallComplaints(list: Iterable<{ complaint: Complaint; link: ComplaintLink | null }>) {
    for (const { complaint, link } of list) this.recalled.push(`${complaint.complaintId}>${link?.incidentId ?? '-'}`);
    return this.recalled.length;
  }
}

function make(store: Store = createMemoryStore(), over: Partial<ConstructorParameters<typeof Pipeline>[0]> = {}) {
  const detectors = new RecordingDetectors();
  const incidents = new LinkingIncidents();
  const outcomes: BatchOutcome[] = [];
  const metrics = new Metrics({ defaultMetrics: false });
  const pipeline = new Pipeline({
    config: pipelineConfigSchema.parse({ allowedLatenessS: 600, advanceStepS: 3600, maxBatchEvents: 1000 }),
    store, metrics, logger: silentLogger(), detectors, incidents,
    listeners: [{ onBatch: (o) => outcomes.push(o) }], ...over,
  });
  return { pipeline, detectors, incidents, outcomes, store, metrics };
}

describe('pipeline', () => {
  it('processes events in order and moves the watermark to the newest event time', async () => {
    const { pipeline, detectors, outcomes } = make();
    expect(pipeline.watermark).toBeNull();
    pipeline.enqueue([pm(100 * MIN), pm(115 * MIN), pm(110 * MIN)]);
    expect(pipeline.pending).toBe(3);
    await pipeline.whenIdle();
    expect(pipeline.pending).toBe(0);
    expect(detectors.calls.filter((c) => c.startsWith('observe'))).toEqual([`observe:pm:${100 * MIN}`, `observe:pm:${115 * MIN}`, `observe:pm:${110 * MIN}`]);
    expect(pipeline.watermark).toBe(115 * MIN);
    expect(outcomes).toHaveLength(1);
    expect(outcomes[0]!.watermark).toBe(115 * MIN);
    // The watermark never goes back.
    pipeline.enqueue([pm(50 * MIN)]);
    await pipeline.whenIdle();
    expect(pipeline.watermark).toBe(115 * MIN);
  });

  it.each([
    { batchTargetMs: 30, sizes: [1000, 300, 300, 300, 300, 300, 300, 200] },
    { batchTargetMs: 0, sizes: [1000, 1000, 1000] },
  ])('sizes batches to what an event costs so the event loop is not held past the target ($batchTargetMs ms)', async ({ batchTargetMs, sizes }) => {
    // Each event costs 0.1 ms of (fake) wall time in the detectors: 1,000 of them hold the loop 100 ms.
    let now = 0;
    const { pipeline, detectors, outcomes } = make(createMemoryStore(), {
      config: pipelineConfigSchema.parse({ allowedLatenessS: 600, advanceStepS: 3600, maxBatchEvents: 1000, batchTargetMs }),
      wallClock: () => now,
    });
    const observe = detectors.observe.bind(detectors);
    detectors.observe = (ev) => {
      now += 0.1;
      observe(ev);
    };
    pipeline.enqueue(Array.from({ length: 3000 }, (_, i) => pm(100 * MIN + i)));
    await pipeline.whenIdle();
    expect(outcomes.map((o) => o.events.length)).toEqual(sizes);
  });

  it('counts events further behind the watermark than the allowed lateness as late, but still processes them', async () => {
    const { pipeline, detectors, metrics } = make();
    pipeline.enqueue([pm(200 * MIN)]);
    await pipeline.whenIdle();
    // 5 minutes behind: within the 10 minutes allowed. 100 minutes behind: late.
    pipeline.enqueue([pm(195 * MIN), pm(100 * MIN)]);
    await pipeline.whenIdle();
    expect(detectors.calls).toContain(`observe:pm:${100 * MIN}`);
    expect(await metrics.registry.getSingleMetricAsString('nocwatch_pipeline_late_events_total')).toContain('feed="pm"} 1');
  });

  it('counts anomaly transitions per detector source and state entered (nocwatch_detector_anomalies_total)', async () => {
    const { pipeline, metrics, outcomes } = make();
    // The recording detector fires one pm anomaly per advance.
    pipeline.enqueue([pm(10 * MIN)]);
    await pipeline.whenIdle();
    pipeline.enqueue([pm(20 * MIN)]);
    await pipeline.whenIdle();
    const fired = outcomes.flatMap((o) => o.transitions).length;
    expect(fired).toBeGreaterThanOrEqual(2);
    expect(await metrics.registry.getSingleMetricAsString('nocwatch_detector_anomalies_total')).toContain(`nocwatch_detector_anomalies_total{source="pm",state="firing"} ${fired}`);
  });

  it('an escalation (firing → firing, the anomaly grew graver) reaches the incident stage but enters no state in the metric', async () => {
    class Escalating extends RecordingDetectors {
      override advance(wm: number) {
        super.advance(wm);
        const [first] = super.takeTransitions();
        (this as unknown as { pendingTransitions: AnomalyTransition[] }).pendingTransitions.push(first!, { ...first!, from: 'firing', to: 'firing', anomaly: { ...first!.anomaly, severity: 'critical' } });
      }
    }
    const { pipeline, metrics, outcomes } = make(createMemoryStore(), { detectors: new Escalating() });
    pipeline.enqueue([pm(10 * MIN)]);
    await pipeline.whenIdle();
    const transitions = outcomes.flatMap((o) => o.transitions);
    const escalations = transitions.filter((t) => t.from === 'firing' && t.to === 'firing').length;
    expect(escalations).toBeGreaterThan(0);
    expect(await metrics.registry.getSingleMetricAsString('nocwatch_detector_anomalies_total')).toContain(`nocwatch_detector_anomalies_total{source="pm",state="firing"} ${transitions.length - escalations}`);
  });

  it('advances the stages along a batch that spans hours, so incidents carry the data\'s times', async () => {
    const { pipeline, incidents } = make();
    pipeline.enqueue(Array.from({ length: 9 }, (_, i) => pm(i * 60 * MIN)));
    await pipeline.whenIdle();
    // advanceStepS is one hour: the incident stage saw several distinct "now"s, not only the last.
    expect(new Set(incidents.seen).size).toBeGreaterThan(5);
    expect(incidents.seen[0]).toBeLessThan(2 * 60 * MIN);
  });

  const seconds = (n: number) => n * 1000;
  const complaintAt = (t: number): NetworkEvent => ({
    kind: 'complaint', t, complaint: { complaintId: `C${t}`, channel: 'app', receivedAt: t, customer: { id: 'u', class: 'regular' }, category: 'slow_data', location: { district: 'D' } },
  });
  const at7 = (s: number) => seconds(7 * 3600 + s);
  it.each([
    {
      name: 'the alarm at 07:00:51, then an event that jumps the watermark a step ahead (a dial test at 07:05:40)',
      events: [pm(at7(0), 'A'), pm(at7(51), 'X'), pm(at7(340), 'A')], detectedAt: at7(51),
    },
    {
      name: 'the alarm at 07:00:51, then a complaint, however soon (07:00:55, within the step)',
      events: [pm(at7(0), 'A'), pm(at7(51), 'X'), complaintAt(at7(55))], detectedAt: at7(51),
    },
    {
      // Late: the stages had moved to 07:01:01 already; they learn of it at 07:01:01, not at the complaint.
      name: 'an alarm at 07:00:50 that arrives after an event at 07:01:01, then a complaint at 07:01:40',
      events: [pm(at7(0), 'A'), pm(at7(61), 'A'), pm(at7(50), 'X'), complaintAt(at7(100))], detectedAt: at7(61),
    },
  ])('hands what an event found to the stages at its own time: $name', async ({ events, detectedAt }) => {
    // A detector that finds something on every event of cell X (an alarm, say).
    class AlarmDetectors extends RecordingDetectors {
      private found: AnomalyTransition[] = [];
      override observe(ev: NetworkEvent) {
        super.observe(ev);
        if (ev.kind === 'pm' && ev.cellId === 'X') this.found.push({ from: null, to: 'firing', at: ev.t, anomaly: { id: `x${ev.t}`, source: 'alarm', objectType: 'cell', objectId: 'X', signal: 'cell_unavailable', hint: 'outage', severity: 'critical', score: 1, state: 'firing', startedAt: ev.t, updatedAt: ev.t, evidence: {} } });
      }
      override advance() {}
      override takeTransitions() {
        const t = this.found;
        this.found = [];
        return t;
      }
    }
    const detectors = new AlarmDetectors();
    const { pipeline, incidents, outcomes } = make(createMemoryStore(), {
      detectors, config: pipelineConfigSchema.parse({ allowedLatenessS: 600, advanceStepS: 60, maxBatchEvents: 1000 }),
    });
    pipeline.enqueue(events);
    await pipeline.whenIdle();
    expect(outcomes).toHaveLength(1);
    expect(incidents.seen).toEqual([detectedAt]);
    expect(outcomes[0]!.incidentChanges[0]!.incident.detectedAt).toBe(detectedAt);
  });

  it('links complaints through the incident stage and gives unlinked ones to the detectors', async () => {
    const { pipeline, detectors, store, outcomes } = make();
    const c = (id: string, category: Complaint['category']): Complaint => ({ complaintId: id, channel: 'app', receivedAt: 1000 * MIN, customer: { id: id, class: 'regular' }, category, location: { district: 'D' } });
    for (const [id, cat] of [['L', 'no_data'], ['U', 'slow_data'], ['N', 'slow_data']] as const) store.complaints.insert(c(id, cat));
    pipeline.enqueue([
      { kind: 'complaint', t: 1000 * MIN, complaint: c('L', 'no_data') }, { kind: 'complaint', t: 1000 * MIN, complaint: c('U', 'slow_data') },
      { kind: 'complaint', t: 1000 * MIN, complaint: c('N', 'slow_data') },
    ]);
    await pipeline.whenIdle();
    expect(store.complaints.get('L')).toMatchObject({ processed: true, incidentId: 'INC-x' });
    expect(store.complaints.get('U')).toMatchObject({ processed: true, incidentId: null });
    // An unlinked complaint an incident nearly explains reaches the detectors saying so.
    expect(detectors.calls.filter((x) => x.startsWith('observe:complaint'))).toEqual([`observe:complaint:${1000 * MIN}`, `observe:complaint:${1000 * MIN}:near INC-near`]);
    expect(outcomes[0]!.complaints.map((x) => x.link?.incidentId ?? null)).toEqual(['INC-x', null, null]);
  });

  it('persists incident changes and runs persisters inside the batch transaction', async () => {
    const store = openSqliteStore(':memory:');
    let fail = true;
    const { pipeline, outcomes } = make(store, {
      persisters: [{ persist: () => { if (fail) throw new Error('disk full'); } }],
    });
    pipeline.enqueue([pm(100 * MIN)]);
    await pipeline.whenIdle();
    // The failed batch rolled back: no incident stored, no outcome published.
    expect(store.incidents.list({ limit: 10 }).items).toEqual([]);
    expect(outcomes).toEqual([]);
    fail = false;
    pipeline.enqueue([pm(200 * MIN)]);
    await pipeline.whenIdle();
    expect(store.incidents.list({ limit: 10 }).items.length).toBeGreaterThan(0);
    expect(outcomes).toHaveLength(1);
  });

  it('checkpoints detector state and the watermark, and restores them after a restart', async () => {
    const store = createMemoryStore();
    const first = make(store);
    first.pipeline.enqueue([pm(300 * MIN)]);
    await first.pipeline.whenIdle();
    first.detectors.state = new Uint8Array([1, 2, 3]);
    await first.pipeline.stop(1000);
    // The incident is newer than the checkpoint: one anomaly fired and one resolved after it.
    const ev = { source: 'pm', objectType: 'cell', objectId: 'A', cellId: 'A', signal: 'availability', score: 5, startedAt: 290 * MIN } as const;
    store.incidents.upsert({
      ...first.outcomes[0]!.incidentChanges[0]!.incident, updatedAt: 310 * MIN,
      anomalies: [{ ...ev, id: 'pm|A|availability@1' }, { ...ev, id: 'pm|A|prb@2', resolvedAt: 305 * MIN }],
    });

    const second = make(store);
    const restored = second.pipeline.restore();
    expect(restored).toEqual({ watermark: 300 * MIN, checkpointBytes: 3, incidents: 1, recalledComplaints: 0, dropped: 1, adopted: 1, replayed: 0 });
    // The detector stage takes over what the incidents know beyond its checkpoint, as of their time.
    expect(second.detectors.calls).toEqual(['restore:1,2,3', 'reconcile:active=pm|A|availability@1/firing;resolved=pm|A|prb@2@310']);
    expect(second.pipeline.watermark).toBe(300 * MIN);
    expect(second.incidents.restored).toHaveLength(1);
  });

  it('gives the incident stage back the complaints it handled within its memory, oldest first, with their links', async () => {
    const store = createMemoryStore();
    const first = make(store);
    const c = (id: string, m: number): Complaint => ({ complaintId: id, channel: 'app', receivedAt: m * MIN, customer: { id, class: 'regular' }, category: 'no_data', location: { district: 'D' } });
    // 'old' is beyond the stage's memory (60 min before the watermark); 'waiting' was never processed.
    for (const [id, m] of [['old', 200], ['b', 280], ['a', 250]] as const) store.complaints.insert(c(id, m));
    first.pipeline.enqueue([{ kind: 'complaint', t: 200 * MIN, complaint: c('old', 200) }, { kind: 'complaint', t: 250 * MIN, complaint: c('a', 250) }, { kind: 'complaint', t: 280 * MIN, complaint: c('b', 280) }, pm(300 * MIN)]);
    await first.pipeline.whenIdle();
    await first.pipeline.stop(1000);
    store.complaints.insert(c('waiting', 290));
    const second = make(store);
    expect(second.pipeline.restore(30 * MIN).recalledComplaints).toBe(2);
    expect(second.incidents.recalled).toEqual(['a>INC-x', 'b>INC-x']);
  });

  it('hands the incident stage again what the detectors hold firing that no stored incident knows (held when the process died)', async () => {
    const store = createMemoryStore();
    const first = make(store);
    first.pipeline.enqueue([pm(300 * MIN)]);
    await first.pipeline.whenIdle();
    first.detectors.state = new Uint8Array([1]);
    await first.pipeline.stop(1000);
    const second = make(store);
    const a = (id: string, state: Anomaly['state'], source: Anomaly['source'] = 'signaling'): Anomaly => ({
      id, source, objectType: 'cell', objectId: 'A', cellId: 'A', signal: 'attach', hint: 'degradation', severity: 'major', score: 5,
      state, startedAt: 280 * MIN, firingAt: 285 * MIN, updatedAt: 295 * MIN, evidence: {},
    });
    // Held signaling failures (firing, resolving) come back; a pending one, and an alarm no incident knows, do not.
    second.detectors.activeList = [a('held', 'firing'), a('wobbling', 'resolving'), a('young', 'pending'), a('old-alarm', 'firing', 'alarm')];
    const restored = second.pipeline.restore();
    expect(restored.replayed).toBe(2);
    expect(second.incidents.received.map((t) => `${t.anomaly.id} ${t.to}@${t.at / MIN}`)).toEqual(['held firing@300', 'wobbling resolving@300']);
  });

  it('pauses batches while the checkpoint is written from the live state, then catches up', async () => {
    const store = createMemoryStore();
    let release!: () => void;
    const written: number[][] = [];
    store.checkpoints.save = async (_name, parts) => {
      // The parts are views over live state: copy what they hold at write time.
      written.push(parts.flatMap((p) => [...p]));
      await new Promise<void>((r) => (release = r));
    };
    const { pipeline, detectors } = make(store);
    pipeline.enqueue([pm(100 * MIN)]);
    await pipeline.whenIdle();
    detectors.state = new Uint8Array([1, 1]);
    const saving = pipeline.checkpoint();
    pipeline.enqueue([pm(200 * MIN)]);
    await new Promise((r) => setTimeout(r, 20));
    // The batch waits: the detector has not seen the new event, the state on disk is unchanged.
    expect(detectors.calls).not.toContain(`observe:pm:${200 * MIN}`);
    expect(pipeline.pending).toBe(1);
    release();
    await saving;
    await pipeline.whenIdle();
    expect(detectors.calls).toContain(`observe:pm:${200 * MIN}`);
    expect(written).toEqual([[1, 1]]);
  });
});
