// Defect 7: the registration letter is a letter a practice can post: the practice's name,
// address and phone at the top, the patient's name and postal address for a window envelope,
// the date, the service's web address, the codes, and a print button (print styles: test/e2e/truth.test.ts).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { signInStaff, testApp, type Browser, type TestApp } from '../../test/support/harness.ts';
import { DEMO_PASSWORD, DEMO_PRACTICES, DEMO_STAFF } from '../demo/data.ts';
import { loadDemo } from '../demo/load.ts';
import { englandDay } from '../platform/dates.ts';
import { formatDate } from '../platform/views/filters.ts';

let t: TestApp;
let reception: Browser;
before(async () => {
  t = await testApp();
  await loadDemo(t.db.db, t.clock);
  const who = DEMO_STAFF[0]!; // receptionist at P81082
  reception = await signInStaff(t.app, who.email, DEMO_PASSWORD, who.totpSecret);
});
after(async () => {
  await t.close();
});

const escaped = (s: string) => s.replace(/'/g, '&#39;');

test('the letter has the practice, the patient’s postal address, the date, the web address and the codes', async () => {
  const patient = await t.db.db
    .selectFrom('patients')
    .selectAll()
    .where('practice_ods', '=', 'P81082')
    .where('postcode', 'is not', null)
    .orderBy('nhs_number')
    .limit(1)
    .executeTakeFirstOrThrow();
  const practice = DEMO_PRACTICES.find((p) => p.odsCode === 'P81082')!;
  const res = await reception.submit(
    `/staff/patients/${patient.id}`,
    `/staff/patients/${patient.id}/registration-letter`,
    {},
  );
  assert.equal(res.statusCode, 200);
  const body = res.body;
  const from = /id="letter-practice">([\s\S]*?)<\/address>/.exec(body)?.[1] ?? '';
  assert.ok(from.includes(practice.name), 'practice name at the top');
  for (const line of practice.addressLines)
    assert.ok(from.includes(escaped(line)), `practice address: ${line}`);
  assert.ok(practice.phone && from.includes(practice.phone), 'practice phone');
  const to = /id="letter-recipient">([\s\S]*?)<\/address>/.exec(body)?.[1] ?? '';
  assert.ok(to.includes(`${patient.given_name} ${patient.family_name}`), 'patient name for the window');
  for (const line of patient.address_lines) assert.ok(to.includes(escaped(line)), `patient address: ${line}`);
  assert.ok(patient.postcode && to.includes(patient.postcode), 'patient postcode');
  assert.match(body, new RegExp(`id="letter-date">${formatDate(englandDay(t.clock.now()))}<`));
  const web = t.app.deps.config.publicUrl;
  assert.match(body, new RegExp(`id="letter-web-address">${web.replace(/[.]/g, '\\.')}<`));
  assert.match(body, /id="letter-linkage-key">[A-Z0-9 -]+</);
  assert.match(body, /id="letter-account-id">/);
  assert.match(
    body,
    /<button type="button" class="nhsuk-button" id="print-letter" hidden>Print this letter<\/button>/,
  );
  assert.match(body, /window\.print\(\)/);
  assert.match(body, /<noscript>/, 'without JavaScript: how to print');
});

test('a patient with no postal address: the letter says to hand it over', async () => {
  const patient = await t.db.db
    .selectFrom('patients')
    .select('id')
    .where('practice_ods', '=', 'P81082')
    .orderBy('nhs_number', 'desc')
    .limit(1)
    .executeTakeFirstOrThrow();
  await t.db.db
    .updateTable('patients')
    .set({ address_lines: [], postcode: null })
    .where('id', '=', patient.id)
    .execute();
  const res = await reception.submit(
    `/staff/patients/${patient.id}`,
    `/staff/patients/${patient.id}/registration-letter`,
    {},
  );
  assert.equal(res.statusCode, 200);
  assert.match(res.body, /no postal address for this patient/);
});
