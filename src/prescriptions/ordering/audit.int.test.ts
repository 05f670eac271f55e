// Refusals on the patient's side are audited as well as what succeeds: an order refused (a rule,
// its shape, a key used for another order) and a cancel refused (not found, no longer requested),
// each naming the repeats or the item and the reason, with outcome failure.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import { fixedClock, testApp, type TestApp } from '../../../test/support/harness.ts';
import {
  addOrderer,
  addPractice,
  addRepeat,
  decide,
  setSettings,
  type Patient,
} from '../../../test/support/ordering.ts';

const clock = fixedClock('2026-12-07T10:00:00Z');
let t: TestApp;
let n = 800;
before(async () => {
  t = await testApp({ clock });
  await addPractice(t);
  await setSettings(t, {});
});
after(async () => {
  await t.close();
});

const order = (p: Patient, items: string[], key?: string) =>
  t.app.inject({
    method: 'POST',
    url: '/api/v1/prescriptions/requests',
    headers: { authorization: `Bearer ${p.token}`, ...(key ? { 'idempotency-key': key } : {}) },
    payload: { items },
  });

async function failures(patientId: string, action: string) {
  const rows = await t.db.db
    .selectFrom('audit_events')
    .select(['subject', 'details', 'outcome'])
    .where('patient_id', '=', patientId)
    .where('action', '=', action)
    .where('outcome', '=', 'failure')
    .execute();
  // Rows spread over several chains: sorted by the reason, not by where they landed.
  return rows
    .map((r) => ({
      subject: r.subject,
      details: typeof r.details === 'string' ? (JSON.parse(r.details) as Record<string, unknown>) : r.details,
    }))
    .sort((x, y) => (String(x.details.reason) < String(y.details.reason) ? -1 : 1));
}

test('a refused order is audited with the repeats, the rule each broke and the reason', async () => {
  const p = await addOrderer(t, clock, { n: n++ });
  const a = await addRepeat(t, p.patientId);
  const ended = await addRepeat(t, p.patientId, { status: 'ended', drug: 'Atenolol 50mg tablets' });
  assert.equal((await order(p, [a], 'audit-key-0001')).statusCode, 201);
  assert.equal((await order(p, [a, ended])).statusCode, 409);
  assert.equal((await order(p, [ended], 'audit-key-0001')).statusCode, 409);
  const rows = await failures(p.patientId, 'prescription.order');
  assert.equal(rows.length, 2, JSON.stringify(rows));
  const byReason = (r: string) => rows.find((x) => x.details.reason === r)?.details;
  assert.deepEqual(byReason('not-orderable'), {
    reason: 'not-orderable',
    items: [a, ended],
    refused: [
      { item: a, reason: 'already-requested' },
      { item: ended, reason: 'ended' },
    ],
    channel: 'api',
  });
  assert.deepEqual(byReason('idempotency-key-reused')?.items, [ended]);
});

test('a refused cancel is audited with the item and why: no longer requested, or no such item', async () => {
  const p = await addOrderer(t, clock, { n: n++ });
  const a = await addRepeat(t, p.patientId);
  const made = (await order(p, [a])).json<{ id: string; items: { id: string }[] }>();
  const itemId = made.items.at(0)?.id ?? '';
  await decide(t, itemId, 'approved');
  const cancel = (request: string, item: string) =>
    t.app.inject({
      method: 'DELETE',
      url: `/api/v1/prescriptions/requests/${request}/items/${item}`,
      headers: { authorization: `Bearer ${p.token}` },
    });
  assert.equal((await cancel(made.id, itemId)).statusCode, 409);
  const other = randomUUID();
  assert.equal((await cancel(made.id, other)).statusCode, 404);
  const rows = await failures(p.patientId, 'prescription.item.cancel');
  assert.deepEqual(rows, [
    {
      subject: `prescription-item:${itemId}`,
      details: { reason: 'not-cancellable', requestId: made.id, itemId, itemStatus: 'approved' },
    },
    {
      subject: `prescription-item:${other}`,
      details: { reason: 'not-found', requestId: made.id, itemId: other },
    },
  ]);
});
