// How appointments and slots read on pages, in messages and as JSON: plain words, England time, NHS style.
import { formatInTimeZone } from 'date-fns-tz';
import type { Actor } from '../platform/auth/actor.ts';
import { can } from '../platform/auth/permissions.ts';
import { permissions } from './permissions.ts';
import type { AppointmentRow, FreeSlot } from './store.ts';
import { CHANNELS, PRACTICE_TIME_ZONE, PRACTITIONER_ROLES, spokenTime, spokenWhen } from './rules.ts';

const STATUS_TEXT: Record<string, { text: string; colour: string }> = {
  booked: { text: 'Booked', colour: 'nhsuk-tag--blue' },
  arrived: { text: 'Arrived', colour: 'nhsuk-tag--aqua-green' },
  seen: { text: 'Seen', colour: 'nhsuk-tag--green' },
  'did-not-attend': { text: 'Did not attend', colour: 'nhsuk-tag--red' },
  cancelled: { text: 'Cancelled', colour: 'nhsuk-tag--grey' },
};

/** An appointment's status in words ("Did not attend"), never its code. */
export function statusText(status: string): string {
  return STATUS_TEXT[status]?.text ?? 'Unknown';
}

/** What this member of staff may do on the appointment pages: each action is shown only to those who may use it. */
export function staffMay(actor: Actor | null) {
  const ods = actor?.kind === 'staff' ? actor.practiceOds : null;
  return {
    setUp: can(actor, permissions.setUp, ods),
    manageSessions: can(actor, permissions.manageSessions, ods),
    bookForPatient: can(actor, permissions.bookForPatient, ods),
    recordAttendance: can(actor, permissions.recordAttendance, ods),
  };
}
export type StaffMay = ReturnType<typeof staffMay>;

/** "1 slot", "4 slots". */
export function count(n: number, one: string, many = `${one}s`): string {
  return `${String(n)} ${n === 1 ? one : many}`;
}

export function dayHeading(at: Date): string {
  return formatInTimeZone(at, PRACTICE_TIME_ZONE, 'EEEE d MMMM');
}

export function slotView(s: FreeSlot) {
  return {
    id: s.id,
    day: dayHeading(s.starts_at),
    time: spokenTime(s.starts_at),
    when: spokenWhen(s.starts_at),
    type: s.type_name,
    channel: CHANNELS[s.channel],
    practitioner: s.practitioner_name,
    role: PRACTITIONER_ROLES[s.practitioner_role],
    location: s.location_name,
  };
}

/** Slots grouped by day, in order, for a page that lists them under day headings. */
export function byDay(slots: FreeSlot[]): { day: string; slots: ReturnType<typeof slotView>[] }[] {
  const days: { day: string; slots: ReturnType<typeof slotView>[] }[] = [];
  for (const s of slots.map(slotView)) {
    const last = days.at(-1);
    if (last?.day === s.day) last.slots.push(s);
    else days.push({ day: s.day, slots: [s] });
  }
  return days;
}

export function appointmentView(a: AppointmentRow & { cancelRefusal?: { message: string } | null }) {
  return {
    id: a.id,
    when: spokenWhen(a.starts_at),
    type: a.type_name,
    channel: CHANNELS[a.channel],
    practitioner: a.practitioner_name,
    location: a.location_name,
    address: a.location_address,
    reason: a.reason,
    status: STATUS_TEXT[a.status] ?? { text: 'Unknown', colour: 'nhsuk-tag--grey' },
    cancelled: a.status === 'cancelled',
    cancelReason: a.cancel_reason,
    cancelledBy: a.cancelled_by_type,
    canCancel: a.cancelRefusal === null,
    cannotCancel: a.cancelRefusal?.message ?? null,
    bookedOnline: a.booked_online,
  };
}

/** A slot offered instead of a taken one, from the refusal's JSON alternatives. */
export function alternativeView(s: {
  id: string;
  start: string;
  practitioner: { name: string };
  location: { name: string };
}) {
  return {
    id: s.id,
    when: spokenWhen(new Date(s.start)),
    practitioner: s.practitioner.name,
    location: s.location.name,
  };
}

/** What a confirmation or cancellation message says about the appointment. */
export function messageFields(a: AppointmentRow): Record<string, string> {
  return {
    when: spokenWhen(a.starts_at),
    what: a.type_name,
    with: a.practitioner_name,
    where: a.location_name,
  };
}

// --- JSON (the API's shapes: api-schemas.ts) -----------------------------------------------------

export function slotJson(s: FreeSlot) {
  return {
    id: s.id,
    start: s.starts_at.toISOString(),
    end: s.ends_at.toISOString(),
    type: { id: s.slot_type_id, name: s.type_name, channel: s.channel },
    practitioner: {
      id: s.practitioner_id,
      name: s.practitioner_name,
      role: s.practitioner_role,
      gender: s.practitioner_gender,
    },
    location: { id: s.location_id, name: s.location_name },
  };
}

export function appointmentJson(a: AppointmentRow, canCancel: boolean) {
  return {
    id: a.id,
    status: a.status,
    start: a.starts_at.toISOString(),
    end: a.ends_at.toISOString(),
    type: a.type_name,
    channel: a.channel,
    practitioner: a.practitioner_name,
    location: a.location_name,
    reason: a.reason,
    booked_online: a.booked_online,
    booked_at: a.booked_at.toISOString(),
    cancel_reason: a.cancel_reason,
    cancelled_by: a.cancelled_by_type,
    can_cancel: canCancel,
  };
}
