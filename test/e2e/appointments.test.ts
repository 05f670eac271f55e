// The booking journey in Chromium with axe on every page: a practice manager sets up a session;
// a patient chooses a type, a time, confirms, sees the confirmation and cancels; the freed time
// is offered again at once.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEMO_PATIENTS, DEMO_STAFF } from '../../src/demo/data.ts';
import { addDays, isoWeekday, localDay } from '../../src/appointments/rules.ts';
import { submit, visit } from './browser.ts';
import { demoSite } from './site.ts';

const manager = DEMO_STAFF.find((s) => s.role === 'practice-manager')!;
const patient = DEMO_PATIENTS[3]!;
const site = demoSite();

test('staff set up a session; a patient books and cancels', async (tc) => {
  const t = site.ready(tc);
  if (!t) return;
  // A weekday a week from now, so every slot is released, bookable and cancellable.
  let day = addDays(localDay(new Date()), 7);
  while (isoWeekday(day) > 5) day = addDays(day, 1);

  const staff = await site.open();
  await site.signIn(staff, '/staff/sign-in', manager.email, manager.totpSecret);
  await visit(staff, site.origin, '/staff/appointments/setup');
  const sp = staff.page;
  await sp
    .getByLabel('Practitioner', { exact: true })
    .first()
    .selectOption({ label: 'Nurse Priya Shah (F)' });
  await sp
    .getByLabel('Slot type', { exact: true })
    .first()
    .selectOption({ label: 'Blood test with the nurse' });
  await sp.locator('#day').fill(day);
  await sp.locator('#start').fill('16:00');
  await sp.locator('#end').fill('17:00');
  await submit(staff, () => sp.getByRole('button', { name: 'Add session' }).click());
  assert.match(await sp.content(), /Session added with 4 slots/);
  await visit(staff, site.origin, `/staff/appointments?date=${day}`);
  await visit(staff, site.origin, `/staff/appointments?date=${day}&view=week`);

  const me = await site.open();
  await site.signIn(me, '/patient/sign-in', patient.email, patient.totpSecret);
  const p = me.page;
  await visit(me, site.origin, '/patient/appointments');
  await submit(me, () => p.getByRole('button', { name: 'Book an appointment' }).click());
  await p.getByLabel('Blood test with the nurse').check();
  await submit(me, () => p.getByRole('button', { name: 'Continue' }).click());
  await p.locator('#from').fill(day);
  await submit(me, () => p.getByRole('button', { name: 'Show times' }).click());
  await submit(me, () => p.getByRole('link', { name: /^4pm/ }).first().click());
  await p.getByLabel(/What is the appointment about/).fill('Blood test the GP asked for');
  await submit(me, () => p.getByRole('button', { name: 'Confirm booking' }).click());
  const confirmation = await p.content();
  assert.match(confirmation, /Appointment booked/);
  assert.match(confirmation, /at 4pm/);
  await submit(me, () => p.getByRole('link', { name: 'Cancel this appointment' }).click());
  await submit(me, () => p.getByRole('button', { name: 'Cancel appointment' }).click());
  assert.match(await p.content(), /Your appointment has been cancelled/);
  // The freed time is offered again at once.
  await visit(me, site.origin, '/patient/appointments/book');
  await p.getByLabel('Blood test with the nurse').check();
  await submit(me, () => p.getByRole('button', { name: 'Continue' }).click());
  await p.locator('#from').fill(day);
  await submit(me, () => p.getByRole('button', { name: 'Show times' }).click());
  assert.ok(await p.getByRole('link', { name: /^4pm/ }).count(), 'the 4pm slot is free again');
  tc.diagnostic(`axe checked ${String(staff.checked.length + me.checked.length)} pages`);
});
