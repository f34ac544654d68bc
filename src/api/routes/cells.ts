/** `GET /api/v1/cells/:id`: inventory, status, active anomalies, recent KPI history with the baseline. */
import type { FastifyInstance } from 'fastify';
import { NotFoundError } from '../../errors.js';
import type { Topology } from '../../inventory/topology.js';
import { isoTime } from '../../model/index.js';
import type { DetectorStage } from '../../pipeline/stages.js';

export function registerCellRoutes(app: FastifyInstance, deps: { topology: Topology; detectors?: DetectorStage }): void {
  app.get<{ Params: { id: string } }>('/api/v1/cells/:id', { config: { scope: 'read' } }, async (req) => {
    const cell = deps.topology.cell(req.params.id);
    if (!cell) throw new NotFoundError(`cell ${req.params.id} is not in the inventory`);
    const site = deps.topology.site(cell.siteId);
    const detail = deps.detectors?.cellDetail(cell.cellId);
    return {
      ...cell,
      siteCells: site?.cellIds ?? [],
      status: detail?.status ?? 'normal',
      anomalies: (detail?.anomalies ?? []).map((a) => ({
        ...a, startedAt: isoTime(a.startedAt), firingAt: isoTime(a.firingAt), resolvedAt: isoTime(a.resolvedAt), updatedAt: isoTime(a.updatedAt),
      })),
      kpis: Object.fromEntries(Object.entries(detail?.kpis ?? {}).map(([k, v]) => [k, { ...v, t: v.t.map((t) => isoTime(t)) }])),
    };
  });
}
