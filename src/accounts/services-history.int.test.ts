// Defect 10: the online-services history reads as sentences, not field names
// (`recordLevel none → detailed`), and saving with nothing changed says so, writes no history
// row and keeps the version.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { signInStaff, testApp, type Browser, type TestApp } from '../../test/support/harness.ts';
import { DEMO_PASSWORD, DEMO_STAFF } from '../demo/data.ts';
import { loadDemo } from '../demo/load.ts';

let t: TestApp;
let gp: Browser;
before(async () => {
  t = await testApp();
  await loadDemo(t.db.db, t.clock);
  const who = DEMO_STAFF[1]!; // clinician at P81082: may change record access
  gp = await signInStaff(t.app, who.email, DEMO_PASSWORD, who.totpSecret);
});
after(async () => {
  await t.close();
});

async function patientWithoutServices(): Promise<string> {
  const row = await t.db.db
    .selectFrom('patients')
    .leftJoin('online_services', 'online_services.patient_id', 'patients.id')
    .where('online_services.patient_id', 'is', null)
    .where('patients.practice_ods', '=', 'P81082')
    .select('patients.id')
    .orderBy('patients.nhs_number')
    .limit(1)
    .executeTakeFirstOrThrow();
  return row.id;
}

const history = (patientId: string) =>
  t.db.db
    .selectFrom('online_services_history')
    .select('version')
    .where('patient_id', '=', patientId)
    .execute();

async function save(patientId: string, fields: Record<string, string | string[]>) {
  const form = `/staff/patients/${patientId}/online-services`;
  const page = await gp.get(form);
  const version = /name="version" value="(\d+)"/.exec(page.body)?.[1] ?? '0';
  return gp.submit(form, form, { version, historicAccess: 'no', ...fields });
}

test('a change is shown in plain English, with the NHS names of record levels', async () => {
  const id = await patientWithoutServices();
  const saved = await save(id, {
    services: ['appointments'],
    recordLevel: 'detailed',
    reason: 'Asked at reception',
  });
  assert.equal(saved.statusCode, 302);
  assert.equal(saved.headers.location, `/staff/patients/${id}?done=services`);
  const page = await gp.get(`/staff/patients/${id}?done=services`);
  assert.match(page.body, /Online services updated/);
  assert.match(page.body, /Record access changed from no record access to detailed coded record/);
  assert.match(page.body, /Booking and cancelling appointments switched on/);
  assert.match(page.body, /Reason: Asked at reception/);
  // The summary says the level in words too.
  assert.match(page.body, /Detailed coded record/);
  const historyList = /id="services-history">([\s\S]*?)<\/ul>/.exec(page.body)?.[1] ?? '';
  assert.ok(historyList, 'the history list is there');
  assert.doesNotMatch(historyList, /recordLevel|appointments true|→|false|true/);
});

test('saving with nothing changed says so, writes no history row and keeps the version', async () => {
  const id = await patientWithoutServices();
  await save(id, { services: ['appointments'], recordLevel: 'summary' });
  const before = await history(id);
  const versionBefore = await t.db.db
    .selectFrom('online_services')
    .select('version')
    .where('patient_id', '=', id)
    .executeTakeFirstOrThrow();
  const again = await save(id, { services: ['appointments'], recordLevel: 'summary' });
  assert.equal(again.statusCode, 302);
  assert.equal(again.headers.location, `/staff/patients/${id}?done=unchanged`);
  const page = await gp.get(again.headers.location ?? '');
  assert.match(page.body, /Nothing was changed/);
  assert.doesNotMatch(page.body, /Online services updated/);
  assert.deepEqual(await history(id), before);
  const versionAfter = await t.db.db
    .selectFrom('online_services')
    .select('version')
    .where('patient_id', '=', id)
    .executeTakeFirstOrThrow();
  assert.equal(versionAfter.version, versionBefore.version);
});

test('identity levels are shown in words, the NHS code in brackets', async () => {
  const row = await t.db.db
    .selectFrom('online_accounts')
    .select('patient_id')
    .where('email', '=', 'full.patient@demo.gp-online.test')
    .executeTakeFirstOrThrow();
  const page = await gp.get(`/staff/patients/${row.patient_id ?? ''}`);
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /Identity checked \(P9\)/);
  assert.doesNotMatch(page.body, />P9</);
});
