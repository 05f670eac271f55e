// Practice pages for appointments: the book by day or week, booking a free slot for a patient,
// one appointment (arrived / seen / did not attend, cancel with a reason, move), and set-up
// (sessions, templates, slot types, people, places, online booking rules). No JavaScript needed.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Ctx } from '../platform/context.ts';
import type { AppointmentStatus, Channel, PractitionerRole } from '../platform/db/schema.ts';
import { AppError } from '../platform/http/errors.ts';
import { formBody, handleForm, type FormBody } from '../platform/views/forms.ts';
import * as book from './book-service.ts';
import { appointmentView, dayHeading, slotView } from './present.ts';
import {
  addDays,
  CHANNELS,
  describeRelease,
  isoWeekday,
  localDay,
  NATIONAL_CATEGORIES,
  PRACTITIONER_ROLES,
  spokenTime,
  type PracticeRules,
} from './rules.ts';
import * as setup from './setup-service.ts';

const V = 'appointments/views/';
const DAY = /^\d{4}-\d{2}-\d{2}$/;
const ID = /^[0-9a-f-]{36}$/;
const STATUS_LABEL: Record<string, string> = {
  arrived: 'Arrived',
  seen: 'Seen',
  'did-not-attend': 'Did not attend',
};

function int(v: string | undefined, fallback: number): number {
  const n = Number(v);
  return v !== undefined && v !== '' && Number.isInteger(n) ? n : fallback;
}

export async function appointmentStaffRoutes(app: FastifyInstance): Promise<void> {
  const { db, clock } = app.deps;
  const ctx = (req: FastifyRequest): Ctx => ({ db, clock, meta: req.meta });
  // Every page here is for practice staff: anyone else is sent to the staff sign-in.
  app.addHook('preHandler', async (req: FastifyRequest, reply: FastifyReply) => {
    if (req.actor?.kind !== 'staff')
      await reply.redirect(`/staff/sign-in?next=${encodeURIComponent(req.url)}`);
  });

  // --- The book ---
  app.get<{
    Querystring: { date?: string; view?: string; practitioner?: string; location?: string; done?: string };
  }>('/staff/appointments', { config: { audience: 'staff' }, schema: { hide: true } }, async (req, reply) => {
    const q = req.query;
    const date = q.date && DAY.test(q.date) ? q.date : localDay(clock.now());
    const week = q.view === 'week';
    const from = week ? addDays(date, 1 - isoWeekday(date)) : date;
    const practitionerId = q.practitioner && ID.test(q.practitioner) ? q.practitioner : undefined;
    const locationId = q.location && ID.test(q.location) ? q.location : undefined;
    const rows = await book.appointmentBook(ctx(req), req.actor, {
      from,
      days: week ? 7 : 1,
      practitionerId,
      locationId,
    });
    const { practitioners, locations } = await setup.setup(ctx(req), req.actor);
    const byPerson = new Map<string, { name: string; rows: unknown[][] }>();
    const weekCounts = new Map<
      string,
      { name: string; days: Map<string, { booked: number; free: number }> }
    >();
    for (const r of rows) {
      const day = localDay(r.starts_at);
      const person = byPerson.get(r.practitioner_id) ?? { name: r.practitioner_name, rows: [] };
      person.rows.push([
        { text: spokenTime(r.starts_at) },
        {
          text: `${r.type_name}${r.practice_only ? ' (practice only)' : ''}${r.held_back ? ' (held back)' : ''}`,
        },
        r.patient_id
          ? {
              html: `<a href="/staff/appointments/${r.appointment_id ?? ''}">${escapeHtml(`${r.given_name ?? ''} ${r.family_name ?? ''}`)}</a>`,
            }
          : r.withdrawn
            ? { text: 'Session cancelled' }
            : {
                html: `<a href="/staff/appointments/slots/${r.slot_id}/book">Book<span class="nhsuk-u-visually-hidden"> ${spokenTime(r.starts_at)} with ${escapeHtml(r.practitioner_name)}</span></a>`,
              },
        { text: r.status ? `${r.status}${r.booked_online ? ', booked online' : ''}` : 'Free' },
      ]);
      byPerson.set(r.practitioner_id, person);
      const w = weekCounts.get(r.practitioner_id) ?? {
        name: r.practitioner_name,
        days: new Map<string, { booked: number; free: number }>(),
      };
      const c = w.days.get(day) ?? { booked: 0, free: 0 };
      if (r.appointment_id) c.booked++;
      else if (!r.withdrawn) c.free++;
      w.days.set(day, c);
      weekCounts.set(r.practitioner_id, w);
    }
    const weekDays = Array.from({ length: 7 }, (_, i) => addDays(from, i));
    const sessions = week ? [] : await book.sessionsOn(ctx(req), req.actor, date, 1);
    return reply.page(V + 'staff-book.njk', {
      title: week
        ? `Appointments: week of ${dayHeading(new Date(`${from}T12:00:00Z`))}`
        : `Appointments: ${dayHeading(new Date(`${date}T12:00:00Z`))}`,
      week,
      date,
      prev: addDays(date, week ? -7 : -1),
      next: addDays(date, week ? 7 : 1),
      practitionerId: practitionerId ?? '',
      locationId: locationId ?? '',
      locations: [
        { value: '', text: 'Every location' },
        ...locations.map((l) => ({ value: l.id, text: l.name, selected: l.id === locationId })),
      ],
      practitioners: [
        { value: '', text: 'Everyone' },
        ...practitioners.map((p) => ({ value: p.id, text: p.name, selected: p.id === practitionerId })),
      ],
      people: [...byPerson.values()],
      sessionRows: sessions.map((x) => [
        { text: `${x.start_time} to ${x.end_time}` },
        { text: `${x.practitioner_name}: ${x.type_name}` },
        { text: `${String(x.booked)} booked` },
        x.cancelled_at
          ? { text: `Cancelled: ${x.cancel_reason ?? ''}` }
          : {
              html: `<a href="/staff/appointments/sessions/${x.id}/cancel">Cancel session<span class="nhsuk-u-visually-hidden"> ${x.start_time} ${escapeHtml(x.practitioner_name)}</span></a>`,
            },
      ]),
      weekHead: [
        { text: 'Practitioner' },
        ...weekDays.map((d) => ({ text: dayHeading(new Date(`${d}T12:00:00Z`)) })),
      ],
      weekRows: [...weekCounts.values()].map((w) => [
        { text: w.name },
        ...weekDays.map((d) => {
          const c = w.days.get(d);
          return { text: c ? `${String(c.booked)} booked, ${String(c.free)} free` : '–' };
        }),
      ]),
      flash: q.done,
    });
  });

  // --- Booking a free slot for a patient ---
  const slotPage = async (req: FastifyRequest<{ Params: { slotId: string } }>) => {
    if (!ID.test(req.params.slotId)) throw new AppError('not-found', 'There is no such slot.');
    const slot = await book.slotToBook(ctx(req), req.actor, req.params.slotId);
    return { title: 'Book this slot for a patient', slot: slotView(slot), firstField: 'nhsNumber' };
  };
  app.get<{ Params: { slotId: string } }>(
    '/staff/appointments/slots/:slotId/book',
    { config: { audience: 'staff' }, schema: { hide: true } },
    async (req, reply) => {
      return reply.page(V + 'staff-book-slot.njk', { ...(await slotPage(req)), values: {} });
    },
  );
  app.post<{ Params: { slotId: string } }>(
    '/staff/appointments/slots/:slotId/book',
    { config: { audience: 'staff' }, schema: { hide: true } },
    async (req, reply) => {
      const values = formBody(req.body);
      return handleForm(
        reply,
        V + 'staff-book-slot.njk',
        () => slotPage(req),
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
  const sessionPage = async (req: FastifyRequest<{ Params: { id: string } }>) => {
    if (!ID.test(req.params.id)) throw new AppError('not-found', 'There is no such session.');
    const s = await book.sessionToCancel(ctx(req), req.actor, req.params.id);
    return {
      title: 'Cancel this session',
      session: { ...s, dayText: dayHeading(new Date(`${s.day}T12:00:00Z`)) },
      firstField: 'reason',
    };
  };
  app.get<{ Params: { id: string } }>(
    '/staff/appointments/sessions/:id/cancel',
    { config: { audience: 'staff' }, schema: { hide: true } },
    async (req, reply) =>
      reply.page(V + 'staff-cancel-session.njk', { ...(await sessionPage(req)), values: {} }),
  );
  app.post<{ Params: { id: string } }>(
    '/staff/appointments/sessions/:id/cancel',
    { config: { audience: 'staff' }, schema: { hide: true } },
    async (req, reply) => {
      const values = formBody(req.body);
      return handleForm(
        reply,
        V + 'staff-cancel-session.njk',
        () => sessionPage(req),
        values,
        async () => {
          const page = await sessionPage(req);
          const r = await book.cancelSession(ctx(req), req.actor, req.params.id, values.reason ?? '');
          return reply.redirect(
            `/staff/appointments?date=${page.session.day}&done=${encodeURIComponent(`Session cancelled; ${String(r.cancelledAppointments)} patients told`)}`,
          );
        },
      );
    },
  );

  // --- One appointment ---
  const appointmentPage = async (req: FastifyRequest<{ Params: { id: string } }>) => {
    if (!ID.test(req.params.id)) throw new AppError('not-found', 'There is no such appointment.');
    const v = await book.staffAppointment(ctx(req), req.actor, req.params.id);
    return {
      title: 'Appointment',
      a: appointmentView({ ...v.appointment, cancelRefusal: null }),
      patient: v.patient,
      next: v.next.map((s) => ({ value: s, text: STATUS_LABEL[s] ?? s })),
      canChange: v.appointment.status === 'booked',
      moveTo: v.moveTo.map((s) => {
        const sv = slotView(s);
        return { value: s.id, text: `${sv.when}, ${sv.practitioner}` };
      }),
      firstField: 'reason',
    };
  };
  app.get<{ Params: { id: string }; Querystring: { done?: string } }>(
    '/staff/appointments/:id',
    { config: { audience: 'staff' }, schema: { hide: true } },
    async (req, reply) => {
      return reply.page(V + 'staff-appointment.njk', {
        ...(await appointmentPage(req)),
        values: {},
        flash: req.query.done,
      });
    },
  );
  app.post<{ Params: { id: string } }>(
    '/staff/appointments/:id/status',
    { config: { audience: 'staff' }, schema: { hide: true } },
    async (req, reply) => {
      const status = formBody(req.body).status ?? '';
      if (!(status in STATUS_LABEL))
        throw AppError.invalid([{ field: 'status', message: 'Choose what happened' }]);
      await book.recordStatus(ctx(req), req.actor, req.params.id, status as AppointmentStatus);
      return reply.redirect(`/staff/appointments/${req.params.id}?done=${status}`);
    },
  );
  /** A form on the appointment page: its result is a redirect; a mistake shows the page again with it named. */
  const appointmentForm = (
    action: string,
    run: (req: FastifyRequest<{ Params: { id: string } }>, v: FormBody) => Promise<string>,
  ) =>
    app.post<{ Params: { id: string } }>(
      `/staff/appointments/:id/${action}`,
      { config: { audience: 'staff' }, schema: { hide: true } },
      async (req, reply) => {
        const values = formBody(req.body);
        return handleForm(
          reply,
          V + 'staff-appointment.njk',
          () => appointmentPage(req),
          values,
          async () => reply.redirect(await run(req, values)),
        );
      },
    );
  appointmentForm('cancel', async (req, v) => {
    await book.cancelForPatient(ctx(req), req.actor, req.params.id, v.reason ?? '');
    return `/staff/appointments/${req.params.id}?done=cancelled`;
  });
  appointmentForm('move', async (req, v) => {
    const to = v.toSlotId ?? '';
    if (!ID.test(to)) throw AppError.invalid([{ field: 'toSlotId', message: 'Choose the new time' }]);
    const moved = await book.moveAppointment(ctx(req), req.actor, req.params.id, to, v.moveReason ?? '');
    return `/staff/appointments/${moved.id}?done=moved`;
  });

  // --- Set-up ---
  const setupPage = async (req: FastifyRequest) => {
    const s = await setup.setup(ctx(req), req.actor);
    const opt = (xs: { id: string; name: string }[]) => xs.map((x) => ({ value: x.id, text: x.name }));
    return {
      title: 'Appointment set-up',
      s,
      releaseText: describeRelease(s.rules),
      practitionerItems: opt(s.practitioners),
      locationItems: opt(s.locations),
      typeItems: opt(s.slotTypes.filter((t) => t.active)),
      typeRows: s.slotTypes.map((t) => [
        { text: t.name },
        { text: `${String(t.duration_minutes)} min, ${CHANNELS[t.channel]}` },
        { text: t.practice_only ? 'Practice only' : t.bookable_online ? 'Bookable online' : 'Not online' },
        {
          text:
            t.release_time !== null
              ? describeRelease({ releaseDaysBefore: t.release_days_before, releaseTime: t.release_time })
              : 'Practice rule',
        },
        { text: t.national_category },
      ]),
      roleItems: Object.entries(PRACTITIONER_ROLES).map(([value, text]) => ({ value, text })),
      channelItems: Object.entries(CHANNELS).map(([value, text]) => ({ value, text })),
      categoryItems: NATIONAL_CATEGORIES.map((c) => ({ value: c, text: c })),
      weekdayItems: ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'].map(
        (text, i) => ({ value: String(i + 1), text }),
      ),
      today: localDay(clock.now()),
      firstField: 'form',
    };
  };
  app.get<{ Querystring: { done?: string } }>(
    '/staff/appointments/setup',
    { config: { audience: 'staff' }, schema: { hide: true } },
    async (req, reply) => {
      const page = await setupPage(req);
      return reply.page(V + 'staff-setup.njk', {
        ...page,
        values: rulesValues(page.s.rules),
        flash: req.query.done,
      });
    },
  );

  const post = (path: string, run: (req: FastifyRequest, v: FormBody) => Promise<string>) =>
    app.post(
      `/staff/appointments/setup/${path}`,
      { config: { audience: 'staff' }, schema: { hide: true } },
      async (req, reply) => {
        const values = formBody(req.body);
        return handleForm(
          reply,
          V + 'staff-setup.njk',
          () => setupPage(req),
          values,
          async () =>
            reply.redirect(`/staff/appointments/setup?done=${encodeURIComponent(await run(req, values))}`),
        );
      },
    );

  post('session', async (req, v) => {
    const made = await setup.addSession(ctx(req), req.actor, sessionInput(v));
    return `Session added with ${String(made.slots)} slots`;
  });
  post('template', async (req, v) => {
    const made = await setup.addTemplate(ctx(req), req.actor, {
      ...sessionInput(v),
      weekday: int(v.weekday, 1),
      validFrom: v.day && DAY.test(v.day) ? v.day : localDay(clock.now()),
      validUntil: null,
    });
    return `Weekly session added: ${String(made.sessions)} sessions, ${String(made.slots)} slots in the next two weeks`;
  });
  post('practitioner', async (req, v) => {
    await setup.addPractitioner(ctx(req), req.actor, {
      name: v.name ?? '',
      role: (v.role ?? 'other') as PractitionerRole,
      gender: (v.gender ?? 'not-stated') as 'female' | 'male' | 'not-stated',
    });
    return 'Practitioner added';
  });
  post('location', async (req, v) => {
    await setup.addLocation(ctx(req), req.actor, { name: v.name ?? '', address: v.address ?? null });
    return 'Location added';
  });
  post('slot-type', async (req, v) => {
    const access = v.access ?? 'online';
    await setup.addSlotType(ctx(req), req.actor, {
      name: v.name ?? '',
      durationMinutes: int(v.durationMinutes, 10),
      channel: (v.channel ?? 'face-to-face') as Channel,
      nationalCategory: v.nationalCategory ?? NATIONAL_CATEGORIES[0],
      bookableOnline: access === 'online',
      practiceOnly: access === 'practice-only',
      guidance: v.guidance ?? null,
    });
    return 'Slot type added';
  });
  post('in-use', async (req, v) => {
    const kind = v.kind ?? '';
    if (!['practitioner', 'location', 'slot-type'].includes(kind) || !ID.test(v.id ?? ''))
      throw new AppError('not-found', 'There is no such item at your practice.');
    const active = v.active === 'yes';
    await setup.setInUse(ctx(req), req.actor, kind as setup.Retirable, v.id ?? '', active);
    return active ? 'In use again' : 'No longer in use: no new sessions, not bookable online';
  });
  post('rules', async (req, v) => {
    const release = v.releaseTime
      ? { releaseDaysBefore: int(v.releaseDaysBefore, 0), releaseTime: v.releaseTime }
      : { releaseDaysBefore: null, releaseTime: null };
    const rules: PracticeRules = {
      ...release,
      horizonDays: int(v.horizonDays, 28),
      maxFutureBookings: int(v.maxFutureBookings, 2),
      cancelCutoffMinutes: int(v.cancelCutoffHours, 4) * 60,
      dnaLimit: int(v.dnaLimit, 2),
      dnaWindowDays: int(v.dnaWindowDays, 365),
      guidance: v.guidance ?? '',
      releaseWaves: int(v.releaseWaves, 1),
      waveIntervalMinutes: int(v.waveIntervalMinutes, 60),
      heldBackPercent: int(v.heldBackPercent, 0),
      heldBackReleaseMinutes: int(v.heldBackReleaseMinutes, 120),
    };
    const problems = ruleProblems(rules);
    if (problems.length) throw AppError.invalid(problems);
    await setup.updateRules(ctx(req), req.actor, rules, int(v.version, 0));
    return 'Online booking rules saved';
  });
}

function sessionInput(v: FormBody): setup.SessionInput {
  return {
    practitionerId: v.practitionerId ?? '',
    locationId: v.locationId ?? '',
    slotTypeId: v.slotTypeId ?? '',
    day: v.day && DAY.test(v.day) ? v.day : '',
    start: v.start ?? '',
    end: v.end ?? '',
  };
}

/** The form checks the database would otherwise refuse, with messages that name the field. */
function ruleProblems(r: PracticeRules) {
  const p: { field: string; message: string }[] = [];
  const range = (field: string, v: number, lo: number, hi: number, what: string) => {
    if (v < lo || v > hi) p.push({ field, message: `${what} must be from ${String(lo)} to ${String(hi)}` });
  };
  if (r.releaseTime !== null && !/^([01][0-9]|2[0-3]):[0-5][0-9]$/.test(r.releaseTime))
    p.push({ field: 'releaseTime', message: 'Enter the release time as hours and minutes, like 08:00' });
  range('releaseDaysBefore', r.releaseDaysBefore ?? 0, 0, 90, 'Days before');
  range('horizonDays', r.horizonDays, 0, 365, 'How far ahead');
  range('maxFutureBookings', r.maxFutureBookings, 1, 20, 'Appointments at one time');
  range('cancelCutoffHours', r.cancelCutoffMinutes / 60, 0, 168, 'Cancellation cut-off');
  range('dnaLimit', r.dnaLimit, 0, 20, 'Missed appointments');
  range('releaseWaves', r.releaseWaves, 1, 12, 'Waves');
  range('heldBackPercent', r.heldBackPercent, 0, 100, 'Share held back');
  return p;
}

function rulesValues(r: PracticeRules & { version: number }): FormBody {
  return {
    version: String(r.version),
    releaseTime: r.releaseTime ?? '',
    releaseDaysBefore: String(r.releaseDaysBefore ?? 0),
    horizonDays: String(r.horizonDays),
    maxFutureBookings: String(r.maxFutureBookings),
    cancelCutoffHours: String(r.cancelCutoffMinutes / 60),
    dnaLimit: String(r.dnaLimit),
    dnaWindowDays: String(r.dnaWindowDays),
    guidance: r.guidance,
    releaseWaves: String(r.releaseWaves),
    waveIntervalMinutes: String(r.waveIntervalMinutes),
    heldBackPercent: String(r.heldBackPercent),
    heldBackReleaseMinutes: String(r.heldBackReleaseMinutes),
  };
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${String(c.charCodeAt(0))};`);
}
