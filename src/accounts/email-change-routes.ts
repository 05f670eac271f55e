// Changing the email address, for patients and staff: the form (new address and current
// password), the same "check your email" answer whatever the address, and the link's page with
// a button that makes the change.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { accountFormRateLimit, linkFormRateLimit } from '../platform/auth/signin-routes.ts';
import type { Ctx } from '../platform/context.ts';
import { AppError } from '../platform/http/errors.ts';
import { formFields, Type, typed } from '../platform/http/schema.ts';
import { formBody, handleForm } from '../platform/views/forms.ts';
import { WHO } from './account-routes.ts';
import { EMAIL_CHANGE_MINUTES } from './account-rules.ts';
import * as service from './email-change-service.ts';

const V = 'accounts/views/';

export async function emailChangeRoutes(app: FastifyInstance): Promise<void> {
  const { db, clock, config } = app.deps;
  const r = typed(app);
  const ctx = (req: FastifyRequest): Ctx => ({ db, clock, meta: req.meta });

  for (const who of WHO) {
    const base = `/${who}/account`;
    const form = { title: 'Change your email address', action: `${base}/email`, backHref: base };
    const confirm = `${base}/email/confirm`;
    const deadPage = { title: 'This link does not work', live: false, dead: service.EMAIL_LINK_DEAD, base };

    r.get(`${base}/email`, { config: { audience: who }, schema: { hide: true } }, async (_req, reply) =>
      reply.page(V + 'account-email.njk', { ...form, values: {} }),
    );
    r.post(
      `${base}/email`,
      {
        config: { audience: who, rateLimit: accountFormRateLimit },
        schema: { hide: true, body: formFields('email', 'password') },
      },
      async (req, reply) => {
        const v = formBody(req.body);
        return handleForm(
          reply,
          V + 'account-email.njk',
          { ...form, firstField: 'email' },
          { email: v.email },
          async () => {
            const sent = await service.requestEmailChange(ctx(req), req.actor, {
              email: v.email ?? '',
              password: v.password ?? '',
              publicUrl: config.publicUrl,
            });
            // The same page whether or not the new address already has an account.
            return reply.page(V + 'account-email-sent.njk', {
              title: 'Check your email',
              email: (v.email ?? '').trim(),
              minutes: EMAIL_CHANGE_MINUTES,
              base,
              demoMessage: config.demo ? sent : null,
            });
          },
        );
      },
    );

    // The link from the email: works without signing in (it may be opened on another device).
    r.get(
      confirm,
      {
        config: { audience: 'public' },
        schema: { hide: true, querystring: Type.Object({ token: Type.Optional(Type.String()) }) },
      },
      async (req, reply) => {
        const token = req.query.token ?? '';
        if (!(await service.emailChangeIsLive(ctx(req), who, token)))
          return reply.status(400).page(V + 'account-email-confirm.njk', deadPage);
        return reply.page(V + 'account-email-confirm.njk', {
          title: 'Confirm your new email address',
          live: true,
          token,
          action: confirm,
        });
      },
    );
    r.post(
      confirm,
      {
        config: { audience: 'public', rateLimit: linkFormRateLimit },
        schema: { hide: true, body: formFields('token') },
      },
      async (req, reply) => {
        try {
          await service.confirmEmailChange(ctx(req), who, formBody(req.body).token ?? '');
        } catch (err) {
          if (!(err instanceof AppError) || err.reason !== 'email-link-dead') throw err;
          return reply.status(400).page(V + 'account-email-confirm.njk', deadPage);
        }
        return reply.page(V + 'account-email-confirm.njk', {
          title: 'Your email address has been changed',
          done: true,
          base,
          signedIn: req.actor?.kind === who,
        });
      },
    );
  }
}
