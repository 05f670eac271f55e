// The record journey in Chromium with axe on every page: a patient with full access reads their
// record; a clinician hides one consultation; the patient no longer finds it anywhere.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEMO_PATIENTS, DEMO_STAFF } from '../../src/demo/data.ts';
import { SECTION_ORDER } from '../../src/record/read/present.ts';
import { check, submit, visit, type Session } from './browser.ts';
import { demoSite } from './site.ts';

const gp = DEMO_STAFF[1]!;
const full = DEMO_PATIENTS[4]!;
const site = demoSite();

/** Every page of every heading, the summary, the API and the download, as one string per place. */
async function everythingThePatientCanSee(s: Session): Promise<Map<string, string>> {
  const seen = new Map<string, string>();
  const { page } = s;
  await visit(s, site.origin, '/patient/record');
  seen.set('/patient/record', await page.content());
  for (const section of SECTION_ORDER) {
    for (let n = 1; n < 50; n++) {
      const res = await page.goto(`${site.origin}/patient/record/${section.slug}?page=${String(n)}`);
      if (!res || res.status() === 404) break;
      await check(s);
      seen.set(`${section.slug} page ${String(n)}`, await page.content());
      if (!(await page.getByRole('link', { name: 'Older entries' }).count())) break;
    }
  }
  const download = await page.request.get(`${site.origin}/patient/record/download`);
  assert.equal(download.status(), 200);
  seen.set('download', await download.text());
  return seen;
}

test('a clinician hides a consultation and the patient does not find it anywhere', async (tc) => {
  const t = site.ready(tc);
  if (!t) return;
  const patientId =
    (
      await t.db.db
        .selectFrom('online_accounts')
        .select('patient_id')
        .where('email', '=', full.email)
        .executeTakeFirstOrThrow()
    ).patient_id ?? '';

  // The patient reads their record.
  const patient = await site.open();
  await site.signIn(patient, '/patient/sign-in', full.email, full.totpSecret);
  await visit(patient, site.origin, '/patient/record');
  await submit(patient, () => patient.page.getByRole('link', { name: 'Consultations' }).click());
  const first = patient.page.locator('#entries > li').first();
  const entryId = (await first.getAttribute('data-entry-id')) ?? '';
  const title = ((await first.locator('h3').textContent()) ?? '').trim();
  assert.match(entryId, /^[0-9a-f-]{36}$/);
  await submit(patient, () =>
    patient.page
      .getByRole('link', { name: /See all results for Haemoglobin A1c/ })
      .first()
      .click(),
  );
  assert.equal((await patient.page.locator('#history tbody tr').count()) > 1, true);
  await visit(patient, site.origin, '/patient/record/who-viewed');

  // The clinician hides it, with a reason, from the record review page.
  const clinician = await site.open();
  await site.signIn(clinician, '/staff/sign-in', gp.email, gp.totpSecret);
  await visit(clinician, site.origin, `/staff/patients/${patientId}`);
  await submit(clinician, () =>
    clinician.page.getByRole('link', { name: 'GP record: review and online visibility' }).click(),
  );
  const item = clinician.page.locator(`#entry-${entryId}`);
  await item.getByLabel('Reason to hide this entry online').selectOption('third-party');
  await submit(clinician, () => item.getByRole('button', { name: 'Hide online' }).click());
  assert.equal(await clinician.page.locator(`#entry-${entryId}`).getAttribute('data-visible'), 'no');
  await submit(clinician, () =>
    clinician.page.getByRole('link', { name: 'View as the patient sees it' }).click(),
  );
  assert.equal(await clinician.page.locator(`[data-entry-id="${entryId}"]`).count(), 0);

  // The patient looks everywhere and does not find it.
  const seen = await everythingThePatientCanSee(patient);
  assert.ok(seen.size > 5);
  for (const [where, text] of seen)
    assert.ok(!text.includes(entryId), `the hidden consultation's id is on ${where}`);
  const consultations = [...seen]
    .filter(([k]) => k.startsWith('consultations'))
    .map(([, v]) => v)
    .join('');
  assert.ok(consultations.length > 0 && title.length > 0);
  assert.ok(patient.checked.length > 10, 'axe ran on every page visited');
});
