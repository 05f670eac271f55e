// The patient's repeat prescription pages: the repeats with why and when, the order form, check
// your answers, the order sent (expected ready day, nominated pharmacy), a double press, the
// orders with each item's status and a rejection's reason, cancelling, and the problems named.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { signInPatient } from '../../../test/support/accounts.ts';
import { fixedClock, testApp, type Browser, type TestApp } from '../../../test/support/harness.ts';
import {
  addOrderer,
  addPractice,
  addRepeat,
  decide,
  nominate,
  PASSWORD,
  SECRET,
  setSettings,
} from '../../../test/support/ordering.ts';

const clock = fixedClock('2026-12-07T10:00:00Z');
let t: TestApp;
let n = 200;

async function signedIn(services = 'repeats,appointments'): Promise<{ b: Browser; patientId: string }> {
  const p = await addOrderer(t, clock, { n: n++, services, token: false });
  return {
    b: await signInPatient(t.app, { email: p.email, password: PASSWORD, secret: SECRET, clock }),
    patientId: p.patientId,
  };
}

/** The check page's hidden fields and key, as the browser would send them back. */
function hidden(body: string): Record<string, string | string[]> {
  const items = [...body.matchAll(/name="items" value="([^"]+)"/g)].map((m) => m[1] ?? '');
  const key = /name="idempotencyKey" value="([^"]+)"/.exec(body)?.[1] ?? '';
  const csrf = /name="_csrf" value="([^"]+)"/.exec(body)?.[1] ?? '';
  const note = /name="note" value="([^"]*)"/.exec(body)?.[1] ?? '';
  const earlyReason = /name="earlyReason" value="([^"]*)"/.exec(body)?.[1] ?? '';
  return { items, idempotencyKey: key, _csrf: csrf, note, earlyReason };
}

before(async () => {
  t = await testApp({ clock });
  await addPractice(t);
  await setSettings(t, {});
});
after(async () => {
  await t.close();
});

test('the repeats page says which can be ordered, and why and when the others cannot, with the review link', async () => {
  const { b, patientId } = await signedIn();
  await addRepeat(t, patientId, { drug: 'Amlodipine 5mg tablets' });
  await addRepeat(t, patientId, { drug: 'Simvastatin 20mg tablets', lastIssuedAt: '2026-12-01T10:00:00Z' });
  await addRepeat(t, patientId, { drug: 'Metformin 500mg tablets', reviewDate: '2026-11-30' });
  await addRepeat(t, patientId, { drug: 'Amoxicillin 500mg capsules', type: 'acute', issuesAuthorised: 1 });
  const page = await b.get('/patient/prescriptions');
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /Your repeat prescriptions/);
  assert.match(page.body, /You can order it from Tuesday 15 December 2026/);
  assert.match(page.body, /Your medication review was due on Monday 30 November 2026/);
  assert.match(page.body, /href="\/patient\/appointments">Book a review appointment/);
  assert.match(page.body, /This was a one-off prescription/);
  assert.match(page.body, /href="\/patient\/prescriptions\/order"/);
});

test('without online booking the review is booked by contacting the practice', async () => {
  const { b, patientId } = await signedIn('repeats');
  await addRepeat(t, patientId, { reviewDate: '2026-11-30' });
  const page = await b.get('/patient/prescriptions');
  assert.match(page.body, /Contact your GP practice to book a review/);
  assert.doesNotMatch(page.body, /Book a review appointment/);
});

test('a patient orders two items: check your answers, the order sent with the ready day and pharmacy; a second press orders nothing more', async () => {
  const { b, patientId } = await signedIn();
  await nominate(t, patientId, 'FB456');
  const a = await addRepeat(t, patientId, { drug: 'Amlodipine 5mg tablets' });
  const c = await addRepeat(t, patientId, { drug: 'Ramipril 2.5mg capsules' });
  const form = await b.get('/patient/prescriptions/order');
  assert.equal(form.statusCode, 200);
  const key = /name="idempotencyKey" value="([^"]+)"/.exec(form.body)?.[1] ?? '';
  const check = await b.submit('/patient/prescriptions/order', '/patient/prescriptions/order', {
    items: [a, c],
    note: 'Please send to my usual pharmacy',
    idempotencyKey: key,
    step: 'check',
  });
  assert.equal(check.statusCode, 200, check.body);
  assert.match(check.body, /Check your order before sending it/);
  assert.match(check.body, /Boots Test Street, 1 Test Street, Leeds, LS1 1AA/);
  assert.match(check.body, /Wednesday 9 December 2026/);
  assert.equal(await itemCount(patientId), 0, 'checking orders nothing');
  const fields = hidden(check.body);
  const sent = await b.post('/patient/prescriptions/order', { ...fields, step: 'confirm' });
  assert.equal(sent.statusCode, 302, sent.body);
  const again = await b.post('/patient/prescriptions/order', { ...fields, step: 'confirm' });
  assert.equal(again.headers.location, sent.headers.location, 'the second press lands on the same order');
  assert.equal(await itemCount(patientId), 2);
  const done = await b.get(String(sent.headers.location));
  assert.equal(done.statusCode, 200);
  assert.match(done.body, /Order sent/);
  assert.match(done.body, /Expected to be ready on Wednesday 9 December 2026/);
  assert.match(done.body, /Boots Test Street/);
  assert.match(done.body, /Please send to my usual pharmacy/);
  const channel = await t.db.db
    .selectFrom('prescription_requests')
    .select('channel')
    .where('patient_id', '=', patientId)
    .executeTakeFirstOrThrow();
  assert.equal(channel.channel, 'web');
});

test('the change button keeps the choices; problems are named on the form', async () => {
  const { b, patientId } = await signedIn();
  const a = await addRepeat(t, patientId, { drug: 'Amlodipine 5mg tablets' });
  const early = await addRepeat(t, patientId, {
    drug: 'Simvastatin 20mg tablets',
    lastIssuedAt: '2026-11-20T10:00:00Z',
  });
  const none = await b.submit('/patient/prescriptions/order', '/patient/prescriptions/order', {
    step: 'check',
  });
  assert.equal(none.statusCode, 400);
  assert.match(none.body, /There is a problem/);
  assert.match(none.body, /Choose at least one medicine to order/);
  const form = await b.get('/patient/prescriptions/order');
  assert.match(form.body, /This is early: it is due on Friday 11 December 2026/);
  assert.match(form.body, /Why do you need it early\?/);
  const noReason = await b.submit('/patient/prescriptions/order', '/patient/prescriptions/order', {
    items: [a, early],
    step: 'check',
  });
  assert.equal(noReason.statusCode, 400);
  assert.match(noReason.body, /Simvastatin 20mg tablets is early: say why you need it before it is due/);
  assert.match(noReason.body, /href="#earlyReason"/);
  const check = await b.submit('/patient/prescriptions/order', '/patient/prescriptions/order', {
    items: [a, early],
    earlyReason: 'Going away on Friday',
    step: 'check',
  });
  assert.equal(check.statusCode, 200);
  assert.match(check.body, /Going away on Friday/);
  const change = await b.post('/patient/prescriptions/order', { ...hidden(check.body), step: 'change' });
  assert.equal(change.statusCode, 200);
  assert.equal((change.body.match(/name="items" type="checkbox" value="[^"]+" checked/g) ?? []).length, 2);
  assert.match(change.body, /Going away on Friday/);
  assert.equal(await itemCount(patientId), 0);
});

test('the orders page shows each item’s status, a rejection’s reason, and cancelling while requested', async () => {
  const { b, patientId } = await signedIn();
  const a = await addRepeat(t, patientId, { drug: 'Amlodipine 5mg tablets' });
  const c = await addRepeat(t, patientId, { drug: 'Ramipril 2.5mg capsules' });
  const check = await b.submit('/patient/prescriptions/order', '/patient/prescriptions/order', {
    items: [a, c],
    step: 'check',
  });
  await b.post('/patient/prescriptions/order', { ...hidden(check.body), step: 'confirm' });
  const items = await t.db.db
    .selectFrom('prescription_request_items')
    .select(['id', 'request_id', 'template_id'])
    .where('patient_id', '=', patientId)
    .execute();
  const ramipril = items.find((i) => i.template_id === c)!;
  const amlodipine = items.find((i) => i.template_id === a)!;
  await decide(t, ramipril.id, 'rejected', 'Please book a blood pressure check first');
  const list = await b.get('/patient/prescriptions/requests');
  assert.equal(list.statusCode, 200);
  assert.match(list.body, /Ordered on Monday 7 December 2026/);
  assert.match(list.body, /Rejected/);
  assert.match(list.body, /Reason: Please book a blood pressure check first/);
  assert.match(list.body, /Requested/);
  const cancelUrl = `/patient/prescriptions/requests/${amlodipine.request_id}/items/${amlodipine.id}/cancel`;
  assert.ok(list.body.includes(cancelUrl), 'a requested item can be cancelled');
  const rejectedCancel = `/patient/prescriptions/requests/${ramipril.request_id}/items/${ramipril.id}/cancel`;
  assert.ok(!list.body.includes(rejectedCancel), 'a rejected one cannot');
  const confirm = await b.get(cancelUrl);
  assert.match(confirm.body, /Are you sure you want to cancel Amlodipine 5mg tablets\?/);
  const done = await b.submit(cancelUrl, cancelUrl, {});
  assert.equal(done.statusCode, 302);
  assert.equal(done.headers.location, '/patient/prescriptions/requests?done=cancelled');
  const after = await b.get('/patient/prescriptions/requests?done=cancelled');
  assert.match(after.body, /The medicine has been cancelled from your order/);
  assert.match(after.body, /Cancelled/);
  assert.equal((await b.get(rejectedCancel)).statusCode, 409);
  assert.equal((await b.get('/patient/prescriptions/requests?page=2')).statusCode, 404);
  assert.equal((await b.get('/patient/prescriptions/requests?page=x')).statusCode, 400);
});

test('a patient without the service, and a practice not ordering online, are told so', async () => {
  const { b } = await signedIn('appointments');
  const page = await b.get('/patient/prescriptions');
  assert.equal(page.statusCode, 403);
  assert.match(page.body, /has not switched on ordering repeat prescriptions online for you/);
  const { b: b2, patientId } = await signedIn();
  await addRepeat(t, patientId);
  await setSettings(t, { onlineOrdering: false });
  try {
    const off = await b2.get('/patient/prescriptions');
    assert.equal(off.statusCode, 200);
    assert.match(off.body, /Online ordering is not available/);
    assert.doesNotMatch(off.body, /href="\/patient\/prescriptions\/order"/);
  } finally {
    await setSettings(t, {});
  }
});

async function itemCount(patientId: string): Promise<number> {
  const r = await t.db.db
    .selectFrom('prescription_request_items')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('patient_id', '=', patientId)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

test('Back after sending, a changed order with the same page: told the first was sent and this one not, then sent with a fresh key', async () => {
  const { b, patientId } = await signedIn();
  const a = await addRepeat(t, patientId, { drug: 'Amlodipine 5mg tablets' });
  const c = await addRepeat(t, patientId, { drug: 'Ramipril 2.5mg capsules' });
  const check = await b.submit('/patient/prescriptions/order', '/patient/prescriptions/order', {
    items: [a],
    step: 'check',
  });
  const fields = hidden(check.body);
  const sent = await b.post('/patient/prescriptions/order', { ...fields, step: 'confirm' });
  assert.equal(sent.statusCode, 302);
  const first = String(sent.headers.location).split('?')[0] ?? '';
  const same = await b.post('/patient/prescriptions/order', { ...fields, step: 'confirm' });
  assert.equal(same.headers.location, sent.headers.location, 'the same order again goes to the first');
  const changed = await b.post('/patient/prescriptions/order', { ...fields, items: [c], step: 'confirm' });
  assert.equal(changed.statusCode, 200, changed.body.slice(0, 300));
  assert.match(changed.body, /This order has not been sent yet/);
  assert.match(changed.body, new RegExp(`Your earlier order was sent: <a href="${first}">`));
  assert.match(changed.body, /Ramipril 2\.5mg capsules/);
  assert.equal(await itemCount(patientId), 1, 'nothing more ordered yet');
  const again = hidden(changed.body);
  assert.notEqual(again.idempotencyKey, fields.idempotencyKey, 'a fresh key');
  assert.deepEqual(again.items, [c]);
  const second = await b.post('/patient/prescriptions/order', { ...again, step: 'confirm' });
  assert.equal(second.statusCode, 302);
  assert.notEqual(String(second.headers.location).split('?')[0], first);
  assert.equal(await itemCount(patientId), 2, 'the changed order is sent');
  const other = await signedIn();
  const theirs = await other.b.get(first);
  assert.equal(theirs.statusCode, 404, 'another patient’s order is not found');
});

test('an order still on its way after its ready day says it was expected then and to contact the practice', async () => {
  const { b, patientId } = await signedIn();
  const a = await addRepeat(t, patientId);
  const check = await b.submit('/patient/prescriptions/order', '/patient/prescriptions/order', {
    items: [a],
    step: 'check',
  });
  const sent = await b.post('/patient/prescriptions/order', { ...hidden(check.body), step: 'confirm' });
  const url = String(sent.headers.location).split('?')[0] ?? '';
  // Ordered on Tuesday 1 December (ready Thursday 3 December), approved, not ready by Monday 7th.
  const then = new Date('2026-12-01T10:00:00Z');
  await t.db.db
    .updateTable('prescription_requests')
    .set({ requested_at: then })
    .where('patient_id', '=', patientId)
    .execute();
  await t.db.db
    .updateTable('prescription_request_items')
    .set({ requested_at: then, status: 'approved' })
    .where('patient_id', '=', patientId)
    .execute();
  const late =
    /It was expected to be ready on Thursday 3 December 2026: contact your GP practice if it is not/;
  for (const page of [await b.get('/patient/prescriptions/requests'), await b.get(url)]) {
    assert.equal(page.statusCode, 200);
    assert.match(page.body, late);
    assert.doesNotMatch(page.body, /Expected to be ready on Thursday/);
  }
});
