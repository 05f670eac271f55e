// HAZ-20: a medicine a clinician hid from the online record (third-party, serious harm) must not
// reach the patient through the repeats list, its API, an order or the orders (even one ordered
// before it was hidden), and comes back when shown again.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import { signInPatient } from '../../../test/support/accounts.ts';
import { fixedClock, testApp, type TestApp } from '../../../test/support/harness.ts';
import {
  addOrderer,
  addPractice,
  addRepeat,
  ODS,
  PASSWORD,
  SECRET,
  setSettings,
} from '../../../test/support/ordering.ts';

const clock = fixedClock('2026-12-07T10:00:00Z');
let t: TestApp;
before(async () => {
  t = await testApp({ clock });
  await addPractice(t);
  await setSettings(t, {});
});
after(async () => {
  await t.close();
});

async function medicineEntry(patientId: string, title: string, visible: boolean): Promise<string> {
  const id = randomUUID();
  const now = new Date('2026-06-01T09:00:00Z');
  await t.db.db
    .insertInto('record_entries')
    .values({
      id,
      practice_ods: ODS,
      patient_id: patientId,
      kind: 'medication',
      source_system: null,
      source_id: null,
      clinical_date: '2026-06-01',
      recorded_at: now,
      sort_key: '2026-06-01',
      coding: '[]',
      title,
      text: null,
      consultation_id: null,
      draft: false,
      unfiled: false,
      unreviewed: false,
      visible_online: visible,
      details: JSON.stringify({ kind: 'medication', prescriptionType: 'repeat', status: 'current' }),
      imported_at: now,
      updated_at: now,
    })
    .execute();
  return id;
}

test('HAZ-20 a repeat made from a record entry hidden online is not listed, not in the API and cannot be ordered', async () => {
  const p = await addOrderer(t, clock, { n: 1 });
  const hiddenEntry = await medicineEntry(p.patientId, 'Naltrexone 50mg tablets', false);
  const shownEntry = await medicineEntry(p.patientId, 'Amlodipine 5mg tablets', true);
  const hidden = await addRepeat(t, p.patientId, { drug: 'Naltrexone 50mg tablets' });
  const shown = await addRepeat(t, p.patientId, { drug: 'Amlodipine 5mg tablets' });
  for (const [id, entry] of [
    [hidden, hiddenEntry],
    [shown, shownEntry],
  ] as const)
    await t.db.db
      .updateTable('repeat_templates')
      .set({ record_entry_id: entry })
      .where('id', '=', id)
      .execute();
  const auth = { authorization: `Bearer ${p.token}` };

  const list = await t.app.inject({ url: '/api/v1/prescriptions/repeats', headers: auth });
  assert.equal(list.statusCode, 200);
  assert.doesNotMatch(list.body, /Naltrexone/);
  assert.doesNotMatch(list.body, new RegExp(hidden));
  assert.match(list.body, /Amlodipine/);

  const order = await t.app.inject({
    method: 'POST',
    url: '/api/v1/prescriptions/requests',
    headers: auth,
    payload: { items: [hidden] },
  });
  assert.equal(order.statusCode, 409, order.body);
  assert.doesNotMatch(order.body, /Naltrexone/);
  const items = await t.db.db
    .selectFrom('prescription_request_items')
    .select('id')
    .where('template_id', '=', hidden)
    .execute();
  assert.equal(items.length, 0, 'nothing was ordered');

  // The clinician shows the entry again: the repeat is back.
  await t.db.db
    .updateTable('record_entries')
    .set({ visible_online: true })
    .where('id', '=', hiddenEntry)
    .execute();
  const again = await t.app.inject({ url: '/api/v1/prescriptions/repeats', headers: auth });
  assert.match(again.body, /Naltrexone/);
});

async function linkedRepeat(patientId: string, drug: string, visible: boolean) {
  const entry = await medicineEntry(patientId, drug, visible);
  const id = await addRepeat(t, patientId, { drug });
  await t.db.db
    .updateTable('repeat_templates')
    .set({ record_entry_id: entry })
    .where('id', '=', id)
    .execute();
  return { id, entry };
}

test('HAZ-20 an item ordered before its record entry was hidden is not in the orders, their pages or the API', async () => {
  const p = await addOrderer(t, clock, { n: 2 });
  const auth = { authorization: `Bearer ${p.token}` };
  const hidden = await linkedRepeat(p.patientId, 'Naltrexone 50mg tablets', true);
  const shown = await linkedRepeat(p.patientId, 'Amlodipine 5mg tablets', true);
  const order = async (items: string[]) => {
    const r = await t.app.inject({
      method: 'POST',
      url: '/api/v1/prescriptions/requests',
      headers: auth,
      payload: { items },
    });
    assert.equal(r.statusCode, 201, r.body);
    return r.json<{ id: string; items: { id: string; medicine: string }[] }>();
  };
  const alone = await order([hidden.id]);
  // The items of one order are not ordered again while open: cancel the lone one's first.
  const aloneItem = alone.items[0]?.id ?? '';
  await t.db.db
    .updateTable('prescription_request_items')
    .set({ status: 'cancelled' })
    .where('id', '=', aloneItem)
    .execute();
  const both = await order([hidden.id, shown.id]);
  const hiddenItem = both.items.find((i) => i.medicine.startsWith('Naltrexone'))?.id ?? '';
  await t.db.db
    .updateTable('record_entries')
    .set({ visible_online: false })
    .where('id', '=', hidden.entry)
    .execute();

  const api = await t.app.inject({ url: '/api/v1/prescriptions/requests', headers: auth });
  assert.equal(api.statusCode, 200);
  assert.doesNotMatch(api.body, /Naltrexone/);
  const listed = api.json<{ requests: { id: string }[] }>().requests.map((r) => r.id);
  assert.deepEqual(listed, [both.id], 'the order left with no item shown is not listed');
  const del = await t.app.inject({
    method: 'DELETE',
    url: `/api/v1/prescriptions/requests/${both.id}/items/${hiddenItem}`,
    headers: auth,
  });
  assert.equal(del.statusCode, 404, del.body);

  const b = await signInPatient(t.app, { email: p.email, password: PASSWORD, secret: SECRET, clock });
  const history = await b.get('/patient/prescriptions/requests');
  assert.equal(history.statusCode, 200);
  assert.doesNotMatch(history.body, /Naltrexone/);
  assert.match(history.body, /Amlodipine/);
  assert.doesNotMatch(history.body, new RegExp(alone.id));
  const one = await b.get(`/patient/prescriptions/requests/${both.id}`);
  assert.equal(one.statusCode, 200);
  assert.doesNotMatch(one.body, /Naltrexone/);
  assert.equal((await b.get(`/patient/prescriptions/requests/${alone.id}`)).statusCode, 404);
  const cancel = await b.get(`/patient/prescriptions/requests/${both.id}/items/${hiddenItem}/cancel`);
  assert.equal(cancel.statusCode, 404);
  assert.doesNotMatch(cancel.body, /Naltrexone/);
  const still = await t.db.db
    .selectFrom('prescription_request_items')
    .select('status')
    .where('id', '=', hiddenItem)
    .executeTakeFirstOrThrow();
  assert.equal(still.status, 'requested', 'nothing cancelled');
});
