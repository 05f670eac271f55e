// Practice pages for appointments: the book (book/) and set-up (setup/), for practice staff.
import type { FastifyInstance } from 'fastify';
import { bookPracticeRoutes } from './book/practice-routes.ts';
import { setupPracticeRoutes } from './setup/practice-routes.ts';

export async function appointmentStaffRoutes(app: FastifyInstance): Promise<void> {
  await bookPracticeRoutes(app);
  await setupPracticeRoutes(app);
}
