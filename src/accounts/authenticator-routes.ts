// Replacing the authenticator app, for patients and staff: a code from the current app (or a
// recovery code) first, then the new app's QR code and a code from it. A patient who has just
// signed in with a recovery code is sent here and skips the first step.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { totpQrSvg } from '../platform/auth/totp-qr.ts';
import { advanceSession } from '../platform/auth/sessions.ts';
import { accountFormRateLimit } from '../platform/auth/signin-routes.ts';
import type { Ctx } from '../platform/context.ts';
import { formFields, typed } from '../platform/http/schema.ts';
import { formBody, handleForm } from '../platform/views/forms.ts';
import { pageSession, WHO } from './account-routes.ts';
import * as service from './authenticator-service.ts';

const V = 'accounts/views/';

/** This session signed in with a recovery code and has not set up a new app since. */
function recovered(req: FastifyRequest): boolean {
  return req.session?.data.signedInWithRecoveryCode === true;
}

export async function authenticatorRoutes(app: FastifyInstance): Promise<void> {
  const { db, clock, config } = app.deps;
  const r = typed(app);
  const ctx = (req: FastifyRequest): Ctx => ({ db, clock, meta: req.meta });

  for (const who of WHO) {
    const base = `/${who}/account`;
    const start = `${base}/authenticator`;
    const fresh = `${base}/authenticator/new`;
    const startPage = (req: FastifyRequest) => ({
      title: 'Replace your authenticator app',
      action: start,
      backHref: base,
      recovered: recovered(req),
      patient: who === 'patient',
    });

    r.get(start, { config: { audience: who }, schema: { hide: true } }, async (req, reply) =>
      reply.page(V + 'account-authenticator.njk', { ...startPage(req), values: {} }),
    );
    r.post(
      start,
      {
        config: { audience: who, rateLimit: accountFormRateLimit },
        schema: { hide: true, body: formFields('code') },
      },
      async (req, reply) => {
        const code = formBody(req.body).code ?? '';
        return handleForm(
          reply,
          V + 'account-authenticator.njk',
          { ...startPage(req), firstField: 'code' },
          {},
          async () => {
            await service.beginReplaceAuthenticator(ctx(req), req.actor, {
              code,
              recovered: recovered(req),
              key: config.totpKey,
              sessionId: pageSession(req).id,
            });
            return reply.redirect(fresh);
          },
        );
      },
    );

    const newPage = async (req: FastifyRequest) => {
      const pending = await service.pendingAuthenticator(ctx(req), req.actor, {
        key: config.totpKey,
        sessionId: pageSession(req).id,
      });
      if (!pending) return null;
      const qr = await totpQrSvg(pending.secret, pending.email);
      return {
        title: 'Set up your new authenticator app',
        action: fresh,
        backHref: base,
        qr,
        secret: pending.secret.match(/.{1,4}/g)?.join(' '),
      };
    };
    r.get(fresh, { config: { audience: who }, schema: { hide: true } }, async (req, reply) => {
      const page = await newPage(req);
      if (!page) return reply.redirect(start);
      return reply.page(V + 'account-authenticator-new.njk', { ...page, values: {} });
    });
    r.post(
      fresh,
      {
        config: { audience: who, rateLimit: accountFormRateLimit },
        schema: { hide: true, body: formFields('code') },
      },
      async (req, reply) => {
        const session = pageSession(req);
        const code = formBody(req.body).code ?? '';
        const form = async () => ({ ...((await newPage(req)) ?? {}), firstField: 'code' });
        return handleForm(reply, V + 'account-authenticator-new.njk', form, {}, async () => {
          await service.confirmReplaceAuthenticator(ctx(req), req.actor, {
            code,
            key: config.totpKey,
            sessionId: session.id,
          });
          // The session no longer counts as just recovered: a new token without the mark.
          const data = { ...session.data, signedInWithRecoveryCode: false };
          const next = await advanceSession(db, session, { stage: 'full', now: clock.now(), data });
          return reply.setSessionCookie(next).redirect(`${base}?done=authenticator`);
        });
      },
    );
  }
}
