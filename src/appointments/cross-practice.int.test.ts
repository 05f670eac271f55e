// A staff route's ids belong to the practice of the staff member asking: a manager of another
// practice who knows (or guesses) the ids of an appointment, a slot, a session, a practitioner or a
// patient gets a 404 (or the form's "choose one of this practice" 400) on every staff API route
// and page, and nothing changes. Bad numbers on set-up forms are 400s, never 500s.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { apiToken, signInStaff, testApp, type Browser, type TestApp } from '../../test/support/harness.ts';
import { DEMO_PASSWORD, DEMO_STAFF } from '../demo/data.ts';
import { loadDemo } from '../demo/load.ts';
import { systemClock } from '../platform/clock.ts';
import { addStaffUser } from '../staff/service.ts';

// The real clock: the Browser drops a session cookie whose expiry is before the real now.
const clock = systemClock;
let t: TestApp;
const ryanManager = DEMO_STAFF.find((s) => s.role === 'practice-manager' && s.practiceOds === 'P81082')!;
let ryanToken = '';
let otherToken = '';
let other: Browser;
const ids = {
  patient: '',
  appointment: '',
  slot: '',
  session: '',
  practitioner: '',
  location: '',
  slotType: '',
};

before(async () => {
  t = await testApp({ clock });
  await loadDemo(t.db.db, clock);
  const ctx = { db: t.db.db, clock, meta: null };
  const made = await addStaffUser(
    ctx,
    { kind: 'system' },
    {
      email: 'manager@audlem.cross.test',
      name: 'Audlem Manager',
      role: 'practice-manager',
      password: DEMO_PASSWORD,
      practiceOds: 'N81001',
    },
    null,
  );
  ryanToken = await apiToken(t.app, ryanManager.email, DEMO_PASSWORD, ryanManager.totpSecret, clock);
  otherToken = await apiToken(t.app, 'manager@audlem.cross.test', DEMO_PASSWORD, made.totpSecret, clock);
  other = await signInStaff(t.app, 'manager@audlem.cross.test', DEMO_PASSWORD, made.totpSecret, clock);

  const db = t.db.db;
  const patient = await db
    .selectFrom('patients')
    .select('id')
    .where('practice_ods', '=', 'P81082')
    .executeTakeFirstOrThrow();
  const slots = await db
    .selectFrom('slots')
    .select(['id', 'session_id'])
    .where('practice_ods', '=', 'P81082')
    .where('starts_at', '>', new Date(Date.now() + 86_400_000))
    .where('booked', '=', false)
    .orderBy('starts_at')
    .limit(2)
    .execute();
  assert.equal(slots.length, 2, 'two free Ryan slots');
  const booked = await t.app.inject({
    method: 'POST',
    url: '/api/v1/practice/appointments',
    payload: { slotId: slots[0]!.id, patientId: patient.id },
    headers: { authorization: `Bearer ${ryanToken}` },
  });
  assert.equal(booked.statusCode, 201, booked.body);
  const parts = await db
    .selectFrom('clinic_sessions')
    .select(['id', 'practitioner_id', 'location_id', 'slot_type_id'])
    .where('id', '=', slots[1]!.session_id)
    .executeTakeFirstOrThrow();
  Object.assign(ids, {
    patient: patient.id,
    appointment: booked.json<{ id: string }>().id,
    slot: slots[1]!.id,
    session: parts.id,
    practitioner: parts.practitioner_id,
    location: parts.location_id,
    slotType: parts.slot_type_id,
  });
});
after(async () => {
  await t.close();
});

const asOther = (method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object) =>
  t.app.inject({ method, url, payload, headers: { authorization: `Bearer ${otherToken}` } });

test("HAZ-01 another practice's appointment, slot, session and patient are 404 on the staff API", async () => {
  const cases: [string, Awaited<ReturnType<typeof asOther>>][] = [
    ['patient', await asOther('GET', `/api/v1/practice/patients/${ids.patient}`)],
    [
      'identity',
      await asOther('POST', `/api/v1/practice/patients/${ids.patient}/identity-verifications`, {
        method: 'vouching',
        evidence: 'not yours',
      }),
    ],
    [
      'services',
      await asOther('PATCH', `/api/v1/practice/patients/${ids.patient}/online-services`, {
        appointments: false,
        version: 1,
      }),
    ],
    ['letter', await asOther('POST', `/api/v1/practice/patients/${ids.patient}/registration-letter`, {})],
    [
      'book their slot for their patient',
      await asOther('POST', '/api/v1/practice/appointments', { slotId: ids.slot, patientId: ids.patient }),
    ],
    [
      'cancel their appointment',
      await asOther('POST', `/api/v1/practice/appointments/${ids.appointment}/actions`, {
        action: 'cancel',
        reason: 'not yours',
      }),
    ],
    [
      'move their appointment',
      await asOther('POST', `/api/v1/practice/appointments/${ids.appointment}/actions`, {
        action: 'move',
        toSlotId: ids.slot,
      }),
    ],
  ];
  for (const [name, r] of cases) assert.equal(r.statusCode, 404, `${name}: ${r.body}`);
  const session = await asOther('POST', '/api/v1/practice/appointments/sessions', {
    practitionerId: ids.practitioner,
    locationId: ids.location,
    slotTypeId: ids.slotType,
    day: '2026-12-20',
    start: '09:00',
    end: '10:00',
  });
  assert.equal(session.statusCode, 400, session.body);
  assert.deepEqual(
    session
      .json<{ errors: { pointer: string }[] }>()
      .errors.map((e) => e.pointer)
      .sort(),
    ['locationId', 'practitionerId', 'slotTypeId'],
  );
  await assertUnchanged();
});

test("HAZ-01 another practice's appointment, slot, session and set-up items are 404 on the staff pages", async () => {
  const csrf = /name="_csrf" value="([^"]+)"/.exec((await other.get('/staff/appointments/setup')).body)?.[1];
  assert.ok(csrf);
  const gets = [
    `/staff/appointments/${ids.appointment}`,
    `/staff/appointments/slots/${ids.slot}/book`,
    `/staff/appointments/sessions/${ids.session}/cancel`,
    `/staff/patients/${ids.patient}`,
    `/staff/patients/${ids.patient}/online-services`,
    `/staff/patients/${ids.patient}/verify-identity`,
  ];
  for (const url of gets) assert.equal((await other.get(url)).statusCode, 404, url);
  const posts: [string, Record<string, string>][] = [
    [`/staff/appointments/${ids.appointment}/cancel`, { reason: 'not yours' }],
    [`/staff/appointments/${ids.appointment}/status`, { status: 'arrived' }],
    [`/staff/appointments/${ids.appointment}/move`, { toSlotId: ids.slot }],
    [`/staff/appointments/sessions/${ids.session}/cancel`, { reason: 'not yours' }],
    [`/staff/appointments/slots/${ids.slot}/book`, { nhsNumber: '9990001049' }],
    ['/staff/appointments/setup/in-use', { kind: 'practitioner', id: ids.practitioner, active: 'no' }],
    ['/staff/appointments/setup/in-use', { kind: 'slot-type', id: ids.slotType, active: 'no' }],
  ];
  for (const [url, fields] of posts) {
    const r = await other.post(url, { ...fields, _csrf: csrf });
    assert.equal(r.statusCode, 404, `${url}: ${String(r.statusCode)}`);
  }
  const template = await other.post('/staff/appointments/setup/template', {
    _csrf: csrf,
    practitionerId: ids.practitioner,
    locationId: ids.location,
    slotTypeId: ids.slotType,
    weekday: '2',
    day: '2026-12-01',
    start: '09:00',
    end: '10:00',
  });
  assert.equal(template.statusCode, 400, 'a template of their practitioner');
  await assertUnchanged();
});

test('HAZ-17 a weekly session on a day that is not a weekday is a 400 naming the field, not a 500', async () => {
  const setup = await t.app.inject({
    method: 'GET',
    url: '/api/v1/practice/appointments/setup',
    headers: { authorization: `Bearer ${ryanToken}` },
  });
  assert.equal(setup.statusCode, 200);
  const ryan = await signInStaff(t.app, ryanManager.email, DEMO_PASSWORD, ryanManager.totpSecret, clock);
  for (const weekday of ['9', '0', '-1', '99999999999']) {
    const r = await ryan.submit('/staff/appointments/setup', '/staff/appointments/setup/template', {
      practitionerId: ids.practitioner,
      locationId: ids.location,
      slotTypeId: ids.slotType,
      weekday,
      day: '2026-12-01',
      start: '09:00',
      end: '10:00',
    });
    assert.equal(r.statusCode, 400, `weekday ${weekday}: ${String(r.statusCode)}`);
    assert.match(r.body, /href="#weekday"/);
  }
});

async function assertUnchanged(): Promise<void> {
  const db = t.db.db;
  const a = await db
    .selectFrom('appointments')
    .select(['status', 'slot_id'])
    .where('id', '=', ids.appointment)
    .executeTakeFirstOrThrow();
  assert.equal(a.status, 'booked');
  const slot = await db
    .selectFrom('slots')
    .select('booked')
    .where('id', '=', ids.slot)
    .executeTakeFirstOrThrow();
  assert.equal(slot.booked, false);
  const practitioner = await db
    .selectFrom('practitioners')
    .select('active')
    .where('id', '=', ids.practitioner)
    .executeTakeFirstOrThrow();
  assert.equal(practitioner.active, true);
  const session = await db
    .selectFrom('clinic_sessions')
    .select('cancelled_at')
    .where('id', '=', ids.session)
    .executeTakeFirstOrThrow();
  assert.equal(session.cancelled_at, null);
  const templates = await db
    .selectFrom('session_templates')
    .select('id')
    .where('practice_ods', '=', 'N81001')
    .execute();
  assert.equal(templates.length, 0);
}
