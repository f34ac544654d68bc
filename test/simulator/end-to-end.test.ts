/**
 * The whole loop through the real daemon: `nocwatch simulate` feeds a few hundred cells for a day
 * with one fault of each kind over HTTP, then `nocwatch evaluate` reads incidents, complaints and
 * tickets back through the API and scores them. Detection quality is the detectors' and incidents'
 * business; this asserts that everything arrives and that every figure is computed.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseGroundTruth } from '../../src/simulator/ground-truth.js';
import { FAULT_KINDS } from '../../src/simulator/faults.js';
import { ROOT, runCli, startDaemon, tempDir, type Daemon } from '../helpers/daemon.js';
import { readFileSync } from 'node:fs';

let daemon: Daemon;
const dir = tempDir('nocwatch-sim-e2e-');
const truthFile = join(dir, 'truth.json');

beforeAll(async () => {
  daemon = await startDaemon(['--data-dir', dir, '--no-simulator']);
});

afterAll(async () => {
  await daemon?.stop();
});

describe('simulate → daemon → evaluate', () => {
  it('feeds a simulated day with every kind of fault, and scores what the daemon made of it', async () => {
    const sim = await runCli([
      'simulate', '--target', daemon.url, '--cells', '300', '--days', '1', '--warmup', '0.5', '--speed', 'max',
      '--scenario', join(ROOT, 'config', 'scenarios', 'mixed.yaml'), '--seed', '3', '--truth', truthFile,
    ]);
    expect(sim.stderr).toMatch(/inventory: 300 cells uploaded/);
    expect(sim.stderr).toMatch(/0 rejected/);
    expect(sim.code).toBe(0);

    const truth = parseGroundTruth(JSON.parse(readFileSync(truthFile, 'utf8')));
    expect(truth.faults.map((f) => f.kind).sort()).toEqual([...FAULT_KINDS].sort());
    expect(truth.backgroundComplaintIds.length).toBeGreaterThan(0);

    const status = await (await fetch(`${daemon.url}/api/v1/status`)).json();
    expect(status.pending).toBe(0);
    expect(status.inventory.cells).toBe(300);
    for (const feed of ['pm', 'signaling', 'dialtest', 'alarms', 'complaints']) {
      expect(status.feeds[feed].accepted, feed).toBeGreaterThan(0);
      expect(status.feeds[feed].rejected, feed).toBe(0);
    }

    const ev = await runCli(['evaluate', '--target', daemon.url, '--truth', truthFile, '--json']);
    expect(ev.code, ev.stderr).toBe(0);
    const score = JSON.parse(ev.stdout);
    expect(score.faults).toBe(FAULT_KINDS.length);
    for (const key of ['recall', 'precision', 'rootCause', 'linkage', 'proactive', 'routing']) {
      expect(score[key], key).toHaveProperty('den');
    }
    expect(score.recall.den).toBe(FAULT_KINDS.length);
    expect(score.proactive.den).toBe(FAULT_KINDS.length);
    // Every simulated complaint reached the daemon and was looked up.
    expect(score.linkage.missing).toBe(0);
    expect(score.linkage.fault.den + score.linkage.background.den).toBe(
      truth.backgroundComplaintIds.length + truth.faults.reduce((s, f) => s + f.complaintIds.length, 0),
    );
    expect(score.perFault).toHaveLength(FAULT_KINDS.length);
    // How soon the detectors saw each fault, from the firing times the incidents' evidence carries.
    expect(score.findingDelays).toHaveLength(FAULT_KINDS.length);
    const outage = score.findingDelays.find((d: { kind: string }) => d.kind === 'cell_outage');
    expect(outage).toMatchObject({ withinTwoPeriods: true });
    expect(outage.delayMs).toBeGreaterThanOrEqual(0);

    const table = await runCli(['evaluate', '--target', daemon.url, '--truth', truthFile, '--min-recall', '0']);
    expect(table.stdout).toMatch(/detection recall/);
    expect(table.stdout).toMatch(/department routing accuracy/);
    expect(table.stdout).toMatch(/network faults found within two whole PM periods/);
  });

  it('exits 1 below a threshold given on the command line, 2 on a threshold that is not a ratio', async () => {
    const ev = await runCli(['evaluate', '--target', daemon.url, '--truth', truthFile, '--min-linkage', '1.01']);
    expect(ev.code).toBe(2);
    // No build can have fewer than zero incidents per detected fault (or none to measure): always missed.
    const strict = await runCli(['evaluate', '--target', daemon.url, '--truth', truthFile, '--max-incidents-per-fault', '0']);
    expect(strict.code).toBe(1);
    expect(strict.stderr).toMatch(/threshold\(s\) missed/);
  });
});

describe('npm start`s configuration', () => {
  it('runs the daemon with the simulated network feeding it, and stops cleanly', async () => {
    const d = await startDaemon(['--data-dir', tempDir('nocwatch-demo-')]);
    try {
      let status: { inventory: { cells: number }; feeds: Record<string, { accepted: number; rejected: number }> } | null = null;
      for (let i = 0; i < 100; i++) {
        status = await (await fetch(`${d.url}/api/v1/status`)).json();
        if (status && Object.values(status.feeds).filter((f) => f.accepted > 0).length === 5) break;
        await new Promise((r) => setTimeout(r, 200));
      }
      expect(status?.inventory.cells).toBe(2000);
      for (const feed of ['pm', 'signaling', 'dialtest', 'alarms', 'complaints']) {
        expect(status?.feeds[feed]?.accepted, feed).toBeGreaterThan(0);
        expect(status?.feeds[feed]?.rejected, feed).toBe(0);
      }
      expect(d.logs.join('')).toMatch(/simulated network: feeding 1\.0 days of history at full speed/);
    } finally {
      expect(await d.stop()).toBe(0);
    }
  });
});

describe('generate-inventory', () => {
  it('writes a CSV that `nocwatch run --inventory` loads', async () => {
    const file = join(tempDir('nocwatch-inv-'), 'inventory.csv');
    const gen = await runCli(['generate-inventory', '--cells', '777', '--seed', '4', '--out', file]);
    expect(gen.code, gen.stderr).toBe(0);
    expect(gen.stderr).toMatch(/wrote 777 cells \(\d+ sites, \d+ transport nodes, \d+ districts, 2 regions\)/);
    const d = await startDaemon(['--data-dir', tempDir(), '--inventory', file, '--no-simulator']);
    try {
      const status = await (await fetch(`${d.url}/api/v1/status`)).json();
      expect(status.inventory.cells).toBe(777);
    } finally {
      await d.stop();
    }
  });
});

