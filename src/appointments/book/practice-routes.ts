// Practice pages of the appointment book: the book by day or week, booking a free slot for a
// patient, cancelling a whole session, and one appointment (arrived / seen / did not attend,
// cancel with a reason, move). No JavaScript needed.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Ctx } from '../../platform/context.ts';
import { AppError, type FieldError } from '../../platform/http/errors.ts';
import { formFields, Type, typed } from '../../platform/http/schema.ts';
import { formBody, handleForm, type FormBody } from '../../platform/views/forms.ts';
import { pageNumber, noSuchPage } from '../../platform/http/paging.ts';
import { staffMay } from '../present.ts';
import { addDays, isIsoDate, isoWeekday, localDay } from '../rules.ts';
import * as setup from '../setup/service.ts';
import { appointmentPage, bookPage, isRecordableStatus, sessionPage, slotPage } from './present.ts';
import * as book from './service.ts';

const V = 'appointments/views/practice/';
const ID = /^[0-9a-f-]{36}$/;

// Page query strings are checked: a value that is not one of ours is named (400), never quietly ignored.
const text = Type.Optional(Type.String());
const BookQuery = Type.Object({
  date: text,
  view: text,
  practitioner: text,
  location: text,
  page: text,
  done: text,
  cancelled: text,
});
const DoneQuery = Type.Object({ done: text });
const SlotParams = Type.Object({ slotId: Type.String() });
const IdParams = Type.Object({ id: Type.String() });
const BookSlotForm = formFields('nhsNumber', 'reason');
const ReasonForm = formFields('reason');
const StatusForm = formFields('status');
const AppointmentForm = formFields('reason', 'toSlotId', 'moveReason');

/** The id in a path, or "not found" (never a database error) when it cannot be one. */
function idOf(id: string, what: string): string {
  if (!ID.test(id)) throw new AppError('not-found', `There is no such ${what}.`);
  return id;
}

/** What is wrong with the book's query string: each value not one of ours is named, never ignored. */
function bookQueryProblems(q: {
  date?: string | undefined;
  view?: string | undefined;
  practitioner?: string | undefined;
  location?: string | undefined;
}): FieldError[] {
  const problems: FieldError[] = [];
  if (q.date && !isIsoDate(q.date))
    problems.push({ field: 'date', message: 'Enter a real date, for example 2026-12-01' });
  if (q.practitioner && !ID.test(q.practitioner))
    problems.push({ field: 'practitioner', message: 'Choose a practitioner from the list' });
  if (q.location && !ID.test(q.location))
    problems.push({ field: 'location', message: 'Choose a location from the list' });
  if (q.view && q.view !== 'day' && q.view !== 'week')
    problems.push({ field: 'view', message: 'Choose to show a day or a week' });
  return problems;
}

export async function bookPracticeRoutes(app: FastifyInstance): Promise<void> {
  const { db, clock } = app.deps;
  const ctx = (req: FastifyRequest): Ctx => ({ db, clock, meta: req.meta });
  const r = typed(app);
  const config = { audience: 'staff' } as const;

  // --- The book ---
  r.get(
    '/staff/appointments',
    { config, schema: { hide: true, querystring: BookQuery } },
    async (req, reply) => {
      const q = req.query;
      // The book is one page a day or week: any other page is past its end.
      if (pageNumber(q.page) > 1) throw noSuchPage(pageNumber(q.page));
      const problems = bookQueryProblems(q);
      if (problems.length) throw AppError.invalid(problems);
      const date = q.date || localDay(clock.now());
      const week = q.view === 'week';
      const from = week ? addDays(date, 1 - isoWeekday(date)) : date;
      const practitionerId = q.practitioner || undefined;
      const locationId = q.location || undefined;
      const rows = await book.appointmentBook(ctx(req), req.actor, {
        from,
        days: week ? 7 : 1,
        practitionerId,
        locationId,
      });
      const { practitioners, locations } = await setup.setup(ctx(req), req.actor);
      const sessions = week ? [] : await book.sessionsOn(ctx(req), req.actor, { fromDay: date, days: 1 });
      return reply.page(
        V + 'book.njk',
        bookPage({
          date,
          week,
          from,
          rows,
          sessions,
          practitioners,
          locations,
          practitionerId,
          locationId,
          done: q,
          may: staffMay(req.actor),
        }),
      );
    },
  );

  // --- Booking a free slot for a patient ---
  const bookSlotPage = async (req: FastifyRequest, slotId: string) =>
    slotPage(await book.slotToBook(ctx(req), req.actor, idOf(slotId, 'slot')));
  r.get(
    '/staff/appointments/slots/:slotId/book',
    { config, schema: { hide: true, params: SlotParams } },
    async (req, reply) =>
      reply.page(V + 'book-slot.njk', { ...(await bookSlotPage(req, req.params.slotId)), values: {} }),
  );
  r.post(
    '/staff/appointments/slots/:slotId/book',
    { config, schema: { hide: true, params: SlotParams, body: BookSlotForm } },
    async (req, reply) => {
      const values = formBody(req.body);
      return handleForm(
        reply,
        V + 'book-slot.njk',
        () => bookSlotPage(req, req.params.slotId),
        values,
        async () => {
          const patientId = await book.patientByNhsNumber(ctx(req), req.actor, values.nhsNumber ?? '');
          const a = await book.bookForPatient(ctx(req), req.actor, {
            slotId: req.params.slotId,
            patientId,
            reason: values.reason ?? null,
          });
          return reply.redirect(`/staff/appointments/${a.id}?done=booked`);
        },
      );
    },
  );

  // --- Cancelling a whole session ---
  const cancelSessionPage = async (req: FastifyRequest, id: string) =>
    sessionPage(await book.sessionToCancel(ctx(req), req.actor, idOf(id, 'session')));
  r.get(
    '/staff/appointments/sessions/:id/cancel',
    { config, schema: { hide: true, params: IdParams } },
    async (req, reply) =>
      reply.page(V + 'cancel-session.njk', { ...(await cancelSessionPage(req, req.params.id)), values: {} }),
  );
  r.post(
    '/staff/appointments/sessions/:id/cancel',
    { config, schema: { hide: true, params: IdParams, body: ReasonForm } },
    async (req, reply) => {
      const values = formBody(req.body);
      return handleForm(
        reply,
        V + 'cancel-session.njk',
        () => cancelSessionPage(req, req.params.id),
        values,
        async () => {
          const page = await cancelSessionPage(req, req.params.id);
          const c = await book.cancelSession(ctx(req), req.actor, {
            sessionId: req.params.id,
            reason: values.reason ?? '',
          });
          return reply.redirect(
            `/staff/appointments?date=${page.session.day}&done=session-cancelled&cancelled=${String(c.cancelledAppointments)}`,
          );
        },
      );
    },
  );

  // --- One appointment ---
  const oneAppointmentPage = async (req: FastifyRequest, id: string, done?: string) =>
    appointmentPage({
      ...(await book.staffAppointment(ctx(req), req.actor, idOf(id, 'appointment'))),
      may: staffMay(req.actor),
      done,
    });
  r.get(
    '/staff/appointments/:id',
    { config, schema: { hide: true, params: IdParams, querystring: DoneQuery } },
    async (req, reply) =>
      reply.page(V + 'appointment.njk', {
        ...(await oneAppointmentPage(req, req.params.id, req.query.done)),
        values: {},
      }),
  );
  r.post(
    '/staff/appointments/:id/status',
    { config, schema: { hide: true, params: IdParams, body: StatusForm } },
    async (req, reply) => {
      const status = formBody(req.body).status ?? '';
      if (!isRecordableStatus(status))
        throw AppError.invalid([{ field: 'status', message: 'Choose what happened' }]);
      await book.recordStatus(ctx(req), req.actor, { id: req.params.id, to: status });
      return reply.redirect(`/staff/appointments/${req.params.id}?done=${status}`);
    },
  );
  /** A form on the appointment page: its result is a redirect; a mistake shows the page again with it named. */
  const appointmentForm = (
    action: string,
    run: (req: FastifyRequest, id: string, v: FormBody) => Promise<string>,
  ) =>
    r.post(
      `/staff/appointments/:id/${action}`,
      { config, schema: { hide: true, params: IdParams, body: AppointmentForm } },
      async (req, reply) => {
        const values = formBody(req.body);
        return handleForm(
          reply,
          V + 'appointment.njk',
          () => oneAppointmentPage(req, req.params.id),
          values,
          async () => reply.redirect(await run(req, req.params.id, values)),
        );
      },
    );
  appointmentForm('cancel', async (req, id, v) => {
    await book.cancelForPatient(ctx(req), req.actor, { id, reason: v.reason ?? '' });
    return `/staff/appointments/${id}?done=cancelled`;
  });
  appointmentForm('move', async (req, id, v) => {
    const to = v.toSlotId ?? '';
    if (!ID.test(to)) throw AppError.invalid([{ field: 'toSlotId', message: 'Choose the new time' }]);
    const moved = await book.moveAppointment(ctx(req), req.actor, {
      id,
      toSlotId: to,
      reason: v.moveReason ?? '',
    });
    return `/staff/appointments/${moved.id}?done=moved`;
  });
}
