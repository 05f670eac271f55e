// The patient's repeat prescriptions JSON API: repeats, ordering (Idempotency-Key), orders,
// cancelling an item. OpenAPI at /api/docs.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Ctx } from '../../platform/context.ts';
import { typed } from '../../platform/http/schema.ts';
import { orderingSchemas as S } from './api-schemas.ts';
import { repeatJson, requestJson } from './present.ts';
import * as requests from './requests-service.ts';
import * as ordering from './service.ts';

export async function orderingApiRoutes(app: FastifyInstance): Promise<void> {
  const { db, clock } = app.deps;
  const ctx = (req: FastifyRequest): Ctx => ({ db, clock, meta: req.meta });
  const r = typed(app);
  const patient = { audience: 'patient' } as const;

  r.get('/api/v1/prescriptions/repeats', { config: patient, schema: S.repeats }, async (req) => {
    const mine = await ordering.myRepeats(ctx(req), req.actor);
    return {
      online_ordering: mine.settings.onlineOrdering,
      repeats: mine.repeats.map((x) => repeatJson(x.row, x.orderability)),
    };
  });

  r.post('/api/v1/prescriptions/requests', { config: patient, schema: S.order }, async (req, reply) => {
    const o = await ordering.orderOwn(ctx(req), req.actor, {
      items: req.body.items,
      note: req.body.note,
      earlyReason: req.body.reason,
      idempotencyKey: req.headers['idempotency-key'],
      channel: 'api',
    });
    if (o.replayed) reply.header('idempotent-replayed', 'true');
    return reply
      .status(o.replayed ? 200 : 201)
      .send(requestJson(o.request, { ...o.settings, today: o.today }));
  });

  r.get('/api/v1/prescriptions/requests', { config: patient, schema: S.requests }, async (req) => {
    const mine = await requests.myRequests(ctx(req), req.actor, req.query.page ?? 1);
    return {
      page: mine.page,
      pages: mine.pages,
      requests: mine.requests.map((x) => requestJson(x, { ...mine.settings, today: mine.today })),
    };
  });

  r.delete(
    '/api/v1/prescriptions/requests/:id/items/:item',
    { config: patient, schema: S.cancel },
    async (req, reply) => {
      await requests.cancelMyItem(ctx(req), req.actor, { requestId: req.params.id, itemId: req.params.item });
      return reply.status(204).send(null);
    },
  );
}
