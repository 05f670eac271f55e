import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AppError } from './errors.ts';
import { pageNumber, pageOf } from './paging.ts';

const invalidPage = (e: unknown) =>
  e instanceof AppError && e.code === 'invalid' && e.fields[0]?.field === 'page';
const notFound = (e: unknown) => e instanceof AppError && e.code === 'not-found';

test('a page number from a query string: none is page 1; not a whole number from 1 is a 400 naming the field', () => {
  assert.equal(pageNumber(undefined), 1);
  assert.equal(pageNumber(''), 1);
  assert.equal(pageNumber('3'), 3);
  for (const odd of ['0', '00', '-1', 'abc', '1.5', '1e3', ' 2', ['2', '3']])
    assert.throws(() => pageNumber(odd), invalidPage, String(odd));
  for (const far of ['10001', '99999', '99999999999999999999999'])
    assert.throws(() => pageNumber(far), notFound, far);
});

test('a page of a list; past the end is a 404, never the first page again', () => {
  const xs = Array.from({ length: 45 }, (_, i) => i);
  assert.deepEqual(pageOf(xs, 1, 20).items.length, 20);
  assert.deepEqual(pageOf(xs, 3, 20), { items: [40, 41, 42, 43, 44], page: 3, pages: 3 });
  assert.throws(() => pageOf(xs, 4, 20), notFound);
  assert.deepEqual(pageOf([], 1, 20), { items: [], page: 1, pages: 1 });
  assert.throws(() => pageOf([], 2, 20), notFound);
});
