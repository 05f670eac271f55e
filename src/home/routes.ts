// The front doors, health check and static information pages.
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';

export async function homeRoutes(app: FastifyInstance): Promise<void> {
  const { db } = app.deps;

  app.get('/', { schema: { hide: true } }, async (req, reply) =>
    reply.page('home/views/home.njk', { title: 'Use your GP practice online' }),
  );
  app.get('/accessibility', { schema: { hide: true } }, async (_req, reply) =>
    reply.page('home/views/accessibility.njk', { title: 'Accessibility statement' }),
  );
  app.get('/privacy', { schema: { hide: true } }, async (_req, reply) =>
    reply.page('home/views/privacy.njk', { title: 'Privacy and your data' }),
  );

  app.get(
    '/healthz',
    {
      schema: {
        tags: ['operations'],
        summary: 'Liveness and database check',
        response: {
          200: { type: 'object', properties: { status: { type: 'string' }, database: { type: 'string' } } },
          503: { type: 'object', properties: { status: { type: 'string' }, database: { type: 'string' } } },
        },
      },
    },
    async (_req, reply) => {
      try {
        await sql`select 1`.execute(db);
        return { status: 'ok', database: app.deps.dbKind };
      } catch {
        return reply.status(503).send({ status: 'unavailable', database: app.deps.dbKind });
      }
    },
  );
}
