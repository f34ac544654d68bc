/** `POST /api/v1/inventory/cells` (scope admin): upserts cells, accepted / rejected by index. */
import type { FastifyInstance } from 'fastify';
import { formatIssues } from '../../config/format-issues.js';
import { ValidationError } from '../../errors.js';
import type { Inventory } from '../../inventory/inventory.js';
import { cellSchema, type Cell } from '../../model/index.js';
import type { Store } from '../../store/store.js';
import type { Metrics } from '../../telemetry/metrics.js';
import { recordsOf } from '../body.js';

export function registerInventoryRoutes(app: FastifyInstance, deps: { inventory: Inventory; store: Store; metrics: Metrics }): void {
  app.post('/api/v1/inventory/cells', { config: { scope: 'admin' } }, async (req, reply) => {
    const body = await recordsOf(req.body);
    if (!body) throw new ValidationError('the body must be a JSON array of cells (or NDJSON)', 'NOCWATCH_ERR_BODY');
    const cells: Cell[] = [];
    const rejected: { index: number; error: string }[] = [];
    body.records.forEach((raw, index) => {
      const parseError = body.errors.get(index);
      if (parseError !== undefined) return rejected.push({ index, error: parseError });
      const r = cellSchema.safeParse(raw);
      if (r.success) cells.push(r.data);
      else rejected.push({ index, error: formatIssues(r.error.issues, raw).join('; ') });
    });
    // Durable first, then visible: a crash between the two loses nothing.
    deps.store.transaction(() => deps.store.cells.upsert(cells));
    const added = deps.inventory.upsert(cells);
    deps.metrics.inventoryCells.set(deps.inventory.size);
    return reply.status(202).send({ accepted: cells.length, added, rejected });
  });
}
