// The practice's book as view models: the day's tables by practitioner, the week's counts, the
// sessions and one appointment. Pure; links and cells are rendered by the views' macros.
import { appointmentView, dayHeading, slotView } from '../present.ts';
import { addDays, localDay, spokenTime } from '../rules.ts';
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

/** One slot of the day's book: time, type, the patient (or a link to book it), status. */
export function slotRow(r: BookRow): Cell[] {
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
    { text: r.status ? `${r.status}${r.booked_online ? ', booked online' : ''}` : 'Free' },
  ];
}

/** The day's slots, one table a practitioner, in the book's order. */
export function byPractitioner(rows: BookRow[]): { name: string; rows: Cell[][] }[] {
  const people = new Map<string, { name: string; rows: Cell[][] }>();
  for (const r of rows) {
    const person = people.get(r.practitioner_id) ?? { name: r.practitioner_name, rows: [] };
    person.rows.push(slotRow(r));
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

export function sessionRow(x: SessionRow): Cell[] {
  return [
    { text: `${x.start_time} to ${x.end_time}` },
    { text: `${x.practitioner_name}: ${x.type_name}` },
    { text: `${String(x.booked)} booked` },
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
  done: string | undefined;
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
    people: byPractitioner(b.rows),
    sessionRows: b.sessions.map(sessionRow),
    weekHead: weekView.head,
    weekRows: weekView.rows,
    flash: b.done,
  };
}

/** One appointment for staff, with what can be recorded next and where it can move. */
export function appointmentPage(v: {
  appointment: Parameters<typeof appointmentView>[0];
  patient: unknown;
  next: string[];
  moveTo: FreeSlot[];
}) {
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
}

/** The page confirming a session's cancellation. */
export function sessionPage(s: NonNullable<Awaited<ReturnType<typeof session>>>) {
  return { title: 'Cancel this session', session: { ...s, dayText: heading(s.day) }, firstField: 'reason' };
}

/** The page booking a free slot for a patient. */
export function slotPage(slot: FreeSlot) {
  return { title: 'Book this slot for a patient', slot: slotView(slot), firstField: 'nhsNumber' };
}
