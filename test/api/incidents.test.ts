import { afterEach, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import type { Anomaly, AnomalyTransition } from '../../src/model/index.js';
import { complaintRecord, sampleCells, testApp } from '../helpers/app.js';

const START = Date.parse('2026-11-23T10:00:00+08:00');

let app: App;
afterEach(async () => app?.stop());

function outage(cellId: string): AnomalyTransition {
  const a: Anomaly = {
    id: `pm:${cellId}:availability:${START}`, source: 'pm', objectType: 'cell', objectId: cellId, cellId,
    signal: 'availability', hint: 'outage', severity: 'critical', score: 9, state: 'firing',
    startedAt: START, firingAt: START + 60_000, updatedAt: START + 60_000, evidence: {},
  };
  return { from: 'pending', to: 'firing', at: START + 60_000, anomaly: a };
}

/**
 * An app with the sample inventory and an outage of SITE-0001 (both its cells), persisted as the
 * pipeline does; `ticketed` also hands the incident to the ticket stage.
 */
async function withSiteOutage(config: Record<string, unknown> = {}, ticketed = false): Promise<{ id: string }> {
  app = await testApp(config);
  const inv = await app.server.inject({ method: 'POST', url: '/api/v1/inventory/cells', payload: sampleCells });
  expect(inv.statusCode).toBe(202);
  app.incidents.onTransitions([outage('CS-0001-1'), outage('CS-0001-2')], START + 60_000);
  const changes = app.incidents.takeChanges();
  for (const c of changes) app.store.incidents.upsert(c.incident);
  if (ticketed) app.tickets.onIncidentChanges(changes, START + 60_000);
  return { id: changes[0]!.incident.id };
}

describe('GET /api/v1/incidents', () => {
  it('lists open incidents with the contract fields and RFC 3339 UTC times', async () => {
    const { id } = await withSiteOutage();
    const res = await app.server.inject({ url: '/api/v1/incidents?state=open&region=Changsha' });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.nextCursor).toBeNull();
    expect(body.items).toHaveLength(1);
    expect(body.items[0]).toMatchObject({
      id, state: 'open', severity: 'critical', openedAt: '2026-11-23T02:00:00.000Z', resolvedAt: null,
      rootCause: { objectType: 'site', objectId: 'SITE-0001', category: 'outage' },
      cells: ['CS-0001-1', 'CS-0001-2'], region: 'Changsha', complaintIds: [], ticketId: null,
      triage: { class: expect.stringMatching(/must_solve|routine|defer/), score: expect.any(Number), reasons: expect.any(Array) },
    });
    expect(body.items[0].anomalies[0]).toMatchObject({ source: 'pm', cellId: 'CS-0001-1', signal: 'availability', startedAt: '2026-11-23T02:00:00.000Z', score: 9 });
  });

  it('filters by state and region, and refuses an unknown state', async () => {
    await withSiteOutage();
    const count = async (qs: string) => (await app.server.inject({ url: `/api/v1/incidents?${qs}` })).json().items.length;
    expect(await count('state=resolved')).toBe(0);
    expect(await count('state=all')).toBe(1);
    expect(await count('region=Elsewhere')).toBe(0);
    expect(await count('since=2026-11-23T03:00:00Z')).toBe(0);
    const bad = await app.server.inject({ url: '/api/v1/incidents?state=closed' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('NOCWATCH_ERR_VALIDATION');
  });

  it('GET /api/v1/incidents/:id answers the incident, or 404', async () => {
    const { id } = await withSiteOutage();
    const one = await app.server.inject({ url: `/api/v1/incidents/${id}` });
    expect(one.statusCode).toBe(200);
    expect(one.json()).toMatchObject({ id, detectedAt: '2026-11-23T02:01:00.000Z', confirmed: true });
    const missing = await app.server.inject({ url: '/api/v1/incidents/INC-nope' });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error.code).toBe('NOCWATCH_ERR_NOT_FOUND');
  });
});

describe('complaints linked through the pipeline', () => {
  it('a complaint at an affected cell links to the incident, with its triage, and is listed under it', async () => {
    const { id } = await withSiteOutage();
    const post = await app.server.inject({ method: 'POST', url: '/api/v1/ingest/complaints', payload: complaintRecord('C-9', { category: 'no_data' }) });
    expect(post.statusCode).toBe(202);
    await app.pipeline.whenIdle();
    const c = (await app.server.inject({ url: '/api/v1/complaints/C-9' })).json();
    expect(c).toMatchObject({ complaintId: 'C-9', incidentId: id, link: { incidentId: id, reason: expect.stringMatching(/CS-0001-1/) } });
    expect(c.triage.reasons.join(' ')).toMatch(/VIP gold/);
    const list = (await app.server.inject({ url: `/api/v1/complaints?incidentId=${id}` })).json();
    expect(list.items.map((x: { complaintId: string }) => x.complaintId)).toEqual(['C-9']);
    const inc = (await app.server.inject({ url: `/api/v1/incidents/${id}` })).json();
    expect(inc.complaintIds).toEqual(['C-9']);
    // A later VIP complaint re-triages the incident; the first complaint shows the current triage.
    await app.server.inject({
      method: 'POST', url: '/api/v1/ingest/complaints',
      payload: complaintRecord('C-11', { category: 'no_data', customer: { id: 'vip-1', class: 'vip_diamond' }, receivedAt: '2026-11-23T10:25:00+08:00' }),
    });
    await app.pipeline.whenIdle();
    const again = (await app.server.inject({ url: '/api/v1/complaints/C-9' })).json();
    expect(again.triage.reasons.join(' ')).toMatch(/VIP diamond/);
    expect(again.triage.score).toBeGreaterThanOrEqual(c.triage.score);
  });

  it('a complaint where nothing is wrong stays unlinked but is triaged', async () => {
    await withSiteOutage();
    await app.server.inject({ method: 'POST', url: '/api/v1/ingest/complaints', payload: complaintRecord('C-10', { location: { cellId: 'CS-0002-1' } }) });
    await app.pipeline.whenIdle();
    const c = (await app.server.inject({ url: '/api/v1/complaints/C-10' })).json();
    expect(c.incidentId).toBeNull();
    expect(c.triage).toMatchObject({ class: expect.any(String), score: expect.any(Number) });
  });
});

describe('GET /api/v1/areas/:area/known-issues', () => {
  const ask = async (area: string) => app.server.inject({ url: `/api/v1/areas/${encodeURIComponent(area)}/known-issues` });

  it('tells the agent about the open incident at a cell, a district or a point', async () => {
    const { id } = await withSiteOutage();
    for (const area of ['CS-0001-2', 'Yuelu', '28.2101,112.9402']) {
      const res = await ask(area);
      expect(res.statusCode).toBe(200);
      const body = res.json();
      expect(body.knownIssue).toBe(true);
      expect(body.issues.map((i: { incidentId: string }) => i.incidentId)).toEqual([id]);
      expect(body.issues[0]).toMatchObject({ state: 'open', category: 'outage', since: '2026-11-23T02:00:00.000Z', expectedResolutionSource: 'estimate' });
      expect(body.sayToCaller).toMatch(/^Yes, there is a known problem: a service outage \(2 cells\) in this area since 23 Nov, 02:00 UTC\. .*fixed by 23 Nov, 06:01 UTC/);
    }
  });

  it('a core failure is a known issue anywhere in its region', async () => {
    await withSiteOutage();
    const cells = ['CS-0001-1', 'CS-0001-2'];
    const core = cells.map((cellId): AnomalyTransition => {
      const t = outage(cellId);
      return { ...t, anomaly: { ...t.anomaly, id: `sig:${cellId}`, source: 'signaling', signal: 'attach', hint: 'degradation', severity: 'major' } };
    });
    app.incidents.onTransitions([...core, { ...outage('x'), anomaly: { ...outage('x').anomaly, id: 'core-alarm', objectType: 'region', objectId: 'Changsha', cellId: undefined, source: 'alarm', signal: 'signaling_failure_rate_high', hint: 'core' } }], START + 120_000);
    const body = (await ask('Furong')).json();
    expect(body.issues.map((i: { category: string }) => i.category)).toContain('core');
    expect(body.sayToCaller).toMatch(/core network fault/);
    // Where the site outage is too, the worst problem is read out first: both critical, the core's region-wide.
    const yuelu = (await ask('Yuelu')).json();
    expect(yuelu.issues.map((i: { category: string }) => i.category)).toEqual(['core', 'outage']);
    expect(yuelu.sayToCaller).toMatch(/^Yes, there is a known problem: a core network fault affecting calls and data in this area .* There is 1 more known problem in the area\.$/);
  });

  it('tells the ticket\'s state and its SLA, in the network\'s local time', async () => {
    const { id } = await withSiteOutage({ detectors: { timezoneOffsetMinutes: 480 } }, true);
    const ticket = app.tickets.get(`TKT-${id.replace(/^INC-/, '')}`)!;
    expect(ticket).toBeDefined();
    const body = (await ask('yuelu')).json();
    expect(body.area).toMatchObject({ kind: 'district', id: 'Yuelu', cells: 2 });
    expect(body.issues[0]).toMatchObject({ ticketId: ticket.id, ticketState: 'open', expectedResolutionSource: 'ticket_sla', expectedResolution: new Date(ticket.sla.resolveBy!).toISOString() });
    // 10:00 in UTC+8 is when the outage began (02:00 UTC).
    expect(body.sayToCaller).toMatch(/since 23 Nov, 10:00 UTC\+08:00\. A repair ticket is open, and we expect it to be fixed by .* UTC\+08:00\./);
    const iana = await (async () => {
      await app.stop();
      await withSiteOutage({ incidents: { hotline: { timeZone: 'Asia/Shanghai' } } });
      return (await ask('cs-0001-1')).json();
    })();
    expect(iana.area).toMatchObject({ kind: 'cell', id: 'CS-0001-1' });
    expect(iana.sayToCaller).toMatch(/since 23 Nov, 10:00 GMT\+8\./);
  });

  it('an incident that came back after a fix is "since" its new episode', async () => {
    const { id } = await withSiteOutage();
    const H = 3_600_000;
    // Both cells recover at +1 h; at +3 h one fails again (a new anomaly).
    const recovered = (cellId: string): AnomalyTransition => {
      const o = outage(cellId);
      return { from: 'firing', to: 'resolved', at: START + H, anomaly: { ...o.anomaly, state: 'resolved', updatedAt: START + H } };
    };
    app.incidents.onTransitions([recovered('CS-0001-1'), recovered('CS-0001-2')], START + H);
    app.incidents.advance(START + 2 * H);
    expect(app.incidents.get(id)?.state).toBe('resolved');
    const again = outage('CS-0001-1');
    app.incidents.onTransitions([{ ...again, at: START + 3 * H, anomaly: { ...again.anomaly, id: `${again.anomaly.id}#2`, startedAt: START + 3 * H, firingAt: START + 3 * H, updatedAt: START + 3 * H } }], START + 3 * H);
    expect(app.incidents.get(id)?.reopenCount).toBe(1);
    const body = (await ask('CS-0001-1')).json();
    expect(body.issues[0]).toMatchObject({ incidentId: id, since: new Date(START + 3 * H).toISOString() });
  });

  it('says plainly when nothing is known there', async () => {
    await withSiteOutage();
    const body = (await ask('CS-0002-1')).json();
    expect(body).toMatchObject({ knownIssue: false, issues: [] });
    expect(body.sayToCaller).toMatch(/no known network problem at cell CS-0002-1/);
  });

  it('answers 404 for an area it does not know', async () => {
    await withSiteOutage();
    const res = await ask('Atlantis');
    expect(res.statusCode).toBe(404);
    expect(res.json().error.message).toMatch(/not a cell id, a district or "lat,lon"/);
  });
});
