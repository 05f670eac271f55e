// Staff administration pages: the list of staff (an administrator's every account, a practice
// manager's team), one person's page with what may be done, confirmations, and the actions.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { StaffActor } from '../platform/auth/actor.ts';
import { totpQrSvg } from '../platform/auth/totp-qr.ts';
import type { Ctx } from '../platform/context.ts';
import { formFields, Type, typed } from '../platform/http/schema.ts';
import { formBody, handleForm } from '../platform/views/forms.ts';
import { actOnStaff, listStaff, staffUser, type StaffAction } from './admin-service.ts';
import { confirmPage, userPage, userRows, usersBase, usersTitle } from './present.ts';
import { addStaffUser, STAFF_ROLES } from './service.ts';

const V = 'staff/views/';
const IdParams = Type.Object({ id: Type.String() });
const DoneQuery = Type.Object({ done: Type.Optional(Type.String()) });
const ACTIONS: StaffAction[] = ['disable', 'enable', 'unlock', 'reset-authenticator'];

const staffOf = (req: FastifyRequest): StaffActor | null => (req.actor?.kind === 'staff' ? req.actor : null);

export async function userRoutes(app: FastifyInstance): Promise<void> {
  const { db, clock, config } = app.deps;
  const r = typed(app);
  const ctx = (req: FastifyRequest): Ctx => ({ db, clock, meta: req.meta });
  const staff = { audience: 'staff' } as const;

  const listPage = async (req: FastifyRequest) => {
    const actor = staffOf(req);
    const base = usersBase(actor);
    return {
      title: usersTitle(actor),
      users: userRows(await listStaff(ctx(req), req.actor), base),
      canAdd: actor?.role === 'admin',
      roles: STAFF_ROLES,
    };
  };

  // The same pages at both addresses; links follow the actor (usersBase).
  for (const base of ['/admin/users', '/staff/team']) {
    r.get(base, { config: staff, schema: { hide: true } }, async (req, reply) =>
      reply.page(V + 'users.njk', { ...(await listPage(req)), values: {} }),
    );

    r.get(
      `${base}/:id`,
      { config: staff, schema: { hide: true, params: IdParams, querystring: DoneQuery } },
      async (req, reply) => {
        const view = await staffUser(ctx(req), req.actor, req.params.id);
        return reply.page(
          V + 'user.njk',
          userPage(view, { base: usersBase(staffOf(req)), done: req.query.done }),
        );
      },
    );

    for (const action of ['disable', 'reset-authenticator'] as const) {
      r.get(
        `${base}/:id/${action}`,
        { config: staff, schema: { hide: true, params: IdParams } },
        async (req, reply) => {
          const view = await staffUser(ctx(req), req.actor, req.params.id);
          if (view.refusal) return reply.redirect(`${usersBase(staffOf(req))}/${view.user.id}`);
          return reply.page(
            V + 'confirm.njk',
            confirmPage(view.user, { base: usersBase(staffOf(req)), action }),
          );
        },
      );
    }

    for (const action of ACTIONS) {
      r.post(
        `${base}/:id/${action}`,
        { config: staff, schema: { hide: true, params: IdParams } },
        async (req, reply) => {
          await actOnStaff(ctx(req), req.actor, { id: req.params.id, action });
          return reply.redirect(`${usersBase(staffOf(req))}/${req.params.id}?done=${action}`);
        },
      );
    }
  }

  // --- Adding a user (administrators) ---
  r.post(
    '/admin/users',
    {
      config: staff,
      schema: { hide: true, body: formFields('email', 'name', 'role', 'password', 'practiceOds') },
    },
    async (req, reply) => {
      const values = formBody(req.body);
      return handleForm(
        reply,
        V + 'users.njk',
        async () => ({ ...(await listPage(req)), firstField: 'name' }),
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
          const qr = await totpQrSvg(added.totpSecret, values.email ?? '', 200);
          return reply.page(V + 'user-added.njk', {
            title: 'User added',
            email: values.email,
            secret: added.totpSecret,
            qr,
          });
        },
      );
    },
  );
}
