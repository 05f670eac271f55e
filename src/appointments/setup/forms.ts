// The set-up page's forms, both ways: form fields into set-up input (numbers with their
// defaults, the checks the database would otherwise refuse, named by field) and the saved rules
// back into the form's values. Pure.
import type { FieldError } from '../../platform/http/errors.ts';
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

/** The form checks the database would otherwise refuse, with messages that name the field. */
export function ruleProblems(r: PracticeRules): FieldError[] {
  const p: FieldError[] = [];
  const range = (field: string, v: number, bounds: { lo: number; hi: number; what: string }) => {
    const { lo, hi, what } = bounds;
    if (v < lo || v > hi) p.push({ field, message: `${what} must be from ${String(lo)} to ${String(hi)}` });
  };
  if (r.releaseTime !== null && !/^([01][0-9]|2[0-3]):[0-5][0-9]$/.test(r.releaseTime))
    p.push({ field: 'releaseTime', message: 'Enter the release time as hours and minutes, like 08:00' });
  range('releaseDaysBefore', r.releaseDaysBefore ?? 0, { lo: 0, hi: 90, what: 'Days before' });
  range('horizonDays', r.horizonDays, { lo: 0, hi: 365, what: 'How far ahead' });
  range('maxFutureBookings', r.maxFutureBookings, { lo: 1, hi: 20, what: 'Appointments at one time' });
  range('cancelCutoffHours', r.cancelCutoffMinutes / 60, { lo: 0, hi: 168, what: 'Cancellation cut-off' });
  range('dnaLimit', r.dnaLimit, { lo: 0, hi: 20, what: 'Missed appointments' });
  range('releaseWaves', r.releaseWaves, { lo: 1, hi: 12, what: 'Waves' });
  range('heldBackPercent', r.heldBackPercent, { lo: 0, hi: 100, what: 'Share held back' });
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
