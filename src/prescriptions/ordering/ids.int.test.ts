// Ids in ordering: one plain UUID shape for every id on the pages and in the API. An id written
// as urn:uuid: (which `format: 'uuid'` lets through and PostgreSQL rejects) or not a UUID at all
// is a named 4xx, never a 500; an id in capitals is the same repeat or item as in lower case.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import { signInPatient } from '../../../test/support/accounts.ts';
import { fixedClock, testApp, type TestApp } from '../../../test/support/harness.ts';
import {
  addOrderer,
  addPractice,
  addRepeat,
  PASSWORD,
  SECRET,
  setSettings,
  type Patient,
} from '../../../test/support/ordering.ts';
import { uuidOf } from './rules.ts';

const clock = fixedClock('2026-12-07T10:00:00Z');
let t: TestApp;
let n = 700;
before(async () => {
  t = await testApp({ clock });
  await addPractice(t);
  await setSettings(t, {});
});
after(async () => {
  await t.close();
});

const order = (p: Patient, items: string[]) =>
  t.app.inject({
    method: 'POST',
    url: '/api/v1/prescriptions/requests',
    headers: { authorization: `Bearer ${p.token}` },
    payload: { items },
  });

test('uuidOf reads a plain UUID in either case as lower case, and nothing else', () => {
  const id = randomUUID();
  assert.equal(uuidOf(id), id);
  assert.equal(uuidOf(id.toUpperCase()), id);
  assert.equal(uuidOf(`urn:uuid:${id}`), null);
  assert.equal(uuidOf(`{${id}}`), null);
  assert.equal(uuidOf(id.replaceAll('-', '')), null);
  assert.equal(uuidOf(`${id} `), null);
});

test('the API answers 400 to a urn:uuid: id, in an order and in a cancel, and orders nothing', async () => {
  const p = await addOrderer(t, clock, { n: n++ });
  const a = await addRepeat(t, p.patientId);
  const bad = await order(p, [`urn:uuid:${a}`]);
  assert.equal(bad.statusCode, 400, bad.body);
  // Named by the schema, not a database refusal of a value it could not read.
  assert.doesNotMatch(bad.body, /cannot be stored/);
  const made = await order(p, [a]);
  assert.equal(made.statusCode, 201, made.body);
  const o = made.json<{ id: string; items: { id: string }[] }>();
  const cancel = await t.app.inject({
    method: 'DELETE',
    url: `/api/v1/prescriptions/requests/urn:uuid:${o.id}/items/urn:uuid:${o.items[0]?.id ?? ''}`,
    headers: { authorization: `Bearer ${p.token}` },
  });
  assert.equal(cancel.statusCode, 400, cancel.body);
  assert.doesNotMatch(cancel.body, /cannot be stored/);
});

test('an id in capitals is the same repeat and the same item: ordered once, cancelled, never a 500', async () => {
  const p = await addOrderer(t, clock, { n: n++ });
  const a = await addRepeat(t, p.patientId);
  const twice = await order(p, [a, a.toUpperCase()]);
  assert.equal(twice.statusCode, 400, twice.body);
  assert.equal(twice.json<{ reason: string }>().reason, 'repeated-item');
  const made = await order(p, [a.toUpperCase()]);
  assert.equal(made.statusCode, 201, made.body);
  const o = made.json<{ id: string; items: { id: string; repeat_id: string }[] }>();
  const itemId = o.items.at(0)?.id ?? '';
  assert.equal(o.items[0]?.repeat_id, a);
  const cancel = await t.app.inject({
    method: 'DELETE',
    url: `/api/v1/prescriptions/requests/${o.id.toUpperCase()}/items/${itemId.toUpperCase()}`,
    headers: { authorization: `Bearer ${p.token}` },
  });
  assert.equal(cancel.statusCode, 204, cancel.body);
});

test('the order form with an id that is no UUID names the problem on the form, at check and at send', async () => {
  const p = await addOrderer(t, clock, { n: n++, token: false });
  const a = await addRepeat(t, p.patientId);
  const b = await signInPatient(t.app, { email: p.email, password: PASSWORD, secret: SECRET, clock });
  const form = await b.get('/patient/prescriptions/order');
  const csrf = /name="_csrf" value="([^"]+)"/.exec(form.body)?.[1] ?? '';
  for (const step of ['check', 'confirm']) {
    const r = await b.post('/patient/prescriptions/order', {
      _csrf: csrf,
      items: [a, 'not-a-uuid'],
      idempotencyKey: randomUUID(),
      step,
    });
    assert.equal(r.statusCode, 400, `${step}: ${r.body.slice(0, 300)}`);
    assert.match(r.body, /There is a problem/);
    assert.match(r.body, /Choose medicines from the list/);
  }
  const items = await t.db.db
    .selectFrom('prescription_request_items')
    .select('id')
    .where('patient_id', '=', p.patientId)
    .execute();
  assert.equal(items.length, 0, 'nothing ordered');
});
