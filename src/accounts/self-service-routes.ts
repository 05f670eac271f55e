// Account self-service for patients and staff, as one plugin for app.ts: the account page and
// its actions, forgotten passwords, a new email address, a new authenticator app.
import type { FastifyInstance } from 'fastify';
import { accountRoutes } from './account-routes.ts';
import { authenticatorRoutes } from './authenticator-routes.ts';
import { emailChangeRoutes } from './email-change-routes.ts';
import { passwordResetRoutes } from './password-reset-routes.ts';

export async function accountSelfServiceRoutes(app: FastifyInstance): Promise<void> {
  await accountRoutes(app);
  await passwordResetRoutes(app);
  await emailChangeRoutes(app);
  await authenticatorRoutes(app);
}
