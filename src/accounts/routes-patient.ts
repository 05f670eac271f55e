// Patient pages (sign-up, sign-in, authenticator set-up, linking, home, sign-out) and patient API.
// Each journey step checks the session stage and sends an out-of-order request to the right step.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import QRCode from 'qrcode';
import { advanceSession, createSession, deleteAllFor, deleteSession } from '../platform/auth/sessions.ts';
import { checkCodeStep, checkPasswordStep } from '../platform/auth/signin.ts';
import { recordAuditAlone } from '../platform/audit/audit.ts';
import { auditActor } from '../platform/auth/actor.ts';
import { totpUri } from '../platform/auth/secrets.ts';
import { AppError } from '../platform/http/errors.ts';
import { formBody, handleForm } from '../platform/views/forms.ts';
import { formatLinkageKey, VERIFICATION_METHODS } from './rules.ts';
import * as service from './service.ts';
import type { Ctx } from '../platform/context.ts';

/** What happens in the linking transaction besides the link (the record's automatic access, wired in app.ts). */
export type PatientAccountOptions = { afterLink?: service.AfterLink };
import { dateFromParts, meSchema, linkSchema, signInRateLimit, signUpRateLimit } from './http-shared.ts';

const V = 'accounts/views/';

export async function patientAccountRoutes(app: FastifyInstance, opts: PatientAccountOptions): Promise<void> {
  const automaticAccessOnLink = opts.afterLink;
  const { db, clock } = app.deps;
  const ctx = (req: FastifyRequest): Ctx => ({ db, clock, meta: req.meta });

  /** Where a patient part-way through signing in belongs now. */
  function stepFor(req: FastifyRequest): string | null {
    if (req.actor?.kind === 'patient') return null;
    const s = req.session;
    if (s?.principal_type !== 'patient') return '/patient/sign-in';
    if (s.stage === 'password') return '/patient/sign-in/code';
    if (s.stage === 'totp-setup') return '/patient/set-up-authenticator';
    if (s.stage === 'recovery-codes') return '/patient/recovery-codes';
    return '/patient/sign-in';
  }

  function needStage(req: FastifyRequest, reply: FastifyReply, stage: string): boolean {
    if (req.session?.principal_type === 'patient' && req.session.stage === stage) return true;
    void reply.redirect(stepFor(req) ?? '/patient');
    return false;
  }

  app.get('/patient', { config: { audience: 'patient' }, schema: { hide: true } }, async (req, reply) => {
    const step = stepFor(req);
    if (step) return reply.redirect(step);
    const home = await service.patientHome(ctx(req), req.actor);
    const flash = (req.query as { linked?: string }).linked
      ? 'Your account is now linked to your GP record.'
      : null;
    return reply.page(V + 'patient-home.njk', {
      title: home.patient ? `${home.patient.givenName} ${home.patient.familyName}` : 'Your GP Online account',
      home,
      flash,
    });
  });

  // --- Sign up ---
  app.get(
    '/patient/sign-up',
    { config: { audience: 'public' }, schema: { hide: true } },
    async (_req, reply) =>
      reply.page(V + 'sign-up.njk', { title: 'Create your GP Online account', values: {} }),
  );
  app.post(
    '/patient/sign-up',
    { schema: { hide: true }, config: { audience: 'public', rateLimit: signUpRateLimit } },
    async (req, reply) => {
      const values = formBody(req.body);
      return handleForm(
        reply,
        V + 'sign-up.njk',
        { title: 'Create your GP Online account', firstField: 'email' },
        { email: values.email },
        async () => {
          const sent = await service.signUp(
            ctx(req),
            {
              email: values.email ?? '',
              password: values.password ?? '',
              confirm: values.confirm ?? '',
            },
            app.deps.config.publicUrl,
          );
          // The same page whether or not the address had an account (service.signUp).
          return reply.page(V + 'check-email.njk', {
            title: 'Check your email',
            email: (values.email ?? '').trim(),
            demoMessage: app.deps.config.demo ? sent : null,
          });
        },
      );
    },
  );

  // The link from the email: a page with a button, so a mail scanner opening the link spends nothing.
  app.get(
    '/patient/sign-up/confirm',
    { config: { audience: 'public' }, schema: { hide: true } },
    async (req, reply) => {
      const token = (req.query as { token?: string }).token ?? '';
      const live = token ? await service.confirmationIsLive(ctx(req), token) : false;
      return reply.status(live ? 200 : 400).page(V + 'confirm-email.njk', {
        title: live ? 'Confirm your email address' : 'This link does not work',
        token,
        live,
        dead: service.CONFIRM_LINK_DEAD,
      });
    },
  );
  app.post(
    '/patient/sign-up/confirm',
    { schema: { hide: true }, config: { audience: 'public', rateLimit: signInRateLimit } },
    async (req, reply) => {
      const values = formBody(req.body);
      let accountId: string;
      try {
        ({ accountId } = await service.confirmSignUp(ctx(req), values.token ?? ''));
      } catch (err) {
        if (!(err instanceof AppError) || err.code !== 'invalid') throw err;
        return reply.status(400).page(V + 'confirm-email.njk', {
          title: 'This link does not work',
          token: '',
          live: false,
          dead: service.CONFIRM_LINK_DEAD,
        });
      }
      if (req.session) await deleteSession(db, req.session);
      const session = await createSession(
        db,
        { principalType: 'patient', principalId: accountId, stage: 'totp-setup' },
        clock.now(),
      );
      return reply.setSessionCookie(session).redirect('/patient/set-up-authenticator');
    },
  );

  // --- Sign in ---
  app.get(
    '/patient/sign-in',
    { config: { audience: 'public' }, schema: { hide: true } },
    async (req, reply) => {
      if (req.actor?.kind === 'patient') return reply.redirect('/patient');
      return reply.page('platform/views/auth/sign-in.njk', {
        title: 'Sign in to GP Online',
        values: {},
        action: '/patient/sign-in',
        signUp: true,
      });
    },
  );
  app.post(
    '/patient/sign-in',
    { schema: { hide: true }, config: { audience: 'public', rateLimit: signInRateLimit } },
    async (req, reply) => {
      const values = formBody(req.body);
      return handleForm(
        reply,
        'platform/views/auth/sign-in.njk',
        { title: 'Sign in to GP Online', action: '/patient/sign-in', signUp: true, firstField: 'email' },
        { email: values.email },
        async () => {
          const missing = [];
          if (!values.email) missing.push({ field: 'email', message: 'Enter your email address' });
          if (!values.password) missing.push({ field: 'password', message: 'Enter your password' });
          if (missing.length) throw AppError.invalid(missing);
          const ok = await checkPasswordStep(
            db,
            'patient',
            values.email ?? '',
            values.password ?? '',
            clock.now(),
            req.meta,
          );
          if (req.session) await deleteSession(db, req.session);
          if (ok.needsEmailConfirmation) {
            // Right password, address never confirmed: a fresh link, and the same page as sign-up.
            const sent = await service.resendConfirmation(
              ctx(req),
              ok.principalId,
              app.deps.config.publicUrl,
            );
            return reply.setSessionCookie(null).page(V + 'check-email.njk', {
              title: 'Check your email',
              email: (values.email ?? '').trim(),
              demoMessage: app.deps.config.demo ? sent : null,
              notConfirmed: true,
            });
          }
          const session = await createSession(
            db,
            {
              principalType: 'patient',
              principalId: ok.principalId,
              stage: ok.needsTotpSetup ? 'totp-setup' : 'password',
            },
            clock.now(),
          );
          return reply
            .setSessionCookie(session)
            .redirect(ok.needsTotpSetup ? '/patient/set-up-authenticator' : '/patient/sign-in/code');
        },
      );
    },
  );

  app.get(
    '/patient/sign-in/code',
    { config: { audience: 'public' }, schema: { hide: true } },
    async (req, reply) => {
      if (!needStage(req, reply, 'password')) return reply;
      return reply.page('platform/views/auth/code.njk', {
        title: 'Enter the security code',
        action: '/patient/sign-in/code',
        recovery: true,
        values: {},
      });
    },
  );
  app.post(
    '/patient/sign-in/code',
    { schema: { hide: true }, config: { audience: 'public', rateLimit: signInRateLimit } },
    async (req, reply) => {
      if (!needStage(req, reply, 'password')) return reply;
      const session = req.session;
      if (!session) return reply.redirect('/patient/sign-in');
      const values = formBody(req.body);
      return handleForm(
        reply,
        'platform/views/auth/code.njk',
        {
          title: 'Enter the security code',
          action: '/patient/sign-in/code',
          recovery: true,
          firstField: 'code',
        },
        {},
        async () => {
          if (!values.code)
            throw AppError.invalid([
              { field: 'code', message: 'Enter the 6-digit code from your authenticator app' },
            ]);
          await checkCodeStep(
            db,
            'patient',
            session.principal_id,
            values.code,
            clock.now(),
            req.meta,
            app.deps.config.totpKey,
          );
          const full = await advanceSession(db, session, 'full', clock.now());
          return reply
            .setSessionCookie(full)
            .redirect(safeNext((req.query as { next?: string }).next, '/patient'));
        },
      );
    },
  );

  // --- Authenticator set-up ---
  app.get(
    '/patient/set-up-authenticator',
    { config: { audience: 'public' }, schema: { hide: true } },
    async (req, reply) => {
      if (!needStage(req, reply, 'totp-setup')) return reply;
      const session = req.session;
      if (!session) return reply.redirect('/patient/sign-in');
      const secret = await service.beginTotpSetup(ctx(req), session.principal_id, app.deps.config.totpKey);
      const account = await db
        .selectFrom('online_accounts')
        .select('email')
        .where('id', '=', session.principal_id)
        .executeTakeFirstOrThrow();
      const qr = await QRCode.toString(totpUri(secret, account.email), {
        type: 'svg',
        margin: 1,
        width: 220,
      });
      const codeError = (req.query as { error?: string }).error === 'code';
      return reply.status(codeError ? 400 : 200).page(V + 'set-up-authenticator.njk', {
        title: 'Set up your authenticator app',
        qr,
        secret: secret.match(/.{1,4}/g)?.join(' '),
        codeError,
        errors: codeError ? ['code'] : [],
        errorList: [{ text: 'Enter the 6-digit code shown in your authenticator app now', href: '#code' }],
      });
    },
  );
  app.post(
    '/patient/set-up-authenticator',
    { schema: { hide: true }, config: { audience: 'public', rateLimit: signInRateLimit } },
    async (req, reply) => {
      if (!needStage(req, reply, 'totp-setup')) return reply;
      const session = req.session;
      if (!session) return reply.redirect('/patient/sign-in');
      const values = formBody(req.body);
      let codes: string[];
      try {
        codes = await service.confirmTotpSetup(
          ctx(req),
          session.principal_id,
          values.code ?? '',
          app.deps.config.totpKey,
        );
      } catch (err) {
        if (!(err instanceof AppError) || err.code !== 'invalid') throw err;
        return reply.redirect('/patient/set-up-authenticator?error=code');
      }
      // The codes are shown once, on this response, and kept nowhere in clear: not in the
      // session, only their hashes in the database.
      const next = await advanceSession(db, session, 'recovery-codes', clock.now());
      return reply.setSessionCookie(next).page(V + 'recovery-codes.njk', {
        title: 'Save your recovery codes',
        codes: codes.map((c) => formatLinkageKey(c)),
      });
    },
  );

  app.get(
    '/patient/recovery-codes',
    { config: { audience: 'public' }, schema: { hide: true } },
    async (req, reply) => {
      if (!needStage(req, reply, 'recovery-codes')) return reply;
      // Coming back to the page: the codes were shown once and are not kept, so none to show.
      return reply.page(V + 'recovery-codes.njk', { title: 'Save your recovery codes', codes: [] });
    },
  );
  app.post(
    '/patient/recovery-codes',
    { config: { audience: 'public' }, schema: { hide: true } },
    async (req, reply) => {
      if (!needStage(req, reply, 'recovery-codes')) return reply;
      const session = req.session;
      if (!session) return reply.redirect('/patient/sign-in');
      const full = await advanceSession(db, session, 'full', clock.now(), {});
      return reply.setSessionCookie(full).redirect('/patient');
    },
  );

  // --- Link to a GP record with a registration letter ---
  app.get(
    '/patient/link',
    { config: { audience: 'patient' }, schema: { hide: true } },
    async (req, reply) => {
      if (stepFor(req)) return reply.redirect(stepFor(req) ?? '/patient/sign-in');
      return reply.page(V + 'link.njk', { title: 'Link your account to your GP record', values: {} });
    },
  );
  app.post(
    '/patient/link',
    { schema: { hide: true }, config: { audience: 'patient', rateLimit: signInRateLimit } },
    async (req, reply) => {
      if (stepFor(req)) return reply.redirect(stepFor(req) ?? '/patient/sign-in');
      const values = formBody(req.body);
      return handleForm(
        reply,
        V + 'link.njk',
        { title: 'Link your account to your GP record', firstField: 'odsCode' },
        values,
        async () => {
          await service.linkAccount(
            ctx(req),
            req.actor,
            {
              odsCode: values.odsCode ?? '',
              accountRef: values.accountRef ?? '',
              linkageKey: values.linkageKey ?? '',
              surname: values.surname ?? '',
              birthDate: dateFromParts(values, 'birthDate'),
            },
            automaticAccessOnLink,
          );
          return reply.redirect('/patient?linked=1');
        },
      );
    },
  );

  // --- Sign out (here, or on every device) ---
  app.get(
    '/patient/sign-out',
    { config: { audience: 'public' }, schema: { hide: true } },
    async (req, reply) => {
      if (!req.actor) return reply.redirect('/patient/sign-in');
      return reply.page('platform/views/auth/sign-out.njk', {
        title: 'Sign out',
        action: '/patient/sign-out',
        everywhere: true,
      });
    },
  );
  app.post(
    '/patient/sign-out',
    { config: { audience: 'public' }, schema: { hide: true } },
    async (req, reply) => {
      const values = formBody(req.body);
      const actor = req.actor;
      if (req.session) await deleteSession(db, req.session);
      if (actor?.kind === 'patient') {
        let ended = 1;
        if (values.scope === 'everywhere') ended = (await deleteAllFor(db, 'patient', actor.accountId)) + 1;
        await recordAuditAlone(
          db,
          {
            actor: auditActor(actor),
            action: values.scope === 'everywhere' ? 'auth.sign-out-everywhere' : 'auth.sign-out',
            outcome: 'success',
            practiceOds: actor.practiceOds,
            details: { sessionsEnded: ended },
            request: req.meta,
          },
          clock.now(),
        );
      }
      return reply.setSessionCookie(null).page('platform/views/auth/signed-out.njk', {
        title: 'You have signed out',
        actor: null,
        everywhere: values.scope === 'everywhere',
      });
    },
  );

  // --- API ---
  app.get('/api/v1/me', { config: { audience: 'public' }, schema: meSchema }, async (req) => {
    const actor = req.actor;
    if (!actor) throw new AppError('unauthenticated', 'Send a bearer token from POST /api/v1/auth/token.');
    if (actor.kind === 'staff') {
      return {
        type: 'staff',
        id: actor.staffId,
        email: actor.email,
        name: actor.name,
        role: actor.role,
        practice_ods: actor.practiceOds,
      };
    }
    const home = await service.patientHome(ctx(req), actor);
    return {
      type: 'patient',
      id: actor.accountId,
      email: actor.email,
      proofing_level: actor.proofingLevel,
      linked: home.linked,
      patient: home.patient
        ? {
            given_name: home.patient.givenName,
            family_name: home.patient.familyName,
            nhs_number: home.patient.nhsNumber,
            birth_date: home.patient.birthDate,
            practice_ods: home.patient.practiceOds,
            practice_name: home.patient.practiceName,
          }
        : null,
      services: home.services.map((s) => ({
        service: s.service,
        status: s.status,
        required_level: s.requiredLevel,
      })),
      record_level: home.settings.recordLevel,
    };
  });

  app.post<{
    Body: { ods_code: string; account_id: string; linkage_key: string; surname: string; birth_date: string };
  }>(
    '/api/v1/account/link',
    { schema: linkSchema, config: { audience: 'patient', rateLimit: signInRateLimit } },
    async (req, reply) => {
      const b = req.body;
      const r = await service.linkAccount(
        ctx(req),
        req.actor,
        {
          odsCode: b.ods_code,
          accountRef: b.account_id,
          linkageKey: b.linkage_key,
          surname: b.surname,
          birthDate: b.birth_date,
        },
        automaticAccessOnLink,
      );
      return reply.status(200).send({ linked: true, practice_ods: r.practiceOds });
    },
  );
}

/** Only same-site paths are followed after sign-in, never another host. */
export function safeNext(next: string | undefined, fallback: string): string {
  return next && /^\/[a-zA-Z0-9/_\-?=&.]*$/.test(next) && !next.startsWith('//') ? next : fallback;
}

export { VERIFICATION_METHODS };
