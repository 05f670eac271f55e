// Repeat templates in Chromium with axe on every page: a clinician makes a repeat from a record
// medicine (a mistake first), changes it with a reason, and the practice manager saves the
// prescription settings.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { test } from 'node:test';
import { DEMO_STAFF } from '../../src/demo/data.ts';
import { submit, submitRefused, visit } from './browser.ts';
import { demoSite } from './site.ts';

const gp = DEMO_STAFF.find((s) => s.role === 'clinician' && s.practiceOds === 'P81082')!;
const manager = DEMO_STAFF.find((s) => s.role === 'practice-manager' && s.practiceOds === 'P81082')!;
const site = demoSite();

test('a clinician makes a repeat from the record and changes it; the manager saves the settings', async (tc) => {
  const t = site.ready(tc);
  if (!t) return;
  const patientId = (
    await t.db.db
      .selectFrom('patients')
      .select('id')
      .where('practice_ods', '=', 'P81082')
      .orderBy('id')
      .executeTakeFirstOrThrow()
  ).id;
  // A medicine of this test's own, so demo repeats never take it first.
  const now = new Date();
  await t.db.db
    .insertInto('record_entries')
    .values({
      id: randomUUID(),
      practice_ods: 'P81082',
      patient_id: patientId,
      kind: 'medication',
      source_system: null,
      source_id: null,
      clinical_date: '2026-01-05',
      recorded_at: now,
      sort_key: '2026-01-05',
      coding: JSON.stringify([]),
      title: 'Browsertine 20mg capsules',
      text: null,
      consultation_id: null,
      draft: false,
      unfiled: false,
      unreviewed: false,
      visible_online: true,
      imported_at: now,
      updated_at: now,
      details: JSON.stringify({
        kind: 'medication',
        prescriptionType: 'repeat',
        status: 'current',
        dosage: 'One capsule daily',
        quantity: 28,
        quantityUnit: 'capsule',
        issuesAuthorised: null,
        issuesDone: null,
        reviewDate: null,
        lastIssued: null,
      }),
    })
    .execute();

  const s = await site.open();
  const { page } = s;
  await site.signIn(s, '/staff/sign-in', gp.email, gp.totpSecret);
  await visit(s, site.origin, `/staff/patients/${patientId}/prescriptions`);
  await submit(s, () =>
    page.getByRole('link', { name: 'Make a repeat of Browsertine 20mg capsules' }).click(),
  );
  assert.equal(await page.getByLabel('Quantity each issue').inputValue(), '28');
  await page.getByLabel('Days each issue lasts').fill('');
  await submitRefused(s, () => page.getByRole('button', { name: 'Create repeat' }).click());
  await page.getByLabel('Days each issue lasts').fill('28');
  await submit(s, () => page.getByRole('button', { name: 'Create repeat' }).click());
  assert.match(
    (await page.locator('.nhsuk-notification-banner').textContent()) ?? '',
    /The repeat was created/,
  );

  await submit(s, () =>
    page
      .getByRole('link', { name: 'Change, re-authorise, suspend or end Browsertine 20mg capsules' })
      .click(),
  );
  await page.getByLabel('Quantity each issue').fill('56');
  await page.getByLabel('Reason for the change').fill('Twice a day from now');
  await submit(s, () => page.getByRole('button', { name: 'Save change' }).click());
  assert.match(await page.content(), /Quantity: 28 to 56/);

  const m = await site.open();
  await site.signIn(m, '/staff/sign-in', manager.email, manager.totpSecret);
  await visit(m, site.origin, '/staff/prescriptions/settings');
  await m.page.getByLabel('Working days from an order to the prescription being ready').fill('3');
  await submit(m, () => m.page.getByRole('button', { name: 'Save settings' }).click());
  assert.match(
    (await m.page.locator('.nhsuk-notification-banner').textContent()) ?? '',
    /settings were saved/,
  );
});
