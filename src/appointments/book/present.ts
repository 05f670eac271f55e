// The practice's book as view models: the day's tables by practitioner, the week's counts, the
// sessions and one appointment. Pure; links and cells are rendered by the views' macros.
import { appointmentView, count, dayHeading, slotView, statusText, type StaffMay } from '../present.ts';
import { addDays, localDay, MAX_REASON, spokenTime } from '../rules.ts';
import type { FreeSlot } from '../store.ts';
import type { book, session } from './store.ts';

/** A link in a table cell; `hidden` is read out after the text, for screen readers only. */
export type Link = { href: string; text: string; hidden?: string };
export type Cell = { text: string } | { link: Link };

type BookRow = Awaited<ReturnType<typeof book>>[number];
type SessionRow = {
  id: string;
  start_time: string;
  end_time: string;
  practitioner_name: string;
  type_name: string;
  booked: number;
  cancelled_at: Date | null;
  cancel_reason: string | null;
};
type Choice = { id: string; name: string };

const STATUS_LABEL: Record<string, string> = {
  arrived: 'Arrived',
  seen: 'Seen',
  'did-not-attend': 'Did not attend',
};

/** The statuses staff record from the appointment page. */
export function isRecordableStatus(s: string): s is 'arrived' | 'seen' | 'did-not-attend' {
  return Object.hasOwn(STATUS_LABEL, s);
}

const heading = (day: string) => dayHeading(new Date(`${day}T12:00:00Z`));

/** What the appointment page says after an action, by the code in its `?done=`; another code says nothing. */
const APPOINTMENT_DONE: Record<string, string> = {
  booked: 'Appointment booked.',
  cancelled: 'Appointment cancelled.',
  moved: 'Appointment moved to this time.',
  arrived: 'Marked as arrived.',
  seen: 'Marked as seen.',
  'did-not-attend': 'Marked as did not attend.',
};

export function appointmentDone(code: string | undefined): string | null {
  return code && Object.hasOwn(APPOINTMENT_DONE, code) ? (APPOINTMENT_DONE[code] ?? null) : null;
}

/** What the book says after a session was cancelled (`?done=session-cancelled&cancelled=N`). */
export function bookDone(q: { done?: string | undefined; cancelled?: string | undefined }): string | null {
  if (q.done !== 'session-cancelled') return null;
  const n = q.cancelled && /^[0-9]{1,6}$/.test(q.cancelled) ? Number(q.cancelled) : null;
  if (n === null) return 'Session cancelled.';
  if (n === 0) return 'Session cancelled. No appointments were booked in it.';
  return `Session cancelled. ${count(n, 'appointment')} in it ${n === 1 ? 'was' : 'were'} cancelled, with your reason.`;
}

/** One slot of the day's book: time, type, the patient (or a link to book it, for those who may), status. */
export function slotRow(r: BookRow, mayBook: boolean): Cell[] {
  const time = spokenTime(r.starts_at);
  const patient: Cell = r.patient_id
    ? {
        link: {
          href: `/staff/appointments/${r.appointment_id ?? ''}`,
          text: `${r.given_name ?? ''} ${r.family_name ?? ''}`,
        },
      }
    : r.withdrawn
      ? { text: 'Session cancelled' }
      : !mayBook
        ? { text: 'No one booked' }
        : {
            link: {
              href: `/staff/appointments/slots/${r.slot_id}/book`,
              text: 'Book',
              hidden: `${time} with ${r.practitioner_name}`,
            },
          };
  return [
    { text: time },
    {
      text: `${r.type_name}${r.practice_only ? ' (practice only)' : ''}${r.held_back ? ' (held back)' : ''}`,
    },
    patient,
    { text: r.status ? `${statusText(r.status)}${r.booked_online ? ' (booked online)' : ''}` : 'Free' },
  ];
}

/** The day's slots, one table a practitioner, in the book's order. */
export function byPractitioner(rows: BookRow[], mayBook: boolean): { name: string; rows: Cell[][] }[] {
  const people = new Map<string, { name: string; rows: Cell[][] }>();
  for (const r of rows) {
    const person = people.get(r.practitioner_id) ?? { name: r.practitioner_name, rows: [] };
    person.rows.push(slotRow(r, mayBook));
    people.set(r.practitioner_id, person);
  }
  return [...people.values()];
}

/** The week from `from`: booked and free slots each day, one row a practitioner. */
export function weekTable(rows: BookRow[], from: string): { head: Cell[]; rows: Cell[][] } {
  const days = Array.from({ length: 7 }, (_, i) => addDays(from, i));
  const counts = new Map<string, { name: string; days: Map<string, { booked: number; free: number }> }>();
  for (const r of rows) {
    const w = counts.get(r.practitioner_id) ?? {
      name: r.practitioner_name,
      days: new Map<string, { booked: number; free: number }>(),
    };
    const day = localDay(r.starts_at);
    const c = w.days.get(day) ?? { booked: 0, free: 0 };
    if (r.appointment_id) c.booked++;
    else if (!r.withdrawn) c.free++;
    w.days.set(day, c);
    counts.set(r.practitioner_id, w);
  }
  return {
    head: [{ text: 'Practitioner' }, ...days.map((d) => ({ text: heading(d) }))],
    rows: [...counts.values()].map((w) => [
      { text: w.name },
      ...days.map((d) => {
        const c = w.days.get(d);
        return { text: c ? `${String(c.booked)} booked, ${String(c.free)} free` : '–' };
      }),
    ]),
  };
}

/** A session of the day; the last cell (cancel it, or why it was cancelled) only for those who may cancel sessions. */
export function sessionRow(x: SessionRow, mayCancel: boolean): Cell[] {
  const cells: Cell[] = [
    { text: `${x.start_time} to ${x.end_time}` },
    { text: `${x.practitioner_name}: ${x.type_name}` },
    { text: `${String(x.booked)} booked` },
  ];
  if (!mayCancel)
    return x.cancelled_at ? [...cells.slice(0, 2), { text: `Cancelled: ${x.cancel_reason ?? ''}` }] : cells;
  return [
    ...cells,
    x.cancelled_at
      ? { text: `Cancelled: ${x.cancel_reason ?? ''}` }
      : {
          link: {
            href: `/staff/appointments/sessions/${x.id}/cancel`,
            text: 'Cancel session',
            hidden: `${x.start_time} ${x.practitioner_name}`,
          },
        },
  ];
}

const choices = (all: string, xs: Choice[], chosen: string | undefined) => [
  { value: '', text: all },
  ...xs.map((x) => ({ value: x.id, text: x.name, selected: x.id === chosen })),
];

/** The book page: a day (with its sessions) or a week, filtered by practitioner and location. */
export function bookPage(b: {
  date: string;
  week: boolean;
  from: string;
  rows: BookRow[];
  sessions: SessionRow[];
  practitioners: Choice[];
  locations: Choice[];
  practitionerId: string | undefined;
  locationId: string | undefined;
  done: { done?: string | undefined; cancelled?: string | undefined };
  may: StaffMay;
}) {
  const { date, week, from } = b;
  const weekView = weekTable(b.rows, from);
  return {
    title: week ? `Appointments: week of ${heading(from)}` : `Appointments: ${heading(date)}`,
    week,
    date,
    prev: addDays(date, week ? -7 : -1),
    next: addDays(date, week ? 7 : 1),
    practitionerId: b.practitionerId ?? '',
    locationId: b.locationId ?? '',
    locations: choices('Every location', b.locations, b.locationId),
    practitioners: choices('Everyone', b.practitioners, b.practitionerId),
    people: byPractitioner(b.rows, b.may.bookForPatient),
    mayCancelSession: b.may.manageSessions,
    maySetUp: b.may.setUp || b.may.manageSessions,
    sessionRows: b.sessions.map((x) => sessionRow(x, b.may.manageSessions)),
    weekHead: weekView.head,
    weekRows: weekView.rows,
    flash: bookDone(b.done),
  };
}

/** One appointment for staff, with what can be recorded next and where it can move. */
export function appointmentPage(v: {
  appointment: Parameters<typeof appointmentView>[0];
  patient: unknown;
  next: string[];
  moveTo: FreeSlot[];
  may: StaffMay;
  done?: string | undefined;
}) {
  return {
    flash: appointmentDone(v.done),
    title: 'Appointment',
    a: appointmentView({ ...v.appointment, cancelRefusal: null }),
    patient: v.patient,
    // Recording what happened, and moving or cancelling, each only for those who may.
    next: v.may.recordAttendance
      ? v.next.map((s) => ({ value: s, text: STATUS_LABEL[s] ?? statusText(s) }))
      : [],
    canChange: v.appointment.status === 'booked' && v.may.bookForPatient,
    moveTo: v.moveTo.map((s) => {
      const sv = slotView(s);
      return { value: s.id, text: `${sv.when}, ${sv.practitioner}` };
    }),
    firstField: 'reason',
    maxReason: MAX_REASON,
  };
}

/** The page confirming a session's cancellation. */
export function sessionPage(s: NonNullable<Awaited<ReturnType<typeof session>>>) {
  return {
    title: 'Cancel this session',
    session: { ...s, dayText: heading(s.day) },
    firstField: 'reason',
    maxReason: MAX_REASON,
  };
}

/** The page booking a free slot for a patient. */
export function slotPage(slot: FreeSlot) {
  return {
    title: 'Book this slot for a patient',
    slot: slotView(slot),
    firstField: 'nhsNumber',
    maxReason: MAX_REASON,
  };
}
