// England's calendar. Every "today", birthday, start date and date shown is the Europe/London
// day of an instant: between midnight and 1am in summer time the UTC day is still yesterday.
// Day arithmetic on 'YYYY-MM-DD' strings involves no time zone at all.
import { formatInTimeZone, fromZonedTime } from 'date-fns-tz';

export const ENGLAND_TIME_ZONE = 'Europe/London';

/** The Europe/London calendar day ('YYYY-MM-DD') of an instant. */
export function englandDay(at: Date): string {
  return formatInTimeZone(at, ENGLAND_TIME_ZONE, 'yyyy-MM-dd');
}

/** England's day of a date ('YYYY-MM-DD', as it is) or a date-time (its instant, in England). */
export function englandDayOf(dateOrDateTime: string): string {
  if (/^\d{4}-\d{2}-\d{2}$/.test(dateOrDateTime)) return dateOrDateTime;
  const at = new Date(dateOrDateTime);
  return Number.isNaN(at.getTime()) ? dateOrDateTime.slice(0, 10) : englandDay(at);
}

/** The instant a Europe/London day begins (its local midnight). */
export function startOfEnglandDay(day: string): Date {
  return fromZonedTime(`${day}T00:00:00`, ENGLAND_TIME_ZONE);
}

/** Calendar arithmetic on 'YYYY-MM-DD' days. */
export function addDays(day: string, n: number): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const t = new Date(Date.UTC(y, m - 1, d + n));
  return `${String(t.getUTCFullYear()).padStart(4, '0')}-${String(t.getUTCMonth() + 1).padStart(2, '0')}-${String(t.getUTCDate()).padStart(2, '0')}`;
}

/** A real calendar date written 'YYYY-MM-DD'. */
export function isIsoDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const [y, m, d] = value.split('-').map(Number) as [number, number, number];
  return m >= 1 && m <= 12 && d >= 1 && d <= daysInMonth(y, m);
}

/** `2012-12` → `2013-01`: the month after a YYYY-MM month. */
export function nextMonth(month: string): string {
  const [y, m] = [Number(month.slice(0, 4)), Number(month.slice(5, 7))];
  return m === 12 ? `${String(y + 1)}-01` : `${String(y)}-${String(m + 1).padStart(2, '0')}`;
}

/** Days in a month (1-12) of a year: 29 in February of a leap year. */
export function daysInMonth(y: number, m: number): number {
  return new Date(Date.UTC(y, m, 0)).getUTCDate();
}

/** Age in whole years on a day, from a 'YYYY-MM-DD' birth date (a 29 February birthday comes on 1 March in other years). */
export function ageOn(birthDate: string, on: string): number {
  const [by, bm, bd] = birthDate.split('-').map(Number) as [number, number, number];
  const [y, m, d] = on.split('-').map(Number) as [number, number, number];
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
}

/** The day someone born on birthDate reaches an age (29 February → 1 March in a common year). */
export function birthdayAt(birthDate: string, age: number): string {
  const [by, bm, bd] = birthDate.split('-').map(Number) as [number, number, number];
  const y = by + age;
  if (bm === 2 && bd === 29 && daysInMonth(y, 2) === 28) return `${String(y).padStart(4, '0')}-03-01`;
  return `${String(y).padStart(4, '0')}${birthDate.slice(4)}`;
}
