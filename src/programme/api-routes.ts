// The programme JSON API: aggregates for programme users.
import type { FastifyInstance } from 'fastify';
import { typed } from '../platform/http/schema.ts';
import { programmeSchemas as S } from './api-schemas.ts';
import { summaryJson } from './present.ts';
import { programmeSummary } from './summary-service.ts';

export async function programmeApiRoutes(app: FastifyInstance): Promise<void> {
  const { db, clock } = app.deps;
  typed(app).get(
    '/api/v1/programme/summary',
    { config: { audience: 'programme' }, schema: S.summary },
    async (req) => summaryJson(await programmeSummary({ db, clock, meta: req.meta }, req.actor, req.query)),
  );
}
