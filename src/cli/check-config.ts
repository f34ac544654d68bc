/** `nocwatch check-config FILE`: validates a configuration; exits non-zero listing every error. */
import { loadConfig } from '../config/load.js';
import { ConfigError } from '../errors.js';

export async function checkConfigCommand(argv: string[]): Promise<number> {
  const file = argv[0];
  if (file === '--help' || file === '-h') {
    console.log('usage: nocwatch check-config FILE\n\nValidates a configuration file (YAML or JSON); lists every error and exits 1 when it is invalid.');
    return 0;
  }
  if (!file || argv.length > 1) {
    console.error('usage: nocwatch check-config FILE');
    return 2;
  }
  try {
    loadConfig({ file, env: process.env });
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(e.message);
      return 1;
    }
    throw e;
  }
  console.log(`${file}: configuration is valid`);
  return 0;
}
