// Test support for account self-service (issue #10): signing a patient in through the pages,
// and the latest account message the outbox holds for an address (its link, as sent).
import type { FastifyInstance } from 'fastify';
import type { NotificationKind } from '../../src/platform/db/schema.ts';
import { systemClock, type Clock } from '../../src/platform/clock.ts';
import { Browser, freshCode } from './harness.ts';

export async function signInPatient(
  app: FastifyInstance,
  p: { email: string; password: string; secret: string; clock?: Clock; ip?: string },
): Promise<Browser> {
  const b = new Browser(app);
  const r1 = await b.submit('/patient/sign-in', '/patient/sign-in', { email: p.email, password: p.password });
  if (r1.statusCode !== 302) throw new Error(`patient sign-in failed: ${String(r1.statusCode)}`);
  const r2 = await b.submit('/patient/sign-in/code', '/patient/sign-in/code', {
    code: await freshCode(app, 'patient', p.email, p.secret, p.clock ?? systemClock),
  });
  if (r2.statusCode !== 302) throw new Error(`patient code failed: ${String(r2.statusCode)}`);
  return b;
}

export type Mail = { kind: NotificationKind; email: string; personalisation: Record<string, string> };

/** Every message of these kinds to the address, oldest first. */
export async function mailTo(app: FastifyInstance, email: string, kind: NotificationKind): Promise<Mail[]> {
  return app.deps.db
    .selectFrom('notifications_outbox')
    .select(['kind', 'email', 'personalisation'])
    .where((eb) => eb(eb.fn('lower', ['email']), '=', email.toLowerCase()))
    .where('kind', '=', kind)
    .orderBy('created_at')
    .execute();
}

/** The path and query of the link in the newest message of this kind to the address. */
export async function linkIn(app: FastifyInstance, email: string, kind: NotificationKind): Promise<string> {
  const mails = await mailTo(app, email, kind);
  const link = mails.at(-1)?.personalisation.link;
  if (!link) throw new Error(`no ${kind} message with a link to ${email}`);
  const u = new URL(link);
  return u.pathname + u.search;
}
