// The patient's repeat prescriptions API: every state a repeat can be in, ordering several items
// (all or none), the rules refusing each item by name, cancelling while requested, the patient's
// and the practice's switches, and the expected ready day in England and Wales working days.
// The clock stands at Monday 7 December 2026, 10:00 in London.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { fixedClock, testApp, type TestApp } from '../../../test/support/harness.ts';
import {
  addOrderer,
  addPractice,
  addRepeat,
  decide,
  nominate,
  setSettings,
  type Patient,
} from '../../../test/support/ordering.ts';

const clock = fixedClock('2026-12-07T10:00:00Z');
let t: TestApp;
let n = 0;
const patient = (o: { services?: string; proofing?: string } = {}) => addOrderer(t, clock, { n: n++, ...o });

const api = (p: Patient, method: 'GET' | 'POST' | 'DELETE', url: string, payload?: object, headers = {}) =>
  t.app.inject({ method, url, payload, headers: { authorization: `Bearer ${p.token}`, ...headers } });

type RepeatJson = {
  id: string;
  orderable: boolean;
  early: boolean;
  not_orderable_reason: string | null;
  available_from: string | null;
  due_on: string | null;
  open_item: { status: string } | null;
};
type RequestJson = {
  id: string;
  expected_ready_on: string;
  pharmacy: { ods_code: string } | null;
  items: {
    id: string;
    repeat_id: string;
    status: string;
    can_cancel: boolean;
    early: boolean;
    reject_reason: string | null;
  }[];
};
type Problem = { reason: string; errors?: { item: string; reason: string; detail: string; from?: string }[] };

async function repeats(p: Patient): Promise<Map<string, RepeatJson>> {
  const r = await api(p, 'GET', '/api/v1/prescriptions/repeats');
  assert.equal(r.statusCode, 200, r.body);
  return new Map(r.json<{ repeats: RepeatJson[] }>().repeats.map((x) => [x.id, x]));
}

async function itemCount(patientId: string): Promise<number> {
  const r = await t.db.db
    .selectFrom('prescription_request_items')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('patient_id', '=', patientId)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

before(async () => {
  t = await testApp({ clock });
  await addPractice(t);
  await addPractice(t, 'N81001');
  await setSettings(t, {});
});
after(async () => {
  await t.close();
});

test('HAZ-22 every repeat says whether it can be ordered now and, if not, why and from when', async () => {
  const p = await patient();
  const id = {
    orderable: await addRepeat(t, p.patientId),
    tooEarly: await addRepeat(t, p.patientId, { lastIssuedAt: '2026-12-01T10:00:00Z' }),
    early: await addRepeat(t, p.patientId, { lastIssuedAt: '2026-11-20T10:00:00Z' }),
    review: await addRepeat(t, p.patientId, { reviewDate: '2026-12-07' }),
    noneLeft: await addRepeat(t, p.patientId, { issuesAuthorised: 6, issuesMade: 6 }),
    acute: await addRepeat(t, p.patientId, { type: 'acute', issuesAuthorised: 1 }),
    notOnline: await addRepeat(t, p.patientId, { onlineOrderable: false }),
    suspended: await addRepeat(t, p.patientId, { status: 'suspended' }),
    expired: await addRepeat(t, p.patientId, { repeatUntil: '2026-12-06' }),
  };
  const ended = await addRepeat(t, p.patientId, { status: 'ended' });
  const list = await repeats(p);
  assert.equal(list.has(ended), false, 'an ended repeat is not listed');
  const stopped = await api(p, 'POST', '/api/v1/prescriptions/requests', { items: [ended] });
  assert.equal(stopped.json<Problem>().errors?.[0]?.reason, 'ended', 'ordering it says it was stopped');
  const reason = (k: keyof typeof id) => list.get(id[k])?.not_orderable_reason;
  assert.equal(list.get(id.orderable)?.orderable, true);
  assert.equal(reason('tooEarly'), 'too-early');
  assert.equal(
    list.get(id.tooEarly)?.available_from,
    '2026-12-15',
    'due 22 December, a week early from the 15th',
  );
  assert.equal(list.get(id.early)?.early, true);
  assert.equal(list.get(id.early)?.due_on, '2026-12-11');
  assert.equal(reason('review'), 'review-due', 'a review due today stops the order');
  assert.equal(reason('noneLeft'), 'no-issues-left');
  assert.equal(reason('acute'), 'acute', 'acute items are shown, never orderable');
  assert.equal(reason('notOnline'), 'not-online');
  assert.equal(reason('suspended'), 'suspended');
  assert.equal(reason('expired'), 'expired', 'repeat until yesterday: expired');
  const audited = await t.db.db
    .selectFrom('audit_events')
    .select('action')
    .where('patient_id', '=', p.patientId)
    .where('action', '=', 'prescription.repeats.list')
    .execute();
  assert.equal(audited.length, 1, 'reading the list is audited');
});

test('the day before and the day a repeat may be ordered early', async () => {
  const p = await patient();
  // Last issued 22 November, 28 days: due 13 December, orderable early from 6 December.
  const onTheDay = await addRepeat(t, p.patientId, { lastIssuedAt: '2026-11-22T12:00:00Z' });
  // Last issued 23 November: due 14 December, early from 7 December (today).
  const today = await addRepeat(t, p.patientId, { lastIssuedAt: '2026-11-23T12:00:00Z' });
  // Last issued 24 November: early from 8 December (tomorrow).
  const tomorrow = await addRepeat(t, p.patientId, { lastIssuedAt: '2026-11-24T12:00:00Z' });
  const list = await repeats(p);
  assert.equal(list.get(onTheDay)?.early, true);
  assert.equal(list.get(today)?.early, true, 'the first day of the window');
  assert.equal(list.get(tomorrow)?.not_orderable_reason, 'too-early');
  assert.equal(list.get(tomorrow)?.available_from, '2026-12-08');
});

test('ordering two items: one order, each item requested, the pharmacy nominated, ready in two working days, audited', async () => {
  const p = await patient();
  await nominate(t, p.patientId);
  const a = await addRepeat(t, p.patientId, { drug: 'Amlodipine 5mg tablets' });
  const b = await addRepeat(t, p.patientId, { drug: 'Simvastatin 20mg tablets' });
  const r = await api(p, 'POST', '/api/v1/prescriptions/requests', { items: [a, b], note: 'Thanks' });
  assert.equal(r.statusCode, 201, r.body);
  const order = r.json<RequestJson>();
  assert.equal(order.expected_ready_on, '2026-12-09', 'Monday plus two working days');
  assert.equal(order.pharmacy?.ods_code, 'FA123');
  assert.deepEqual(
    order.items.map((i) => [i.repeat_id, i.status, i.can_cancel]).sort(),
    [
      [a, 'requested', true],
      [b, 'requested', true],
    ].sort(),
  );
  const list = await repeats(p);
  assert.equal(list.get(a)?.not_orderable_reason, 'already-requested');
  assert.equal(list.get(a)?.open_item?.status, 'requested');
  const history = await api(p, 'GET', '/api/v1/prescriptions/requests');
  assert.deepEqual(
    history.json<{ requests: RequestJson[] }>().requests,
    [order],
    'the answer is the order as stored',
  );
  const stored = await t.db.db
    .selectFrom('prescription_requests')
    .select(['note', 'pharmacy_ods', 'channel'])
    .where('id', '=', order.id)
    .executeTakeFirstOrThrow();
  assert.deepEqual(stored, { note: 'Thanks', pharmacy_ods: 'FA123', channel: 'api' });
  const audit = await t.db.db
    .selectFrom('audit_events')
    .select('action')
    .where('subject', '=', `prescription-request:${order.id}`)
    .execute();
  assert.deepEqual(
    audit.map((x) => x.action),
    ['prescription.order'],
  );
  const again = await api(p, 'POST', '/api/v1/prescriptions/requests', { items: [a] });
  assert.equal(again.statusCode, 409);
  assert.deepEqual(
    again.json<Problem>().errors?.map((e) => [e.item, e.reason]),
    [[a, 'already-requested']],
  );
});

test('an order with one item the rules refuse orders nothing and names the item and the rule', async () => {
  const p = await patient();
  const ok = await addRepeat(t, p.patientId);
  const early = await addRepeat(t, p.patientId, { lastIssuedAt: '2026-12-01T10:00:00Z' });
  const other = await patient();
  const theirs = await addRepeat(t, other.patientId);
  const r = await api(p, 'POST', '/api/v1/prescriptions/requests', { items: [ok, early, theirs] });
  assert.equal(r.statusCode, 409, r.body);
  const body = r.json<Problem>();
  assert.equal(body.reason, 'not-orderable');
  assert.deepEqual(
    body.errors?.map((e) => [e.item, e.reason, e.from]),
    [
      [early, 'too-early', '2026-12-15'],
      [theirs, 'no-such-repeat', undefined],
    ],
  );
  assert.match(JSON.stringify(body.errors), /Tuesday 15 December 2026/);
  assert.equal(await itemCount(p.patientId), 0, 'nothing half-written');
  const twice = await api(p, 'POST', '/api/v1/prescriptions/requests', { items: [ok, ok] });
  assert.equal(twice.statusCode, 400);
  assert.equal(twice.json<Problem>().reason, 'repeated-item');
  const none = await api(p, 'POST', '/api/v1/prescriptions/requests', { items: [] });
  assert.equal(none.statusCode, 400);
});

test('an early order needs a reason when the practice asks for one, and keeps it', async () => {
  const p = await patient();
  const early = await addRepeat(t, p.patientId, { lastIssuedAt: '2026-11-20T10:00:00Z' });
  const ok = await addRepeat(t, p.patientId);
  const without = await api(p, 'POST', '/api/v1/prescriptions/requests', {
    items: [ok, early],
    reason: '  ',
  });
  assert.equal(without.statusCode, 400, without.body);
  assert.deepEqual(
    without.json<Problem>().errors?.map((e) => [e.item, e.reason]),
    [[early, 'early-reason-required']],
  );
  assert.equal(await itemCount(p.patientId), 0);
  const r = await api(p, 'POST', '/api/v1/prescriptions/requests', {
    items: [ok, early],
    reason: 'Going on holiday',
  });
  assert.equal(r.statusCode, 201, r.body);
  const order = r.json<RequestJson & { early_reason: string }>();
  assert.equal(order.early_reason, 'Going on holiday');
  assert.deepEqual(
    order.items.map((i) => [i.repeat_id, i.early]).sort(),
    [
      [ok, false],
      [early, true],
    ].sort(),
  );

  await setSettings(t, { earlyReasonRequired: false });
  try {
    const q = await patient();
    const e2 = await addRepeat(t, q.patientId, { lastIssuedAt: '2026-11-20T10:00:00Z' });
    const plain = await addRepeat(t, q.patientId);
    const r2 = await api(q, 'POST', '/api/v1/prescriptions/requests', { items: [e2] });
    assert.equal(r2.statusCode, 201, 'the practice does not ask for a reason');
    const r3 = await api(q, 'POST', '/api/v1/prescriptions/requests', {
      items: [plain],
      reason: 'not early',
    });
    assert.equal(
      r3.json<{ early_reason: string | null }>().early_reason,
      null,
      'no reason kept when nothing is early',
    );
  } finally {
    await setSettings(t, {});
  }
});

test('cancelling an item while requested: it can be ordered again; after a decision it cannot be cancelled', async () => {
  const p = await patient();
  const a = await addRepeat(t, p.patientId);
  const b = await addRepeat(t, p.patientId, { drug: 'Ramipril 2.5mg capsules' });
  const order = (
    await api(p, 'POST', '/api/v1/prescriptions/requests', { items: [a, b] })
  ).json<RequestJson>();
  const itemA = order.items.find((i) => i.repeat_id === a)!;
  const itemB = order.items.find((i) => i.repeat_id === b)!;
  const url = (i: string) => `/api/v1/prescriptions/requests/${order.id}/items/${i}`;
  const other = await patient();
  assert.equal(
    (await api(other, 'DELETE', url(itemA.id))).statusCode,
    404,
    'another patient’s item is not found',
  );
  assert.equal((await api(p, 'DELETE', url(itemA.id))).statusCode, 204);
  assert.equal((await repeats(p)).get(a)?.orderable, true, 'cancelled: orderable again');
  const twice = await api(p, 'DELETE', url(itemA.id));
  assert.equal(twice.statusCode, 409);
  assert.equal(twice.json<Problem>().reason, 'not-cancellable');
  await decide(t, itemB.id, 'rejected', 'You need a blood test first');
  const late = await api(p, 'DELETE', url(itemB.id));
  assert.equal(late.statusCode, 409, 'rejected: no longer cancellable');
  const listed = (await api(p, 'GET', '/api/v1/prescriptions/requests')).json<{ requests: RequestJson[] }>();
  const statuses = listed.requests[0]!.items.map((i) => [i.repeat_id, i.status, i.reject_reason]).sort();
  assert.deepEqual(
    statuses,
    [
      [a, 'cancelled', null],
      [b, 'rejected', 'You need a blood test first'],
    ].sort(),
  );
  const audit = await t.db.db
    .selectFrom('audit_events')
    .select('action')
    .where('subject', '=', `prescription-item:${itemA.id}`)
    .where('outcome', '=', 'success')
    .execute();
  assert.deepEqual(
    audit.map((x) => x.action),
    ['prescription.item.cancel'],
  );
  assert.equal((await api(p, 'GET', '/api/v1/prescriptions/requests?page=2')).statusCode, 404);
});

test('the patient’s switch and identity level, and the practice’s online ordering, are respected', async () => {
  const off = await patient({ services: 'appointments' });
  const r = await api(off, 'GET', '/api/v1/prescriptions/repeats');
  assert.equal(r.statusCode, 403);
  assert.equal(r.json<Problem>().reason, 'repeats-off');
  const p5 = await patient({ proofing: 'P5' });
  assert.equal((await api(p5, 'GET', '/api/v1/prescriptions/repeats')).statusCode, 403, 'ordering needs P9');
  assert.equal((await api(off, 'GET', '/api/v1/prescriptions/requests')).statusCode, 403);

  const p = await patient();
  const a = await addRepeat(t, p.patientId);
  await setSettings(t, { onlineOrdering: false });
  try {
    const list = await api(p, 'GET', '/api/v1/prescriptions/repeats');
    const body = list.json<{ online_ordering: boolean; repeats: RepeatJson[] }>();
    assert.equal(body.online_ordering, false);
    assert.equal(body.repeats[0]?.not_orderable_reason, 'ordering-off');
    const order = await api(p, 'POST', '/api/v1/prescriptions/requests', { items: [a] });
    assert.equal(order.statusCode, 409);
    assert.equal(order.json<Problem>().errors?.[0]?.reason, 'ordering-off');
    assert.equal(await itemCount(p.patientId), 0);
  } finally {
    await setSettings(t, {});
  }
  const elsewhere = await addOrderer(t, clock, { n: n++, ods: 'N81001' });
  const r2 = await api(elsewhere, 'POST', '/api/v1/prescriptions/requests', { items: [a] });
  assert.equal(
    r2.json<Problem>().errors?.[0]?.reason,
    'no-such-repeat',
    'another practice’s repeat is not theirs',
  );
});

test('HAZ-23 expected ready days skip weekends and bank holidays, and count from England’s day', async () => {
  /** Orders one repeat with the clock at `at`; the answer's expected ready day. */
  const readyWhenOrderedAt = async (at: string) => {
    clock.set(at);
    const p = await patient();
    const r = await api(p, 'POST', '/api/v1/prescriptions/requests', {
      items: [await addRepeat(t, p.patientId)],
    });
    assert.equal(r.statusCode, 201, r.body);
    return r.json<RequestJson>().expected_ready_on;
  };
  try {
    // Wednesday 23 December 2026: Christmas Day (Friday) and Boxing Day moved to Monday 28th.
    assert.equal(await readyWhenOrderedAt('2026-12-23T15:00:00Z'), '2026-12-29');
    // Friday 4 December: Monday and Tuesday next week.
    assert.equal(await readyWhenOrderedAt('2026-12-04T16:00:00Z'), '2026-12-08');
    // Saturday: counted from Monday, as if ordered then.
    assert.equal(await readyWhenOrderedAt('2026-12-05T11:00:00Z'), '2026-12-09');
    // 00:30 on Friday 10 July 2026 in summer time is still Thursday in UTC: England's Friday counts.
    assert.equal(await readyWhenOrderedAt('2026-07-09T23:30:00Z'), '2026-07-14');
    // A turnaround of three working days, the day after the early May bank holiday week-end.
    await setSettings(t, { turnaroundDays: 3 });
    assert.equal(
      await readyWhenOrderedAt('2026-05-01T09:00:00Z'),
      '2026-05-07',
      'Friday, then Tue Wed Thu (4 May is a bank holiday)',
    );
  } finally {
    await setSettings(t, {});
    clock.set('2026-12-07T10:00:00Z');
  }
});

test('an order still on its way after its ready day keeps the day and says it has passed', async () => {
  const p = await patient();
  const a = await addRepeat(t, p.patientId);
  assert.equal((await api(p, 'POST', '/api/v1/prescriptions/requests', { items: [a] })).statusCode, 201);
  const passed = async () =>
    (await api(p, 'GET', '/api/v1/prescriptions/requests')).json<{
      requests: { expected_ready_on: string; ready_day_passed: boolean }[];
    }>().requests[0];
  const onTime = await passed();
  assert.equal(onTime?.expected_ready_on, '2026-12-09');
  assert.equal(onTime.ready_day_passed, false);
  const then = new Date('2026-12-01T10:00:00Z');
  await t.db.db
    .updateTable('prescription_requests')
    .set({ requested_at: then })
    .where('patient_id', '=', p.patientId)
    .execute();
  const late = await passed();
  assert.equal(late?.expected_ready_on, '2026-12-03');
  assert.equal(late.ready_day_passed, true);
});
