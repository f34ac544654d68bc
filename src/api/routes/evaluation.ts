/** `GET /api/v1/evaluation?from=&to=&groupBy=region|department|class`: the process KPIs. */
import type { FastifyInstance } from 'fastify';
import { ValidationError } from '../../errors.js';
import { DAY } from '../../model/index.js';
import { evaluate, GROUP_BYS, type EvaluationData } from '../../evaluation/evaluation.js';
import { parseEnumParam, parseTimeParam } from '../list-query.js';

export interface EvaluationRoutesDeps {
  evaluationData: (from: number, to: number) => EvaluationData;
  /** Event time the pipeline has reached: the default end of the period. */
  watermark: () => number | null;
}

export function registerEvaluationRoutes(app: FastifyInstance, deps: EvaluationRoutesDeps): void {
  app.get('/api/v1/evaluation', { config: { scope: 'read' } }, async (req) => {
    const to = parseTimeParam(req.query, 'to') ?? (deps.watermark() ?? Date.now()) + 1;
    const from = parseTimeParam(req.query, 'from') ?? to - 7 * DAY;
    if (from >= to) throw new ValidationError('from: must be before to');
    if (to - from > 366 * DAY) throw new ValidationError('to: the period may span at most 366 days');
    const groupBy = parseEnumParam(req.query, 'groupBy', GROUP_BYS) ?? null;
    return evaluate(deps.evaluationData(from, to), groupBy);
  });
}
