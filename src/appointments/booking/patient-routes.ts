// Patient pages for appointments: choose a type, read the guidance, find a free time, confirm,
// see upcoming and past appointments, cancel. Plain links and forms: no JavaScript needed.
import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Value } from 'typebox/value';
import type { Ctx } from '../../platform/context.ts';
import { AppError, type FieldError } from '../../platform/http/errors.ts';
import { formFields, Type, typed } from '../../platform/http/schema.ts';
import { errorContext, formBody, handleForm } from '../../platform/views/forms.ts';
import { Alternatives } from '../api-schemas.ts';
import { pageNumber, pageOf } from '../../platform/http/paging.ts';
import { alternativeView, appointmentView, byDay, slotView } from '../present.ts';
import { addDays, CHANNELS, isChannel, isIsoDate, localDay, MAX_REASON } from '../rules.ts';
import * as own from './appointments-service.ts';
import * as booking from './service.ts';

const V = 'appointments/views/patient/';
const ID = /^[0-9a-f-]{36}$/;

// Page query strings are checked: a value that is not one of ours is named (400), never quietly ignored.
const text = Type.Optional(Type.String());
const ListQuery = Type.Object({ cancelled: text, page: text });
/** Past and cancelled appointments a page. */
const PAST_PAGE_SIZE = 20;
const ChooseQuery = Type.Object({ channel: text });
const SlotsQuery = Type.Object({ type: text, from: text, practitioner: text, channel: text });
const ConfirmQuery = Type.Object({ slot: text });
const AppointmentQuery = Type.Object({ booked: text, already: text });
const IdParams = Type.Object({ id: Type.String() });
const BookForm = formFields('slot', 'reason', 'idempotencyKey');

const WRONG_CHANNEL: FieldError = {
  field: 'channel',
  message: 'Choose how you would like the appointment from the list',
};

/** A page's error summary and field errors, as `handleForm` gives them (nothing when there are none). */
function withErrors(problems: FieldError[]) {
  if (!problems.length) return {};
  const c = errorContext(problems);
  return { errors: problems, errorMap: c.errors, errorList: c.errorList };
}

/** What is wrong with a search for free times: a date that is not one (or has passed), a person or way not on the lists. */
function slotSearchProblems(
  q: { from?: string | undefined; practitioner?: string | undefined; channel?: string | undefined },
  today: string,
): FieldError[] {
  const problems: FieldError[] = [];
  if (q.from && !isIsoDate(q.from))
    problems.push({ field: 'from', message: 'Enter a real date, for example 2026-12-01' });
  else if (q.from && q.from < today)
    problems.push({ field: 'from', message: 'Enter today’s date or a later one' });
  if (q.practitioner && !ID.test(q.practitioner))
    problems.push({ field: 'practitioner', message: 'Choose who the appointment is with from the list' });
  if (q.channel && !isChannel(q.channel)) problems.push(WRONG_CHANNEL);
  return problems;
}

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
      const n = pageNumber(req.query.page);
      const mine = await own.myAppointments(ctx(req), req.actor);
      const past = pageOf(mine.past, n, PAST_PAGE_SIZE);
      return reply.page(V + 'list.njk', {
        title: 'Your appointments',
        upcoming: mine.upcoming.map(appointmentView),
        pages: {
          previous: past.page > 1 ? `/patient/appointments?page=${String(past.page - 1)}` : null,
          next: past.page < past.pages ? `/patient/appointments?page=${String(past.page + 1)}` : null,
          text: past.pages > 1 ? `Page ${String(past.page)} of ${String(past.pages)}` : null,
        },
        pastRows: past.items.map((a) => {
          const v = appointmentView(a);
          return [{ text: v.when }, { text: `${v.type} with ${v.practitioner}` }, { text: v.status.text }];
        }),
        flash: req.query.cancelled ? 'Your appointment has been cancelled.' : null,
        backHref: '/patient',
      });
    },
  );

  /** The page to choose a type of appointment (and how), with any mistakes named at their fields. */
  const choosePage = async (
    req: FastifyRequest,
    c: { channel: string | undefined; problems: FieldError[] },
  ) => {
    const all = await booking.bookableTypes(ctx(req), req.actor);
    const channel = channelOf(c.channel) ?? null;
    const types = channel ? all.filter((t) => t.channel === channel) : all;
    const offered = new Set(all.map((t) => t.channel));
    return {
      title: 'What type of appointment do you need?',
      typeItems: types.map((t) => ({
        value: t.id,
        text: t.name,
        hint: { text: `${CHANNELS[t.channel]}, ${String(t.durationMinutes)} minutes` },
      })),
      channelItems: [
        { value: '', text: 'Any way' },
        ...Object.entries(CHANNELS)
          .filter(([v]) => isChannel(v) && offered.has(v))
          .map(([value, text]) => ({ value, text, selected: value === channel })),
      ],
      backHref: '/patient/appointments',
      ...withErrors(c.problems),
    };
  };

  r.get(
    '/patient/appointments/book',
    { ...page, schema: { hide: true, querystring: ChooseQuery } },
    async (req, reply) => {
      const channel = req.query.channel;
      const problems = channel && !isChannel(channel) ? [WRONG_CHANNEL] : [];
      return reply
        .status(problems.length ? 400 : 200)
        .page(V + 'choose-type.njk', await choosePage(req, { channel, problems }));
    },
  );

  r.get(
    '/patient/appointments/book/slots',
    { ...page, schema: { hide: true, querystring: SlotsQuery } },
    async (req, reply) => {
      const q = req.query;
      const types = await booking.bookableTypes(ctx(req), req.actor);
      const type = types.find((t) => t.id === q.type);
      // Continue with no type chosen (or one no longer offered): the choice again, with the mistake named.
      if (!type)
        return reply.status(400).page(
          V + 'choose-type.njk',
          await choosePage(req, {
            channel: q.channel,
            problems: [{ field: 'type', message: 'Choose the type of appointment' }],
          }),
        );
      const today = localDay(clock.now());
      const problems = slotSearchProblems(q, today);
      const from = q.from && !problems.some((p) => p.field === 'from') ? q.from : today;
      const channel = channelOf(q.channel);
      const practitionerId = q.practitioner && ID.test(q.practitioner) ? q.practitioner : undefined;
      const slots = problems.length
        ? []
        : await booking.findSlots(ctx(req), req.actor, {
            from,
            slotTypeId: type.id,
            practitionerId,
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
      return reply.status(problems.length ? 400 : 200).page(V + 'slots.njk', {
        title: `Choose a time: ${type.name}`,
        type: { ...type, channelText: CHANNELS[type.channel] },
        days: byDay(slots),
        from: q.from ?? from,
        today,
        next: addDays(from, 14),
        filters: { practitioner: practitionerId ?? '', channel: channel ?? '' },
        practitioners: practitioners.map(([id, name]) => ({
          value: id,
          text: name,
          selected: id === q.practitioner,
        })),
        backHref: '/patient/appointments/book',
        ...withErrors(problems),
      });
    },
  );

  /** The confirmation page of a slot; `key` is the page's Idempotency-Key (a new one unless a mistake is shown again). */
  const confirmPage = async (req: FastifyRequest, c: { slotId: string; key?: string | undefined }) => {
    const p = await booking.previewBooking(ctx(req), req.actor, c.slotId);
    return {
      title: 'Check and confirm your appointment',
      slot: slotView(p.slot),
      guidance: p.guidance,
      refusal: p.refusal,
      mine: p.mine,
      // One key per confirmation page: pressing the button twice books once.
      idempotencyKey: c.key && ID.test(c.key) ? c.key : randomUUID(),
      maxReason: MAX_REASON,
      values: {},
      backHref: `/patient/appointments/book/slots?type=${p.slot.slot_type_id}`,
    };
  };
  const already = (id: string) => `/patient/appointments/${id}?already=1`;

  r.get(
    '/patient/appointments/book/confirm',
    { ...page, schema: { hide: true, querystring: ConfirmQuery } },
    async (req, reply) => {
      const slotId = req.query.slot ?? '';
      if (!ID.test(slotId)) throw new AppError('not-found', 'There is no such appointment.');
      const model = await confirmPage(req, { slotId });
      // Back after booking: the patient's own appointment, not "taken by someone else".
      if (model.mine) return reply.redirect(already(model.mine));
      return reply.page(V + 'confirm.njk', model);
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
      const key = values.idempotencyKey && ID.test(values.idempotencyKey) ? values.idempotencyKey : undefined;
      // The reason as typed (formBody trims it): kept on the page when it is too long.
      const typed = typeof req.body.reason === 'string' ? req.body.reason : values.reason;
      return handleForm(
        reply,
        V + 'confirm.njk',
        () => confirmPage(req, { slotId, key }),
        { ...values, reason: typed },
        async () => {
          try {
            const b = await booking.bookOwn(ctx(req), req.actor, {
              slotId,
              reason: typed,
              idempotencyKey: key ? `page-${key}` : undefined,
            });
            return await reply.redirect(`/patient/appointments/${b.appointment.id}?booked=1`);
          } catch (err) {
            if (!booking.isBookingRefusal(err)) throw err;
            const mine = booking.alreadyBookedId(err);
            if (mine) return reply.redirect(already(mine));
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
    },
  );

  r.get(
    '/patient/appointments/:id',
    { ...page, schema: { hide: true, params: IdParams, querystring: AppointmentQuery } },
    async (req, reply) => {
      const a = await own.myAppointment(ctx(req), req.actor, appointmentId(req.params.id));
      const already = Boolean(req.query.already) && !req.query.booked;
      return reply.page(V + 'appointment.njk', {
        title: req.query.booked
          ? 'Appointment booked'
          : already
            ? 'You have already booked this appointment'
            : 'Your appointment',
        a: appointmentView(a),
        booked: Boolean(req.query.booked),
        already,
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
