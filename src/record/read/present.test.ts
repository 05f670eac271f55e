import assert from 'node:assert/strict';
import { test } from 'node:test';
import { outOfRange } from './present.ts';

test('out of range from limits or interpretation', () => {
  assert.equal(outOfRange({ value: 50, low: 20, high: 48, interpretation: null }), 'high');
  assert.equal(outOfRange({ value: 3, low: 3.5, high: 5.3, interpretation: null }), 'low');
  assert.equal(outOfRange({ value: 4, low: 3.5, high: 5.3, interpretation: null }), null);
  assert.equal(outOfRange({ value: null, low: null, high: null, interpretation: 'H' }), 'high');
});
