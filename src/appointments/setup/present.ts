// The set-up page as a view model: the practice's people, places and slot types as choices and
// rows, the release rule in words, and the reference lists the forms offer. Pure.
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

export function setupPage(s: Setup, today: string) {
  return {
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
