import { copyFileSync, existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import { testApp } from '../helpers/app.js';

const SAMPLE = 'A20231105.1000+0800-1015+0800_ENB-HZ-0001.xml';
let app: App | undefined;
afterEach(async () => app?.stop());

it('the daemon takes in PM XML files dropped into collectors.pmXml.dir', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nocwatch-app-pmxml-'));
  app = await testApp({ collectors: { pmXml: { dir, settleMs: 0, pollIntervalMs: 20 } } });
  copyFileSync(fileURLToPath(new URL(`../fixtures/pm-xml/${SAMPLE}`, import.meta.url)), join(dir, SAMPLE));
  for (let i = 0; i < 200 && !existsSync(join(dir, 'done', SAMPLE)); i++) await new Promise((r) => setTimeout(r, 20));
  expect(existsSync(join(dir, 'done', SAMPLE))).toBe(true);
  await app.pipeline.whenIdle();
  const status = (await app.server.inject({ method: 'GET', url: '/api/v1/status' })).json();
  expect(status.feeds.pm.accepted).toBe(2);
  expect(status.watermark).not.toBeNull();
  // The file reaches done/ a moment before its outcome is counted: wait for the count too.
  let metrics = '';
  for (let i = 0; i < 100; i++) {
    metrics = (await app.server.inject({ method: 'GET', url: '/metrics' })).body;
    if (metrics.includes('nocwatch_pm_xml_files_total{result="done"} 1')) break;
    await new Promise((r) => setTimeout(r, 20));
  }
  expect(metrics).toContain('nocwatch_pm_xml_files_total{result="done"} 1');
  expect(app.store.processedFiles.get(SAMPLE)).toMatchObject({ state: 'done', events: 2 });
});
