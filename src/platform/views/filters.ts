// Nunjucks filters shared by every page.
import type { Environment } from 'nunjucks';

const dateFmt = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  timeZone: 'Europe/London',
});
const dateTimeFmt = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  hour12: false,
  timeZone: 'Europe/London',
});

function toDate(value: unknown): Date | null {
  if (value instanceof Date) return value;
  if (typeof value === 'string' && value !== '') {
    // A bare date is a calendar date: read it at noon UTC so no time zone moves it a day.
    const d = new Date(/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T12:00:00Z` : value);
    return Number.isNaN(d.getTime()) ? null : d;
  }
  return null;
}

export function formatDate(value: unknown): string {
  const d = toDate(value);
  return d ? dateFmt.format(d) : '';
}

export function formatDateTime(value: unknown): string {
  const d = toDate(value);
  return d ? dateTimeFmt.format(d).replace(',', ' at') : '';
}

/** NHS numbers are shown 3-3-4: 943 476 5919. */
export function formatNhsNumber(value: unknown): string {
  const s = typeof value === 'string' || typeof value === 'number' ? String(value) : '';
  return /^\d{10}$/.test(s) ? `${s.slice(0, 3)} ${s.slice(3, 6)} ${s.slice(6)}` : s;
}

export function addFilters(env: Environment): void {
  env.addFilter('date', formatDate);
  env.addFilter('dateTime', formatDateTime);
  env.addFilter('nhsNumber', formatNhsNumber);
  env.addGlobal('yesNo', (v: unknown) => (v ? 'Yes' : 'No'));
}
