import assert from 'node:assert/strict';
import test from 'node:test';
import { disclosed } from './disclosure.ts';

test('0 is shown, 1 to 7 suppressed, 8 and above rounded to the nearest 5', () => {
  assert.deepEqual([0, 1, 7, 8, 12, 13, 1234].map(disclosed), ['0', '*', '*', '10', '10', '15', '1,235']);
});
