import { describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { complaintRecord } from '../helpers/app.js';
import { runCli, startDaemon, tempDir } from '../helpers/daemon.js';

describe('the daemon as a process', () => {
  it('loses no accepted complaint when killed with SIGKILL and restarted', async () => {
    const dataDir = tempDir();
    const args = ['--data-dir', dataDir, '--no-simulator'];
    const first = await startDaemon(args);
    const ids = Array.from({ length: 50 }, (_, i) => `C-KILL-${i}`);
    const res = await fetch(`${first.url}/api/v1/ingest/complaints`, {
      method: 'POST', headers: { 'content-type': 'application/x-ndjson' },
      body: ids.map((id) => JSON.stringify(complaintRecord(id))).join('\n'),
    });
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ accepted: 50, rejected: [] });
    // No drain, no checkpoint: the process dies at once.
    expect(await first.stop('SIGKILL')).toBeNull();

    const second = await startDaemon(args);
    try {
      for (const id of ids) {
        const r = await fetch(`${second.url}/api/v1/complaints/${id}`);
        expect(r.status).toBe(200);
        expect(await r.json()).toMatchObject({ complaintId: id, channel: 'hotline', customer: { class: 'vip_gold' } });
      }
      // The same complaints again are duplicates: nothing is stored twice.
      const again = await fetch(`${second.url}/api/v1/ingest/complaints`, {
        method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(ids.slice(0, 3).map((id) => complaintRecord(id))),
      });
      expect(await again.json()).toEqual({ accepted: 3, rejected: [], duplicates: 3 });
    } finally {
      expect(await second.stop('SIGTERM')).toBe(0);
    }
  });

  it('drains and exits 0 on SIGTERM, and logs no ERROR in a healthy run', async () => {
    const d = await startDaemon(['--data-dir', tempDir(), '--no-simulator']);
    const pm = Array.from({ length: 200 }, (_, i) => ({ cellId: `C${i}`, time: '2026-11-23T10:15:00+08:00', kpis: { availability: 100 } }));
    expect((await fetch(`${d.url}/api/v1/ingest/pm`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(pm) })).status).toBe(202);
    expect(await d.stop('SIGTERM')).toBe(0);
    const lines = d.logs.join('').split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as { level: string; msg: string });
    expect(lines.some((l) => l.msg === 'stopped')).toBe(true);
    expect(lines.filter((l) => l.level === 'error' || l.level === 'fatal')).toEqual([]);
  });

  it('refuses to listen on a non-loopback address without tokens', async () => {
    const r = await runCli(['run', '--host', '0.0.0.0', '--port', '0', '--data-dir', tempDir(), '--no-simulator']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/refusing to listen on 0\.0\.0\.0 without auth/);
  });

  it('check-config exits non-zero and lists every bad field', async () => {
    const dir = tempDir();
    const file = join(dir, 'bad.yaml');
    writeFileSync(file, 'server:\n  port: 80a\npipeline:\n  nope: 1\n');
    const r = await runCli(['check-config', file]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('server.port: expected number, received "80a"');
    expect(r.stderr).toContain('pipeline.nope: unknown key');
    const ok = await runCli(['check-config', join(import.meta.dirname, '..', '..', 'config', 'nocwatch.yaml')]);
    expect(ok.code).toBe(0);
    // `nocwatch <command> --help` shows a command's options, as the top-level help promises.
    const help = await runCli(['check-config', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^usage: nocwatch check-config FILE/);
  });

  it('run stops start-up with the path of a bad setting', async () => {
    const r = await runCli(['run', '--port', '80a', '--data-dir', tempDir()]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('server.port: expected number, received "80a"');
  });
});
