/** Builds dist/ once before the tests, so process-level tests run the daemon as users do. */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

export default function setup(): void {
  execFileSync(process.execPath, [join(import.meta.dirname, '..', 'scripts', 'build.mjs'), '--quiet'], { stdio: 'inherit' });
}
