// The practice's appointment pages: a manager adds a session and changes the rules, a receptionist
// books a slot for a patient from the book, records arrival, moves and cancels with a reason the
// patient then reads. Forms with mistakes come back with the mistake named.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  apiToken,
  Browser,
  fixedClock,
  signInStaff,
  testApp,
  type TestApp,
} from '../../test/support/harness.ts';
import { DEMO_PASSWORD, DEMO_PATIENTS, DEMO_STAFF } from '../demo/data.ts';
import { loadDemo } from '../demo/load.ts';
import { totpCode } from '../platform/auth/secrets.ts';

const clock = fixedClock('2026-11-30T07:00:00Z');
let t: TestApp;
const manager = DEMO_STAFF.find((s) => s.role === 'practice-manager')!;
const reception = DEMO_STAFF[0]!;
before(async () => {
  t = await testApp({ clock });
  await loadDemo(t.db.db, clock);
});
after(async () => {
  await t.close();
});

const options = (html: string, name: string) =>
  [
    ...(new RegExp(`<select[^>]*name="${name}"[\\s\\S]*?</select>`).exec(html)?.[0] ?? '').matchAll(
      /value="([^"]*)"/g,
    ),
  ].map((m) => m[1] ?? '');

test('a manager adds a session and saves the rules; mistakes are named', async () => {
  const m = await signInStaff(t.app, manager.email, DEMO_PASSWORD, manager.totpSecret, clock);
  const page = await m.get('/staff/appointments/setup');
  assert.equal(page.statusCode, 200);
  const bad = await m.submit('/staff/appointments/setup', '/staff/appointments/setup/session', {
    practitionerId: options(page.body, 'practitionerId')[0]!,
    locationId: options(page.body, 'locationId')[0]!,
    slotTypeId: options(page.body, 'slotTypeId')[0]!,
    day: '2026-12-05',
    start: '10:00',
    end: '09:00',
  });
  assert.equal(bad.statusCode, 400);
  assert.match(bad.body, /The end time must be after the start time/);
  const ok = await m.submit('/staff/appointments/setup', '/staff/appointments/setup/session', {
    practitionerId: options(page.body, 'practitionerId')[0]!,
    locationId: options(page.body, 'locationId')[0]!,
    slotTypeId: options(page.body, 'slotTypeId')[0]!,
    day: '2026-12-05',
    start: '09:00',
    end: '10:00',
  });
  assert.equal(ok.statusCode, 302);
  assert.match(String(ok.headers.location), /done=session&slots=\d+$/);
  assert.match((await m.get(String(ok.headers.location))).body, /Session added with \d+ slots\./);
  const rules = await m.submit('/staff/appointments/setup', '/staff/appointments/setup/rules', {
    version: /name="version" value="(\d+)"/.exec(page.body)?.[1] ?? '0',
    releaseTime: '08:00',
    releaseDaysBefore: '0',
    horizonDays: '14',
    maxFutureBookings: '2',
    cancelCutoffHours: '4',
    dnaLimit: '2',
    dnaWindowDays: '365',
    guidance: 'Call 111 if urgent',
    releaseWaves: '3',
    waveIntervalMinutes: '30',
    heldBackPercent: '20',
    heldBackReleaseMinutes: '120',
  });
  assert.equal(rules.statusCode, 302);
  assert.match((await m.get('/staff/appointments/setup')).body, /Online booking opens at 8am on the day/);
  const r = await signInStaff(t.app, reception.email, DEMO_PASSWORD, reception.totpSecret, clock);
  const refused = await r.submit('/staff/appointments/setup', '/staff/appointments/setup/rules', {
    version: '1',
  });
  assert.equal(refused.statusCode, 403, 'rules are the manager’s');
});

test('reception books from the book, records arrival, and cancels with a reason the patient reads', async () => {
  const r = await signInStaff(t.app, reception.email, DEMO_PASSWORD, reception.totpSecret, clock);
  const day = await r.get('/staff/appointments?date=2026-11-30');
  assert.equal(day.statusCode, 200);
  assert.match(day.body, /Dr Amara Okafor/);
  const locationId = /<select[^>]*name="location"[\s\S]*?value="([0-9a-f-]{36})"/.exec(day.body)?.[1] ?? '';
  const atLocation = await r.get(`/staff/appointments?date=2026-11-30&location=${locationId}`);
  assert.equal(atLocation.statusCode, 200);
  assert.match(atLocation.body, /Dr Amara Okafor/);
  const elsewhere = await r.get(
    '/staff/appointments?date=2026-11-30&location=00000000-0000-4000-8000-000000000000',
  );
  assert.match(elsewhere.body, /No sessions on this day/);
  const bookHref = /href="(\/staff\/appointments\/slots\/[0-9a-f-]{36}\/book)"/.exec(day.body)?.[1];
  assert.ok(bookHref);
  const wrong = await r.submit(bookHref, bookHref, { nhsNumber: '123', reason: '' });
  assert.equal(wrong.statusCode, 400);
  assert.match(wrong.body, /10-digit NHS number/);
  const p5 = DEMO_PATIENTS[1]!;
  const patient = await t.db.db
    .selectFrom('online_accounts as o')
    .innerJoin('patients as p', 'p.id', 'o.patient_id')
    .select(['p.nhs_number', 'p.family_name'])
    .where('o.email', '=', p5.email)
    .executeTakeFirstOrThrow();
  const booked = await r.submit(bookHref, bookHref, { nhsNumber: patient.nhs_number, reason: 'Review' });
  assert.equal(booked.statusCode, 302);
  const apptUrl = String(booked.headers.location).split('?')[0]!;
  assert.match((await r.get('/staff/appointments?date=2026-11-30')).body, new RegExp(patient.family_name));
  const arrived = await r.submit(apptUrl, `${apptUrl}/status`, { status: 'arrived' });
  assert.equal(arrived.statusCode, 302);
  assert.match((await r.get(apptUrl)).body, /Arrived/);

  // A second appointment, moved and then cancelled with a reason.
  const week = await r.get('/staff/appointments?date=2026-12-01&view=week');
  assert.match(week.body, /booked, \d+ free/);
  const day2 = await r.get('/staff/appointments?date=2026-12-02');
  const href2 = /href="(\/staff\/appointments\/slots\/[0-9a-f-]{36}\/book)"/.exec(day2.body)?.[1] ?? '';
  const b2 = await r.submit(href2, href2, { nhsNumber: patient.nhs_number });
  const url2 = String(b2.headers.location).split('?')[0]!;
  const page2 = await r.get(url2);
  const moved = await r.submit(url2, `${url2}/move`, {
    toSlotId: options(page2.body, 'toSlotId')[0]!,
    moveReason: 'GP away',
  });
  assert.equal(moved.statusCode, 302);
  const url3 = String(moved.headers.location).split('?')[0]!;
  assert.notEqual(url3, url2);
  const noReason = await r.submit(url3, `${url3}/cancel`, { reason: '' });
  assert.equal(noReason.statusCode, 400);
  assert.match(noReason.body, /Enter a reason the patient will see/);
  assert.equal(
    (await r.submit(url3, `${url3}/cancel`, { reason: 'The clinic is closed for training' })).statusCode,
    302,
  );

  const pb = new Browser(t.app);
  await pb.submit('/patient/sign-in', '/patient/sign-in', { email: p5.email, password: DEMO_PASSWORD });
  await pb.submit('/patient/sign-in/code', '/patient/sign-in/code', {
    code: totpCode(p5.totpSecret, clock.now()),
  });
  const seen = await pb.get(`/patient/appointments/${url3.split('/').at(-1) ?? ''}`);
  assert.match(seen.body, /Cancelled by your GP practice: The clinic is closed for training/);
});

test('cancelling a whole session cancels its bookings with the reason and withdraws its times', async () => {
  clock.set('2026-12-03T09:40:00Z'); // after the 8am release and its waves, set by the first test
  const r = await signInStaff(t.app, reception.email, DEMO_PASSWORD, reception.totpSecret, clock);
  const p4 = DEMO_PATIENTS[4]!;
  const token = await apiToken(t.app, p4.email, DEMO_PASSWORD, p4.totpSecret, clock);
  const auth = { authorization: `Bearer ${token}` };
  const slots = (
    await t.app.inject({ url: '/api/v1/appointments/slots?from=2026-12-03&to=2026-12-03', headers: auth })
  ).json<{ slots: { id: string }[] }>().slots;
  const booked = await t.app.inject({
    method: 'POST',
    url: '/api/v1/appointments',
    headers: auth,
    payload: { slotId: slots[0]!.id },
  });
  assert.equal(booked.statusCode, 201);
  const appointmentId = booked.json<{ id: string }>().id;
  const session = await t.db.db
    .selectFrom('slots')
    .select('session_id')
    .where('id', '=', slots[0]!.id)
    .executeTakeFirstOrThrow();
  const day = await r.get('/staff/appointments?date=2026-12-03');
  assert.match(day.body, new RegExp(`/staff/appointments/sessions/${session.session_id}/cancel`));
  const url = `/staff/appointments/sessions/${session.session_id}/cancel`;
  const noReason = await r.submit(url, url, { reason: '' });
  assert.equal(noReason.statusCode, 400);
  const done = await r.submit(url, url, { reason: 'Dr Okafor is unwell' });
  assert.equal(done.statusCode, 302);
  assert.match(
    (await r.get(String(done.headers.location))).body,
    /Session cancelled\. 1 appointment in it was cancelled, with your reason\./,
  );

  const mine = (await t.app.inject({ url: '/api/v1/appointments', headers: auth })).json<{
    past: { id: string; status: string; cancel_reason: string }[];
  }>();
  const gone = mine.past.find((a) => a.id === appointmentId);
  assert.deepEqual([gone?.status, gone?.cancel_reason], ['cancelled', 'Dr Okafor is unwell']);
  const after = (
    await t.app.inject({ url: '/api/v1/appointments/slots?from=2026-12-03&to=2026-12-03', headers: auth })
  ).json<{ slots: { id: string }[] }>().slots;
  assert.ok(!after.some((s) => s.id === slots[0]!.id), 'withdrawn times are not offered, even the freed one');
  const sibling = await t.db.db
    .selectFrom('slots')
    .select('id')
    .where('session_id', '=', session.session_id)
    .where('id', '<>', slots[0]!.id)
    .executeTakeFirstOrThrow();
  const again = await t.app.inject({
    method: 'POST',
    url: '/api/v1/appointments',
    headers: auth,
    payload: { slotId: sibling.id },
  });
  assert.equal(again.statusCode, 409);
  assert.equal(again.json<{ reason: string }>().reason, 'withdrawn');
  const told = await t.db.db
    .selectFrom('notifications_outbox')
    .select('personalisation')
    .where('reference', '=', appointmentId)
    .where('kind', '=', 'appointment-cancelled')
    .executeTakeFirstOrThrow();
  assert.equal(told.personalisation.reason, 'Dr Okafor is unwell');
});
