/**
 * The process entry point: dispatches `nocwatch <command>`. Process concerns only — the daemon
 * itself is assembled in app.ts.
 */
import { checkConfigCommand } from './cli/check-config.js';
import { evaluateCommand } from './cli/evaluate.js';
import { generateInventoryCommand } from './cli/generate-inventory.js';
import { runCommand } from './cli/run.js';
import { simulateCommand } from './cli/simulate.js';
import { scoreSeriesCommand } from './cli/score-series.js';

type Command = (argv: string[]) => Promise<number>;

const COMMANDS: Record<string, { run: Command; help: string }> = {
  run: { run: runCommand, help: 'start the daemon' },
  'check-config': { run: checkConfigCommand, help: 'validate a configuration file' },
  simulate: { run: simulateCommand, help: 'feed a running daemon from a simulated province over HTTP' },
  evaluate: { run: evaluateCommand, help: "score a daemon's incidents, links and tickets against the simulator's ground truth" },
  'generate-inventory': { run: generateInventoryCommand, help: "write a simulated province's inventory CSV" },
  'score-series': { run: scoreSeriesCommand, help: 'score a timestamp,value CSV with the KPI detector' },
};

function usage(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((c) => c.length));
  return `usage: nocwatch <command> [options]\n\ncommands:\n${Object.entries(COMMANDS)
    .map(([name, c]) => `  ${name.padEnd(width)}  ${c.help}`)
    .join('\n')}\n\nnocwatch <command> --help shows a command's options.`;
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    console.log(usage());
    return name ? 0 : 2;
  }
  const command = COMMANDS[name];
  if (!command) {
    console.error(`nocwatch: unknown command '${name}'\n\n${usage()}`);
    return 2;
  }
  try {
    return await command.run(rest);
  } catch (e) {
    const err = e as Error & { code?: string };
    if (err.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' || err.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' || err.code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') {
      console.error(`nocwatch ${name}: ${err.message}`);
      return 2;
    }
    console.error(`nocwatch ${name}: ${err.stack ?? err.message}`);
    return 1;
  }
}

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
  // Give pino's async destination a moment to flush, then leave even if a handle lingers.
  setTimeout(() => process.exit(code), 200).unref();
});
