import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  apiMe,
  historyRows,
  homeServices,
  isRecordLevelChoice,
  methodItems,
  settingChange,
  settingsValues,
} from './present.ts';
import { NO_SERVICES, serviceAccess } from './rules.ts';

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

test('the patient home lists only built services: a link when on, the practice phone when off', () => {
  const settings = { ...NO_SERVICES, appointments: true, repeatPrescriptions: true, pharmacyView: true };
  const access = serviceAccess({ linked: true, proofingLevel: 'P9' }, settings);
  const items = homeServices(access, settings, { name: 'The Ryan Medical Centre', phone: '01772 335136' });
  assert.deepEqual(
    items.map((i) => i.service),
    ['record', 'appointments', 'repeat-prescriptions', 'pharmacy-view'],
    'changing the pharmacy has no card of its own',
  );
  const [record, appointments, repeats, pharmacy] = items;
  assert.deepEqual(repeats?.link, { href: '/patient/prescriptions', text: 'Order a repeat prescription' });
  assert.equal(pharmacy?.text, 'You can see the pharmacy your prescriptions are sent to.');
  assert.ok(record && appointments);
  assert.equal(record.link, null);
  assert.match(record.text, /To ask for it, contact The Ryan Medical Centre on 01772 335136\./);
  assert.deepEqual(appointments.link, {
    href: '/patient/appointments',
    text: 'Book or cancel an appointment',
  });
  const noPhone = homeServices(access, settings, { name: 'A practice', phone: null });
  assert.match(noPhone[0]?.text ?? '', /contact A practice\.$/);
});

test('online-services history in plain English: no field names, the NHS names of record levels', () => {
  assert.equal(
    settingChange('recordLevel', { from: 'none', to: 'detailed' }),
    'Record access changed from no record access to detailed coded record',
  );
  assert.equal(
    settingChange('recordLevel', { from: 'summary', to: 'full' }),
    'Record access changed from summary information to full record',
  );
  assert.equal(
    settingChange('appointments', { from: false, to: true }),
    'Booking and cancelling appointments switched on',
  );
  assert.equal(settingChange('historicAccess', { from: true, to: false }), 'Historic access switched off');
  assert.equal(
    settingChange('prospectiveFrom', { from: null, to: '2026-04-01' }),
    'Prospective access start date changed from not set to 1 April 2026',
  );
  assert.equal(settingChange('someNewField', { from: 1, to: 2 }), 'Another setting changed');
  const [row] = historyRows([
    {
      version: 2,
      changed: { recordLevel: { from: 'none', to: 'summary' } },
      reason: null,
      changed_at: new Date('2026-04-01T09:00:00Z'),
      changed_by_name: null,
    },
  ]);
  assert.equal(row?.by, 'GP Online (automatic)');
  assert.deepEqual(row.changes, ['Record access changed from no record access to summary information']);
});
