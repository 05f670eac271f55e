// The staff front door and sign-in journey (platform/auth), and the administrators' pages: users,
// practices, and patient accounts locked by wrong codes that belong to no practice.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Ctx } from '../platform/context.ts';
import { signInJourneyRoutes, type SignInJourney } from '../platform/auth/signin-routes.ts';
import { formFields, Type, typed } from '../platform/http/schema.ts';
import { formBody, handleForm } from '../platform/views/forms.ts';
import { lockedUnlinkedAccounts, unlockUnlinkedAccount } from '../accounts/index.ts';
import * as practices from '../practices/index.ts';
import { authenticatorSetUpRoutes } from './authenticator-routes.ts';
import { userRoutes } from './user-routes.ts';

const V = 'staff/views/';
const IdParams = Type.Object({ id: Type.String() });

export async function adminRoutes(app: FastifyInstance): Promise<void> {
  const { db, clock } = app.deps;
  const r = typed(app);
  const ctx = (req: FastifyRequest): Ctx => ({ db, clock, meta: req.meta });

  const journey: SignInJourney = {
    who: 'staff',
    title: 'Staff sign in',
    home: '/staff',
    signUp: false,
    recoveryCodes: false,
    signOutEverywhere: false,
    keepsNext: true,
    // After an administrator resets their authenticator: a new one, before anything else.
    steps: { 'totp-setup': '/staff/set-up-authenticator' },
  };
  await signInJourneyRoutes(app, journey);
  await authenticatorSetUpRoutes(app, journey);

  r.get('/staff', { config: { audience: 'staff' }, schema: { hide: true } }, async (req, reply) => {
    const role = req.actor?.kind === 'staff' ? req.actor.role : null;
    if (role === 'admin') return reply.redirect('/admin/users');
    if (role === 'facilitator' || role === 'commissioner') return reply.redirect('/programme');
    return reply.redirect('/staff/patients');
  });

  await userRoutes(app);

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
