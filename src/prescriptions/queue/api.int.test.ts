// The practice's prescription queue API: the queue with the prescriber's context, a decision on
// one item (refusals name the item and the rule), dispensing steps, who may do what, and the
// response schemas strip anything unlisted. A double press of "approve" makes one issue.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { apiToken, fixedClock, testApp, type TestApp } from '../../../test/support/harness.ts';
import {
  issuesOf,
  itemStatus,
  patientOfAccount,
  seedItem,
} from '../../../test/support/prescription-queue.ts';
import { DEMO_PASSWORD, DEMO_PATIENTS, DEMO_STAFF } from '../../demo/data.ts';
import { loadDemo } from '../../demo/load.ts';

const clock = fixedClock('2026-12-01T10:00:00Z');
const gp = DEMO_STAFF.find((s) => s.email === 'gp@ryan.demo.gp-online.test')!;
const otherGp = DEMO_STAFF.find((s) => s.email === 'gp@audlem.demo.gp-online.test')!;
const reception = DEMO_STAFF.find((s) => s.email === 'reception@ryan.demo.gp-online.test')!;
const p5 = DEMO_PATIENTS.find((p) => p.email === 'p5.patient@demo.gp-online.test')!;
let t: TestApp;
let gpToken = '';
let receptionToken = '';
let otherGpToken = '';
let patientToken = '';
let patient = '';

before(async () => {
  t = await testApp({ clock });
  await loadDemo(t.db.db, clock);
  await t.db.db
    .updateTable('prescription_request_items')
    .set({ status: 'collected' })
    .where('practice_ods', '=', 'P81082')
    .execute();
  gpToken = await apiToken(t.app, gp.email, DEMO_PASSWORD, gp.totpSecret, clock);
  receptionToken = await apiToken(t.app, reception.email, DEMO_PASSWORD, reception.totpSecret, clock);
  otherGpToken = await apiToken(t.app, otherGp.email, DEMO_PASSWORD, otherGp.totpSecret, clock);
  patientToken = await apiToken(t.app, p5.email, DEMO_PASSWORD, p5.totpSecret, clock);
  patient = await patientOfAccount(t.db.db, p5.email);
});
after(async () => {
  await t.close();
});

const api = (token: string, method: 'GET' | 'POST', url: string, payload?: object) =>
  t.app.inject({ method, url, payload, headers: { authorization: `Bearer ${token}` } });
const LIST = '/api/v1/practice/prescriptions/requests';
const decision = (id: string) => `/api/v1/practice/prescriptions/items/${id}/decision`;
const step = (id: string) => `/api/v1/practice/prescriptions/items/${id}/status`;

test('the queue as JSON: every listed field, the context, overdue, filters; others are turned away', async () => {
  const s = await seedItem(t.db.db, {
    patientId: patient,
    requestedAt: new Date('2026-11-26T16:00:00Z'),
    drug: 'Lisinopril 10mg tablets',
    note: 'Thank you',
  });
  const r = await api(gpToken, 'GET', LIST);
  assert.equal(r.statusCode, 200, r.body);
  const body = r.json<{ page: number; pages: number; total: number; items: Record<string, unknown>[] }>();
  assert.equal(body.page, 1);
  assert.equal(body.total, 1);
  const item = body.items[0]!;
  assert.deepEqual(Object.keys(item).sort(), [
    'abnormal_results',
    'allergies',
    'changed_since_request',
    'dosage',
    'early',
    'early_reason',
    'id',
    'issues_authorised',
    'issues_made',
    'last_issued_at',
    'medicine',
    'note',
    'overdue',
    'patient',
    'prescriber',
    'quantity',
    'quantity_unit',
    'repeat_id',
    'repeat_until',
    'request_id',
    'requested_at',
    'review_date',
    'status',
  ]);
  assert.equal(item.id, s.itemId);
  assert.equal(item.overdue, true);
  assert.equal(item.quantity, 28);
  assert.equal(item.note, 'Thank you');
  assert.ok(Array.isArray(item.allergies));

  assert.equal((await api(gpToken, 'GET', `${LIST}?status=approved`)).json<{ total: number }>().total, 0);
  assert.equal((await api(gpToken, 'GET', `${LIST}?prescriber=none`)).json<{ total: number }>().total, 1);
  assert.equal((await api(gpToken, 'GET', `${LIST}?status=lost`)).statusCode, 400);
  assert.equal((await api(gpToken, 'GET', `${LIST}?page=2`)).statusCode, 404);
  assert.equal((await api(receptionToken, 'GET', LIST)).statusCode, 200, 'receptionists see the queue');
  assert.equal((await api(patientToken, 'GET', LIST)).statusCode, 403);
  assert.equal((await t.app.inject({ method: 'GET', url: LIST })).statusCode, 401);
  // Another practice's clinician sees their own practice's queue (its demo requests), never this one's.
  const elsewhere = await api(otherGpToken, 'GET', LIST);
  assert.equal(elsewhere.statusCode, 200);
  const theirs = elsewhere.json<{ items: { id: string }[] }>().items.map((i) => i.id);
  assert.ok(theirs.length > 0, 'their own queue is there');
  assert.ok(!theirs.includes(s.itemId), 'another practice’s clinician sees their own queue only');
  assert.equal(
    (await api(otherGpToken, 'POST', decision(s.itemId), { decision: 'approve' })).statusCode,
    404,
  );
});

test('decisions: a double press approves once; refusals name the item and the rule; steps in order', async () => {
  const s = await seedItem(t.db.db, { patientId: patient, drug: 'Bisoprolol 2.5mg tablets' });
  const [one, two] = await Promise.all([
    api(gpToken, 'POST', decision(s.itemId), { decision: 'approve' }),
    api(gpToken, 'POST', decision(s.itemId), { decision: 'approve' }),
  ]);
  const codes = [one.statusCode, two.statusCode].sort();
  assert.deepEqual(codes, [200, 409]);
  const ok = one.statusCode === 200 ? one : two;
  const no = one.statusCode === 200 ? two : one;
  const issues = await issuesOf(t.db.db, s.itemId);
  assert.deepEqual(ok.json(), { id: s.itemId, status: 'approved', issue_id: issues[0]?.id });
  assert.equal(issues.length, 1);
  const problem = no.json<{ reason: string; errors: unknown[] }>();
  assert.equal(problem.reason, 'already-decided');
  assert.deepEqual(problem.errors, [{ item: s.itemId, reason: 'already-decided' }]);

  const none = await seedItem(t.db.db, { patientId: patient, issuesAuthorised: 1, issuesMade: 1 });
  const refused = await api(gpToken, 'POST', decision(none.itemId), { decision: 'approve' });
  assert.equal(refused.statusCode, 409);
  assert.deepEqual(refused.json<{ errors: unknown }>().errors, [
    { item: none.itemId, reason: 'no-issues-left' },
  ]);
  const suspended = await seedItem(t.db.db, { patientId: patient, templateStatus: 'suspended' });
  const s2 = await api(gpToken, 'POST', decision(suspended.itemId), { decision: 'approve' });
  assert.deepEqual(s2.json<{ errors: unknown }>().errors, [
    { item: suspended.itemId, reason: 'repeat-suspended' },
  ]);

  const noReason = await api(gpToken, 'POST', decision(none.itemId), { decision: 'reject' });
  assert.equal(noReason.statusCode, 400);
  assert.match(noReason.body, /Enter a reason the patient will see/);
  assert.equal((await api(gpToken, 'POST', decision(none.itemId), { decision: 'maybe' })).statusCode, 400);
  assert.equal(
    (await api(receptionToken, 'POST', decision(none.itemId), { decision: 'approve' })).statusCode,
    403,
  );
  const rejected = await api(gpToken, 'POST', decision(none.itemId), {
    decision: 'reject',
    reason: 'No issues left: book a review',
  });
  assert.deepEqual(rejected.json(), { id: none.itemId, status: 'rejected', issue_id: null });
  assert.equal((await itemStatus(t.db.db, none.itemId)).reject_reason, 'No issues left: book a review');
  const unknown = await api(gpToken, 'POST', decision('00000000-0000-4000-8000-000000000000'), {
    decision: 'approve',
  });
  assert.equal(unknown.statusCode, 404);

  const early = await api(receptionToken, 'POST', step(suspended.itemId), { status: 'issued' });
  assert.equal(early.statusCode, 409);
  assert.deepEqual(early.json<{ errors: unknown }>().errors, [
    { item: suspended.itemId, reason: 'status-order' },
  ]);
  const issued = await api(receptionToken, 'POST', step(s.itemId), { status: 'issued' });
  assert.deepEqual(issued.json(), { id: s.itemId, status: 'issued' });
  assert.equal((await api(receptionToken, 'POST', step(s.itemId), { status: 'ready' })).statusCode, 200);
  assert.equal((await api(receptionToken, 'POST', step(s.itemId), { status: 'sent' })).statusCode, 409);
  assert.equal((await api(receptionToken, 'POST', step(s.itemId), { status: 'lost' })).statusCode, 400);
  assert.equal((await api(patientToken, 'POST', step(s.itemId), { status: 'collected' })).statusCode, 403);
  assert.equal((await itemStatus(t.db.db, s.itemId)).status, 'ready');
});
