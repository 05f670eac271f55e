// The staff sign-in step after a reset: set up a new authenticator app, confirm it with a code,
// and be signed in. Only someone at this step (right password, no authenticator) reaches it.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { totpQrSvg } from '../platform/auth/totp-qr.ts';
import { advanceSession, type Session } from '../platform/auth/sessions.ts';
import { sessionAt, signInRateLimit, type SignInJourney } from '../platform/auth/signin-routes.ts';
import type { Ctx } from '../platform/context.ts';
import { AppError } from '../platform/http/errors.ts';
import { formFields, Type, typed } from '../platform/http/schema.ts';
import { formBody } from '../platform/views/forms.ts';
import { beginStaffTotpSetup, CODE_PROBLEM, confirmStaffTotpSetup } from './authenticator-service.ts';

const PATH = '/staff/set-up-authenticator';
const TITLE = 'Set up your new authenticator app';
/** Session data: which stored secret this set-up session was shown. */
const SHOWN = 'staffSetUpSecretShown';
const shownIn = (s: Session): string | undefined => {
  const v = s.data[SHOWN];
  return typeof v === 'string' ? v : undefined;
};

export async function authenticatorSetUpRoutes(app: FastifyInstance, journey: SignInJourney): Promise<void> {
  const { db, clock, config } = app.deps;
  const r = typed(app);
  const ctx = (req: FastifyRequest): Ctx => ({ db, clock, meta: req.meta });

  r.get(
    PATH,
    {
      config: { audience: 'public' },
      schema: { hide: true, querystring: Type.Object({ error: Type.Optional(Type.String()) }) },
    },
    async (req, reply) => {
      const session = sessionAt(req, reply, journey, 'totp-setup');
      if (!session) return reply;
      const { secret, email, shown, fresh } = await beginStaffTotpSetup(ctx(req), {
        staffId: session.principal_id,
        shown: shownIn(session),
        key: config.totpKey,
      });
      // A new secret belongs to this session alone: it says so in its data, under a new token.
      if (fresh) {
        const data = { ...session.data, [SHOWN]: shown };
        const next = await advanceSession(db, session, { stage: 'totp-setup', now: clock.now(), data });
        reply.setSessionCookie(next);
      }
      const qr = await totpQrSvg(secret, email);
      const codeError = req.query.error === 'code';
      return reply.status(codeError ? 400 : 200).page('staff/views/set-up-authenticator.njk', {
        title: TITLE,
        qr,
        secret: secret.match(/.{1,4}/g)?.join(' '),
        codeError,
        codeProblem: CODE_PROBLEM,
        errors: codeError ? ['code'] : [],
        errorList: [{ text: CODE_PROBLEM, href: '#code' }],
      });
    },
  );

  r.post(
    PATH,
    {
      schema: { hide: true, body: formFields('code') },
      config: { audience: 'public', rateLimit: signInRateLimit },
    },
    async (req, reply) => {
      const session = sessionAt(req, reply, journey, 'totp-setup');
      if (!session) return reply;
      try {
        await confirmStaffTotpSetup(ctx(req), {
          staffId: session.principal_id,
          shown: shownIn(session),
          code: formBody(req.body).code ?? '',
          key: config.totpKey,
        });
      } catch (err) {
        if (!(err instanceof AppError) || err.code !== 'invalid') throw err;
        // The page is shown again by GET, so this session's secret is shown again (nothing is in the form).
        return reply.redirect(`${PATH}?error=code`);
      }
      const full = await advanceSession(db, session, { stage: 'full', now: clock.now(), data: {} });
      return reply.setSessionCookie(full).redirect(journey.home);
    },
  );
}
