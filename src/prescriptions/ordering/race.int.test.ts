// One repeat cannot be requested twice at once: two devices, a double press, a retry with an
// Idempotency-Key, and orders that overlap, all truly concurrent. Run on PostgreSQL too
// (DATABASE_URL=postgres://… npx node --test src/prescriptions/ordering/race.int.test.ts):
// PGlite runs one query at a time and hides races.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { fixedClock, testApp, type TestApp } from '../../../test/support/harness.ts';
import { clinician } from '../../../test/support/prescription-queue.ts';
import { AppError } from '../../platform/http/errors.ts';
import { decide } from '../queue/service.ts';
import {
  addOrderer,
  addPractice,
  addRepeat,
  setSettings,
  type Patient,
} from '../../../test/support/ordering.ts';

const clock = fixedClock('2026-12-07T10:00:00Z');
let t: TestApp;
let n = 100;
const patient = () => addOrderer(t, clock, { n: n++ });

const order = (p: Patient, items: string[], key?: string, note?: string) =>
  t.app.inject({
    method: 'POST',
    url: '/api/v1/prescriptions/requests',
    payload: { items, ...(note ? { note } : {}) },
    headers: { authorization: `Bearer ${p.token}`, ...(key ? { 'idempotency-key': key } : {}) },
  });

async function openItems(templateIds: string[]): Promise<number> {
  const r = await t.db.db
    .selectFrom('prescription_request_items')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('template_id', 'in', templateIds)
    .where('status', 'in', ['requested', 'approved'])
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

async function requestsOf(patientId: string): Promise<number> {
  const r = await t.db.db
    .selectFrom('prescription_requests')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('patient_id', '=', patientId)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

before(async () => {
  t = await testApp({ clock });
  await addPractice(t);
  await setSettings(t, {});
});
after(async () => {
  await t.close();
});

test('HAZ-21 ten devices order the same repeat at once: one order, nine told it is already requested', async () => {
  const p = await patient();
  const a = await addRepeat(t, p.patientId);
  const answers = await Promise.all(Array.from({ length: 10 }, () => order(p, [a])));
  assert.deepEqual(answers.map((r) => r.statusCode).sort(), [201, ...Array<number>(9).fill(409)]);
  for (const r of answers.filter((x) => x.statusCode === 409))
    assert.deepEqual(
      r.json<{ errors: { item: string; reason: string }[] }>().errors.map((e) => [e.item, e.reason]),
      [[a, 'already-requested']],
    );
  assert.equal(await openItems([a]), 1);
  assert.equal(await requestsOf(p.patientId), 1);
});

test('HAZ-21 a double press with one Idempotency-Key: one order, every answer the same order', async () => {
  const p = await patient();
  const a = await addRepeat(t, p.patientId);
  const b = await addRepeat(t, p.patientId);
  const key = 'double-press-key-1';
  const answers = await Promise.all(Array.from({ length: 8 }, () => order(p, [a, b], key)));
  assert.deepEqual(answers.map((r) => r.statusCode).sort(), [200, 200, 200, 200, 200, 200, 200, 201]);
  const ids = new Set(answers.map((r) => r.json<{ id: string }>().id));
  assert.equal(ids.size, 1, 'every answer names the one order');
  assert.ok(
    answers.filter((r) => r.statusCode === 200).every((r) => r.headers['idempotent-replayed'] === 'true'),
  );
  assert.equal(await openItems([a, b]), 2);
  assert.equal(await requestsOf(p.patientId), 1);
});

test('HAZ-21 a retry with the key after success answers with the first order; the key with another order is refused', async () => {
  const p = await patient();
  const a = await addRepeat(t, p.patientId);
  const b = await addRepeat(t, p.patientId);
  const first = await order(p, [a], 'retry-key-0001');
  assert.equal(first.statusCode, 201, first.body);
  const retry = await order(p, [a], 'retry-key-0001');
  assert.equal(retry.statusCode, 200);
  assert.equal(retry.json<{ id: string }>().id, first.json<{ id: string }>().id);
  const other = await order(p, [b], 'retry-key-0001');
  assert.equal(other.statusCode, 409);
  assert.equal(other.json<{ reason: string; requestId: string }>().reason, 'idempotency-key-reused');
  assert.equal(other.json<{ requestId: string }>().requestId, first.json<{ id: string }>().id);
  assert.equal(await requestsOf(p.patientId), 1, 'nothing more ordered');
  // A key of a refused order is not kept: after fixing the order, the same key orders.
  const refused = await order(p, [a, b], 'retry-key-0002');
  assert.equal(refused.statusCode, 409);
  const fixed = await order(p, [b], 'retry-key-0002');
  assert.equal(fixed.statusCode, 201, fixed.body);
});

test('HAZ-21 orders that overlap from two devices at once never deadlock and never open a repeat twice', async () => {
  const p = await patient();
  const ids = [
    await addRepeat(t, p.patientId),
    await addRepeat(t, p.patientId),
    await addRepeat(t, p.patientId),
  ];
  const [a, b, c] = ids as [string, string, string];
  const answers = await Promise.all([
    order(p, [a, b]),
    order(p, [c, b]),
    order(p, [b, a]),
    order(p, [c, a]),
    order(p, [a, b, c]),
  ]);
  const ok = answers.filter((r) => r.statusCode === 201);
  assert.ok(ok.length >= 1, 'at least one order goes through');
  assert.ok(
    answers.every((r) => r.statusCode === 201 || r.statusCode === 409),
    answers.map((r) => r.body).join('\n'),
  );
  assert.equal(
    await openItems(ids),
    ok.map((r) => r.json<{ items: unknown[] }>().items.length).reduce((x, y) => x + y, 0),
  );
  for (const id of ids) assert.ok((await openItems([id])) <= 1, 'one open item a repeat');
});

test('cancelling and ordering again at once from two devices: at most one open item', async () => {
  const p = await patient();
  const a = await addRepeat(t, p.patientId);
  const first = (await order(p, [a])).json<{ id: string; items: { id: string }[] }>();
  const cancel = () =>
    t.app.inject({
      method: 'DELETE',
      url: `/api/v1/prescriptions/requests/${first.id}/items/${first.items[0]?.id ?? ''}`,
      headers: { authorization: `Bearer ${p.token}` },
    });
  const answers = await Promise.all([cancel(), cancel(), order(p, [a]), order(p, [a])]);
  const codes = answers.map((r) => r.statusCode);
  assert.deepEqual(codes.slice(0, 2).sort(), [204, 409], 'one cancel wins');
  assert.ok((await openItems([a])) <= 1);
});

test('HAZ-21 a patient cancelling while a prescriber approves: exactly one of them wins, every time', async () => {
  const p = await patient();
  const gp = await clinician(t.db.db, 'Dr Race');
  for (let i = 0; i < 10; i++) {
    const a = await addRepeat(t, p.patientId);
    const made = (await order(p, [a])).json<{ id: string; items: { id: string }[] }>();
    const itemId = made.items[0]?.id ?? '';
    // The queue's own approval, as a prescriber's click makes it.
    const approve = decide({ db: t.db.db, clock, meta: null }, gp, { itemId, decision: 'approve' }).then(
      () => true,
      (err: unknown) => {
        if (err instanceof AppError && err.reason === 'already-decided') return false;
        throw err;
      },
    );
    const cancel = t.app.inject({
      method: 'DELETE',
      url: `/api/v1/prescriptions/requests/${made.id}/items/${itemId}`,
      headers: { authorization: `Bearer ${p.token}` },
    });
    const [approvedOne, cancelled] = await Promise.all([approve, cancel]);
    assert.equal(approvedOne, cancelled.statusCode === 409, cancelled.body);
    assert.equal(!approvedOne, cancelled.statusCode === 204);
    const now = await t.db.db
      .selectFrom('prescription_request_items')
      .select('status')
      .where('id', '=', itemId)
      .executeTakeFirstOrThrow();
    assert.equal(now.status, approvedOne ? 'approved' : 'cancelled');
    const issues = await t.db.db
      .selectFrom('prescription_issues')
      .select('id')
      .where('request_item_id', '=', itemId)
      .execute();
    assert.equal(issues.length, approvedOne ? 1 : 0, 'an issue only for the approval that won');
  }
});
