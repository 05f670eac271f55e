import assert from 'node:assert/strict';
import { test } from 'node:test';
import { quantityText } from './words.ts';

test('HAZ-19 a quantity is counted in the dose form the record gives, in the right number', () => {
  assert.equal(quantityText(28, 'tablet'), '28 tablets');
  assert.equal(quantityText(15, 'capsule'), '15 capsules');
  assert.equal(quantityText(1, 'inhaler'), '1 inhaler');
  assert.equal(quantityText(1, 'tablets'), '1 tablet', 'a plural unit is made singular for 1');
  assert.equal(quantityText(30, 'Capsules'), '30 capsules');
  assert.equal(quantityText(2, 'patch'), '2 patches');
  assert.equal(quantityText(100, 'ml'), '100 ml', 'a measure is shown as recorded');
  assert.equal(quantityText(0.5, 'tablet'), '0.5 tablets');
  assert.equal(quantityText(28, null), '28');
  assert.equal(quantityText(28, '428673006'), '28', 'a bare unit code is not shown');
  assert.equal(quantityText(null, 'tablet'), null);
});
