/**
 * Builds dist/ once before the tests, so process-level tests run the daemon as users do. The run gets
 * a temp dir of its own (TMPDIR, which the test workers, the daemons they start and Chromium inherit),
 * removed when the run ends: the data dirs, checkpoints and browser profiles the tests make go with it.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export default function setup(): () => void {
  execFileSync(process.execPath, [join(import.meta.dirname, '..', 'scripts', 'build.mjs'), '--quiet'], { stdio: 'inherit' });
  const dir = mkdtempSync(join(tmpdir(), 'nocwatch-tests-'));
  const before = process.env.TMPDIR;
  process.env.TMPDIR = dir;
  return () => {
    if (before === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = before;
    rmSync(dir, { recursive: true, force: true });
  };
}
