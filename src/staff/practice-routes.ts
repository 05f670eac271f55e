// The staff front door and sign-in journey (platform/auth), and the administrators' pages: users,
// practices, and patient accounts locked by wrong codes that belong to no practice.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import QRCode from 'qrcode';
import type { Ctx } from '../platform/context.ts';
import { totpUri } from '../platform/auth/secrets.ts';
import { signInJourneyRoutes } from '../platform/auth/signin-routes.ts';
import { formFields, Type, typed } from '../platform/http/schema.ts';
import { formBody, handleForm } from '../platform/views/forms.ts';
import { lockedUnlinkedAccounts, unlockUnlinkedAccount } from '../accounts/index.ts';
import * as practices from '../practices/index.ts';
import { addStaffUser, listStaff, STAFF_ROLES, unlockStaffUser } from './service.ts';

const V = 'staff/views/';
export const adminNav = [
  { href: '/admin/users', text: 'Users' },
  { href: '/admin/practices', text: 'Practices' },
  { href: '/admin/locked-accounts', text: 'Locked accounts' },
];
const IdParams = Type.Object({ id: Type.String() });

export async function adminRoutes(app: FastifyInstance): Promise<void> {
  const { db, clock, config } = app.deps;
  const r = typed(app);
  const ctx = (req: FastifyRequest): Ctx => ({ db, clock, meta: req.meta });

  await signInJourneyRoutes(app, {
    who: 'staff',
    title: 'Staff sign in',
    home: '/staff',
    signUp: false,
    recoveryCodes: false,
    signOutEverywhere: false,
    keepsNext: true,
    steps: {},
  });

  r.get('/staff', { config: { audience: 'staff' }, schema: { hide: true } }, async (req, reply) => {
    const role = req.actor?.kind === 'staff' ? req.actor.role : null;
    if (role === 'admin') return reply.redirect('/admin/users');
    if (role === 'facilitator' || role === 'commissioner') return reply.redirect('/programme');
    return reply.redirect('/staff/patients');
  });

  // --- Users ---
  r.get('/admin/users', { config: { audience: 'staff' }, schema: { hide: true } }, async (req, reply) => {
    const users = await listStaff(ctx(req), req.actor);
    return reply.page(V + 'users.njk', {
      title: 'Staff users',
      users,
      roles: STAFF_ROLES,
      values: {},
      navigation: adminNav,
    });
  });
  r.post(
    '/admin/users/:id/unlock',
    { config: { audience: 'staff' }, schema: { hide: true, params: IdParams } },
    async (req, reply) => {
      await unlockStaffUser(ctx(req), req.actor, req.params.id);
      return reply.redirect('/admin/users');
    },
  );
  r.post(
    '/admin/users',
    {
      config: { audience: 'staff' },
      schema: { hide: true, body: formFields('email', 'name', 'role', 'password', 'practiceOds') },
    },
    async (req, reply) => {
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
          const added = await addStaffUser(
            ctx(req),
            req.actor,
            {
              email: values.email ?? '',
              name: values.name ?? '',
              role: values.role ?? '',
              password: values.password ?? '',
              practiceOds: values.practiceOds?.toUpperCase() || null,
            },
            config.totpKey,
          );
          const qr = await QRCode.toString(totpUri(added.totpSecret, values.email ?? ''), {
            type: 'svg',
            margin: 1,
            width: 200,
          });
          return reply.page(V + 'user-added.njk', {
            title: 'User added',
            email: values.email,
            secret: added.totpSecret,
            qr,
            navigation: adminNav,
          });
        },
      );
    },
  );

  // --- Practices ---
  r.get(
    '/admin/practices',
    {
      config: { audience: 'staff' },
      schema: { hide: true, querystring: Type.Object({ q: Type.Optional(Type.String()) }) },
    },
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
  r.post(
    '/admin/practices',
    {
      config: { audience: 'staff' },
      schema: {
        hide: true,
        body: formFields('odsCode', 'name', 'address', 'postcode', 'commissionerCode'),
      },
    },
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

  // --- Patient accounts locked by wrong codes that belong to no practice (linked ones: the practice) ---
  r.get(
    '/admin/locked-accounts',
    { config: { audience: 'staff' }, schema: { hide: true } },
    async (req, reply) => {
      const accounts = await lockedUnlinkedAccounts(ctx(req), req.actor);
      return reply.page(V + 'locked-accounts.njk', {
        title: 'Locked patient accounts',
        accounts,
        navigation: adminNav,
      });
    },
  );
  r.post(
    '/admin/locked-accounts/:id/unlock',
    { config: { audience: 'staff' }, schema: { hide: true, params: IdParams } },
    async (req, reply) => {
      await unlockUnlinkedAccount(ctx(req), req.actor, req.params.id);
      return reply.redirect('/admin/locked-accounts');
    },
  );
}
