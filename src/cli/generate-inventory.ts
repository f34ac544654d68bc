/**
 * `nocwatch generate-inventory --cells N [--seed S] --out FILE`
 * Writes a simulated province's inventory CSV — the file `nocwatch run --inventory` reads.
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { generateNetwork } from '../simulator/inventory-generator.js';
import { toInventoryCsv } from '../inventory/inventory-csv.js';
import { intOption, UsageError } from './option-values.js';

export const GENERATE_INVENTORY_USAGE = `usage: nocwatch generate-inventory --cells N [--seed S] --out FILE

  --cells N    number of cells, 50 to 300000 (default 2000)
  --seed S     seed: the same seed gives the same network (default 1)
  --out FILE   where to write the CSV (- for standard output)`;

export async function generateInventoryCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      cells: { type: 'string' },
      seed: { type: 'string' },
      out: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) {
    console.log(GENERATE_INVENTORY_USAGE);
    return 0;
  }
  try {
    const cells = intOption('cells', values.cells, 2000, 50, 300_000);
    const seed = intOption('seed', values.seed, 1, 0, 2 ** 31 - 1);
    if (!values.out) throw new UsageError('--out is required');
    const net = generateNetwork({ cells, seed });
    const csv = toInventoryCsv(net.cells);
    if (values.out === '-') process.stdout.write(csv);
    else {
      writeFileSync(values.out, csv);
      console.error(
        `wrote ${net.cells.length} cells (${net.sites.length} sites, ${net.transports.length} transport nodes, ` +
        `${net.districts.length} districts, ${net.regions.length} regions) to ${values.out}`,
      );
    }
    return 0;
  } catch (err) {
    if (err instanceof UsageError) {
      console.error(`nocwatch generate-inventory: ${err.message}\n\n${GENERATE_INVENTORY_USAGE}`);
      return 2;
    }
    throw err;
  }
}
