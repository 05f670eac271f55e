// The set-up page as a view model: the practice's people, places and slot types as choices and
// rows, the release rule in words, and the reference lists the forms offer. Pure.
import { count, type StaffMay } from '../present.ts';
import { CHANNELS, describeRelease, NATIONAL_CATEGORIES, PRACTITIONER_ROLES } from '../rules.ts';
import { rulesValues } from './forms.ts';
import type { setup } from './service.ts';

type Setup = Awaited<ReturnType<typeof setup>>;

const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

const options = (xs: { id: string; name: string }[]) => xs.map((x) => ({ value: x.id, text: x.name }));

export function slotTypeRow(t: Setup['slotTypes'][number]): { text: string }[] {
  return [
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
  ];
}

/** What a set-up form did, as its redirect's query string: a code and any counts. */
export type Done = Record<string, string>;

const SETUP_DONE: Record<string, string> = {
  practitioner: 'Practitioner added.',
  location: 'Location added.',
  'slot-type': 'Slot type added.',
  'in-use': 'In use again.',
  'not-in-use': 'No longer in use. It cannot be used for new sessions or booked online.',
  rules: 'Online booking rules saved.',
};

/** What the set-up page says after a form, from its query string; a code not ours says nothing. */
export function setupDone(q: {
  done?: string | undefined;
  sessions?: string | undefined;
  slots?: string | undefined;
}): string | null {
  const n = (v: string | undefined) => (v && /^[0-9]{1,6}$/.test(v) ? Number(v) : null);
  const slots = n(q.slots);
  const sessions = n(q.sessions);
  if (q.done === 'session')
    return slots === null ? 'Session added.' : `Session added with ${count(slots, 'slot')}.`;
  if (q.done === 'template')
    return sessions === null || slots === null
      ? 'Weekly session added.'
      : `Weekly session added. In the next 2 weeks it makes ${count(sessions, 'session')} with ${count(slots, 'slot')}.`;
  return q.done && Object.hasOwn(SETUP_DONE, q.done) ? (SETUP_DONE[q.done] ?? null) : null;
}

export function setupPage(s: Setup, at: { today: string; may: StaffMay }) {
  const { today, may } = at;
  return {
    // Sessions are for whoever runs the book; the practice's policy (rules, types, people, places) for its manager.
    mayManageSessions: may.manageSessions,
    maySetUp: may.setUp,
    title: 'Appointment set-up',
    s,
    releaseText: describeRelease(s.rules),
    ruleValues: rulesValues(s.rules),
    practitionerItems: options(s.practitioners),
    locationItems: options(s.locations),
    typeItems: options(s.slotTypes.filter((t) => t.active)),
    typeRows: s.slotTypes.map(slotTypeRow),
    roleItems: Object.entries(PRACTITIONER_ROLES).map(([value, text]) => ({ value, text })),
    channelItems: Object.entries(CHANNELS).map(([value, text]) => ({ value, text })),
    categoryItems: NATIONAL_CATEGORIES.map((c) => ({ value: c, text: c })),
    weekdayItems: WEEKDAYS.map((text, i) => ({ value: String(i + 1), text })),
    today,
    firstField: 'practitionerId',
  };
}
