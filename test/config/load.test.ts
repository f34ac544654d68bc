import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, parseYaml, validateConfig } from '../../src/config/load.js';
import { ConfigError } from '../../src/errors.js';
import { HUNAN_UTC_OFFSET_MINUTES } from '../../src/simulator/place-names.js';

const fixtures = join(import.meta.dirname, '..', 'fixtures', 'config');

function problemsOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (e) {
    if (e instanceof ConfigError) return e.problems;
    throw e;
  }
  throw new Error('expected a ConfigError');
}

describe('configuration', () => {
  it('accepts an empty file and fills every default', () => {
    const c = validateConfig({}, 'test');
    expect(c.server).toMatchObject({ host: '127.0.0.1', port: 8080 });
    expect(c.dataDir).toBe('./data');
    expect(c.pipeline.queueLimit).toBeGreaterThan(0);
  });

  it('the default config file judges the built-in network in its own local time', () => {
    // The baselines' weekday/weekend split and daily profile follow detectors.timezoneOffsetMinutes;
    // `npm start` runs the simulated Hunan province, so the two must agree.
    const { config } = loadConfig();
    expect(config.simulator.enabled).toBe(true);
    expect(config.detectors.timezoneOffsetMinutes).toBe(HUNAN_UTC_OFFSET_MINUTES);
  });

  it('loads the good fixture', () => {
    const { config } = loadConfig({ file: join(fixtures, 'good.yaml') });
    expect(config.server.port).toBe(9090);
    expect(config.auth.tokens).toHaveLength(1);
    expect(config.auth.tokens[0]!.scopes).toEqual(['ingest', 'read']);
  });

  it('names the path of every offending field in the bad fixture', () => {
    const problems = problemsOf(() => loadConfig({ file: join(fixtures, 'bad.yaml') }));
    expect(problems).toEqual(expect.arrayContaining([
      'server.port: expected number, received "80a"',
      'server.colour: unknown key',
      'pipeline.queueLimit: expected number to be >=100, received 5',
      expect.stringMatching(/^auth\.tokens\[0\]\.scopes\[1\]: expected one of "ingest", "read", "admin", received "write"/),
      'unknownSection: unknown key',
    ]));
    expect(problems).toHaveLength(5);
  });

  it('reports YAML syntax errors with line and column', () => {
    const problems = problemsOf(() => parseYaml('server:\n  port: [1, 2\n', 'x.yaml'));
    expect(problems[0]).toMatch(/^YAML: .*\(line \d+, column \d+\)$/);
  });

  it('refuses duplicate keys rather than silently keeping one', () => {
    expect(problemsOf(() => parseYaml('server:\n  port: 1\n  port: 2\n', 'x.yaml'))[0]).toMatch(/^YAML: Map keys must be unique \(line 3, column 3\)$/);
  });

  it('lets environment variables override the file, and the command line override both', () => {
    const dir = mkdtempSync(join(tmpdir(), 'nocwatch-config-'));
    const file = join(dir, 'c.yaml');
    writeFileSync(file, 'server:\n  port: 9000\ndataDir: /var/lib/a\n');
    const env = { NOCWATCH_PORT: '9100', NOCWATCH_DATA_DIR: '/var/lib/b', NOCWATCH_INGEST_TOKEN: 'ingest-token-0123456789' };
    const fromEnv = loadConfig({ file, env }).config;
    expect(fromEnv.server.port).toBe(9100);
    expect(fromEnv.dataDir).toBe('/var/lib/b');
    expect(fromEnv.auth.tokens).toEqual([{ name: 'env-ingest', token: 'ingest-token-0123456789', scopes: ['ingest'] }]);
    const fromCli = loadConfig({ file, env, cli: { port: '9200', dataDir: '/tmp/c' } }).config;
    expect(fromCli.server.port).toBe(9200);
    expect(fromCli.dataDir).toBe('/tmp/c');
  });

  it('names an environment override that is wrong', () => {
    expect(problemsOf(() => loadConfig({ file: join(fixtures, 'good.yaml'), env: { NOCWATCH_PORT: '80a' } })))
      .toEqual(['server.port: expected number, received "80a"']);
  });

  it('says when the file cannot be read', () => {
    expect(problemsOf(() => loadConfig({ file: '/nonexistent/nocwatch.yaml' }))[0]).toMatch(/cannot read the file/);
  });

  it('the shipped config/nocwatch.yaml is valid', () => {
    expect(() => loadConfig({ file: join(import.meta.dirname, '..', '..', 'config', 'nocwatch.yaml') })).not.toThrow();
  });
});
