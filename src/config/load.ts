/**
 * Loads the YAML configuration, applies environment and command-line overrides, and validates it.
 * Any problem stops start-up with a ConfigError that lists the path of every offending field.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseDocument } from 'yaml';
import { ConfigError } from '../errors.js';
import { formatIssues } from './format-issues.js';
import { configSchema, type Config } from './schema.js';

/** The package's default config file, used by `npm start` and `nocwatch run` without --config. */
export function defaultConfigPath(): string {
  // dist/main.js and src/config/load.ts both sit two levels or one level under the package root.
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 4; i++) {
    const candidate = join(dir, 'config', 'nocwatch.yaml');
    if (existsSync(candidate)) return candidate;
    dir = dirname(dir);
  }
  return resolve('config/nocwatch.yaml');
}

/** Overrides from the command line (they win over the environment, which wins over the file). */
export interface CliOverrides {
  port?: number | string;
  host?: string;
  dataDir?: string;
  inventory?: string;
  simulator?: boolean;
}

type Raw = Record<string, unknown>;

function section(raw: Raw, key: string): Raw {
  const v = raw[key];
  if (v !== null && typeof v === 'object' && !Array.isArray(v)) return v as Raw;
  const fresh: Raw = {};
  raw[key] = fresh;
  return fresh;
}

/** A numeric string becomes a number; anything else stays as it is, so validation can name it. */
function numeric(v: string | number): string | number {
  return typeof v === 'string' && /^\s*\d+\s*$/.test(v) ? Number(v) : v;
}

/** The environment variables operators use to override the file. */
export const ENV_OVERRIDES = {
  NOCWATCH_PORT: 'server.port',
  NOCWATCH_HOST: 'server.host',
  NOCWATCH_DATA_DIR: 'dataDir',
  NOCWATCH_LOG_LEVEL: 'log.level',
  NOCWATCH_INGEST_TOKEN: 'auth.tokens (scope ingest)',
  NOCWATCH_READ_TOKEN: 'auth.tokens (scope read)',
  NOCWATCH_ADMIN_TOKEN: 'auth.tokens (scopes ingest, read, admin)',
} as const;

function applyEnv(raw: Raw, env: NodeJS.ProcessEnv): void {
  if (env.NOCWATCH_PORT !== undefined) section(raw, 'server').port = numeric(env.NOCWATCH_PORT);
  if (env.NOCWATCH_HOST !== undefined) section(raw, 'server').host = env.NOCWATCH_HOST;
  if (env.NOCWATCH_DATA_DIR !== undefined) raw.dataDir = env.NOCWATCH_DATA_DIR;
  if (env.NOCWATCH_LOG_LEVEL !== undefined) section(raw, 'log').level = env.NOCWATCH_LOG_LEVEL;
  const envTokens: { name: string; token: string; scopes: string[] }[] = [];
  if (env.NOCWATCH_INGEST_TOKEN) envTokens.push({ name: 'env-ingest', token: env.NOCWATCH_INGEST_TOKEN, scopes: ['ingest'] });
  if (env.NOCWATCH_READ_TOKEN) envTokens.push({ name: 'env-read', token: env.NOCWATCH_READ_TOKEN, scopes: ['read'] });
  if (env.NOCWATCH_ADMIN_TOKEN) envTokens.push({ name: 'env-admin', token: env.NOCWATCH_ADMIN_TOKEN, scopes: ['ingest', 'read', 'admin'] });
  if (envTokens.length > 0) {
    const auth = section(raw, 'auth');
    auth.tokens = [...(Array.isArray(auth.tokens) ? auth.tokens : []), ...envTokens];
  }
}

function applyCli(raw: Raw, cli: CliOverrides): void {
  if (cli.port !== undefined) section(raw, 'server').port = numeric(cli.port);
  if (cli.host !== undefined) section(raw, 'server').host = cli.host;
  if (cli.dataDir !== undefined) raw.dataDir = cli.dataDir;
  if (cli.inventory !== undefined) section(raw, 'inventory').file = cli.inventory;
  if (cli.simulator !== undefined && 'simulator' in configSchema.shape) section(raw, 'simulator').enabled = cli.simulator;
}

/** Parses YAML text into a raw object; syntax errors become ConfigError with line and column. */
export function parseYaml(text: string, source: string): Raw {
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new ConfigError(doc.errors.map((e) => `YAML: ${e.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')}${e.linePos ? ` (line ${e.linePos[0].line}, column ${e.linePos[0].col})` : ''}`), source);
  }
  const value: unknown = doc.toJS() ?? {};
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new ConfigError(['(root): expected a mapping of settings'], source);
  }
  return value as Raw;
}

/** Validates a raw config object. */
export function validateConfig(raw: unknown, source: string): Config {
  const r = configSchema.safeParse(raw);
  if (!r.success) throw new ConfigError(formatIssues(r.error.issues, raw), source);
  return r.data;
}

export interface LoadOptions {
  /** Config file; when absent, the package default (config/nocwatch.yaml) if it exists, else built-in defaults. */
  file?: string;
  env?: NodeJS.ProcessEnv;
  cli?: CliOverrides;
}

export function loadConfig(opts: LoadOptions = {}): { config: Config; source: string } {
  const file = opts.file ?? defaultConfigPath();
  let raw: Raw = {};
  let source = 'built-in defaults';
  if (opts.file !== undefined || existsSync(file)) {
    source = file;
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (e) {
      throw new ConfigError([`cannot read the file: ${(e as Error).message}`], file);
    }
    raw = parseYaml(text, file);
  }
  applyEnv(raw, opts.env ?? {});
  applyCli(raw, opts.cli ?? {});
  return { config: validateConfig(raw, source), source };
}
