// The nominated-pharmacy journey in Chromium with axe on every page: a patient finds a pharmacy
// by postcode, chooses it, confirms, sees it and its history; a blank search names the problem.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEMO_PATIENTS } from '../../src/demo/data.ts';
import { loadDemoPharmacies } from '../../src/pharmacies/index.ts';
import { submit, submitRefused, visit } from './browser.ts';
import { demoSite } from './site.ts';

const patient = DEMO_PATIENTS[2]!;
const site = demoSite();

test('a patient finds a pharmacy by postcode, chooses and confirms it', async (tc) => {
  const t = site.ready(tc);
  if (!t) return;
  await loadDemoPharmacies(t.db.db, t.clock);
  const a = await t.db.db
    .selectFrom('online_accounts')
    .select('patient_id')
    .where('email', '=', patient.email)
    .executeTakeFirstOrThrow();
  await t.db.db
    .updateTable('online_services')
    .set({ pharmacy_view: true, pharmacy_update: true })
    .where('patient_id', '=', a.patient_id ?? '')
    .execute();

  const me = await site.open();
  await site.signIn(me, '/patient/sign-in', patient.email, patient.totpSecret);
  const p = me.page;
  await visit(me, site.origin, '/patient/pharmacy');
  assert.match(await p.content(), /You have not nominated a pharmacy online/);
  await submit(me, () => p.getByRole('button', { name: 'Choose a pharmacy' }).click());
  await submitRefused(me, () => p.getByRole('button', { name: 'Search' }).click(), 400);
  assert.match(await p.content(), /Enter a pharmacy name, a postcode or an ODS code/);
  await p.getByLabel('Pharmacy name, postcode or ODS code').fill('PR5 6QR');
  await submit(me, () => p.getByRole('button', { name: 'Search' }).click());
  assert.match(await p.content(), /2 pharmacies found/);
  await submit(me, () => p.getByRole('link', { name: 'BAMBER BRIDGE DEMO PHARMACY' }).click());
  await submit(me, () => p.getByRole('button', { name: 'Confirm pharmacy' }).click());
  const shown = await p.content();
  assert.match(shown, /Your nominated pharmacy has been changed/);
  assert.match(shown, /Nominated BAMBER BRIDGE DEMO PHARMACY \(FDE01\)/);
});
