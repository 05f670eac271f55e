// A record entry belongs to the patient in its URL: hiding patient B's entry through patient A's
// address must be a 404 and change nothing, on the staff page and on the API.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { apiToken, signInStaff, testApp, type TestApp } from '../../../test/support/harness.ts';
import { DEMO_PASSWORD, DEMO_STAFF } from '../../demo/data.ts';
import { loadDemo } from '../../demo/load.ts';

let t: TestApp;
const gp = DEMO_STAFF.find((s) => s.role === 'clinician' && s.practiceOds === 'P81082')!;
let a = '';
let bEntry = '';

before(async () => {
  t = await testApp();
  await loadDemo(t.db.db, t.clock);
  const rows = await t.db.db
    .selectFrom('record_entries')
    .select(['id', 'patient_id'])
    .where('practice_ods', '=', 'P81082')
    .where('visible_online', '=', true)
    .execute();
  const patients = [...new Set(rows.map((r) => r.patient_id))];
  assert.ok(patients.length >= 2, 'two Ryan patients with visible entries');
  a = patients[0]!;
  bEntry = rows.find((r) => r.patient_id === patients[1])!.id;
});
after(async () => {
  await t.close();
});

async function stillVisible(): Promise<boolean> {
  const e = await t.db.db
    .selectFrom('record_entries')
    .select('visible_online')
    .where('id', '=', bEntry)
    .executeTakeFirstOrThrow();
  return e.visible_online;
}

test("HAZ-01 another patient's entry under a patient's address is 404 (page and API) and stays visible", async () => {
  const b = await signInStaff(t.app, gp.email, DEMO_PASSWORD, gp.totpSecret, t.clock);
  const page = await b.submit(
    `/staff/patients/${a}/record`,
    `/staff/patients/${a}/record/entries/${bEntry}/visibility`,
    { visible: 'no', reason: 'third-party', section: 'consultations' },
  );
  assert.equal(page.statusCode, 404, 'the page');
  const token = await apiToken(t.app, gp.email, DEMO_PASSWORD, gp.totpSecret, t.clock);
  const api = await t.app.inject({
    method: 'PATCH',
    url: `/api/v1/practice/patients/${a}/record/entries/${bEntry}`,
    payload: { visible: false, reason: 'third-party' },
    headers: { authorization: `Bearer ${token}` },
  });
  assert.equal(api.statusCode, 404, 'the API');
  assert.equal(await stillVisible(), true);
});
