// The practice's prescription queue: its pages and its JSON API.
import type { FastifyInstance } from 'fastify';
import { queueApiRoutes } from './api-routes.ts';
import { queuePracticeRoutes } from './practice-routes.ts';

export async function prescriptionQueueRoutes(app: FastifyInstance): Promise<void> {
  await queuePracticeRoutes(app);
  await queueApiRoutes(app);
}
