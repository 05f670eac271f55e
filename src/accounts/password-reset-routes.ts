// Forgotten password pages, for patients and staff: ask for a link (the same answer for any
// address), then the link's page to choose a new password. The link opens a page with a form, so
// a mail scanner following it spends nothing.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { linkFormRateLimit, signInRateLimit } from '../platform/auth/signin-routes.ts';
import type { Ctx } from '../platform/context.ts';
import { AppError } from '../platform/http/errors.ts';
import { formFields, Type, typed } from '../platform/http/schema.ts';
import { formBody, handleForm } from '../platform/views/forms.ts';
import { WHO } from './account-routes.ts';
import { RESET_MINUTES } from './account-rules.ts';
import * as service from './password-reset-service.ts';

const V = 'accounts/views/';

/**
 * Asking for reset links: 5 per 15 minutes for one address from one network address, so nobody
 * can fill a mailbox with them; counted in the database like the sign-in limits.
 */
export const resetRequestRateLimit = { ...signInRateLimit, max: 5 };

export async function passwordResetRoutes(app: FastifyInstance): Promise<void> {
  const { db, clock, config } = app.deps;
  const r = typed(app);
  const ctx = (req: FastifyRequest): Ctx => ({ db, clock, meta: req.meta });

  for (const who of WHO) {
    const ask = `/${who}/forgotten-password`;
    const reset = `/${who}/reset-password`;
    const askPage = { title: 'Reset your password', action: ask, backHref: `/${who}/sign-in` };
    const deadPage = { title: 'This link does not work', live: false, dead: service.RESET_LINK_DEAD, ask };

    r.get(ask, { config: { audience: 'public' }, schema: { hide: true } }, async (_req, reply) =>
      reply.page(V + 'reset-request.njk', { ...askPage, values: {} }),
    );
    r.post(
      ask,
      {
        config: { audience: 'public', rateLimit: resetRequestRateLimit },
        schema: { hide: true, body: formFields('email') },
      },
      async (req, reply) => {
        const values = formBody(req.body);
        return handleForm(
          reply,
          V + 'reset-request.njk',
          { ...askPage, firstField: 'email' },
          values,
          async () => {
            const email = values.email ?? '';
            const sent = await service.requestPasswordReset(ctx(req), {
              type: who,
              email,
              publicUrl: config.publicUrl,
            });
            // The same page whether or not the address has an account.
            return reply.page(V + 'reset-sent.njk', {
              title: 'Check your email',
              email: email.trim(),
              minutes: RESET_MINUTES,
              ask,
              demoLink: config.demo ? (sent?.link ?? null) : null,
              demo: config.demo,
            });
          },
        );
      },
    );

    r.get(
      reset,
      {
        config: { audience: 'public' },
        schema: { hide: true, querystring: Type.Object({ token: Type.Optional(Type.String()) }) },
      },
      async (req, reply) => {
        const token = req.query.token ?? '';
        if (!(await service.resetIsLive(ctx(req), who, token)))
          return reply.status(400).page(V + 'reset-password.njk', deadPage);
        return reply.page(V + 'reset-password.njk', {
          title: 'Choose a new password',
          live: true,
          token,
          action: reset,
          values: {},
        });
      },
    );
    r.post(
      reset,
      {
        config: { audience: 'public', rateLimit: linkFormRateLimit },
        schema: { hide: true, body: formFields('token', 'password', 'confirm') },
      },
      async (req, reply) => {
        const v = formBody(req.body);
        const token = v.token ?? '';
        const form = {
          title: 'Choose a new password',
          live: true,
          token,
          action: reset,
          firstField: 'password',
        };
        try {
          return await handleForm(reply, V + 'reset-password.njk', form, {}, async () => {
            await service.completePasswordReset(ctx(req), {
              type: who,
              token,
              password: v.password ?? '',
              confirm: v.confirm ?? '',
            });
            // Every session ended, this browser's too: sign in with the new password and a code.
            return reply.setSessionCookie(null).page(V + 'reset-done.njk', {
              title: 'Your password has been changed',
              signIn: `/${who}/sign-in`,
              actor: null,
            });
          });
        } catch (err) {
          if (!(err instanceof AppError) || err.reason !== 'reset-link-dead') throw err;
          return reply.status(400).page(V + 'reset-password.njk', deadPage);
        }
      },
    );
  }
}
