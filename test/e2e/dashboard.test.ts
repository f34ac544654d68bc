/**
 * The dashboard of the real daemon in Chromium: the built daemon runs as a process, a feeder posts
 * the network's data over HTTP, the page shows it live; then the daemon is killed and started again
 * on the same port and data dir, and the page must say it is disconnected and recover by itself.
 * Screenshots go to test-artifacts/ (kept as CI artifacts).
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startDaemon, tempDir, type Daemon } from '../helpers/daemon.js';
import { launchBrowser, screenshot, wallPage } from './browser.js';
import { provinceCells } from './dashboard-scenario.js';
import { postInventory, postJson, startFeeder, type Feeder } from './feeder.js';

let browser: Browser;
const daemons: Daemon[] = [];
let feeder: Feeder | null = null;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});
afterEach(async () => {
  feeder?.stop();
  feeder = null;
  await Promise.all(daemons.splice(0).map((d) => d.stop('SIGKILL')));
});

async function daemon(args: string[], env: NodeJS.ProcessEnv = {}): Promise<Daemon> {
  const d = await startDaemon(['--no-simulator', ...args], env);
  daemons.push(d);
  return d;
}

const seqOf = (p: Page) => p.evaluate(() => (window as any).nocwatch.state.seq as number);
const epochOf = (p: Page) => p.evaluate(() => (window as any).nocwatch.state.epoch as string | null);
/** The id of the element actually under the centre of `selector` (what a click would hit). */
const hitId = (p: Page, selector: string) => p.locator(selector).evaluate((e) => {
  const r = e.getBoundingClientRect();
  return document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2)?.id ?? null;
});
const cellsOnMap = (p: Page) => p.evaluate(() => ((window as any).nocwatch.map.ready ? (window as any).nocwatch.state.status.length : 0) as number);

describe('dashboard against the running daemon', () => {
  it('shows the network live, says when the daemon is gone, and recovers when it is back', async () => {
    const dir = tempDir('nocwatch-dashboard-');
    const cells = provinceCells(3000);
    let d = await daemon(['--data-dir', dir]);
    const port = new URL(d.url).port;
    await postInventory(d.url, cells);
    feeder = startFeeder(() => d.url, cells);

    const errors: string[] = [];
    const page = await wallPage(browser, errors);
    await page.goto(d.url);
    await expect.poll(() => cellsOnMap(page), { timeout: 30_000 }).toBe(3000);
    await expect.poll(() => page.locator('#complaint-list .cmp').count(), { timeout: 30_000 }).toBeGreaterThan(2);
    await expect.poll(() => page.locator('#feed-table tr:has-text("pm") .tag').textContent(), { timeout: 15_000 }).toBe('OK');
    expect(await page.locator('#banner').isHidden()).toBe(true);
    expect(await page.locator('#counters').textContent()).toContain('3,000');
    const epoch1 = await epochOf(page);

    // A transport node goes down: the detectors see the alarm, the incident stage groups the node's
    // cells into one incident, and the page shows it in the list and on the map.
    const transportId = cells[0]!.transportId;
    const outCells = cells.filter((c) => c.transportId === transportId).map((c) => c.cellId);
    const alarm = await postJson(`${d.url}/api/v1/ingest/alarms`, {
      alarmId: 'E2E-TR-1', objectType: 'transport', objectId: transportId, severity: 'critical',
      probableCause: 'transport_link_down', specificProblem: 'LOS on uplink', eventTime: new Date().toISOString(),
    });
    expect(alarm.status).toBe(202);
    const row = page.locator('#incident-list .inc', { hasText: transportId });
    await row.waitFor({ timeout: 30_000 });
    const incidentId = (await row.getAttribute('data-id'))!;
    // The ticket stage opens a ticket for it, with its SLA clock: the nearest deadline, by name.
    await expect.poll(() => row.textContent(), { timeout: 10_000 }).toMatch(/TKT-/);
    expect(await row.locator('.sla').first().textContent()).toMatch(/^respond in \d/);
    await expect.poll(() => page.locator('#ticket-stats').textContent(), { timeout: 10_000 }).toMatch(/\b1 ticket\b/);
    await expect.poll(() => page.evaluate(() => (window as any).nocwatch.state.counters.outage), { timeout: 10_000 }).toBeGreaterThanOrEqual(outCells.length);
    await screenshot(page, 'dashboard-daemon-live');
    await row.click();
    await expect.poll(() => page.locator('#timeline .tl').count(), { timeout: 10_000 }).toBeGreaterThanOrEqual(2);
    expect(await page.locator('#timeline').textContent()).toContain('incident opened');
    expect(await page.locator('#timeline').textContent()).toContain(transportId);
    await screenshot(page, 'dashboard-daemon-incident');
    await page.click('#incident-close');

    // The daemon dies: the banner says so, the rest of the page stays as it was.
    await d.stop('SIGKILL');
    await page.locator('#banner').waitFor({ state: 'visible', timeout: 10_000 });
    expect(await page.locator('#banner-text').textContent()).toMatch(/Disconnected — reconnecting/);
    expect(await page.locator('body').getAttribute('class')).toContain('offline');
    await screenshot(page, 'dashboard-daemon-disconnected');
    const complaintsBefore = await page.locator('#complaint-list .cmp').count();

    // Back on the same port and data dir: the page reconnects by itself, gets a snapshot of the new
    // epoch (the old sequence cannot be resumed), and the stored complaints are there again.
    d = await daemon(['--data-dir', dir, '--port', port]);
    await page.locator('#banner').waitFor({ state: 'hidden', timeout: 30_000 });
    await expect.poll(() => epochOf(page), { timeout: 10_000 }).not.toBe(epoch1);
    await expect.poll(() => cellsOnMap(page), { timeout: 30_000 }).toBe(3000);
    await expect.poll(() => page.locator('#complaint-list .cmp').count(), { timeout: 15_000 }).toBeGreaterThanOrEqual(complaintsBefore);
    const seq = await seqOf(page);
    await expect.poll(() => seqOf(page), { timeout: 15_000 }).toBeGreaterThan(seq); // live again
    // The feed flows into the new daemon, and its health says so.
    await expect.poll(() => page.locator('#feed-table tr:has-text("pm") .tag').textContent(), { timeout: 15_000 }).toBe('OK');
    await expect.poll(() => page.locator('#complaint-list .cmp').count(), { timeout: 15_000 }).toBeGreaterThan(complaintsBefore);
    expect(await page.locator('body').getAttribute('class') ?? '').not.toContain('offline');

    // The incident is still open after the restart: in the list again, on the map.
    await expect.poll(() => page.locator(`#incident-list .inc[data-id="${incidentId}"]`).count(), { timeout: 10_000 }).toBe(1);
    await expect.poll(() => page.evaluate(() => (window as any).nocwatch.state.counters.outage), { timeout: 10_000 }).toBeGreaterThanOrEqual(outCells.length);
    await screenshot(page, 'dashboard-daemon-recovered');
    expect(errors.filter((e) => !/WebSocket|ERR_CONNECTION_REFUSED|Failed to load resource/.test(e))).toEqual([]);
  });

  it('on a 1366×768 laptop: lists keep their height, nothing is cut or covered, and another daemon\'s snapshot closes the old detail', async () => {
    const dir = tempDir('nocwatch-dashboard-laptop-');
    const cells = provinceCells(1500);
    const longId = 'CS-VERYLONGCELLIDENTIFIER-HOSPITAL-NORTH-WING-0001-2';
    cells.push({ ...cells[0]!, cellId: longId });
    let d = await daemon(['--data-dir', dir]);
    const port = new URL(d.url).port;
    await postInventory(d.url, cells);
    feeder = startFeeder(() => d.url, cells);

    const errors: string[] = [];
    const page = await wallPage(browser, errors, { width: 1366, height: 768 });
    await page.goto(d.url);
    await expect.poll(() => cellsOnMap(page), { timeout: 30_000 }).toBe(cells.length);
    const transportId = cells[0]!.transportId;
    await postJson(`${d.url}/api/v1/ingest/alarms`, {
      alarmId: 'E2E-TR-2', objectType: 'transport', objectId: transportId, severity: 'critical',
      probableCause: 'transport_link_down', eventTime: new Date().toISOString(),
    });
    const row = page.locator('#incident-list .inc', { hasText: transportId });
    await row.waitFor({ timeout: 30_000 });
    await expect.poll(() => row.textContent(), { timeout: 10_000 }).toMatch(/TKT-/);
    await row.click();
    await expect.poll(() => page.locator('#timeline .tl').count(), { timeout: 10_000 }).toBeGreaterThanOrEqual(2);

    // Lists keep a usable height: the timeline had 36 px, the attention list 14 px.
    expect(await page.locator('#timeline').evaluate((e) => e.clientHeight)).toBeGreaterThanOrEqual(120);
    expect(await page.locator('#ticket-attention').evaluate((e) => e.clientHeight)).toBeGreaterThanOrEqual(60);
    // Every header counter is there, left of the clocks.
    const chip = page.locator('#counters .chip', { hasText: 'complaints / 24h' });
    expect(await chip.isVisible()).toBe(true);
    // Measured in one go in the page: the counters are redrawn every few seconds, and a box read
    // between two locator calls could belong to a chip that was just replaced (null).
    const edges = await page.evaluate(() => {
      const c = [...document.querySelectorAll('#counters .chip')].find((e) => e.textContent?.includes('complaints / 24h'));
      const t = document.querySelector('.times');
      return c && t ? { chipRight: c.getBoundingClientRect().right, timesLeft: t.getBoundingClientRect().left } : null;
    });
    expect(edges).not.toBeNull();
    expect(edges!.chipRight).toBeLessThanOrEqual(edges!.timesLeft);
    await screenshot(page, 'dashboard-laptop-incident');

    // A 50-character cell id: the title is cut, its close button stays in the panel and clickable.
    await page.evaluate((id) => (window as any).nocwatch.openCell(id), longId);
    await expect.poll(() => page.locator('#cell-body .cell-facts').count(), { timeout: 10_000 }).toBe(1);
    const panel = (await page.locator('#cell-panel').boundingBox())!;
    const x = (await page.locator('#cell-close').boundingBox())!;
    expect(x.x + x.width).toBeLessThanOrEqual(panel.x + panel.width);
    expect(await hitId(page, '#cell-close')).toBe('cell-close');
    await screenshot(page, 'dashboard-laptop-long-cell');
    await page.click('#cell-close');

    // The daemon dies: the banner takes its own row and covers none of the incident detail's controls.
    feeder.stop();
    await d.stop('SIGKILL');
    await page.locator('#banner').waitFor({ state: 'visible', timeout: 10_000 });
    expect(await hitId(page, '#incident-close')).toBe('incident-close');
    const banner = (await page.locator('#banner').boundingBox())!;
    expect((await page.locator('#incident-title').boundingBox())!.y).toBeGreaterThanOrEqual(banner.y + banner.height);
    await screenshot(page, 'dashboard-laptop-disconnected');
    const epoch1 = await epochOf(page);

    // Another daemon on that port, with nothing in it: nothing of the old one stays on screen.
    d = await daemon(['--data-dir', tempDir('nocwatch-dashboard-empty-'), '--port', port]);
    await page.locator('#banner').waitFor({ state: 'hidden', timeout: 30_000 });
    await expect.poll(() => epochOf(page), { timeout: 10_000 }).not.toBe(epoch1);
    await expect.poll(() => page.locator('#incident-detail').isHidden(), { timeout: 10_000 }).toBe(true);
    expect(await page.locator('#incident-list .inc').count()).toBe(0);
    expect(await page.locator('#complaint-stats').textContent()).toBe('0/0 linked');
    await screenshot(page, 'dashboard-laptop-new-daemon');
    expect(errors.filter((e) => !/WebSocket|ERR_CONNECTION_REFUSED|Failed to load resource/.test(e))).toEqual([]);
  });

  it('asks for a read token when auth is on, keeps it, and then streams', async () => {
    const token = 'e2e-read-token-0123456789';
    const admin = 'e2e-admin-token-0123456789';
    const d = await daemon(['--data-dir', tempDir('nocwatch-dashboard-auth-')], { NOCWATCH_READ_TOKEN: token, NOCWATCH_ADMIN_TOKEN: admin });
    await postInventory(d.url, provinceCells(500), admin);
    const page = await wallPage(browser);
    await page.goto(d.url);
    await page.locator('#auth').waitFor({ state: 'visible', timeout: 10_000 });
    expect(await page.locator('#auth-reason').textContent()).toContain('read scope');
    await screenshot(page, 'dashboard-daemon-token');
    await page.fill('#auth-token', token);
    await page.click('#auth-form button');
    await expect.poll(() => cellsOnMap(page), { timeout: 30_000 }).toBe(500);
    expect(await page.evaluate(() => localStorage.getItem('nocwatch.token'))).toBe(token);
    // A reload uses the kept token: no prompt.
    await page.reload();
    await expect.poll(() => cellsOnMap(page), { timeout: 30_000 }).toBe(500);
    expect(await page.locator('#auth').isHidden()).toBe(true);
  });
});
