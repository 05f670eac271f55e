// The practice's queue pages: what a prescriber sees beside each request (last issue, issues left,
// review date, abnormal results, allergies, early orders and notes), overdue requests marked,
// filters and paging checked; approve several at once, reject with a reason the patient is sent,
// the dispensing steps by a receptionist, who cannot decide. Clock: Tuesday 1 December 2026.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  fixedClock,
  signInStaff,
  testApp,
  type Browser,
  type TestApp,
} from '../../../test/support/harness.ts';
import {
  issuesOf,
  itemStatus,
  patientOfAccount,
  patientsAt,
  recordEntry,
  seedItem,
} from '../../../test/support/prescription-queue.ts';
import { DEMO_PASSWORD, DEMO_STAFF } from '../../demo/data.ts';
import { loadDemo } from '../../demo/load.ts';

const clock = fixedClock('2026-12-01T10:00:00Z');
const gp = DEMO_STAFF.find((s) => s.email === 'gp@ryan.demo.gp-online.test')!;
const reception = DEMO_STAFF.find((s) => s.email === 'reception@ryan.demo.gp-online.test')!;
let t: TestApp;
let doctor: Browser;
let receptionist: Browser;
let gpId = '';
let patient = '';
let other = '';

before(async () => {
  t = await testApp({ clock });
  await loadDemo(t.db.db, clock);
  // The demo's own waiting queue is put aside: these tests read page 1 of their own items.
  await t.db.db
    .updateTable('prescription_request_items')
    .set({ status: 'collected' })
    .where('practice_ods', '=', 'P81082')
    .execute();
  doctor = await signInStaff(t.app, gp.email, DEMO_PASSWORD, gp.totpSecret, clock);
  receptionist = await signInStaff(t.app, reception.email, DEMO_PASSWORD, reception.totpSecret, clock);
  gpId = (
    await t.db.db
      .selectFrom('staff_users')
      .select('id')
      .where('email', '=', gp.email)
      .executeTakeFirstOrThrow()
  ).id;
  patient = await patientOfAccount(t.db.db, 'p5.patient@demo.gp-online.test');
  const allergic = new Set(
    (
      await t.db.db.selectFrom('record_entries').select('patient_id').where('kind', '=', 'allergy').execute()
    ).map((r) => r.patient_id),
  );
  other = (await patientsAt(t.db.db, 'P81082', 200)).find((p) => p !== patient && !allergic.has(p))!;
});
after(async () => {
  await t.close();
});

const outbox = (itemId: string) =>
  t.db.db
    .selectFrom('notifications_outbox')
    .select(['kind', 'personalisation', 'patient_id'])
    .where('reference', '=', itemId)
    .execute();
const rowOf = (html: string, itemId: string) =>
  new RegExp(`<tr[^>]*id="item-${itemId}"[\\s\\S]*?</tr>`).exec(html)?.[0] ?? '';

test('HAZ-25 the queue shows each request with the prescriber’s context, overdue ones marked, filtered and paged', async () => {
  // Thursday 26 November + 2 working days = Monday 30 November: overdue today. Friday 27 November
  // is ready today, Tuesday 1 December: not overdue yet.
  const late = await seedItem(t.db.db, {
    patientId: patient,
    prescriberId: gpId,
    requestedAt: new Date('2026-11-26T16:00:00Z'),
    drug: 'Ramipril 5mg capsules',
    early: true,
    earlyReason: 'Going on holiday',
    note: 'Please send to the usual chemist',
    issuesAuthorised: 6,
    issuesMade: 6,
  });
  const onTime = await seedItem(t.db.db, {
    patientId: other,
    requestedAt: new Date('2026-11-27T16:00:00Z'),
    drug: 'Metformin 500mg tablets',
  });
  await recordEntry(t.db.db, {
    patientId: patient,
    kind: 'result',
    title: 'Serum potassium',
    on: '2026-11-20',
    details: {
      measurement: { value: 6.1, valueText: null, unit: 'mmol/L', low: 3.5, high: 5.3, interpretation: null },
      components: [],
      reportId: null,
      category: null,
    },
  });
  await recordEntry(t.db.db, {
    patientId: patient,
    kind: 'result',
    title: 'Old sodium',
    on: '2025-06-01',
    details: {
      measurement: { value: 125, valueText: null, unit: 'mmol/L', low: 133, high: 146, interpretation: 'L' },
      components: [],
      reportId: null,
      category: null,
    },
  });
  await recordEntry(t.db.db, {
    patientId: patient,
    kind: 'result',
    title: 'Normal haemoglobin',
    on: '2026-11-21',
    details: {
      measurement: { value: 140, valueText: null, unit: 'g/L', low: 130, high: 180, interpretation: 'N' },
      components: [],
      reportId: null,
      category: null,
    },
  });
  await recordEntry(t.db.db, {
    patientId: patient,
    kind: 'allergy',
    title: 'Penicillin allergy',
    on: '2010-01-01',
    details: {
      category: 'medication',
      type: 'allergy',
      criticality: 'high',
      reactions: ['Rash'],
      active: true,
    },
  });
  await recordEntry(t.db.db, {
    patientId: patient,
    kind: 'allergy',
    title: 'Resolved latex allergy',
    on: '2010-01-01',
    details: { category: null, type: 'allergy', criticality: null, reactions: [], active: false },
  });

  const page = await doctor.get('/staff/prescriptions');
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /href="\/staff\/prescriptions\/settings"/, 'the settings are one click away');
  const lateRow = rowOf(page.body, late.itemId);
  assert.match(lateRow, /Ramipril 5mg capsules/);
  assert.match(lateRow, /Overdue/);
  assert.match(lateRow, /Early<\/strong> “Going on holiday”/);
  assert.match(lateRow, /Please send to the usual chemist/);
  assert.match(lateRow, /Issues left: 0 of 6/);
  assert.match(lateRow, /None left/);
  assert.match(lateRow, /Serum potassium 6.1 mmol\/L \(high, range 3.5 to 5.3\) on 20 November 2026/);
  assert.doesNotMatch(
    lateRow,
    /Old sodium|Normal haemoglobin|latex/,
    'only recent abnormal results and active allergies',
  );
  assert.match(lateRow, /Penicillin allergy \(Rash\)/);
  assert.match(lateRow, /Prescriber: Dr Gina Patel/);
  const onTimeRow = rowOf(page.body, onTime.itemId);
  assert.match(onTimeRow, /Metformin/);
  assert.doesNotMatch(onTimeRow, /Overdue/, 'ready today is not overdue yet');
  assert.match(onTimeRow, /Allergies: none recorded/);
  assert.ok(page.body.indexOf(late.itemId) < page.body.indexOf(onTime.itemId), 'oldest first');
  assert.match(page.body, /Approve selected/);

  const mine = await doctor.get(`/staff/prescriptions?prescriber=${gpId}`);
  assert.ok(mine.body.includes(late.itemId) && !mine.body.includes(onTime.itemId));
  const nobody = await doctor.get('/staff/prescriptions?prescriber=none');
  assert.ok(!nobody.body.includes(late.itemId) && nobody.body.includes(onTime.itemId));
  const approved = await doctor.get('/staff/prescriptions?status=approved');
  assert.ok(!approved.body.includes(late.itemId));

  const bad = await doctor.get('/staff/prescriptions?status=lost&prescriber=someone');
  assert.equal(bad.statusCode, 400);
  assert.match(bad.body, /Choose a status from the list/);
  assert.match(bad.body, /Choose a prescriber from the list/);
  assert.equal((await doctor.get('/staff/prescriptions?page=abc')).statusCode, 400);
  assert.equal((await doctor.get('/staff/prescriptions?page=999')).statusCode, 404);
  assert.equal((await doctor.get('/staff/prescriptions/items/not-an-id')).statusCode, 404);
  assert.equal(
    (await doctor.get('/staff/prescriptions/items/00000000-0000-4000-8000-000000000000')).statusCode,
    404,
  );

  const audit = await t.db.db
    .selectFrom('audit_events')
    .select('details')
    .where('action', '=', 'prescriptions.queue.view')
    .execute();
  assert.ok(
    audit.some((a) => JSON.stringify(a.details).includes(late.itemId)),
    'the read of the list is audited with the items shown',
  );

  // Nothing approved past the authorised issues: the whole selection is refused, by name.
  const refused = await doctor.submit('/staff/prescriptions', '/staff/prescriptions/approve', {
    items: [late.itemId, onTime.itemId],
  });
  assert.equal(refused.statusCode, 400, 'shown on the queue with the item named');
  assert.match(
    refused.body,
    /Nothing was approved\. Ramipril 5mg capsules cannot be approved: all 6 authorised issues have been made/,
  );
  assert.match(refused.body, /href="#items"/, 'the error summary links to the first checkbox');
  const failed = await t.db.db
    .selectFrom('audit_events')
    .select('outcome')
    .where('action', '=', 'prescription.approve')
    .where('subject', '=', `prescription-item:${late.itemId}`)
    .execute();
  assert.deepEqual(
    failed.map((f) => f.outcome),
    ['failure'],
    'the refusal is audited',
  );
  assert.equal((await itemStatus(t.db.db, onTime.itemId)).status, 'requested', 'all or nothing');
  await t.db.db
    .updateTable('prescription_request_items')
    .set({ status: 'cancelled' })
    .where('id', '=', late.itemId)
    .execute();
});

test('HAZ-26 approve several at once, reject with a reason, and the dispensing steps; the patient is told each', async () => {
  const a = await seedItem(t.db.db, { patientId: patient, drug: 'Atorvastatin 20mg tablets' });
  const b = await seedItem(t.db.db, { patientId: other, drug: 'Levothyroxine 50microgram tablets' });
  const c = await seedItem(t.db.db, { patientId: patient, drug: 'Salbutamol inhaler' });

  const done = await doctor.submit('/staff/prescriptions', '/staff/prescriptions/approve', {
    items: [a.itemId, b.itemId],
    back: '/staff/prescriptions?status=requested',
  });
  assert.equal(done.statusCode, 302);
  assert.equal(done.headers.location, '/staff/prescriptions?status=requested&done=approved&n=2');
  assert.match((await doctor.get(done.headers.location ?? '')).body, /2 requests approved\./);
  for (const x of [a, b]) {
    assert.equal((await itemStatus(t.db.db, x.itemId)).status, 'approved');
    const issue = (await issuesOf(t.db.db, x.itemId)).at(0);
    assert.equal(issue?.prescriber_name, 'Dr Gina Patel');
    assert.equal(issue.dosage, 'One tablet once a day', 'the issue copies the dose');
  }
  const told = await outbox(a.itemId);
  const first = told.at(0);
  assert.equal(told.length, 1);
  assert.equal(first?.kind, 'prescription-approved');
  assert.deepEqual(JSON.parse(JSON.stringify(first.personalisation)), {
    medicine: 'Atorvastatin 20mg tablets',
    practice: 'THE RYAN MEDICAL CENTRE',
    when: 'Wednesday 2 December 2026', // asked on Monday 30 November, 2 working days
  });
  const none = await doctor.submit('/staff/prescriptions', '/staff/prescriptions/approve', {});
  assert.equal(none.statusCode, 400);
  assert.match(none.body, /Select at least one request to approve/);

  const itemPage = `/staff/prescriptions/items/${c.itemId}`;
  assert.match((await doctor.get(itemPage)).body, /Reason for rejecting/);
  const empty = await doctor.submit(itemPage, `${itemPage}/reject`, { reason: '  ' });
  assert.equal(empty.statusCode, 400);
  assert.match(empty.body, /Enter a reason the patient will see/);
  const long = await doctor.submit(itemPage, `${itemPage}/reject`, { reason: 'x'.repeat(501) });
  assert.equal(long.statusCode, 400);
  assert.match(long.body, /500 characters or fewer/);
  const rejected = await doctor.submit(itemPage, `${itemPage}/reject`, {
    reason: 'Please book an asthma review',
  });
  assert.equal(rejected.statusCode, 302);
  assert.deepEqual(await itemStatus(t.db.db, c.itemId), {
    status: 'rejected',
    decided_by: gpId,
    reject_reason: 'Please book an asthma review',
  });
  const no = (await outbox(c.itemId)).at(0);
  assert.equal(no?.kind, 'prescription-rejected');
  assert.equal(no.personalisation.reason, 'Please book an asthma review');
  assert.equal(
    (await doctor.submit(`/staff/prescriptions/items/${b.itemId}`, `${itemPage}/approve`, {})).statusCode,
    409,
    'decided once',
  );

  // A receptionist works the dispensing steps but cannot decide.
  const queue = await receptionist.get('/staff/prescriptions');
  assert.equal(queue.statusCode, 200);
  assert.doesNotMatch(queue.body, /Approve selected/);
  const d = await seedItem(t.db.db, { patientId: other, drug: 'Omeprazole 20mg capsules' });
  const dPage = `/staff/prescriptions/items/${d.itemId}`;
  assert.doesNotMatch((await receptionist.get(dPage)).body, /Reason for rejecting/);
  const aPage = `/staff/prescriptions/items/${a.itemId}`; // a form of theirs, for its CSRF token
  assert.equal((await receptionist.submit(aPage, `${dPage}/approve`, {})).statusCode, 403);
  assert.equal((await itemStatus(t.db.db, d.itemId)).status, 'requested');

  assert.match((await receptionist.get(aPage)).body, /Sent to the pharmacy/);
  const issued = await receptionist.submit(aPage, `${aPage}/status`, { status: 'issued' });
  assert.equal(issued.statusCode, 302);
  assert.match((await receptionist.get(String(issued.headers.location))).body, /Marked as issued\./);
  assert.deepEqual(
    (await outbox(a.itemId)).map((m) => m.kind),
    ['prescription-approved', 'prescription-issued'],
  );
  const again = await receptionist.submit(aPage, `${aPage}/status`, { status: 'issued' });
  assert.equal(again.statusCode, 409);
  assert.match(again.body, /cannot be marked issued: it is issued/);
  const wrong = await receptionist.submit(aPage, `${aPage}/status`, { status: 'eaten' });
  assert.equal(wrong.statusCode, 400);
  for (const step of ['sent', 'ready', 'collected'])
    assert.equal((await receptionist.submit(aPage, `${aPage}/status`, { status: step })).statusCode, 302);
  assert.equal((await itemStatus(t.db.db, a.itemId)).status, 'collected');
  assert.equal((await outbox(a.itemId)).length, 2, 'issued is told once');
  const steps = await t.db.db
    .selectFrom('audit_events')
    .select(['action', 'outcome'])
    .where('subject', '=', `prescription-item:${a.itemId}`)
    .where('action', '<>', 'prescriptions.item.view')
    .execute();
  const by = (outcome: string) =>
    steps
      .filter((x) => x.outcome === outcome)
      .map((x) => x.action)
      .sort();
  assert.deepEqual(by('success'), [
    'prescription.approve',
    'prescription.collected',
    'prescription.issued',
    'prescription.ready',
    'prescription.sent',
  ]);
  assert.deepEqual(by('failure'), ['prescription.issued'], 'the refused second "issued"');
});
