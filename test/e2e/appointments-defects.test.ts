// Issue #10's appointment defects in Chromium, with axe on every page: Continue with no type
// names the mistake; the reason's character count and its limit; Back after booking shows the
// patient's own appointment; the booking-limit page and "Cancel this session" keep their
// headings in order; one error summary a page; no "Cancel session" for a clinician.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEMO_PATIENTS, DEMO_STAFF } from '../../src/demo/data.ts';
import { addDays, isoWeekday, localDay } from '../../src/appointments/rules.ts';
import { submit, submitRefused, visit, type Session } from './browser.ts';
import { demoSite } from './site.ts';

const manager = DEMO_STAFF.find((s) => s.role === 'practice-manager')!;
const clinician = DEMO_STAFF.find((s) => s.role === 'clinician' && s.practiceOds === manager.practiceOds)!;
const patient = DEMO_PATIENTS[1]!;
const site = demoSite();

/** A weekday a week from now, so every slot is released, bookable and cancellable. */
function aWeekday(): string {
  let day = addDays(localDay(new Date()), 7);
  while (isoWeekday(day) > 5) day = addDays(day, 1);
  return day;
}

/**
 * Submits a form that comes back with its mistakes named (status 400), then checks the page as
 * `submit` does. Chromium logs the 400 as a console error; that one line is expected here.
 */
async function oneErrorSummary(s: Session, text: RegExp): Promise<void> {
  const summary = s.page.locator('.nhsuk-error-summary');
  assert.equal(await summary.count(), 1, 'one error summary on the page');
  assert.match((await summary.textContent()) ?? '', text);
}

test('a patient: no type chosen, a reason too long, Back after booking, and the booking limit', async (tc) => {
  if (!site.ready(tc)) return;
  const day = aWeekday();
  const me = await site.open();
  await site.signIn(me, '/patient/sign-in', patient.email, patient.totpSecret);
  const p = me.page;

  await visit(me, site.origin, '/patient/appointments/book');
  await submitRefused(me, () => p.getByRole('button', { name: 'Continue' }).click());
  await oneErrorSummary(me, /Choose the type of appointment/);
  assert.match(
    (await p.locator('#type-error').textContent()) ?? '',
    /Choose the type of appointment/,
    'the field error too',
  );

  await p.getByLabel('Blood test with the nurse').check();
  await submit(me, () => p.getByRole('button', { name: 'Continue' }).click());
  await p.locator('#from').fill(day);
  await submit(me, () => p.getByRole('button', { name: 'Show times' }).click());
  const links = p.locator('a[data-slot-id]');
  const slotIds: string[] = [];
  for (let i = 0; i < Math.min(3, await links.count()); i++)
    slotIds.push((await links.nth(i).getAttribute('data-slot-id')) ?? '');
  assert.ok(slotIds.length >= 3, 'three free times to book');
  const confirmUrl = `/patient/appointments/book/confirm?slot=${slotIds[0] ?? ''}`;
  await visit(me, site.origin, confirmUrl);

  // The character count: 500 at most, said before typing and counted while typing.
  const reason = p.getByLabel(/What is the appointment about/);
  assert.match((await p.locator('#reason-info').textContent()) ?? '', /500 characters/);
  await reason.fill('x'.repeat(510));
  await p
    .locator('.nhsuk-character-count__status')
    .filter({ hasText: /10 characters too many/ })
    .waitFor();
  await submitRefused(me, () => p.getByRole('button', { name: 'Confirm booking' }).click());
  await oneErrorSummary(me, /500 characters or less/);
  assert.equal((await reason.inputValue()).length, 510, 'what was typed is kept, not cut');
  // Booked from the confirmation page itself, as most people do, so that Back goes back to it.
  await visit(me, site.origin, confirmUrl);
  await reason.fill('Blood test the GP asked for');
  await submit(me, () => p.getByRole('button', { name: 'Confirm booking' }).click());
  assert.match(await p.content(), /Appointment booked/);

  // Back, then "Confirm booking" again if the browser kept the old page: never "someone else".
  await p.goBack();
  await p.waitForLoadState('load');
  const kept = (await p.getByRole('button', { name: 'Confirm booking' }).count()) > 0;
  tc.diagnostic(
    kept ? 'Back showed the kept page: Confirm booking again' : `Back fetched it again: ${p.url()}`,
  );
  if (kept) await submit(me, () => p.getByRole('button', { name: 'Confirm booking' }).click());
  assert.doesNotMatch(await p.content(), /someone else/);
  // The confirmation page fetched again (pages are no-store): the patient's own appointment.
  await visit(me, site.origin, confirmUrl);
  assert.match(p.url(), /\/patient\/appointments\/[0-9a-f-]{36}\?already=1$/);
  assert.equal(
    await p.getByRole('heading', { level: 1, name: 'You have already booked this appointment' }).count(),
    1,
  );

  // A second booking reaches the practice's limit of two; a third time shows the limit page.
  await visit(me, site.origin, `/patient/appointments/book/confirm?slot=${slotIds[1] ?? ''}`);
  await submit(me, () => p.getByRole('button', { name: 'Confirm booking' }).click());
  assert.match(await p.content(), /Appointment booked/);
  await visit(me, site.origin, `/patient/appointments/book/confirm?slot=${slotIds[2] ?? ''}`);
  assert.equal(
    await p.getByRole('heading', { level: 2, name: 'You cannot book this appointment' }).count(),
    1,
  );
  assert.match(await p.content(), /the most your GP practice allows at one time/);
  tc.diagnostic(`axe checked ${String(me.checked.length)} pages`);
});

test('staff: one error summary on set-up and "Book this slot"; "Cancel this session" in order; no "Cancel session" for a clinician', async (tc) => {
  if (!site.ready(tc)) return;
  const day = aWeekday();
  const staff = await site.open();
  await site.signIn(staff, '/staff/sign-in', manager.email, manager.totpSecret);
  const sp = staff.page;
  await visit(staff, site.origin, '/staff/appointments/setup');
  await sp.locator('#day').fill(day);
  await sp.locator('#start').fill('17:00');
  await sp.locator('#end').fill('16:00');
  await submitRefused(staff, () => sp.getByRole('button', { name: 'Add session' }).click());
  await oneErrorSummary(staff, /The end time must be after the start time/);

  await visit(staff, site.origin, `/staff/appointments?date=${day}`);
  await submit(staff, () =>
    sp
      .getByRole('link', { name: /^Cancel session/ })
      .first()
      .click(),
  );
  assert.equal(await sp.getByRole('heading', { level: 1, name: 'Cancel this session' }).count(), 1);
  await submitRefused(staff, () => sp.getByRole('button', { name: 'Cancel session' }).click());
  await oneErrorSummary(staff, /Enter a reason patients will see/);

  await visit(staff, site.origin, `/staff/appointments?date=${day}`);
  await submit(staff, () => sp.getByRole('link', { name: /^Book/ }).first().click());
  await submitRefused(staff, () => sp.getByRole('button', { name: 'Book' }).click());
  await oneErrorSummary(staff, /NHS number/);

  const gp = await site.open();
  await site.signIn(gp, '/staff/sign-in', clinician.email, clinician.totpSecret);
  await visit(gp, site.origin, `/staff/appointments?date=${day}`);
  assert.equal(await gp.page.getByRole('link', { name: /Cancel session/ }).count(), 0);
  assert.ok(await gp.page.getByRole('link', { name: /^Book/ }).count(), 'a clinician may book');
  tc.diagnostic(`axe checked ${String(staff.checked.length + gp.checked.length)} pages`);
});
