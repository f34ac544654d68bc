/**
 * Each adapter against a loopback server that speaks the shape of that system's API: the paths,
 * methods and bodies it accepts, and the ids it answers with.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { MemoryOutboxStore } from '../../../src/outputs/ticketing/outbox-store.js';
import { change, T0 } from './helpers.js';
import { Receiver, type Received, type Reply } from './receiver.js';
import { drain, worker } from './worker-helpers.js';

let rx: Receiver;
afterEach(async () => rx?.stop());

describe('Alertmanager adapter', () => {
  it('posts alerts with stable routing labels, and resolves them with endsAt', async () => {
    rx = await new Receiver((req) => (req.method === 'POST' && req.url === '/api/v2/alerts' && Array.isArray(req.body) ? { status: 200 } : { status: 400 })).start();
    const outbox = new MemoryOutboxStore();
    outbox.enqueue(change('TKT-1', 1), 0);
    outbox.enqueue(change('TKT-1', 2, { state: 'resolved', times: { resolvedAt: T0 + 3_600_000 } }, 'state'), 0);
    const w = worker(outbox, {
      target: { kind: 'alertmanager', url: `${rx.url}/`, extraLabels: { team: 'noc' }, publicUrl: 'http://noc:8080' },
    }, { now: () => T0 + 60_000 });
    await drain(w, outbox);
    expect(outbox.counts().delivered).toBe(2);
    const [open, resolved] = rx.requests.map((r) => (r.body as Record<string, any>[])[0]);
    expect(open.labels).toEqual({
      team: 'noc', alertname: 'NocwatchTicket', ticket_id: 'TKT-1', incident_id: 'INC-1', department: 'maintenance',
      severity: 'critical', region: 'North', source: 'nocwatch',
    });
    expect(resolved.labels).toEqual(open.labels);
    expect(open.startsAt).toBe('2026-11-23T02:00:00.000Z');
    expect(Date.parse(open.endsAt)).toBeGreaterThan(T0 + 29 * 86_400_000);
    expect(resolved.endsAt).toBe('2026-11-23T03:00:00.000Z');
    expect(resolved.annotations).toMatchObject({ state: 'resolved', priority: 'P2', version: '2' });
    expect(open.generatorURL).toBe('http://noc:8080/api/v1/tickets/TKT-1');
  });

  it('when a class is raised to must_solve, ends the alert under the old severity label', async () => {
    rx = await new Receiver(() => ({ status: 200 })).start();
    const outbox = new MemoryOutboxStore();
    outbox.enqueue(change('TKT-1', 2, { class: 'must_solve' }), 0);
    await drain(worker(outbox, { target: { kind: 'alertmanager', url: rx.url } }, { now: () => T0 + 60_000 }), outbox);
    const alerts = rx.requests[0].body as Record<string, any>[];
    expect(alerts.map((a) => [a.labels.severity, a.endsAt === '2026-11-23T02:01:00.000Z'])).toEqual([['critical', false], ['warning', true]]);
  });

  it.each([
    { name: 'a core ticket that learnt its region ends the alert it had without one', category: 'core', cls: 'routine' as const, ended: [['warning', null]] },
    { name: '… and, raised to must_solve, the alerts under both old labels', category: 'core', cls: 'must_solve' as const, ended: [['critical', null], ['warning', 'Changsha'], ['warning', null]] },
    { name: 'other tickets have had their region from the start', category: 'outage', cls: 'routine' as const, ended: [] },
  ])('$name', async ({ category, cls, ended }) => {
    rx = await new Receiver(() => ({ status: 200 })).start();
    const outbox = new MemoryOutboxStore();
    outbox.enqueue(change('TKT-1', 2, { class: cls, category, region: 'Changsha' }), 0);
    await drain(worker(outbox, { target: { kind: 'alertmanager', url: rx.url } }, { now: () => T0 + 60_000 }), outbox);
    const [current, ...rest] = rx.requests[0].body as Record<string, any>[];
    expect(current.labels).toMatchObject({ region: 'Changsha', severity: cls === 'must_solve' ? 'critical' : 'warning' });
    expect(rest.map((a) => [a.labels.severity, a.labels.region ?? null])).toEqual(ended);
    expect(rest.every((a) => a.endsAt === '2026-11-23T02:01:00.000Z')).toBe(true);
  });
});

/** A tiny ServiceNow Table API: incidents by sys_id, queryable by correlation_id. */
function serviceNow(dropFirstCreate = false) {
  const incidents = new Map<string, Record<string, string>>();
  let dropped = false;
  const handler = (req: Received): Reply => {
    const url = new URL(req.url, 'http://x');
    if (req.headers.authorization !== `Basic ${Buffer.from('noc:pw').toString('base64')}`) return { status: 401 };
    if (req.method === 'POST' && url.pathname === '/api/now/table/incident') {
      const sysId = `sys${incidents.size + 1}`;
      incidents.set(sysId, { ...(req.body as Record<string, string>), sys_id: sysId });
      if (dropFirstCreate && !dropped) { dropped = true; return { drop: true }; }
      return { status: 201, json: { result: incidents.get(sysId) } };
    }
    const m = /^\/api\/now\/table\/incident\/(\w+)$/.exec(url.pathname);
    if (req.method === 'PATCH' && m) {
      const rec = incidents.get(m[1]);
      if (!rec) return { status: 404, json: { error: { message: 'No Record found' } } };
      Object.assign(rec, req.body);
      return { status: 200, json: { result: rec } };
    }
    if (req.method === 'GET' && url.pathname === '/api/now/table/incident') {
      const corr = /correlation_id=(.+)/.exec(url.searchParams.get('sysparm_query') ?? '')?.[1];
      return { status: 200, json: { result: [...incidents.values()].filter((i) => i.correlation_id === corr).map((i) => ({ sys_id: i.sys_id })) } };
    }
    return { status: 400 };
  };
  return { incidents, handler };
}

describe('ServiceNow adapter', () => {
  const target = (url: string) => ({
    kind: 'servicenow', url, auth: { kind: 'basic', username: 'noc', password: 'pw' },
    assignmentGroups: { maintenance: 'Field Maintenance' },
  });

  it('creates the incident, then patches it by sys_id with the new state and work notes', async () => {
    const sn = serviceNow();
    rx = await new Receiver(sn.handler).start();
    const outbox = new MemoryOutboxStore();
    outbox.enqueue(change('TKT-1', 1), 0);
    outbox.enqueue(change('TKT-1', 2, { state: 'resolved', priority: 1 }, 'state'), 0);
    await drain(worker(outbox, { target: target(rx.url) }), outbox);
    expect(rx.requests.map((r) => `${r.method} ${r.url}`)).toEqual(['POST /api/now/table/incident', 'PATCH /api/now/table/incident/sys1']);
    expect(sn.incidents.size).toBe(1);
    expect(sn.incidents.get('sys1')).toMatchObject({
      correlation_id: 'TKT-1', assignment_group: 'Field Maintenance', subcategory: 'maintenance',
      state: '6', impact: '1', urgency: '1', close_code: 'Solved (Permanently)', work_notes: 'v2',
    });
    expect(outbox.externalRef('TKT-1', 'servicenow')).toBe('sys1');
  });

  it('after a lost response to the create, finds the incident by correlation_id instead of creating a second', async () => {
    const sn = serviceNow(true);
    rx = await new Receiver(sn.handler).start();
    const outbox = new MemoryOutboxStore();
    outbox.enqueue(change('TKT-1', 1), 0);
    await drain(worker(outbox, { target: target(rx.url) }), outbox);
    expect(rx.requests.map((r) => r.method)).toEqual(['POST', 'GET', 'PATCH']);
    expect(sn.incidents.size).toBe(1);
    expect(outbox.externalRef('TKT-1', 'servicenow')).toBe('sys1');
  });

  it('dead-letters when ServiceNow refuses the credentials (401)', async () => {
    rx = await new Receiver(serviceNow().handler).start();
    const outbox = new MemoryOutboxStore();
    outbox.enqueue(change('TKT-1', 1), 0);
    await drain(worker(outbox, { target: { ...target(rx.url), auth: { kind: 'basic', username: 'noc', password: 'wrong' } } }), outbox);
    expect(outbox.get('TKT-1:1')).toMatchObject({ state: 'dead', lastStatus: 401 });
  });
});

/** A tiny Jira REST v2: issues with keys, transitions, comments, edits, JQL search by label. */
function jira() {
  const issues = new Map<string, { fields: Record<string, any>; status: string; comments: string[] }>();
  const handler = (req: Received): Reply => {
    const url = new URL(req.url, 'http://x');
    const body = req.body as Record<string, any>;
    if (req.headers.authorization !== 'Bearer tok') return { status: 401 };
    if (req.method === 'POST' && url.pathname === '/rest/api/2/issue') {
      if (!body?.fields?.project?.key || !body.fields.summary) return { status: 400, json: { errors: { summary: 'required' } } };
      const key = `NOC-${issues.size + 1}`;
      issues.set(key, { fields: body.fields, status: 'Open', comments: [] });
      return { status: 201, json: { id: String(10000 + issues.size), key, self: `${rx.url}/rest/api/2/issue/${key}` } };
    }
    const m = /^\/rest\/api\/2\/issue\/([A-Z]+-\d+)(\/\w+)?$/.exec(url.pathname);
    const issue = m ? issues.get(m[1]) : undefined;
    if (m && !issue) return { status: 404 };
    if (issue && req.method === 'POST' && m![2] === '/transitions') {
      const to = ({ '31': 'Resolved', '41': 'Closed', '11': 'Reopened' } as Record<string, string>)[body.transition?.id];
      if (!to || issue.status === to) return { status: 400, json: { errorMessages: ['transition not available'] } };
      issue.status = to;
      for (const c of body.update?.comment ?? []) issue.comments.push(c.add.body);
      return { status: 204 };
    }
    if (issue && req.method === 'POST' && m![2] === '/comment') { issue.comments.push(body.body); return { status: 201, json: { id: '1' } }; }
    if (issue && req.method === 'PUT' && !m![2]) {
      Object.assign(issue.fields, body.fields);
      for (const c of body.update?.comment ?? []) issue.comments.push(c.add.body);
      return { status: 204 };
    }
    if (req.method === 'GET' && url.pathname === '/rest/api/2/search') {
      const label = /labels = "(.+)"/.exec(url.searchParams.get('jql') ?? '')?.[1];
      return { status: 200, json: { issues: [...issues].filter(([, i]) => i.fields.labels.includes(label)).map(([key]) => ({ key })) } };
    }
    return { status: 400 };
  };
  return { issues, handler };
}

describe('Jira adapter', () => {
  const target = (url: string) => ({
    kind: 'jira', url, auth: { kind: 'bearer', token: 'tok' }, projectKey: 'NOC', transitions: { resolved: '31', closed: '41' },
  });

  it('creates the issue, transitions it on state changes, raises priority on an SLA breach, comments otherwise', async () => {
    const j = jira();
    rx = await new Receiver(j.handler).start();
    const outbox = new MemoryOutboxStore();
    outbox.enqueue(change('TKT-1', 1), 0);
    outbox.enqueue(change('TKT-1', 2, {}, 'updated'), 0);
    outbox.enqueue(change('TKT-1', 3, { priority: 1, sla: { respondBy: 1, onsiteBy: 2, resolveBy: 3, breached: ['respond'] } }, 'sla_breach'), 0);
    outbox.enqueue(change('TKT-1', 4, { state: 'resolved' }, 'state'), 0);
    outbox.enqueue(change('TKT-1', 5, { state: 'acknowledged' }, 'state'), 0);
    await drain(worker(outbox, { target: target(rx.url) }), outbox);
    expect(rx.requests.map((r) => `${r.method} ${r.url}`)).toEqual([
      'POST /rest/api/2/issue',
      'POST /rest/api/2/issue/NOC-1/comment',
      'PUT /rest/api/2/issue/NOC-1',
      'POST /rest/api/2/issue/NOC-1/transitions',
      // No transition configured for acknowledged: a comment carries it.
      'POST /rest/api/2/issue/NOC-1/comment',
    ]);
    const issue = j.issues.get('NOC-1')!;
    expect(issue.status).toBe('Resolved');
    expect(issue.fields.priority).toEqual({ name: 'Highest' });
    expect(issue.fields.labels).toEqual(['nocwatch', 'nocwatch-TKT-1', 'maintenance']);
    expect(issue.comments).toHaveLength(4);
    expect(outbox.counts().delivered).toBe(5);
  });

  it('after a lost response to the create, finds the issue by its label instead of creating a second', async () => {
    const j = jira();
    let lost = false;
    rx = await new Receiver((req) => {
      const reply = j.handler(req);
      if (req.url === '/rest/api/2/issue' && !lost) { lost = true; return { ...reply, drop: true }; }
      return reply;
    }).start();
    const outbox = new MemoryOutboxStore();
    outbox.enqueue(change('TKT-1', 1), 0);
    await drain(worker(outbox, { target: target(rx.url) }), outbox);
    expect(rx.requests.map((r) => `${r.method} ${r.url.split('?')[0]}`)).toEqual([
      'POST /rest/api/2/issue', 'GET /rest/api/2/search', 'POST /rest/api/2/issue/NOC-1/comment',
    ]);
    expect(j.issues.size).toBe(1);
    expect(outbox.externalRef('TKT-1', 'jira')).toBe('NOC-1');
  });

  it('a transition retried after a lost response is not a dead letter', async () => {
    const j = jira();
    let lost = false;
    rx = await new Receiver((req, n) => {
      const reply = j.handler(req);
      if (req.url.endsWith('/transitions') && !lost) { lost = true; return { ...reply, drop: true }; }
      return reply;
    }).start();
    const outbox = new MemoryOutboxStore();
    outbox.enqueue(change('TKT-1', 1), 0);
    outbox.enqueue(change('TKT-1', 2, { state: 'resolved' }, 'state'), 0);
    await drain(worker(outbox, { target: target(rx.url) }), outbox);
    expect(outbox.counts()).toMatchObject({ delivered: 2, dead: 0 });
    expect(j.issues.get('NOC-1')!.status).toBe('Resolved');
  });
});
