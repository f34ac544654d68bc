/**
 * The NOC wall as `npm start` shows it: the built daemon on its default configuration (the built-in
 * simulated province feeding it) in Chromium. An incident must appear in the list and on the map,
 * open its timeline; then the daemon is killed and started again on the same port and data dir, and
 * the page must say it is disconnected and come back by itself. Screenshots go to test-artifacts/.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDaemon, tempDir, type Daemon } from '../helpers/daemon.js';
import { launchBrowser, screenshot, wallPage } from './browser.js';

let browser: Browser;
const daemons: Daemon[] = [];

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await Promise.all(daemons.map((d) => d.stop('SIGKILL')));
  await browser?.close();
});

async function daemon(args: string[]): Promise<Daemon> {
  // No --config: config/nocwatch.yaml, the simulator on — what `npm start` runs.
  const d = await startDaemon(args);
  daemons.push(d);
  return d;
}

const nw = <T>(p: Page, f: string) => p.evaluate(`window.nocwatch.${f}`) as Promise<T>;

/** Pixels on the map canvas drawn in the colours of cells in an incident or in outage. */
function problemPixels(p: Page): Promise<number> {
  return p.evaluate(() => {
    const c = document.getElementById('map') as HTMLCanvasElement;
    const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 0; i < d.length; i += 4) {
      const [r, g, b] = [d[i]!, d[i + 1]!, d[i + 2]!];
      if ((r === 0xff && g === 0x4d && b === 0x4f) || (r === 0xf2 && g === 0x99 && b === 0x4a)) n++;
    }
    return n;
  });
}

describe('the NOC wall on the built-in simulator', () => {
  it('shows an incident in the list and on the map, its timeline, and survives a daemon restart', async () => {
    const dir = tempDir('nocwatch-dashboard-sim-');
    let d = await daemon(['--data-dir', dir]);
    const port = new URL(d.url).port;
    const errors: string[] = [];
    const page = await wallPage(browser, errors);
    await page.goto(d.url);
    await expect.poll(() => nw<boolean>(page, 'map.ready'), { timeout: 60_000 }).toBe(true);
    const cells = await nw<number>(page, 'state.status.length');
    expect(cells).toBeGreaterThan(100);

    // The simulator's first fault: a site outage ten simulated minutes after its warm-up day. Its
    // incident gets a ticket before the first complaint, then the complaints come in.
    const outage = page.locator('#incident-list .inc', { hasText: /outage · site/ }).filter({ hasText: /TKT-/ }).first();
    await outage.waitFor({ timeout: 150_000 });
    await expect.poll(() => outage.locator('.inc-mid').textContent(), { timeout: 60_000 }).toMatch(/[1-9]\d* complaints?\b/);
    expect(await outage.textContent()).toContain('proactive');
    await expect.poll(() => problemPixels(page), { timeout: 10_000 }).toBeGreaterThan(0);
    await expect.poll(() => nw<number>(page, 'state.counters.outage'), { timeout: 10_000 }).toBeGreaterThan(0);
    await expect.poll(() => page.locator('#complaint-list .link.ok').count(), { timeout: 10_000 }).toBeGreaterThan(0);
    await expect.poll(() => page.locator('#ticket-stats').textContent(), { timeout: 10_000 }).not.toMatch(/^\s*0 tickets/);
    await screenshot(page, 'dashboard-sim-wall');

    await outage.click();
    await expect.poll(() => page.locator('#timeline .tl-complaint').count(), { timeout: 15_000 }).toBeGreaterThan(0);
    const timeline = await page.locator('#timeline').textContent();
    expect(timeline).toContain('incident opened');
    expect(timeline).toMatch(/ticket TKT-\S+ opened/);
    await screenshot(page, 'dashboard-sim-incident');
    await page.click('#incident-close');

    // Kill the daemon (the WebSocket server side): the banner comes up at once.
    const epoch = await nw<string>(page, 'state.epoch');
    await d.stop('SIGKILL');
    await page.locator('#banner').waitFor({ state: 'visible', timeout: 10_000 });
    expect(await page.locator('#banner-text').textContent()).toMatch(/Disconnected — reconnecting/);
    await screenshot(page, 'dashboard-sim-disconnected');

    // Back on the same port and data dir: the page reconnects, the banner goes, the state is back.
    d = await daemon(['--data-dir', dir, '--port', port]);
    await page.locator('#banner').waitFor({ state: 'hidden', timeout: 30_000 });
    await expect.poll(() => nw<string>(page, 'state.epoch'), { timeout: 10_000 }).not.toBe(epoch);
    await expect.poll(() => nw<number>(page, 'map.ready ? window.nocwatch.state.status.length : 0'), { timeout: 30_000 }).toBe(cells);
    await expect.poll(() => page.locator('#incident-list .inc').count(), { timeout: 30_000 }).toBeGreaterThan(0);
    const seq = await nw<number>(page, 'state.seq');
    await expect.poll(() => nw<number>(page, 'state.seq'), { timeout: 15_000 }).toBeGreaterThan(seq);
    await page.waitForTimeout(2000);
    await screenshot(page, 'dashboard-sim-recovered');
    expect(errors.filter((e) => !/WebSocket|ERR_CONNECTION_REFUSED|Failed to load resource/.test(e))).toEqual([]);
  });
});
