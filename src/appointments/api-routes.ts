// The appointments JSON API: patients (slots, book, list, cancel) and practice staff (set-up,
// sessions, the book, booking and changes for patients). OpenAPI at /api/docs.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Ctx } from '../platform/context.ts';
import { AppError } from '../platform/http/errors.ts';
import { typed } from '../platform/http/schema.ts';
import { appointmentSchemas as S } from './api-schemas.ts';
import * as book from './book/service.ts';
import * as own from './booking/appointments-service.ts';
import * as booking from './booking/service.ts';
import { noSuchPage } from '../platform/http/paging.ts';
import { appointmentJson, slotJson } from './present.ts';
import * as sessions from './setup/sessions-service.ts';
import * as setup from './setup/service.ts';

export async function appointmentApiRoutes(app: FastifyInstance): Promise<void> {
  const { db, clock } = app.deps;
  const ctx = (req: FastifyRequest): Ctx => ({ db, clock, meta: req.meta });
  const r = typed(app);

  // --- Patients ---
  r.get('/api/v1/appointments/slots', { config: { audience: 'patient' }, schema: S.slots }, async (req) => {
    const q = req.query;
    const slots = await booking.findSlots(ctx(req), req.actor, {
      from: q.from,
      to: q.to,
      slotTypeId: q.type,
      practitionerId: q.practitioner,
      channel: q.channel,
      limit: q.limit,
    });
    return { slots: slots.map(slotJson) };
  });

  r.post('/api/v1/appointments', { config: { audience: 'patient' }, schema: S.book }, async (req, reply) => {
    const b = await booking.bookOwn(ctx(req), req.actor, {
      slotId: req.body.slotId,
      reason: req.body.reason,
      idempotencyKey: req.headers['idempotency-key'],
    });
    if (b.replayed) reply.header('idempotent-replayed', 'true');
    return reply.status(b.replayed ? 200 : 201).send(appointmentJson(b.appointment, true));
  });

  r.get('/api/v1/appointments', { config: { audience: 'patient' }, schema: S.list }, async (req) => {
    // One page holds them all: any later page is past the end.
    if (req.query.page && req.query.page > 1) throw noSuchPage(req.query.page);
    const mine = await own.myAppointments(ctx(req), req.actor);
    return {
      upcoming: mine.upcoming.map((a) => appointmentJson(a, a.cancelRefusal === null)),
      past: mine.past.map((a) => appointmentJson(a, false)),
    };
  });

  r.delete(
    '/api/v1/appointments/:id',
    { config: { audience: 'patient' }, schema: S.cancel },
    async (req, reply) => {
      await own.cancelOwn(ctx(req), req.actor, req.params.id);
      return reply.status(204).send(null);
    },
  );

  // --- Practice staff ---
  r.get(
    '/api/v1/practice/appointments/setup',
    { config: { audience: 'staff' }, schema: S.setup },
    async (req) => setup.setup(ctx(req), req.actor),
  );

  r.post(
    '/api/v1/practice/appointments/practitioners',
    { config: { audience: 'staff' }, schema: S.practitioner },
    async (req, reply) =>
      reply.status(201).send({ id: await setup.addPractitioner(ctx(req), req.actor, req.body) }),
  );

  r.post(
    '/api/v1/practice/appointments/locations',
    { config: { audience: 'staff' }, schema: S.location },
    async (req, reply) =>
      reply.status(201).send({ id: await setup.addLocation(ctx(req), req.actor, req.body) }),
  );

  r.post(
    '/api/v1/practice/appointments/slot-types',
    { config: { audience: 'staff' }, schema: S.slotType },
    async (req, reply) =>
      reply.status(201).send({ id: await setup.addSlotType(ctx(req), req.actor, req.body) }),
  );

  r.put(
    '/api/v1/practice/appointments/rules',
    { config: { audience: 'staff' }, schema: S.rules },
    async (req, reply) => {
      const { version, ...rules } = req.body;
      await setup.updateRules(ctx(req), req.actor, { rules, expectedVersion: version });
      return reply.status(204).send();
    },
  );

  r.post(
    '/api/v1/practice/appointments/sessions',
    { config: { audience: 'staff' }, schema: S.staffSession },
    async (req, reply) => reply.status(201).send(await sessions.addSession(ctx(req), req.actor, req.body)),
  );

  r.get(
    '/api/v1/practice/appointments/book',
    { config: { audience: 'staff' }, schema: S.staffBook },
    async (req) => {
      const rows = await book.appointmentBook(ctx(req), req.actor, {
        from: req.query.from,
        days: req.query.days ?? 1,
        practitionerId: req.query.practitioner,
        locationId: req.query.location,
      });
      return { slots: rows };
    },
  );

  r.post(
    '/api/v1/practice/appointments',
    { config: { audience: 'staff' }, schema: S.staffBookFor },
    async (req, reply) => {
      const a = await book.bookForPatient(ctx(req), req.actor, req.body);
      return reply.status(201).send(appointmentJson(a, true));
    },
  );

  r.post(
    '/api/v1/practice/appointments/:id/actions',
    { config: { audience: 'staff' }, schema: S.staffChange },
    async (req, reply) => {
      const { action, reason = '', toSlotId } = req.body;
      const id = req.params.id;
      if (action === 'cancel') await book.cancelForPatient(ctx(req), req.actor, { id, reason });
      else if (action === 'move') {
        if (!toSlotId)
          throw AppError.invalid([
            { field: 'toSlotId', message: 'Choose the slot to move the appointment to' },
          ]);
        const a = await book.moveAppointment(ctx(req), req.actor, { id, toSlotId, reason });
        return reply.status(201).send(appointmentJson(a, true));
      } else await book.recordStatus(ctx(req), req.actor, { id, to: action });
      return reply.status(204).send();
    },
  );
}
