// The practice's prescription queue in Chromium with axe on every page: a GP filters the queue,
// approves one request with its checkbox, rejects another with a reason (an empty reason is
// named first), and records the approved one as issued; a receptionist marks it ready.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEMO_STAFF } from '../../src/demo/data.ts';
import { itemStatus, patientsAt, seedItem } from '../support/prescription-queue.ts';
import { submit, submitRefused, visit } from './browser.ts';
import { demoSite } from './site.ts';

const gp = DEMO_STAFF.find((s) => s.email === 'gp@ryan.demo.gp-online.test')!;
const reception = DEMO_STAFF.find((s) => s.email === 'reception@ryan.demo.gp-online.test')!;
const site = demoSite();

test('a GP approves one request and rejects another; a receptionist records the dispensing', async (tc) => {
  const t = site.ready(tc);
  if (!t) return;
  const [p1, p2] = await patientsAt(t.db.db);
  const old = new Date('2026-01-05T09:00:00Z');
  const approve = await seedItem(t.db.db, {
    patientId: p1!,
    drug: 'Queue journey amlodipine',
    requestedAt: old,
  });
  const reject = await seedItem(t.db.db, {
    patientId: p2!,
    drug: 'Queue journey ramipril',
    requestedAt: old,
  });

  const doc = await site.open();
  await site.signIn(doc, '/staff/sign-in', gp.email, gp.totpSecret);
  const page = doc.page;
  await visit(doc, site.origin, '/staff/prescriptions');
  await page.getByLabel('Prescriber').selectOption({ label: 'No prescriber named' });
  await submit(doc, () => page.getByRole('button', { name: 'Show' }).click());
  assert.match(page.url(), /prescriber=none/);
  assert.equal(await page.locator(`#item-${approve.itemId}[data-overdue="true"]`).count(), 1, 'overdue');
  await page.getByLabel(/Approve Queue journey amlodipine for/).check();
  await submit(doc, () => page.getByRole('button', { name: 'Approve selected' }).click());
  assert.match(await page.content(), /1 request approved\./);
  assert.equal((await itemStatus(t.db.db, approve.itemId)).status, 'approved');

  await visit(doc, site.origin, `/staff/prescriptions/items/${reject.itemId}`);
  await submitRefused(doc, () => page.getByRole('button', { name: 'Reject' }).click());
  assert.match(await page.content(), /Enter a reason the patient will see/);
  await page.getByLabel('Reason for rejecting').fill('Please book a blood pressure check first');
  await submit(doc, () => page.getByRole('button', { name: 'Reject' }).click());
  assert.match(await page.content(), /Rejected\. The patient will see your reason\./);

  await visit(doc, site.origin, `/staff/prescriptions/items/${approve.itemId}`);
  await page.getByLabel('Issued').check();
  await submit(doc, () => page.getByRole('button', { name: 'Record step' }).click());
  assert.match(await page.content(), /Marked as issued\./);

  const desk = await site.open();
  await site.signIn(desk, '/staff/sign-in', reception.email, reception.totpSecret);
  await visit(desk, site.origin, '/staff/prescriptions?status=issued');
  await submit(desk, () => desk.page.getByRole('link', { name: /Queue journey amlodipine/ }).click());
  await desk.page.getByLabel('Ready to collect').check();
  await submit(desk, () => desk.page.getByRole('button', { name: 'Record step' }).click());
  assert.equal((await itemStatus(t.db.db, approve.itemId)).status, 'ready');
  tc.diagnostic(`axe checked ${String(doc.checked.length + desk.checked.length)} pages`);
});
