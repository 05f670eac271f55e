// The nominated-pharmacy JSON API for patients: see it, search, change it.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Ctx } from '../platform/context.ts';
import { AppError } from '../platform/http/errors.ts';
import { typed } from '../platform/http/schema.ts';
import { pharmacySchemas as S } from './api-schemas.ts';
import { nominationJson, pharmacyJson } from './present.ts';
import * as service from './service.ts';

export async function pharmacyApiRoutes(app: FastifyInstance): Promise<void> {
  const { db, clock } = app.deps;
  const ctx = (req: FastifyRequest): Ctx => ({ db, clock, meta: req.meta });
  const r = typed(app);

  r.get('/api/v1/pharmacy', { config: { audience: 'patient' }, schema: S.show }, async (req) => {
    const mine = await service.myNomination(ctx(req), req.actor);
    return nominationJson(mine.current, mine.canChange);
  });

  r.put('/api/v1/pharmacy', { config: { audience: 'patient' }, schema: S.change }, async (req) => {
    const done = await service.nominate(ctx(req), req.actor, req.body.ods_code);
    return { ...nominationJson(done.current, done.canChange), changed: done.changed };
  });

  r.get('/api/v1/pharmacies', { config: { audience: 'patient' }, schema: S.search }, async (req) => {
    const found = await service.findPharmacies(ctx(req), req.actor, req.query.q);
    if (found.problem !== null) throw AppError.invalid([{ field: 'q', message: found.problem }]);
    return { pharmacies: found.results.map(pharmacyJson) };
  });
}
