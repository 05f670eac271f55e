import assert from 'node:assert/strict';
import { test } from 'node:test';
import { countOf, pluralOf } from './words.ts';

test('counts take the singular for 1 and the plural for 0 and many', () => {
  assert.equal(countOf(0, 'practice'), '0 practices');
  assert.equal(countOf(1, 'practice'), '1 practice');
  assert.equal(countOf(2, 'patient'), '2 patients');
  assert.equal(countOf(1200, 'patient'), '1,200 patients');
  assert.equal(countOf(1, 'patient now has', 'patients now have'), '1 patient now has');
  assert.equal(pluralOf('patch'), 'patches');
  assert.equal(pluralOf('pessary'), 'pessaries');
});
