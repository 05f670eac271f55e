import assert from 'node:assert/strict';
import { test } from 'node:test';
import { countOf } from '../platform/words.ts';
import { uptakePage } from './present.ts';
import type { PracticeUptake } from './service.ts';

const practice: PracticeUptake = {
  ods_code: 'P81082',
  name: 'THE RYAN MEDICAL CENTRE',
  patients: 10,
  linked: 4,
  appointments: 4,
  repeats: 2,
  record: 3,
};

test('the uptake table counts its practices with the right plural: 0, 1 and many', () => {
  assert.equal(uptakePage([]).caption, '0 practices');
  assert.equal(uptakePage([practice]).caption, '1 practice');
  assert.equal(uptakePage([practice, { ...practice, ods_code: 'N81001' }]).caption, '2 practices');
  assert.equal(countOf(1500, 'practice'), '1,500 practices');
});

test('live counts are suppressed from 1 to 7 and rounded to 5; the number registered is not', () => {
  const row = uptakePage([{ ...practice, patients: 9431, linked: 13, record: 0 }]).rows[0];
  assert.deepEqual(
    [row?.patients, row?.linked, row?.appointments, row?.repeats, row?.record],
    ['9,431', '15', '*', '*', '0'],
  );
});
