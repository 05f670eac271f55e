// The set-up page's forms, both ways: form fields into set-up input (numbers with their
// defaults, the checks the database would otherwise refuse, named by field) and the saved rules
// back into the form's values. Pure.
import { AppError, type FieldError } from '../../platform/http/errors.ts';
import type { FormBody } from '../../platform/views/forms.ts';
import type { PracticeRules } from '../rules.ts';
import type { SessionInput } from './sessions-service.ts';

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** A whole number from a form field, or the fallback when it is empty or not one. */
export function int(v: string | undefined, fallback: number): number {
  const n = Number(v);
  return v !== undefined && v !== '' && Number.isInteger(n) ? n : fallback;
}

/** A day from a form field, or the fallback when it is not one. */
export function dayOr(v: string | undefined, fallback: string): string {
  return v && DAY.test(v) ? v : fallback;
}

export function sessionInput(v: FormBody): SessionInput {
  return {
    practitionerId: v.practitionerId ?? '',
    locationId: v.locationId ?? '',
    slotTypeId: v.slotTypeId ?? '',
    day: dayOr(v.day, ''),
    start: v.start ?? '',
    end: v.end ?? '',
  };
}

export function rulesFromForm(v: FormBody): PracticeRules {
  const release = v.releaseTime
    ? { releaseDaysBefore: int(v.releaseDaysBefore, 0), releaseTime: v.releaseTime }
    : { releaseDaysBefore: null, releaseTime: null };
  return {
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
}

/** The rules form's number fields: what each is called in a message, and its bounds. */
const RULE_NUMBERS: Record<string, { what: string; lo: number; hi: number }> = {
  releaseDaysBefore: { what: 'Days before the appointment', lo: 0, hi: 90 },
  horizonDays: { what: 'How many days ahead patients can book', lo: 0, hi: 365 },
  maxFutureBookings: { what: 'Appointments a patient can have booked online', lo: 1, hi: 20 },
  cancelCutoffHours: { what: 'Hours before an appointment that patients can cancel', lo: 0, hi: 168 },
  dnaLimit: { what: 'Missed appointments', lo: 0, hi: 20 },
  dnaWindowDays: { what: 'Days missed appointments are counted over', lo: 1, hi: 3650 },
  releaseWaves: { what: 'Waves', lo: 1, hi: 12 },
  waveIntervalMinutes: { what: 'Minutes between waves', lo: 5, hi: 720 },
  heldBackPercent: { what: 'Share of slots held back', lo: 0, hi: 100 },
  heldBackReleaseMinutes: { what: 'Minutes before the start that held-back slots open', lo: 0, hi: 2880 },
};

const rangeMessage = (n: { what: string; lo: number; hi: number }) =>
  `${n.what} must be a whole number from ${String(n.lo)} to ${String(n.hi)}`;

/**
 * The form checks the database would otherwise refuse, with messages that name the field. With
 * the form's own values, a number field holding something that is not a whole number is named
 * too (it is never quietly replaced by the default).
 */
export function ruleProblems(r: PracticeRules, v: FormBody = {}): FieldError[] {
  const p: FieldError[] = [];
  if (r.releaseTime !== null && !/^([01][0-9]|2[0-3]):[0-5][0-9]$/.test(r.releaseTime))
    p.push({ field: 'releaseTime', message: 'Enter the release time as hours and minutes, like 08:00' });
  const values: Record<string, number> = {
    releaseDaysBefore: r.releaseDaysBefore ?? 0,
    horizonDays: r.horizonDays,
    maxFutureBookings: r.maxFutureBookings,
    cancelCutoffHours: r.cancelCutoffMinutes / 60,
    dnaLimit: r.dnaLimit,
    dnaWindowDays: r.dnaWindowDays,
    releaseWaves: r.releaseWaves,
    waveIntervalMinutes: r.waveIntervalMinutes,
    heldBackPercent: r.heldBackPercent,
    heldBackReleaseMinutes: r.heldBackReleaseMinutes,
  };
  for (const [field, n] of Object.entries(RULE_NUMBERS)) {
    const raw = v[field];
    const typed = raw !== undefined && raw !== '' && !/^[0-9]+$/.test(raw);
    const value = values[field] ?? 0;
    if (typed || !Number.isInteger(value) || value < n.lo || value > n.hi)
      p.push({ field, message: rangeMessage(n) });
  }
  return p;
}

/** The saved rules as the form shows them. */
export function rulesValues(r: PracticeRules & { version: number }): FormBody {
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

/** Field ids of the set-up page's forms whose field names another form on the page also uses. */
const FIELD_IDS: Record<string, Record<string, string>> = {
  template: {
    practitionerId: 't-practitionerId',
    locationId: 't-locationId',
    slotTypeId: 't-slotTypeId',
    day: 't-day',
    start: 't-start',
    end: 't-end',
  },
  practitioner: { name: 'p-name' },
  location: { name: 'l-name' },
  'slot-type': { guidance: 't-guidance', practiceOnly: 'access', releaseTime: 'access' },
};

/** The page's id of a form's field, so the error summary links to the field in that form. */
export function fieldId(form: string, field: string): string {
  return FIELD_IDS[form]?.[field] ?? field;
}

/** Runs one set-up form; its mistakes are named at that form's fields. */
export async function inForm<T>(form: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (!(err instanceof AppError) || err.code !== 'invalid' || !err.fields.length) throw err;
    throw AppError.invalid(err.fields.map((f) => ({ ...f, field: fieldId(form, f.field) })));
  }
}
