// Page numbers of every paged list (the record, who viewed it, appointments), from a query string
// (1-based, as people see them). No number is the first page; anything but a whole number from 1
// is a 400 naming the field, and a page past the end a 404, never page 1 again. Pure.
import { AppError } from './errors.ts';

/** Pages beyond this are never there (and would overflow the database's offset). */
export const LAST_PAGE = 10_000;

export function noSuchPage(n: number): AppError {
  return new AppError('not-found', `There is no page ${String(n)}: go back to the first page.`);
}

/** The page a query string asks for, 1-based. */
export function pageNumber(raw: unknown): number {
  if (raw === undefined || raw === '') return 1;
  if (typeof raw !== 'string' || !/^[0-9]+$/.test(raw) || /^0+$/.test(raw))
    throw AppError.invalid([{ field: 'page', message: 'The page number must be a whole number, 1 or more' }]);
  const n = Number(raw);
  if (n > LAST_PAGE) throw noSuchPage(n);
  return n;
}

/** One page of a list, with the number of pages (an empty list has one, empty, page). */
export function pageOf<T>(items: readonly T[], page: number, size: number) {
  const pages = Math.max(1, Math.ceil(items.length / size));
  if (page > pages) throw noSuchPage(page);
  return { items: items.slice((page - 1) * size, page * size), page, pages };
}
