#!/usr/bin/env node
// The `nocwatch` command: runs the built daemon (dist/main.js; `npm run build` makes it).
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const main = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'main.js');
if (!existsSync(main)) {
  console.error('nocwatch: dist/main.js is missing — run `npm run build` first');
  process.exit(1);
}
await import(main);
