#!/usr/bin/env node
// Builds the daemon (dist/main.js) and the dashboard page (dist/dashboard/) with esbuild.
// esbuild rather than tsc emit: it bundles the page for the browser and builds both in well under a
// second, so `npm start` can always build before it runs. Type checking is `npm run typecheck`.
import { build } from 'esbuild';
import { existsSync, mkdirSync, cpSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const quiet = process.argv.includes('--quiet');
const started = Date.now();

await build({
  entryPoints: [join(root, 'src/main.ts')],
  outfile: join(root, 'dist/main.js'),
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  sourcemap: true,
  logLevel: quiet ? 'warning' : 'info',
});

const pageEntry = join(root, 'src/dashboard/page/main.ts');
if (existsSync(pageEntry)) {
  const out = join(root, 'dist/dashboard');
  mkdirSync(out, { recursive: true });
  await build({
    entryPoints: [pageEntry],
    outfile: join(out, 'app.js'),
    bundle: true,
    platform: 'browser',
    format: 'esm',
    target: 'es2022',
    minify: true,
    sourcemap: true,
    loader: { '.css': 'css' },
    logLevel: quiet ? 'warning' : 'info',
  });
  const staticDir = join(root, 'src/dashboard/page/static');
  if (existsSync(staticDir)) cpSync(staticDir, out, { recursive: true });
}
if (!quiet) console.log(`built in ${Date.now() - started} ms`);
