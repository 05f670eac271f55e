// Online booking rules (domain.md §5.1–§5.4), pure: no I/O, no clock of their own. Slot times,
// release (a time on the day or N days before; waves; a share held back for telephone and NHS 111
// booking), booking horizon, per-patient limit, cancellation cut-off and the missed-appointment
// lock-out. Practices work in England's wall-clock time, so days and times are Europe/London.
import { formatInTimeZone, fromZonedTime } from 'date-fns-tz';
import type { Channel, PractitionerRole } from '../platform/db/schema.ts';
import { addDays, englandDay, isIsoDate } from '../platform/dates.ts';

export const PRACTICE_TIME_ZONE = 'Europe/London';
const MINUTE = 60_000;

// --- Days and times in the practice's time zone ------------------------------------------------

/** The instant of a wall-clock time ('HH:MM') on a day ('YYYY-MM-DD') in England. */
export function localInstant(day: string, time: string): Date {
  return fromZonedTime(`${day}T${time}:00`, PRACTICE_TIME_ZONE);
}

/** England's day of an instant (the platform's one helper). */
export const localDay = englandDay;

export function localTime(at: Date): string {
  return formatInTimeZone(at, PRACTICE_TIME_ZONE, 'HH:mm');
}

export { addDays, isIsoDate };

/** ISO weekday: Monday 1 … Sunday 7. */
export function isoWeekday(day: string): number {
  const w = new Date(`${day}T00:00:00Z`).getUTCDay();
  return w === 0 ? 7 : w;
}

/** "8am", "10:30am", as NHS style writes times. */
export function spokenTime(at: Date): string {
  const t = formatInTimeZone(at, PRACTICE_TIME_ZONE, 'mm') === '00' ? 'haaa' : 'h:mmaaa';
  return formatInTimeZone(at, PRACTICE_TIME_ZONE, t);
}

/** "Monday 1 December 2026 at 8am". */
export function spokenWhen(at: Date): string {
  return `${formatInTimeZone(at, PRACTICE_TIME_ZONE, 'EEEE d MMMM yyyy')} at ${spokenTime(at)}`;
}

// --- Reference lists ----------------------------------------------------------------------------

export const CHANNELS: Record<Channel, string> = {
  'face-to-face': 'At the surgery',
  telephone: 'By phone',
  video: 'By video call',
  'home-visit': 'Home visit',
};

export function isChannel(v: unknown): v is Channel {
  return typeof v === 'string' && Object.hasOwn(CHANNELS, v);
}

export const PRACTITIONER_ROLES: Record<PractitionerRole, string> = {
  gp: 'GP',
  nurse: 'Practice nurse',
  'healthcare-assistant': 'Healthcare assistant',
  pharmacist: 'Pharmacist',
  physiotherapist: 'Physiotherapist',
  paramedic: 'Paramedic',
  other: 'Other clinician',
};

export function isPractitionerRole(v: unknown): v is PractitionerRole {
  return typeof v === 'string' && Object.hasOwn(PRACTITIONER_ROLES, v);
}

export const GENDERS = ['female', 'male', 'not-stated'] as const;
export function isGender(v: unknown): v is (typeof GENDERS)[number] {
  return GENDERS.some((g) => g === v);
}

/** GPAD national slot categories for care-related encounters (domain.md §5.3), the ones a bookable slot type maps to. */
export const NATIONAL_CATEGORIES = [
  'General Consultation Routine',
  'General Consultation Acute',
  'Clinical Triage',
  'Planned Clinics',
  'Planned Clinical Procedure',
  'Unplanned Clinical Activity',
  'Home Visit',
  'Care Home Visit',
  'Structured Medication Review',
  'Patient contact as part of a Social Prescribing Service',
  'Group Consultation and Group Education',
  'Walk-in',
  'Service provided by organisation external to the practice',
  'Non-contractual chargeable work',
] as const;

// --- Rules ----------------------------------------------------------------------------------------

export type PracticeRules = {
  releaseDaysBefore: number | null;
  releaseTime: string | null;
  horizonDays: number;
  maxFutureBookings: number;
  cancelCutoffMinutes: number;
  dnaLimit: number;
  dnaWindowDays: number;
  guidance: string;
  releaseWaves: number;
  waveIntervalMinutes: number;
  heldBackPercent: number;
  heldBackReleaseMinutes: number;
};

/** The practice's rules before it changes any: open at once, four weeks ahead, two at a time. */
export const DEFAULT_RULES: PracticeRules = {
  releaseDaysBefore: null,
  releaseTime: null,
  horizonDays: 28,
  maxFutureBookings: 2,
  cancelCutoffMinutes: 240,
  dnaLimit: 2,
  dnaWindowDays: 365,
  guidance: '',
  releaseWaves: 1,
  waveIntervalMinutes: 60,
  heldBackPercent: 0,
  heldBackReleaseMinutes: 120,
};

export type SlotTypeRules = {
  bookableOnline: boolean;
  practiceOnly: boolean;
  active: boolean;
  releaseDaysBefore: number | null;
  releaseTime: string | null;
  horizonDays: number | null;
  guidance: string | null;
};

/** A slot type's own release and horizon win over the practice's; the rest is the practice's. */
export function effectiveRules(practice: PracticeRules, type: SlotTypeRules): PracticeRules {
  const ownRelease = type.releaseTime !== null && type.releaseDaysBefore !== null;
  return {
    ...practice,
    releaseDaysBefore: ownRelease ? type.releaseDaysBefore : practice.releaseDaysBefore,
    releaseTime: ownRelease ? type.releaseTime : practice.releaseTime,
    horizonDays: type.horizonDays ?? practice.horizonDays,
    guidance: [practice.guidance, type.guidance ?? ''].filter((g) => g.trim()).join('\n\n'),
  };
}

/** Plain words for a release rule, for staff pages and the patient's "not open yet" message. */
export function describeRelease(r: Pick<PracticeRules, 'releaseDaysBefore' | 'releaseTime'>): string {
  if (r.releaseDaysBefore === null || r.releaseTime === null) return 'as soon as the session is set up';
  const at = spokenTime(localInstant('2000-01-03', r.releaseTime));
  if (r.releaseDaysBefore === 0) return `at ${at} on the day`;
  return `at ${at}, ${String(r.releaseDaysBefore)} day${r.releaseDaysBefore === 1 ? '' : 's'} before`;
}

// --- Sessions and slots ----------------------------------------------------------------------------

export type SlotTime = { startsAt: Date; endsAt: Date };

/** Back-to-back slots of the type's length from the session's start; a remainder shorter than a slot is not used. */
export function slotTimes(day: string, start: string, end: string, durationMinutes: number): SlotTime[] {
  const first = localInstant(day, start).getTime();
  const last = localInstant(day, end).getTime();
  const out: SlotTime[] = [];
  for (let t = first; t + durationMinutes * MINUTE <= last; t += durationMinutes * MINUTE)
    out.push({ startsAt: new Date(t), endsAt: new Date(t + durationMinutes * MINUTE) });
  return out;
}

/** The days of [from, to] a weekly template makes a session on. */
export function templateDays(
  t: { weekday: number; validFrom: string; validUntil: string | null },
  from: string,
  to: string,
): string[] {
  const days: string[] = [];
  const start = from > t.validFrom ? from : t.validFrom;
  const end = t.validUntil !== null && t.validUntil < to ? t.validUntil : to;
  for (let d = start; d <= end; d = addDays(d, 1)) if (isoWeekday(d) === t.weekday) days.push(d);
  return days;
}

/**
 * When each slot of one session opens for online booking, and whether it is held back.
 * - The release rule gives the base time: a time on the day, N days before, or at once.
 * - Fair release spreads a release over `releaseWaves` waves, `waveIntervalMinutes` apart. Slots
 *   go to waves in turn (1st, 2nd, … slot of the session), so each wave has times across the day.
 *   Online patients then do not all compete in the same second, and a patient who cannot book
 *   at 8am still finds some of the same day's slots later.
 * - A held-back share (`heldBackPercent`, spread evenly) is kept for telephone and NHS 111
 *   booking by staff and opens online only `heldBackReleaseMinutes` before it starts, when
 *   unused 111 slots go back to the practice (domain.md §5.1).
 */
export function releasePlan(
  slots: readonly SlotTime[],
  rules: PracticeRules,
  now: Date,
): { releaseAt: Date; heldBack: boolean }[] {
  return slots.map((s, i) => {
    const base =
      rules.releaseDaysBefore === null || rules.releaseTime === null
        ? now
        : localInstant(addDays(localDay(s.startsAt), -rules.releaseDaysBefore), rules.releaseTime);
    const wave = i % Math.max(1, rules.releaseWaves);
    const waved = new Date(base.getTime() + wave * rules.waveIntervalMinutes * MINUTE);
    const p = rules.heldBackPercent;
    const heldBack = Math.floor(((i + 1) * p) / 100) > Math.floor((i * p) / 100);
    if (!heldBack) return { releaseAt: waved, heldBack };
    const late = new Date(s.startsAt.getTime() - rules.heldBackReleaseMinutes * MINUTE);
    return { releaseAt: late > waved ? late : waved, heldBack };
  });
}

// --- Booking and cancelling -------------------------------------------------------------------------

export type Refusal = { reason: string; message: string };

/** Every reason a patient's online booking can be refused, by the rules or by a faster patient. */
export const BOOKING_REFUSALS = [
  'withdrawn',
  'not-bookable-online',
  'missed-appointments',
  'in-the-past',
  'not-released',
  'beyond-horizon',
  'limit-reached',
  'slot-taken',
  'already-booked-by-you',
] as const;

export type BookingRefusal = { reason: (typeof BOOKING_REFUSALS)[number]; message: string };

export type BookingCheck = {
  now: Date;
  slot: { startsAt: Date; releaseAt: Date; withdrawn?: boolean };
  type: Pick<SlotTypeRules, 'bookableOnline' | 'practiceOnly' | 'active'>;
  rules: PracticeRules;
  /** The patient's live future appointments booked online. */
  futureOnlineBookings: number;
  /** Appointments the patient did not attend within the rules' window. */
  recentMissed: number;
};

/** Why a patient may not book this slot online now, or null. Checked again under lock when booking. */
export function bookingRefusal(c: BookingCheck): BookingRefusal | null {
  if (c.slot.withdrawn)
    return {
      reason: 'withdrawn',
      message:
        'This appointment is no longer available: the practice has cancelled the session. Choose another time.',
    };
  if (!c.type.active || c.type.practiceOnly || !c.type.bookableOnline)
    return {
      reason: 'not-bookable-online',
      message: 'This type of appointment cannot be booked online. Contact your GP practice to book it.',
    };
  if (c.rules.dnaLimit > 0 && c.recentMissed >= c.rules.dnaLimit)
    return {
      reason: 'missed-appointments',
      message:
        'Online booking is switched off for you because of missed appointments. Contact your GP practice to book.',
    };
  if (c.slot.startsAt <= c.now)
    return { reason: 'in-the-past', message: 'This appointment time has passed. Choose another time.' };
  if (c.slot.releaseAt > c.now)
    return {
      reason: 'not-released',
      message: `This appointment is not open for online booking yet. It opens on ${spokenWhen(c.slot.releaseAt)}.`,
    };
  if (localDay(c.slot.startsAt) > addDays(localDay(c.now), c.rules.horizonDays))
    return {
      reason: 'beyond-horizon',
      message: `Your GP practice lets you book online up to ${String(c.rules.horizonDays)} days ahead. Choose an earlier time.`,
    };
  if (c.futureOnlineBookings >= c.rules.maxFutureBookings)
    return {
      reason: 'limit-reached',
      message: `You already have ${String(c.futureOnlineBookings)} appointment${c.futureOnlineBookings === 1 ? '' : 's'} booked online, the most your GP practice allows at one time. Cancel one to book another.`,
    };
  return null;
}

/** The message when another patient booked the slot first. */
export const SLOT_TAKEN: BookingRefusal = {
  reason: 'slot-taken',
  message: 'This appointment has just been taken by someone else.',
};

/** The longest reason a patient (or the practice) can give for an appointment, in characters. */
export const MAX_REASON = 500;

/**
 * The reason as it is kept: trimmed, line breaks as one character each (as the character count
 * counts them; a browser sends CR LF), or null when there is none. Longer than `MAX_REASON` is
 * refused, never cut short.
 */
export function bookingReason(raw: string | null | undefined): { reason: string | null; tooLong: boolean } {
  const reason = (raw ?? '').replace(/\r\n?/g, '\n').trim();
  if (!reason) return { reason: null, tooLong: false };
  return { reason, tooLong: reason.length > MAX_REASON };
}

/** The message when the patient booked this slot already (Back, then "Confirm booking" again). */
export const ALREADY_BOOKED: BookingRefusal = {
  reason: 'already-booked-by-you',
  message: 'You have already booked this appointment.',
};

function minutesInWords(m: number): string {
  if (m % 1440 === 0) return `${String(m / 1440)} day${m === 1440 ? '' : 's'}`;
  if (m % 60 === 0) return `${String(m / 60)} hour${m === 60 ? '' : 's'}`;
  return `${String(m)} minutes`;
}

/** Why a patient may not cancel this appointment online now, or null. */
export function cancelRefusal(c: {
  now: Date;
  startsAt: Date;
  status: string;
  cutoffMinutes: number;
}): Refusal | null {
  if (c.status !== 'booked')
    return { reason: 'not-cancellable', message: 'This appointment can no longer be cancelled.' };
  if (c.startsAt <= c.now)
    return { reason: 'in-the-past', message: 'This appointment has already started or passed.' };
  if (c.startsAt.getTime() - c.now.getTime() < c.cutoffMinutes * MINUTE)
    return {
      reason: 'past-cut-off',
      message: `Appointments can only be cancelled online up to ${minutesInWords(c.cutoffMinutes)} before they start. Call your GP practice to cancel this one.`,
    };
  return null;
}

/** What staff may record next: arrival at any time; seen (phone and video need no arrival) or did not attend once it has started. */
export function nextStatuses(status: string, startsAt: Date, now: Date): string[] {
  if (status === 'booked') return startsAt <= now ? ['arrived', 'seen', 'did-not-attend'] : ['arrived'];
  if (status === 'arrived') return ['seen'];
  return [];
}
