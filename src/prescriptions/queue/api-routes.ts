// The practice's prescription queue JSON API: the queue, a decision on one item, a dispensing step.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Ctx } from '../../platform/context.ts';
import { typed } from '../../platform/http/schema.ts';
import { isItemStatus, queueJson } from './present.ts';
import { queueSchemas as S } from './api-schemas.ts';
import { decide, queue, recordStep } from './service.ts';

export async function queueApiRoutes(app: FastifyInstance): Promise<void> {
  const { db, clock } = app.deps;
  const ctx = (req: FastifyRequest): Ctx => ({ db, clock, meta: req.meta });
  const r = typed(app);
  const config = { audience: 'staff' } as const;

  r.get('/api/v1/practice/prescriptions/requests', { config, schema: S.list }, async (req) => {
    const status = req.query.status ?? 'requested';
    const found = await queue(ctx(req), req.actor, {
      page: req.query.page ?? 1,
      status: isItemStatus(status) ? status : 'requested',
      prescriber: req.query.prescriber,
    });
    return queueJson(found);
  });

  r.post('/api/v1/practice/prescriptions/items/:id/decision', { config, schema: S.decision }, async (req) => {
    const d = await decide(ctx(req), req.actor, {
      itemId: req.params.id,
      decision: req.body.decision === 'reject' ? 'reject' : 'approve',
      reason: req.body.reason,
    });
    return { id: req.params.id, status: d.status, issue_id: d.issueId };
  });

  r.post('/api/v1/practice/prescriptions/items/:id/status', { config, schema: S.status }, async (req) => {
    await recordStep(ctx(req), req.actor, { itemId: req.params.id, to: req.body.status });
    return { id: req.params.id, status: req.body.status };
  });
}
