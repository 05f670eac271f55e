// The patient's repeat prescriptions in Chromium with axe on every page: the repeats with why
// and when, an order of two items (one early, with a reason), a problem named on the form, check
// your answers, the order sent, the orders with a rejection's reason, and cancelling an item.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEMO_PASSWORD } from '../../src/demo/data.ts';
import { systemClock } from '../../src/platform/clock.ts';
import { addOrderer, addRepeat, decide, nominate, SECRET, setSettings } from '../support/ordering.ts';
import { submit, submitRefused, visit } from './browser.ts';
import { demoSite } from './site.ts';

const site = demoSite();
const daysAgo = (d: number) => new Date(Date.now() - d * 86_400_000).toISOString();

test('a patient orders two repeats, one early; sees a rejection’s reason; cancels an item', async (tc) => {
  const t = site.ready(tc);
  if (!t) return;
  await setSettings(t, {});
  const p = await addOrderer(t, systemClock, {
    n: 900,
    services: 'repeats,appointments',
    token: false,
    password: DEMO_PASSWORD,
  });
  await nominate(t, p.patientId);
  await addRepeat(t, p.patientId, { drug: 'Amlodipine 5mg tablets' });
  // 28 days a supply, last issued 17 days ago: due in 4 days, orderable early now.
  await addRepeat(t, p.patientId, { drug: 'Simvastatin 20mg tablets', lastIssuedAt: daysAgo(17) });
  await addRepeat(t, p.patientId, { drug: 'Ramipril 2.5mg capsules', lastIssuedAt: daysAgo(2) });
  await addRepeat(t, p.patientId, { drug: 'Amoxicillin 500mg capsules', type: 'acute', issuesAuthorised: 1 });

  const me = await site.open();
  await site.signIn(me, '/patient/sign-in', p.email, SECRET);
  const page = me.page;
  await visit(me, site.origin, '/patient/prescriptions');
  const list = await page.content();
  assert.match(list, /It is too early to order this/);
  assert.match(list, /This was a one-off prescription/);
  await submit(me, () => page.getByRole('button', { name: 'Order repeat prescriptions' }).click());
  await page.getByLabel('Amlodipine 5mg tablets').check();
  await page.getByLabel('Simvastatin 20mg tablets').check();
  await submitRefused(me, () => page.getByRole('button', { name: 'Continue' }).click());
  assert.match(await page.content(), /say why you need it before it is due/);
  await page.getByLabel(/Why do you need it early/).fill('Going away next week');
  await submit(me, () => page.getByRole('button', { name: 'Continue' }).click());
  assert.match(await page.content(), /Check your order before sending it/);
  await submit(me, () => page.getByRole('button', { name: 'Send order' }).click());
  const sent = await page.content();
  assert.match(sent, /Order sent/);
  assert.match(sent, /Boots Test Street/);

  const items = await t.db.db
    .selectFrom('prescription_request_items')
    .select(['id', 'drug_name'])
    .where('patient_id', '=', p.patientId)
    .execute();
  assert.equal(items.length, 2);
  await decide(
    t,
    items.find((i) => i.drug_name.startsWith('Simvastatin'))!.id,
    'rejected',
    'Not due yet: order again next week',
  );
  await visit(me, site.origin, '/patient/prescriptions/requests');
  assert.match(await page.content(), /Reason: Not due yet: order again next week/);
  await submit(me, () => page.getByRole('link', { name: 'Cancel Amlodipine 5mg tablets' }).click());
  await submit(me, () => page.getByRole('button', { name: 'Cancel this medicine' }).click());
  assert.match(await page.content(), /The medicine has been cancelled from your order/);
});
