// England and Wales working days: Monday to Friday, except bank holidays. The holidays come from
// date-holidays (GB, ENG), which follows the official list on gov.uk/bank-holidays, moved and
// one-off days included (2020 VE day, 2022 jubilee and state funeral, 2023 coronation). When
// gov.uk announces a change: `npm update date-holidays`, then `gp-online bank-holidays <year>`
// and `node --test src/platform/working-days.test.ts` (see docs/bank-holidays.md).
import Holidays from 'date-holidays';
import { addDays } from './dates.ts';

const england = new Holidays('GB', 'ENG');
const byYear = new Map<number, ReadonlyMap<string, string>>();

/** Bank holidays in England and Wales in a year, 'YYYY-MM-DD' → name, weekdays only (substitutes included). */
export function bankHolidays(year: number): ReadonlyMap<string, string> {
  let days = byYear.get(year);
  if (!days) {
    const found = new Map<string, string>();
    for (const h of england.getHolidays(year)) {
      if (h.type !== 'public') continue;
      const day = h.date.slice(0, 10);
      if (!isWeekend(day)) found.set(day, h.name);
    }
    days = found;
    byYear.set(year, days);
  }
  return days;
}

function dayOfWeek(day: string): number {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d)).getUTCDay();
}

function isWeekend(day: string): boolean {
  const w = dayOfWeek(day);
  return w === 0 || w === 6;
}

export function isBankHoliday(day: string): boolean {
  return bankHolidays(Number(day.slice(0, 4))).has(day);
}

export function isWorkingDay(day: string): boolean {
  return !isWeekend(day) && !isBankHoliday(day);
}

/**
 * The day n working days after `day` (n ≥ 0): a request made on a working day is ready n working
 * days later; one made at a weekend or on a bank holiday counts from the next working day.
 */
export function addWorkingDays(day: string, n: number): string {
  let at = day;
  while (!isWorkingDay(at)) at = addDays(at, 1);
  for (let left = n; left > 0;) {
    at = addDays(at, 1);
    if (isWorkingDay(at)) left--;
  }
  return at;
}

/** Working days from `from` to `to` (after from, up to and including to); 0 when to ≤ from. */
export function workingDaysBetween(from: string, to: string): number {
  let count = 0;
  for (let at = addDays(from, 1); at <= to; at = addDays(at, 1)) if (isWorkingDay(at)) count++;
  return count;
}
