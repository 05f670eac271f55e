// The front doors, health check and static information pages.
import type { FastifyInstance } from 'fastify';
import { databaseAnswers } from '../platform/db/index.ts';

export async function homeRoutes(app: FastifyInstance): Promise<void> {
  const { db } = app.deps;

  app.get('/', { config: { audience: 'public' }, schema: { hide: true } }, async (req, reply) =>
    reply.page('home/views/home.njk', { title: 'Use your GP practice online' }),
  );
  app.get('/accessibility', { config: { audience: 'public' }, schema: { hide: true } }, async (_req, reply) =>
    reply.page('home/views/accessibility.njk', { title: 'Accessibility statement' }),
  );
  app.get('/privacy', { config: { audience: 'public' }, schema: { hide: true } }, async (_req, reply) =>
    reply.page('home/views/privacy.njk', { title: 'Privacy and your data' }),
  );

  const health = {
    type: 'object',
    properties: { status: { type: 'string' }, database: { type: 'string' } },
  } as const;
  // Liveness: the process answers. It never touches the database, so an orchestrator does not
  // restart a healthy process while the database is away.
  app.get(
    '/healthz',
    {
      config: { audience: 'public' },
      schema: {
        tags: ['operations'],
        summary: 'Liveness: the process is up (does not touch the database)',
        response: { 200: health },
      },
    },
    async () => ({ status: 'ok', database: app.deps.dbKind }),
  );
  // Readiness: the database answers within two seconds (200), or not (503).
  app.get(
    '/readyz',
    {
      config: { audience: 'public' },
      schema: {
        tags: ['operations'],
        summary: 'Readiness: the database answers (200) or is unavailable (503)',
        response: { 200: health, 503: health },
      },
    },
    async (_req, reply) =>
      (await databaseAnswers(db, 2_000))
        ? { status: 'ready', database: app.deps.dbKind }
        : reply.status(503).send({ status: 'unavailable', database: app.deps.dbKind }),
  );
}
