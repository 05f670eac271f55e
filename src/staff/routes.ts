// Staff sign-in and sign-out, the staff front door, and admin pages for users and practices.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import QRCode from 'qrcode';
import { auditActor } from '../platform/auth/actor.ts';
import { recordAuditAlone } from '../platform/audit/audit.ts';
import { advanceSession, createSession, deleteSession } from '../platform/auth/sessions.ts';
import { checkCodeStep, checkPasswordStep } from '../platform/auth/signin.ts';
import { totpUri } from '../platform/auth/secrets.ts';
import { AppError } from '../platform/http/errors.ts';
import { formBody, handleForm } from '../platform/views/forms.ts';
import { signInRateLimit, safeNext } from '../accounts/index.ts';
import * as practices from '../practices/index.ts';
import { addStaffUser, listStaff, STAFF_ROLES, unlockStaffUser } from './service.ts';

const AUTH = 'platform/views/auth/';
const V = 'staff/views/';
export const adminNav = [
  { href: '/admin/users', text: 'Users' },
  { href: '/admin/practices', text: 'Practices' },
  { href: '/admin/locked-accounts', text: 'Locked accounts' },
];

export async function adminRoutes(app: FastifyInstance): Promise<void> {
  const { db, clock } = app.deps;
  const ctx = (req: FastifyRequest) => ({ db, clock, meta: req.meta });

  app.get('/staff', { config: { audience: 'staff' }, schema: { hide: true } }, async (req, reply) => {
    const a = req.actor;
    if (a?.kind !== 'staff') return reply.redirect('/staff/sign-in');
    if (a.role === 'admin') return reply.redirect('/admin/users');
    if (a.role === 'facilitator' || a.role === 'commissioner') return reply.redirect('/programme');
    return reply.redirect('/staff/patients');
  });

  app.get(
    '/staff/sign-in',
    { config: { audience: 'public' }, schema: { hide: true } },
    async (req, reply) => {
      if (req.actor?.kind === 'staff') return reply.redirect('/staff');
      return reply.page(AUTH + 'sign-in.njk', {
        title: 'Staff sign in',
        values: {},
        action: '/staff/sign-in' + nextQuery(req),
      });
    },
  );
  app.post(
    '/staff/sign-in',
    { schema: { hide: true }, config: { audience: 'public', rateLimit: signInRateLimit } },
    async (req, reply) => {
      const values = formBody(req.body);
      return handleForm(
        reply,
        AUTH + 'sign-in.njk',
        { title: 'Staff sign in', action: '/staff/sign-in' + nextQuery(req), firstField: 'email' },
        { email: values.email },
        async () => {
          if (!values.email || !values.password)
            throw AppError.invalid([
              ...(!values.email ? [{ field: 'email', message: 'Enter your email address' }] : []),
              ...(!values.password ? [{ field: 'password', message: 'Enter your password' }] : []),
            ]);
          const ok = await checkPasswordStep(
            db,
            'staff',
            values.email,
            values.password,
            clock.now(),
            req.meta,
          );
          if (req.session) await deleteSession(db, req.session);
          const session = await createSession(
            db,
            { principalType: 'staff', principalId: ok.principalId, stage: 'password' },
            clock.now(),
          );
          return reply.setSessionCookie(session).redirect('/staff/sign-in/code' + nextQuery(req));
        },
      );
    },
  );
  app.get(
    '/staff/sign-in/code',
    { config: { audience: 'public' }, schema: { hide: true } },
    async (req, reply) => {
      if (req.session?.principal_type !== 'staff' || req.session.stage !== 'password')
        return reply.redirect('/staff/sign-in');
      return reply.page(AUTH + 'code.njk', {
        title: 'Enter the security code',
        action: '/staff/sign-in/code' + nextQuery(req),
        values: {},
      });
    },
  );
  app.post(
    '/staff/sign-in/code',
    { schema: { hide: true }, config: { audience: 'public', rateLimit: signInRateLimit } },
    async (req, reply) => {
      const session = req.session;
      if (session?.principal_type !== 'staff' || session.stage !== 'password')
        return reply.redirect('/staff/sign-in');
      const values = formBody(req.body);
      return handleForm(
        reply,
        AUTH + 'code.njk',
        {
          title: 'Enter the security code',
          action: '/staff/sign-in/code' + nextQuery(req),
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
            'staff',
            session.principal_id,
            values.code,
            clock.now(),
            req.meta,
            app.deps.config.totpKey,
          );
          const full = await advanceSession(db, session, 'full', clock.now());
          return reply
            .setSessionCookie(full)
            .redirect(safeNext((req.query as { next?: string }).next, '/staff'));
        },
      );
    },
  );
  app.get(
    '/staff/sign-out',
    { config: { audience: 'public' }, schema: { hide: true } },
    async (req, reply) => {
      if (!req.actor) return reply.redirect('/staff/sign-in');
      return reply.page(AUTH + 'sign-out.njk', {
        title: 'Sign out',
        action: '/staff/sign-out',
        everywhere: false,
      });
    },
  );
  app.post(
    '/staff/sign-out',
    { config: { audience: 'public' }, schema: { hide: true } },
    async (req, reply) => {
      const actor = req.actor;
      if (req.session) await deleteSession(db, req.session);
      if (actor)
        await recordAuditAlone(
          db,
          {
            actor: auditActor(actor),
            action: 'auth.sign-out',
            outcome: 'success',
            practiceOds: actor.practiceOds,
            request: req.meta,
          },
          clock.now(),
        );
      return reply
        .setSessionCookie(null)
        .page(AUTH + 'signed-out.njk', { title: 'You have signed out', actor: null });
    },
  );

  // --- Users ---
  app.get('/admin/users', { config: { audience: 'staff' }, schema: { hide: true } }, async (req, reply) => {
    const users = await listStaff(ctx(req), req.actor);
    return reply.page(V + 'users.njk', {
      title: 'Staff users',
      users,
      roles: STAFF_ROLES,
      values: {},
      navigation: adminNav,
    });
  });
  app.post<{ Params: { id: string } }>(
    '/admin/users/:id/unlock',
    { config: { audience: 'staff' }, schema: { hide: true } },
    async (req, reply) => {
      await unlockStaffUser(ctx(req), req.actor, req.params.id);
      return reply.redirect('/admin/users');
    },
  );
  app.post('/admin/users', { config: { audience: 'staff' }, schema: { hide: true } }, async (req, reply) => {
    const values = formBody(req.body);
    return handleForm(
      reply,
      V + 'users.njk',
      async () => ({
        title: 'Staff users',
        users: await listStaff(ctx(req), req.actor),
        roles: STAFF_ROLES,
        firstField: 'email',
        navigation: adminNav,
      }),
      { ...values, password: '' },
      async () => {
        const r = await addStaffUser(
          ctx(req),
          req.actor,
          {
            email: values.email ?? '',
            name: values.name ?? '',
            role: values.role ?? '',
            password: values.password ?? '',
            practiceOds: values.practiceOds?.toUpperCase() || null,
          },
          app.deps.config.totpKey,
        );
        const qr = await QRCode.toString(totpUri(r.totpSecret, values.email ?? ''), {
          type: 'svg',
          margin: 1,
          width: 200,
        });
        return reply.page(V + 'user-added.njk', {
          title: 'User added',
          email: values.email,
          secret: r.totpSecret,
          qr,
          navigation: adminNav,
        });
      },
    );
  });

  // --- Practices ---
  app.get<{ Querystring: { q?: string } }>(
    '/admin/practices',
    { config: { audience: 'staff' }, schema: { hide: true } },
    async (req, reply) => {
      const list = await practices.listPractices(ctx(req), req.actor, { q: req.query.q });
      return reply.page(V + 'practices.njk', {
        title: 'Practices',
        list,
        q: req.query.q ?? '',
        values: {},
        navigation: adminNav,
      });
    },
  );
  app.post(
    '/admin/practices',
    { config: { audience: 'staff' }, schema: { hide: true } },
    async (req, reply) => {
      const values = formBody(req.body);
      return handleForm(
        reply,
        V + 'practices.njk',
        async () => ({
          title: 'Practices',
          list: await practices.listPractices(ctx(req), req.actor, {}),
          q: '',
          firstField: 'odsCode',
          navigation: adminNav,
        }),
        values,
        async () => {
          await practices.addPractice(ctx(req), req.actor, {
            odsCode: (values.odsCode ?? '').toUpperCase(),
            name: values.name ?? '',
            addressLines: (values.address ?? '')
              .split(/\r?\n/)
              .map((l) => l.trim())
              .filter(Boolean),
            postcode: values.postcode || null,
            commissionerCode: values.commissionerCode?.toUpperCase() || null,
            status: 'active',
            prescribingSetting: 4,
            openDate: null,
            closeDate: null,
            phone: null,
          });
          return reply.redirect('/admin/practices?q=' + encodeURIComponent(values.odsCode ?? ''));
        },
      );
    },
  );
}

function nextQuery(req: FastifyRequest): string {
  const next = (req.query as { next?: string }).next;
  return next ? `?next=${encodeURIComponent(next)}` : '';
}
