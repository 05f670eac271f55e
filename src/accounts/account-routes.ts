// The account page, for patients (/patient/account) and staff (/staff/account): what the account
// is and what can be done with it; changing the password, new recovery codes (patients) and
// signing out of other devices. The other actions have their own files: email-change-routes.ts,
// authenticator-routes.ts, password-reset-routes.ts.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Session } from '../platform/auth/sessions.ts';
import { accountFormRateLimit } from '../platform/auth/signin-routes.ts';
import type { Ctx } from '../platform/context.ts';
import type { PrincipalType } from '../platform/db/schema.ts';
import { AppError } from '../platform/http/errors.ts';
import { formFields, Type, typed } from '../platform/http/schema.ts';
import { formBody, handleForm } from '../platform/views/forms.ts';
import { accountRows } from './account-present.ts';
import * as service from './account-service.ts';
import { formatLinkageKey } from './rules.ts';

const V = 'accounts/views/';
export const WHO: readonly PrincipalType[] = ['patient', 'staff'];

/** What the account page says after each action (`?done=`). */
const DONE: Record<string, string> = {
  password: 'Your password has been changed. You have been signed out on your other devices.',
  authenticator: 'Your new authenticator app is set up. Codes from your old app no longer work.',
  'signed-out': 'You have been signed out on your other devices.',
};

/** The signed-in page session (not an API token): account changes are made from the pages. */
export function pageSession(req: FastifyRequest): Session {
  if (!req.session || !req.actor) throw new AppError('unauthenticated', 'Sign in to continue.');
  return req.session;
}

export async function accountRoutes(app: FastifyInstance): Promise<void> {
  const { db, clock } = app.deps;
  const r = typed(app);
  const ctx = (req: FastifyRequest): Ctx => ({ db, clock, meta: req.meta });

  for (const who of WHO) {
    const base = `/${who}/account`;
    const config = { audience: who };

    r.get(
      base,
      { config, schema: { hide: true, querystring: Type.Object({ done: Type.Optional(Type.String()) }) } },
      async (req, reply) => {
        const overview = await service.accountOverview(ctx(req), req.actor);
        return reply.page(V + 'account.njk', {
          title: 'Your account',
          base,
          overview,
          rows: accountRows(overview, base),
          flash: DONE[req.query.done ?? ''] ?? null,
        });
      },
    );

    // --- Change password ---
    const passwordPage = { title: 'Change your password', action: `${base}/password`, backHref: base };
    r.get(`${base}/password`, { config, schema: { hide: true } }, async (_req, reply) =>
      reply.page(V + 'account-password.njk', { ...passwordPage, values: {} }),
    );
    r.post(
      `${base}/password`,
      {
        config: { ...config, rateLimit: accountFormRateLimit },
        schema: { hide: true, body: formFields('current', 'password', 'confirm') },
      },
      async (req, reply) => {
        const v = formBody(req.body);
        return handleForm(
          reply,
          V + 'account-password.njk',
          { ...passwordPage, firstField: 'current' },
          {},
          async () => {
            await service.changePassword(ctx(req), req.actor, {
              session: pageSession(req),
              change: { current: v.current ?? '', password: v.password ?? '', confirm: v.confirm ?? '' },
            });
            return reply.redirect(`${base}?done=password`);
          },
        );
      },
    );

    // --- Sign out of other devices ---
    r.post(`${base}/sign-out-other-devices`, { config, schema: { hide: true } }, async (req, reply) => {
      await service.signOutOtherDevices(ctx(req), req.actor, pageSession(req));
      return reply.redirect(`${base}?done=signed-out`);
    });
  }

  // --- New recovery codes (patients) ---
  const codesPage = {
    title: 'Get new recovery codes',
    action: '/patient/account/recovery-codes',
    backHref: '/patient/account',
  };
  r.get(
    '/patient/account/recovery-codes',
    { config: { audience: 'patient' }, schema: { hide: true } },
    async (_req, reply) =>
      reply.page(V + 'account-recovery-codes.njk', { ...codesPage, codes: [], values: {} }),
  );
  r.post(
    '/patient/account/recovery-codes',
    {
      config: { audience: 'patient', rateLimit: accountFormRateLimit },
      schema: { hide: true, body: formFields('password', 'code') },
    },
    async (req, reply) => {
      const v = formBody(req.body);
      return handleForm(
        reply,
        V + 'account-recovery-codes.njk',
        { ...codesPage, codes: [], firstField: 'password' },
        {},
        async () => {
          const codes = await service.newRecoveryCodes(ctx(req), req.actor, {
            password: v.password ?? '',
            code: v.code ?? '',
            key: app.deps.config.totpKey,
          });
          // Shown once, on this response; only their hashes are kept.
          return reply.page(V + 'account-recovery-codes.njk', {
            ...codesPage,
            title: 'Save your new recovery codes',
            codes: codes.map((c) => formatLinkageKey(c)),
          });
        },
      );
    },
  );
}
