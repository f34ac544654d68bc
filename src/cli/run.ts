/**
 * `nocwatch run [--config FILE] [--port N] [--host H] [--data-dir DIR] [--inventory FILE] [--no-simulator]`
 * Starts the daemon and stops it gracefully on SIGTERM / SIGINT (drain, checkpoint, exit 0).
 */
import { parseArgs } from 'node:util';
import { buildApp } from '../app.js';
import { isLoopback } from '../api/auth.js';
import { loadConfig } from '../config/load.js';
import { ConfigError } from '../errors.js';

export const RUN_USAGE = `usage: nocwatch run [--config FILE] [--port N] [--host H] [--data-dir DIR] [--inventory FILE] [--no-simulator]`;

export async function runCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      config: { type: 'string' },
      port: { type: 'string' },
      host: { type: 'string' },
      'data-dir': { type: 'string' },
      inventory: { type: 'string' },
      'no-simulator': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) {
    console.log(RUN_USAGE);
    return 0;
  }
  let config;
  try {
    ({ config } = loadConfig({
      file: values.config,
      env: process.env,
      cli: {
        port: values.port, host: values.host, dataDir: values['data-dir'], inventory: values.inventory,
        simulator: values['no-simulator'] ? false : undefined,
      },
    }));
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(`nocwatch: ${e.message}`);
      return 2;
    }
    throw e;
  }
  if (!isLoopback(config.server.host) && config.auth.tokens.length === 0) {
    console.error(
      `nocwatch: refusing to listen on ${config.server.host} without auth: anyone on the network could post data and read customer complaints.\n` +
      `  Configure auth.tokens (or NOCWATCH_ADMIN_TOKEN / NOCWATCH_INGEST_TOKEN / NOCWATCH_READ_TOKEN), or bind 127.0.0.1.`,
    );
    return 2;
  }

  const app = await buildApp({ config });
  await app.start();
  const address = await app.server.listen({ host: config.server.host, port: config.server.port });
  app.logger.info({ address }, `nocwatch listening on ${address} (dashboard at ${address}/)`);

  return new Promise<number>((resolve) => {
    let stopping = false;
    const stop = (signal: string) => {
      if (stopping) {
        app.logger.warn({ signal }, 'second signal: exiting now');
        resolve(1);
        return;
      }
      stopping = true;
      app.logger.info({ signal }, 'stopping: draining the queue');
      app.stop().then(() => resolve(0), (err) => {
        app.logger.error({ err }, 'error while stopping');
        resolve(1);
      });
    };
    process.on('SIGTERM', () => stop('SIGTERM'));
    process.on('SIGINT', () => stop('SIGINT'));
  });
}
