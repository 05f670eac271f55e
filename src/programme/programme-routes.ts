// The programme teams' front door.
import type { FastifyInstance } from 'fastify';
import { uptakePage } from './present.ts';
import { practiceUptake } from './service.ts';

export async function programmeRoutes(app: FastifyInstance): Promise<void> {
  const { db, clock } = app.deps;
  app.get('/programme', { config: { audience: 'programme' }, schema: { hide: true } }, async (req, reply) => {
    const rows = await practiceUptake({ db, clock, meta: req.meta }, req.actor);
    return reply.page('programme/views/uptake.njk', uptakePage(rows));
  });
}
