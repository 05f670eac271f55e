// Patient pages for appointments: choose a type, read the guidance, find a free time, confirm,
// see upcoming and past appointments, cancel. Plain links and forms: no JavaScript needed.
import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Value } from 'typebox/value';
import type { Ctx } from '../../platform/context.ts';
import { AppError } from '../../platform/http/errors.ts';
import { formFields, Type, typed } from '../../platform/http/schema.ts';
import { formBody } from '../../platform/views/forms.ts';
import { Alternatives } from '../api-schemas.ts';
import { alternativeView, appointmentView, byDay, slotView } from '../present.ts';
import { addDays, CHANNELS, isChannel, localDay } from '../rules.ts';
import * as own from './appointments-service.ts';
import * as booking from './service.ts';

const V = 'appointments/views/patient/';
const DAY = /^\d{4}-\d{2}-\d{2}$/;
const ID = /^[0-9a-f-]{36}$/;

// Page query strings are lenient: a value that is not one of ours is ignored, as a link may be old.
const text = Type.Optional(Type.String());
const ListQuery = Type.Object({ cancelled: text });
const ChooseQuery = Type.Object({ channel: text });
const SlotsQuery = Type.Object({ type: text, from: text, practitioner: text, channel: text });
const ConfirmQuery = Type.Object({ slot: text });
const AppointmentQuery = Type.Object({ booked: text });
const IdParams = Type.Object({ id: Type.String() });
const BookForm = formFields('slot', 'reason', 'idempotencyKey');

/** The channel named in a query string, if it is one. */
const channelOf = (v: string | undefined) => (isChannel(v) ? v : undefined);

function appointmentId(id: string): string {
  if (!ID.test(id)) throw new AppError('not-found', 'There is no such appointment.');
  return id;
}

export async function appointmentPatientRoutes(app: FastifyInstance): Promise<void> {
  const { db, clock } = app.deps;
  const ctx = (req: FastifyRequest): Ctx => ({ db, clock, meta: req.meta });
  const r = typed(app);
  const page = { config: { audience: 'patient' }, schema: { hide: true } } as const;

  r.get(
    '/patient/appointments',
    { ...page, schema: { hide: true, querystring: ListQuery } },
    async (req, reply) => {
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

  r.get(
    '/patient/appointments/book',
    { ...page, schema: { hide: true, querystring: ChooseQuery } },
    async (req, reply) => {
      const all = await booking.bookableTypes(ctx(req), req.actor);
      const channel = channelOf(req.query.channel) ?? null;
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
          ...Object.entries(CHANNELS)
            .filter(([c]) => isChannel(c) && offered.has(c))
            .map(([value, text]) => ({ value, text, selected: value === channel })),
        ],
        backHref: '/patient/appointments',
      });
    },
  );

  r.get(
    '/patient/appointments/book/slots',
    { ...page, schema: { hide: true, querystring: SlotsQuery } },
    async (req, reply) => {
      const q = req.query;
      const types = await booking.bookableTypes(ctx(req), req.actor);
      const type = types.find((t) => t.id === q.type);
      if (!type) return reply.redirect('/patient/appointments/book');
      const today = localDay(clock.now());
      const from = q.from && DAY.test(q.from) && q.from >= today ? q.from : today;
      const channel = channelOf(q.channel);
      const slots = await booking.findSlots(ctx(req), req.actor, {
        from,
        slotTypeId: type.id,
        practitionerId: q.practitioner && ID.test(q.practitioner) ? q.practitioner : undefined,
        channel,
        limit: 300,
      });
      const everyone = await booking.findSlots(ctx(req), req.actor, {
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

  r.get(
    '/patient/appointments/book/confirm',
    { ...page, schema: { hide: true, querystring: ConfirmQuery } },
    async (req, reply) => {
      const slotId = req.query.slot ?? '';
      if (!ID.test(slotId)) throw new AppError('not-found', 'There is no such appointment.');
      const p = await booking.previewBooking(ctx(req), req.actor, slotId);
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

  r.post(
    '/patient/appointments/book',
    {
      config: { audience: 'patient' },
      schema: { hide: true, body: BookForm },
    },
    async (req, reply) => {
      const values = formBody(req.body);
      const slotId = values.slot ?? '';
      if (!ID.test(slotId)) throw new AppError('not-found', 'There is no such appointment.');
      try {
        const b = await booking.bookOwn(ctx(req), req.actor, {
          slotId,
          reason: values.reason,
          idempotencyKey:
            values.idempotencyKey && ID.test(values.idempotencyKey)
              ? `page-${values.idempotencyKey}`
              : undefined,
        });
        return await reply.redirect(`/patient/appointments/${b.appointment.id}?booked=1`);
      } catch (err) {
        if (!booking.isBookingRefusal(err)) throw err;
        const alternatives = err.extra.alternatives;
        return reply.status(409).page(V + 'refused.njk', {
          title:
            err.reason === 'slot-taken'
              ? 'This appointment has just been taken'
              : 'You cannot book this appointment online',
          message: err.message,
          reason: err.reason,
          alternatives: Value.Check(Alternatives, alternatives) ? alternatives.map(alternativeView) : [],
          backHref: '/patient/appointments/book',
        });
      }
    },
  );

  r.get(
    '/patient/appointments/:id',
    { ...page, schema: { hide: true, params: IdParams, querystring: AppointmentQuery } },
    async (req, reply) => {
      const a = await own.myAppointment(ctx(req), req.actor, appointmentId(req.params.id));
      return reply.page(V + 'appointment.njk', {
        title: req.query.booked ? 'Appointment booked' : 'Your appointment',
        a: appointmentView(a),
        booked: Boolean(req.query.booked),
        backHref: '/patient/appointments',
      });
    },
  );

  r.get(
    '/patient/appointments/:id/cancel',
    { ...page, schema: { hide: true, params: IdParams } },
    async (req, reply) => {
      const a = await own.myAppointment(ctx(req), req.actor, appointmentId(req.params.id));
      return reply.page(V + 'cancel.njk', {
        title: 'Are you sure you want to cancel this appointment?',
        a: appointmentView(a),
        backHref: `/patient/appointments/${a.id}`,
      });
    },
  );

  r.post(
    '/patient/appointments/:id/cancel',
    {
      config: { audience: 'patient' },
      schema: { hide: true, params: IdParams },
    },
    async (req, reply) => {
      await own.cancelOwn(ctx(req), req.actor, appointmentId(req.params.id));
      return reply.redirect('/patient/appointments?cancelled=1');
    },
  );
}
