#!/usr/bin/env node
// `npm run bench`: runs every `bench:<name>` script of package.json in turn (each also runs alone).
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const only = process.argv.slice(2);
const names = Object.keys(pkg.scripts).filter((s) => s.startsWith('bench:')).filter((s) => only.length === 0 || only.includes(s.slice(6)));
let failed = 0;
for (const name of names) {
  console.log(`\n=== npm run ${name} ===`);
  const r = spawnSync('npm', ['run', '--silent', name], { stdio: 'inherit' });
  if (r.status !== 0) failed++;
}
if (names.length === 0) console.log('no bench:* scripts');
process.exit(failed ? 1 : 0);
