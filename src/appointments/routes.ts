// Patient pages for appointments: choose a type, read the guidance, find a free time, confirm,
// see upcoming and past appointments, cancel. Plain links and forms: no JavaScript needed.
import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Ctx } from '../platform/context.ts';
import type { Channel } from '../platform/db/schema.ts';
import { AppError } from '../platform/http/errors.ts';
import { formBody } from '../platform/views/forms.ts';
import { appointmentView, byDay, slotView } from './present.ts';
import { addDays, CHANNELS, localDay } from './rules.ts';
import * as own from './mine.ts';
import * as service from './service.ts';

const V = 'appointments/views/';
const DAY = /^\d{4}-\d{2}-\d{2}$/;
const ID = /^[0-9a-f-]{36}$/;

type SlotQuery = { type?: string; from?: string; practitioner?: string; channel?: string };

export async function appointmentPatientRoutes(app: FastifyInstance): Promise<void> {
  const { db, clock } = app.deps;
  const ctx = (req: FastifyRequest): Ctx => ({ db, clock, meta: req.meta });
  const signIn = (reply: FastifyReply, next: string) =>
    reply.redirect(`/patient/sign-in?next=${encodeURIComponent(next)}`);

  app.get<{ Querystring: { cancelled?: string } }>(
    '/patient/appointments',
    { config: { audience: 'patient' }, schema: { hide: true } },
    async (req, reply) => {
      if (req.actor?.kind !== 'patient') return signIn(reply, '/patient/appointments');
      const mine = await own.myAppointments(ctx(req), req.actor);
      return reply.page(V + 'list.njk', {
        title: 'Your appointments',
        upcoming: mine.upcoming.map(appointmentView),
        pastRows: mine.past.slice(0, 50).map((a) => {
          const v = appointmentView(a);
          return [{ text: v.when }, { text: `${v.type} with ${v.practitioner}` }, { text: v.status.text }];
        }),
        flash: req.query.cancelled ? 'Your appointment has been cancelled.' : null,
        backHref: '/patient',
      });
    },
  );

  app.get<{ Querystring: { channel?: string } }>(
    '/patient/appointments/book',
    { config: { audience: 'patient' }, schema: { hide: true } },
    async (req, reply) => {
      if (req.actor?.kind !== 'patient') return signIn(reply, '/patient/appointments/book');
      const all = await service.bookableTypes(ctx(req), req.actor);
      const channel =
        req.query.channel && req.query.channel in CHANNELS ? (req.query.channel as Channel) : null;
      const types = channel ? all.filter((t) => t.channel === channel) : all;
      const offered = new Set(all.map((t) => t.channel));
      return reply.page(V + 'choose-type.njk', {
        title: 'What type of appointment do you need?',
        typeItems: types.map((t) => ({
          value: t.id,
          text: t.name,
          hint: { text: `${CHANNELS[t.channel]}, ${String(t.durationMinutes)} minutes` },
        })),
        channelItems: [
          { value: '', text: 'Any way' },
          ...(Object.entries(CHANNELS) as [Channel, string][])
            .filter(([c]) => offered.has(c))
            .map(([value, text]) => ({ value, text, selected: value === channel })),
        ],
        backHref: '/patient/appointments',
      });
    },
  );

  app.get<{ Querystring: SlotQuery }>(
    '/patient/appointments/book/slots',
    { config: { audience: 'patient' }, schema: { hide: true } },
    async (req, reply) => {
      if (req.actor?.kind !== 'patient') return signIn(reply, '/patient/appointments/book');
      const q = req.query;
      const types = await service.bookableTypes(ctx(req), req.actor);
      const type = types.find((t) => t.id === q.type);
      if (!type) return reply.redirect('/patient/appointments/book');
      const today = localDay(clock.now());
      const from = q.from && DAY.test(q.from) && q.from >= today ? q.from : today;
      const channel = q.channel && q.channel in CHANNELS ? (q.channel as Channel) : undefined;
      const slots = await service.findSlots(ctx(req), req.actor, {
        from,
        slotTypeId: type.id,
        practitionerId: q.practitioner && ID.test(q.practitioner) ? q.practitioner : undefined,
        channel,
        limit: 300,
      });
      const everyone = await service.findSlots(ctx(req), req.actor, {
        from: today,
        slotTypeId: type.id,
        limit: 500,
      });
      const practitioners = [
        ...new Map(everyone.map((s) => [s.practitioner_id, s.practitioner_name])).entries(),
      ];
      return reply.page(V + 'slots.njk', {
        title: `Choose a time: ${type.name}`,
        type: { ...type, channelText: CHANNELS[type.channel] },
        days: byDay(slots),
        from,
        today,
        next: addDays(from, 14),
        filters: { practitioner: q.practitioner ?? '', channel: channel ?? '' },
        practitioners: practitioners.map(([id, name]) => ({
          value: id,
          text: name,
          selected: id === q.practitioner,
        })),
        backHref: '/patient/appointments/book',
      });
    },
  );

  app.get<{ Querystring: { slot?: string } }>(
    '/patient/appointments/book/confirm',
    { config: { audience: 'patient' }, schema: { hide: true } },
    async (req, reply) => {
      if (req.actor?.kind !== 'patient') return signIn(reply, '/patient/appointments/book');
      const slotId = req.query.slot ?? '';
      if (!ID.test(slotId)) throw new AppError('not-found', 'There is no such appointment.');
      const p = await service.previewBooking(ctx(req), req.actor, slotId);
      return reply.page(V + 'confirm.njk', {
        title: 'Check and confirm your appointment',
        slot: slotView(p.slot),
        guidance: p.guidance,
        refusal: p.refusal,
        // One key per confirmation page: pressing the button twice books once.
        idempotencyKey: randomUUID(),
        values: {},
        backHref: `/patient/appointments/book/slots?type=${p.slot.slot_type_id}`,
      });
    },
  );

  app.post(
    '/patient/appointments/book',
    { config: { audience: 'patient' }, schema: { hide: true } },
    async (req, reply) => {
      if (req.actor?.kind !== 'patient') return signIn(reply, '/patient/appointments/book');
      const values = formBody(req.body);
      const slotId = values.slot ?? '';
      if (!ID.test(slotId)) throw new AppError('not-found', 'There is no such appointment.');
      try {
        const r = await service.bookOwn(ctx(req), req.actor, {
          slotId,
          reason: values.reason,
          idempotencyKey:
            values.idempotencyKey && ID.test(values.idempotencyKey)
              ? `page-${values.idempotencyKey}`
              : undefined,
        });
        return await reply.redirect(`/patient/appointments/${r.appointment.id}?booked=1`);
      } catch (err) {
        if (!(err instanceof service.BookingRefused)) throw err;
        return reply.status(409).page(V + 'refused.njk', {
          title:
            err.reason === 'slot-taken'
              ? 'This appointment has just been taken'
              : 'You cannot book this appointment online',
          message: err.message,
          reason: err.reason,
          alternatives: err.alternatives.map(slotView),
          backHref: '/patient/appointments/book',
        });
      }
    },
  );

  app.get<{ Params: { id: string }; Querystring: { booked?: string } }>(
    '/patient/appointments/:id',
    { config: { audience: 'patient' }, schema: { hide: true } },
    async (req, reply) => {
      if (req.actor?.kind !== 'patient') return signIn(reply, '/patient/appointments');
      if (!ID.test(req.params.id)) throw new AppError('not-found', 'There is no such appointment.');
      const a = await own.myAppointment(ctx(req), req.actor, req.params.id);
      return reply.page(V + 'appointment.njk', {
        title: req.query.booked ? 'Appointment booked' : 'Your appointment',
        a: appointmentView(a),
        booked: Boolean(req.query.booked),
        backHref: '/patient/appointments',
      });
    },
  );

  app.get<{ Params: { id: string } }>(
    '/patient/appointments/:id/cancel',
    { config: { audience: 'patient' }, schema: { hide: true } },
    async (req, reply) => {
      if (req.actor?.kind !== 'patient') return signIn(reply, '/patient/appointments');
      if (!ID.test(req.params.id)) throw new AppError('not-found', 'There is no such appointment.');
      const a = await own.myAppointment(ctx(req), req.actor, req.params.id);
      return reply.page(V + 'cancel.njk', {
        title: 'Are you sure you want to cancel this appointment?',
        a: appointmentView(a),
        backHref: `/patient/appointments/${a.id}`,
      });
    },
  );

  app.post<{ Params: { id: string } }>(
    '/patient/appointments/:id/cancel',
    { config: { audience: 'patient' }, schema: { hide: true } },
    async (req, reply) => {
      if (req.actor?.kind !== 'patient') return signIn(reply, '/patient/appointments');
      if (!ID.test(req.params.id)) throw new AppError('not-found', 'There is no such appointment.');
      await own.cancelOwn(ctx(req), req.actor, req.params.id);
      return reply.redirect('/patient/appointments?cancelled=1');
    },
  );
}
