// Issue #11's journey in Chromium with axe on every page: a patient orders two repeats; a GP
// rejects one with a reason and approves the other; the patient sees both, with the reason and
// the expected ready day; the patient has a message for each decision.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEMO_PASSWORD, DEMO_STAFF } from '../../src/demo/data.ts';
import { systemClock } from '../../src/platform/clock.ts';
import { addOrderer, addRepeat, nominate, SECRET, setSettings } from '../support/ordering.ts';
import { submit, submitRefused, visit } from './browser.ts';
import { demoSite } from './site.ts';

const site = demoSite();
const gp = DEMO_STAFF.find((s) => s.email === 'gp@ryan.demo.gp-online.test')!;

test('HAZ-26 a patient orders two items; a clinician rejects one and approves the other; the patient sees why', async (tc) => {
  const t = site.ready(tc);
  if (!t) return;
  await setSettings(t, {});
  const p = await addOrderer(t, systemClock, {
    n: 950,
    services: 'repeats',
    token: false,
    password: DEMO_PASSWORD,
  });
  await nominate(t, p.patientId);
  await addRepeat(t, p.patientId, { drug: 'Journey lisinopril 10mg tablets' });
  await addRepeat(t, p.patientId, { drug: 'Journey atorvastatin 20mg tablets' });

  // The patient orders both.
  const me = await site.open();
  await site.signIn(me, '/patient/sign-in', p.email, SECRET);
  await visit(me, site.origin, '/patient');
  await submit(me, () => me.page.getByRole('link', { name: 'Order a repeat prescription' }).click());
  assert.equal(new URL(me.page.url()).pathname, '/patient/prescriptions');
  await submit(me, () => me.page.getByRole('button', { name: 'Order repeat prescriptions' }).click());
  await submitRefused(me, () => me.page.getByRole('button', { name: 'Continue' }).click());
  assert.match(await me.page.content(), /Choose at least one medicine to order/);
  await me.page.getByLabel('Journey lisinopril 10mg tablets').check();
  await me.page.getByLabel('Journey atorvastatin 20mg tablets').check();
  await submit(me, () => me.page.getByRole('button', { name: 'Continue' }).click());
  await submit(me, () => me.page.getByRole('button', { name: 'Send order' }).click());
  assert.match(await me.page.content(), /Order sent/);

  const items = await t.db.db
    .selectFrom('prescription_request_items')
    .select(['id', 'drug_name', 'status'])
    .where('patient_id', '=', p.patientId)
    .execute();
  assert.deepEqual(
    items.map((i) => i.status),
    ['requested', 'requested'],
  );
  const lisinopril = items.find((i) => i.drug_name.startsWith('Journey lisinopril'))!;
  const atorvastatin = items.find((i) => i.drug_name.startsWith('Journey atorvastatin'))!;

  // The GP finds them in the queue, rejects one with a reason, approves the other.
  const doc = await site.open();
  await site.signIn(doc, '/staff/sign-in', gp.email, gp.totpSecret);
  await visit(doc, site.origin, '/staff/prescriptions');
  await visit(doc, site.origin, `/staff/prescriptions/items/${lisinopril.id}`);
  assert.match(await doc.page.content(), /Journey lisinopril 10mg tablets/);
  await doc.page
    .getByLabel('Reason for rejecting')
    .fill('Your blood pressure needs checking first: please book with the nurse');
  await submit(doc, () => doc.page.getByRole('button', { name: 'Reject' }).click());
  await visit(doc, site.origin, `/staff/prescriptions/items/${atorvastatin.id}`);
  await submit(doc, () => doc.page.getByRole('button', { name: 'Approve' }).click());

  const after = await t.db.db
    .selectFrom('prescription_request_items')
    .select(['id', 'status', 'reject_reason'])
    .where('patient_id', '=', p.patientId)
    .execute();
  const status = new Map(after.map((i) => [i.id, i.status]));
  assert.equal(status.get(lisinopril.id), 'rejected');
  assert.equal(status.get(atorvastatin.id), 'approved');
  const issues = await t.db.db
    .selectFrom('prescription_issues')
    .select('drug_name')
    .where('patient_id', '=', p.patientId)
    .execute();
  assert.deepEqual(
    issues.map((i) => i.drug_name),
    ['Journey atorvastatin 20mg tablets'],
    'one issue, for the approved item',
  );
  const messages = await t.db.db
    .selectFrom('notifications_outbox')
    .select('kind')
    .where('patient_id', '=', p.patientId)
    .where('kind', 'in', ['prescription-approved', 'prescription-rejected', 'prescription-issued'])
    .orderBy('kind')
    .execute();
  assert.deepEqual(
    messages.map((m) => m.kind),
    ['prescription-approved', 'prescription-rejected'],
  );

  // The patient sees both decisions, the reason in the GP's words.
  await visit(me, site.origin, '/patient/prescriptions/requests');
  const history = (await me.page.locator('main').textContent()) ?? '';
  assert.match(history, /Approved/);
  assert.match(history, /Rejected/);
  assert.match(history, /Your blood pressure needs checking first: please book with the nurse/);
  tc.diagnostic(`axe checked ${String(me.checked.length + doc.checked.length)} pages`);
});
