import assert from 'node:assert/strict';
import { test } from 'node:test';
import { apiMe, isRecordLevelChoice, methodItems, settingsValues } from './present.ts';
import { NO_SERVICES } from './rules.ts';

test('a settings form splits the prospective start date into the date input fields', () => {
  const v = settingsValues({ ...NO_SERVICES, prospectiveFrom: '2026-04-01' });
  assert.equal(v['prospectiveFrom[day]'], '01');
  assert.equal(v['prospectiveFrom[month]'], '04');
  assert.equal(v['prospectiveFrom[year]'], '2026');
  assert.equal(settingsValues(NO_SERVICES)['prospectiveFrom[day]'], undefined);
});

test('identity-check methods are radio items with the chosen one checked', () => {
  const items = methodItems('vouching');
  assert.ok(items.length > 1);
  assert.deepEqual(
    items.filter((i) => i.checked).map((i) => i.value),
    ['vouching'],
  );
});

test('only the offered record levels are choices', () => {
  assert.equal(isRecordLevelChoice('full'), true);
  assert.equal(isRecordLevelChoice('everything'), false);
});

test('who am I: staff are answered without patient fields', () => {
  const me = apiMe({
    kind: 'staff',
    staff: {
      kind: 'staff',
      staffId: 's1',
      email: 'a@example.com',
      name: 'A',
      role: 'receptionist',
      practiceOds: 'P81046',
      commissionerCode: null,
    },
  });
  assert.deepEqual(me, {
    type: 'staff',
    id: 's1',
    email: 'a@example.com',
    name: 'A',
    role: 'receptionist',
    practice_ods: 'P81046',
  });
});
