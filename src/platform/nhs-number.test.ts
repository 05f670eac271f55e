import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isValidNhsNumber, nhsCheckDigit, testNhsNumber } from './nhs-number.ts';

test('NHS number: the worked example of domain.md §8.5 is valid', () => {
  assert.equal(nhsCheckDigit('943476591'), 9);
  assert.equal(isValidNhsNumber('9434765919'), true);
  assert.equal(isValidNhsNumber('943 476 5919'), true);
  assert.equal(isValidNhsNumber('943-476-5919'), true);
});

test('NHS number: a wrong check digit, wrong length or letters are invalid', () => {
  assert.equal(isValidNhsNumber('9434765918'), false);
  assert.equal(isValidNhsNumber('943476591'), false);
  assert.equal(isValidNhsNumber('94347659190'), false);
  assert.equal(isValidNhsNumber('94347659AB'), false);
  assert.equal(isValidNhsNumber(''), false);
});

test('NHS number: a remainder giving check 10 has no valid number', () => {
  // Find nine digits whose check would be 10; no tenth digit makes them valid.
  let first9 = '';
  for (let i = 0; i < 1000 && !first9; i++) {
    const c = String(100000000 + i);
    if (nhsCheckDigit(c) === null) first9 = c;
  }
  assert.ok(first9, 'found a prefix with check 10');
  for (let d = 0; d <= 9; d++) assert.equal(isValidNhsNumber(first9 + String(d)), false);
});

test('NHS number: check 11 becomes 0', () => {
  let found = false;
  for (let i = 0; i < 1000 && !found; i++) {
    const c = String(200000000 + i);
    if (nhsCheckDigit(c) === 0) {
      found = true;
      assert.equal(isValidNhsNumber(c + '0'), true);
    }
  }
  assert.ok(found);
});

test('test NHS numbers are valid, in the 999 range and stable per seed', () => {
  const seen = new Set<string>();
  for (let seed = 0; seed < 500; seed++) {
    const n = testNhsNumber(seed);
    assert.match(n, /^999\d{7}$/);
    assert.equal(isValidNhsNumber(n), true, n);
    assert.equal(testNhsNumber(seed), n);
    seen.add(n);
  }
  assert.ok(seen.size > 400, 'seeds spread over many numbers');
});
