// Patient pages: sign-up and its link, the sign-in journey (platform/auth) with the patient's own
// set-up steps (authenticator, recovery codes), linking to a record, and home. A set-up step
// checks the session stage and sends an out-of-order request to the right step.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Ctx } from '../platform/context.ts';
import { totpQrSvg } from '../platform/auth/totp-qr.ts';
import { advanceSession, createSession, deleteSession } from '../platform/auth/sessions.ts';
import {
  sessionAt,
  signInJourneyRoutes,
  signInRateLimit,
  type SignInJourney,
} from '../platform/auth/signin-routes.ts';
import { AppError } from '../platform/http/errors.ts';
import { formFields, Type, typed } from '../platform/http/schema.ts';
import { dateFromParts, formBody, handleForm } from '../platform/views/forms.ts';
import { patientApiRoutes, type PatientAccountOptions } from './api-routes.ts';
import * as homeService from './home-service.ts';
import * as service from './patient-service.ts';
import { homeServices } from './present.ts';
import * as signUps from './sign-up-service.ts';
import { formatLinkageKey } from './rules.ts';

export type { PatientAccountOptions };

const V = 'accounts/views/';

/** Creating accounts: 20 per 15 minutes from one address. */
const signUpRateLimit = { max: 20, timeWindow: 15 * 60_000 };

const LinkForm = formFields(
  'odsCode',
  'accountRef',
  'linkageKey',
  'surname',
  'birthDate[day]',
  'birthDate[month]',
  'birthDate[year]',
);

export async function patientAccountRoutes(app: FastifyInstance, opts: PatientAccountOptions): Promise<void> {
  const { db, clock, config } = app.deps;
  const r = typed(app);
  const ctx = (req: FastifyRequest): Ctx => ({ db, clock, meta: req.meta });

  /** Right password, address never confirmed: a fresh link, and the same page as sign-up. */
  async function unconfirmedEmail(
    req: FastifyRequest,
    reply: FastifyReply,
    account: { principalId: string; email: string },
  ): Promise<FastifyReply> {
    const sent = await signUps.resendConfirmation(ctx(req), {
      accountId: account.principalId,
      publicUrl: config.publicUrl,
    });
    return reply.setSessionCookie(null).page(V + 'check-email.njk', {
      title: 'Check your email',
      email: account.email,
      demoMessage: config.demo ? sent : null,
      notConfirmed: true,
    });
  }

  const journey: SignInJourney = {
    who: 'patient',
    title: 'Sign in to GP Online',
    home: '/patient',
    signUp: true,
    recoveryCodes: true,
    signOutEverywhere: true,
    keepsNext: false,
    steps: { 'totp-setup': '/patient/set-up-authenticator', 'recovery-codes': '/patient/recovery-codes' },
    afterRecoveryCode: '/patient/account/authenticator',
    unconfirmedEmail,
  };
  await signInJourneyRoutes(app, journey);
  await patientApiRoutes(app, opts);

  r.get(
    '/patient',
    {
      config: { audience: 'patient' },
      schema: { hide: true, querystring: Type.Object({ linked: Type.Optional(Type.String()) }) },
    },
    async (req, reply) => {
      const home = await service.patientHome(ctx(req), req.actor);
      const practice = home.linked ? await homeService.practiceContact(ctx(req), req.actor) : null;
      const ods = home.patient?.practiceOds;
      const off = ods && opts.practiceServicesOff ? await opts.practiceServicesOff(ctx(req), ods) : [];
      return reply.page(V + 'patient-home.njk', {
        title: home.patient
          ? `${home.patient.givenName} ${home.patient.familyName}`
          : 'Your GP Online account',
        home,
        services: homeServices(home.services, home.settings, practice, off),
        flash: req.query.linked ? 'Your account is now linked to your GP record.' : null,
      });
    },
  );

  // --- Sign up ---
  r.get('/patient/sign-up', { config: { audience: 'public' }, schema: { hide: true } }, async (_req, reply) =>
    reply.page(V + 'sign-up.njk', { title: 'Create your GP Online account', values: {} }),
  );
  r.post(
    '/patient/sign-up',
    {
      schema: { hide: true, body: formFields('email', 'password', 'confirm') },
      config: { audience: 'public', rateLimit: signUpRateLimit },
    },
    async (req, reply) => {
      const values = formBody(req.body);
      return handleForm(
        reply,
        V + 'sign-up.njk',
        { title: 'Create your GP Online account', firstField: 'email' },
        { email: values.email },
        async () => {
          const sent = await signUps.signUp(
            ctx(req),
            { email: values.email ?? '', password: values.password ?? '', confirm: values.confirm ?? '' },
            config.publicUrl,
          );
          // The same page whether or not the address had an account (signUps.signUp).
          return reply.page(V + 'check-email.njk', {
            title: 'Check your email',
            email: (values.email ?? '').trim(),
            demoMessage: config.demo ? sent : null,
          });
        },
      );
    },
  );

  // The link from the email: a page with a button, so a mail scanner opening the link spends nothing.
  r.get(
    '/patient/sign-up/confirm',
    {
      config: { audience: 'public' },
      schema: { hide: true, querystring: Type.Object({ token: Type.Optional(Type.String()) }) },
    },
    async (req, reply) => {
      const token = req.query.token ?? '';
      const live = token ? await signUps.confirmationIsLive(ctx(req), token) : false;
      return reply.status(live ? 200 : 400).page(V + 'confirm-email.njk', {
        title: live ? 'Confirm your email address' : 'This link does not work',
        token,
        live,
        dead: signUps.CONFIRM_LINK_DEAD,
      });
    },
  );
  r.post(
    '/patient/sign-up/confirm',
    {
      schema: { hide: true, body: formFields('token') },
      config: { audience: 'public', rateLimit: signInRateLimit },
    },
    async (req, reply) => {
      let accountId: string;
      try {
        ({ accountId } = await signUps.confirmSignUp(ctx(req), formBody(req.body).token ?? ''));
      } catch (err) {
        if (!(err instanceof AppError) || err.code !== 'invalid') throw err;
        return reply.status(400).page(V + 'confirm-email.njk', {
          title: 'This link does not work',
          token: '',
          live: false,
          dead: signUps.CONFIRM_LINK_DEAD,
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

  // --- Authenticator set-up ---
  r.get(
    '/patient/set-up-authenticator',
    {
      config: { audience: 'public' },
      schema: { hide: true, querystring: Type.Object({ error: Type.Optional(Type.String()) }) },
    },
    async (req, reply) => {
      const session = sessionAt(req, reply, journey, 'totp-setup');
      if (!session) return reply;
      const { secret, email } = await service.beginTotpSetup(ctx(req), session.principal_id, config.totpKey);
      const qr = await totpQrSvg(secret, email);
      const codeError = req.query.error === 'code';
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
  r.post(
    '/patient/set-up-authenticator',
    {
      schema: { hide: true, body: formFields('code') },
      config: { audience: 'public', rateLimit: signInRateLimit },
    },
    async (req, reply) => {
      const session = sessionAt(req, reply, journey, 'totp-setup');
      if (!session) return reply;
      let codes: string[];
      try {
        codes = await service.confirmTotpSetup(ctx(req), {
          accountId: session.principal_id,
          code: formBody(req.body).code ?? '',
          key: config.totpKey,
        });
      } catch (err) {
        if (!(err instanceof AppError) || err.code !== 'invalid') throw err;
        return reply.redirect('/patient/set-up-authenticator?error=code');
      }
      // The codes are shown once, on this response, and kept nowhere in clear: not in the
      // session, only their hashes in the database.
      const next = await advanceSession(db, session, { stage: 'recovery-codes', now: clock.now() });
      return reply.setSessionCookie(next).page(V + 'recovery-codes.njk', {
        title: 'Save your recovery codes',
        codes: codes.map((c) => formatLinkageKey(c)),
      });
    },
  );

  r.get(
    '/patient/recovery-codes',
    { config: { audience: 'public' }, schema: { hide: true } },
    async (req, reply) => {
      if (!sessionAt(req, reply, journey, 'recovery-codes')) return reply;
      // Coming back to the page: the codes were shown once and are not kept, so none to show.
      return reply.page(V + 'recovery-codes.njk', { title: 'Save your recovery codes', codes: [] });
    },
  );
  r.post(
    '/patient/recovery-codes',
    { config: { audience: 'public' }, schema: { hide: true } },
    async (req, reply) => {
      const session = sessionAt(req, reply, journey, 'recovery-codes');
      if (!session) return reply;
      const full = await advanceSession(db, session, { stage: 'full', now: clock.now(), data: {} });
      return reply.setSessionCookie(full).redirect('/patient');
    },
  );

  // --- Link to a GP record with a registration letter ---
  r.get('/patient/link', { config: { audience: 'patient' }, schema: { hide: true } }, async (_req, reply) =>
    reply.page(V + 'link.njk', { title: 'Link your account to your GP record', values: {} }),
  );
  r.post(
    '/patient/link',
    { schema: { hide: true, body: LinkForm }, config: { audience: 'patient', rateLimit: signInRateLimit } },
    async (req, reply) => {
      const values = formBody(req.body);
      return handleForm(
        reply,
        V + 'link.njk',
        { title: 'Link your account to your GP record', firstField: 'odsCode' },
        values,
        async () => {
          await service.linkAccount(ctx(req), req.actor, {
            odsCode: values.odsCode ?? '',
            accountRef: values.accountRef ?? '',
            linkageKey: values.linkageKey ?? '',
            surname: values.surname ?? '',
            birthDate: dateFromParts(values, 'birthDate'),
            afterLink: opts.afterLink,
          });
          return reply.redirect('/patient?linked=1');
        },
      );
    },
  );
}
