// Changing the nomination from two devices at once (run on PostgreSQL too, DATABASE_URL): each
// change sees the one before, so the history is one unbroken chain and the version counts them.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { apiToken, fixedClock, testApp, type TestApp } from '../../test/support/harness.ts';
import { DEMO_PASSWORD, DEMO_PATIENTS } from '../demo/data.ts';
import { loadDemo } from '../demo/load.ts';
import { loadDemoPharmacies } from './demo.ts';

const clock = fixedClock('2026-12-08T10:00:00Z');
const p9 = DEMO_PATIENTS[2]!;
let t: TestApp;
before(async () => {
  t = await testApp({ clock });
  await loadDemo(t.db.db, clock);
  await loadDemoPharmacies(t.db.db, clock);
});
after(async () => {
  await t.close();
});

test('20 changes at once, alternating two pharmacies: one nomination, an unbroken history', async () => {
  const a = await t.db.db
    .selectFrom('online_accounts')
    .select('patient_id')
    .where('email', '=', p9.email)
    .executeTakeFirstOrThrow();
  const patientId = a.patient_id ?? '';
  await t.db.db
    .updateTable('online_services')
    .set({ pharmacy_view: true, pharmacy_update: true })
    .where('patient_id', '=', patientId)
    .execute();
  const token = await apiToken(t.app, p9.email, DEMO_PASSWORD, p9.totpSecret, clock);
  const answers = await Promise.all(
    Array.from({ length: 20 }, (_, i) =>
      t.app.inject({
        method: 'PUT',
        url: '/api/v1/pharmacy',
        headers: { authorization: `Bearer ${token}` },
        payload: { ods_code: i % 2 ? 'FDE01' : 'FDE02' },
      }),
    ),
  );
  assert.deepEqual(
    answers.map((r) => r.statusCode),
    Array.from({ length: 20 }, () => 200),
  );
  const changed = answers.filter((r) => r.json<{ changed: boolean }>().changed).length;
  const history = await t.db.db
    .selectFrom('pharmacy_nomination_history')
    .select(['pharmacy_ods', 'previous_ods'])
    .where('patient_id', '=', patientId)
    .orderBy('id')
    .execute();
  assert.equal(history.length, changed, 'one history row per change answered as a change');
  assert.equal(history[0]?.previous_ods, null);
  for (let i = 1; i < history.length; i++) {
    assert.equal(
      history[i]?.previous_ods,
      history[i - 1]?.pharmacy_ods,
      `row ${String(i)} follows the one before`,
    );
    assert.notEqual(history[i]?.pharmacy_ods, history[i]?.previous_ods);
  }
  const now = await t.db.db
    .selectFrom('pharmacy_nominations')
    .select(['pharmacy_ods', 'version'])
    .where('patient_id', '=', patientId)
    .executeTakeFirstOrThrow();
  assert.equal(now.pharmacy_ods, history.at(-1)?.pharmacy_ods);
  assert.equal(now.version, changed);
});
