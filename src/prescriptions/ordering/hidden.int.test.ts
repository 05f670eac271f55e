// HAZ-20: a medicine a clinician hid from the online record (third-party, serious harm) must not
// reach the patient through the repeats list, its API or an order, and comes back when shown again.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import { fixedClock, testApp, type TestApp } from '../../../test/support/harness.ts';
import { addOrderer, addPractice, addRepeat, ODS, setSettings } from '../../../test/support/ordering.ts';

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
