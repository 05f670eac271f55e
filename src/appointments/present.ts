// How appointments and slots read on pages: plain words, England time, NHS style.
import { formatInTimeZone } from 'date-fns-tz';
import type { AppointmentRow, FreeSlot } from './store.ts';
import { CHANNELS, PRACTICE_TIME_ZONE, PRACTITIONER_ROLES, spokenTime, spokenWhen } from './rules.ts';

const STATUS_TEXT: Record<string, { text: string; colour: string }> = {
  booked: { text: 'Booked', colour: 'nhsuk-tag--blue' },
  arrived: { text: 'Arrived', colour: 'nhsuk-tag--aqua-green' },
  seen: { text: 'Seen', colour: 'nhsuk-tag--green' },
  'did-not-attend': { text: 'Did not attend', colour: 'nhsuk-tag--red' },
  cancelled: { text: 'Cancelled', colour: 'nhsuk-tag--grey' },
};

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
    status: STATUS_TEXT[a.status] ?? { text: a.status, colour: 'nhsuk-tag--grey' },
    cancelled: a.status === 'cancelled',
    cancelReason: a.cancel_reason,
    cancelledBy: a.cancelled_by_type,
    canCancel: a.cancelRefusal === null,
    cannotCancel: a.cancelRefusal?.message ?? null,
    bookedOnline: a.booked_online,
  };
}
