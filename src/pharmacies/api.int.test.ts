// GET|PUT /api/v1/pharmacy and GET /api/v1/pharmacies: problems name the field and the rule.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { apiToken, fixedClock, testApp, type TestApp } from '../../test/support/harness.ts';
import { DEMO_PASSWORD, DEMO_PATIENTS } from '../demo/data.ts';
import { loadDemo } from '../demo/load.ts';
import { loadDemoPharmacies } from './demo.ts';
import { nominatedPharmacyForExport } from './service.ts';

const clock = fixedClock('2026-12-08T10:00:00Z');
const p9 = DEMO_PATIENTS[2]!;
let t: TestApp;
let token = '';
before(async () => {
  t = await testApp({ clock });
  await loadDemo(t.db.db, clock);
  await loadDemoPharmacies(t.db.db, clock);
  token = await apiToken(t.app, p9.email, DEMO_PASSWORD, p9.totpSecret, clock);
});
after(async () => {
  await t.close();
});

async function switches(s: { view: boolean; update: boolean }) {
  const a = await t.db.db
    .selectFrom('online_accounts')
    .select('patient_id')
    .where('email', '=', p9.email)
    .executeTakeFirstOrThrow();
  await t.db.db
    .updateTable('online_services')
    .set({ pharmacy_view: s.view, pharmacy_update: s.update })
    .where('patient_id', '=', a.patient_id ?? '')
    .execute();
}
const call = (method: 'GET' | 'PUT', url: string, payload?: object) =>
  t.app.inject({
    method,
    url,
    headers: { authorization: `Bearer ${token}` },
    ...(payload ? { payload } : {}),
  });

test('none yet, then nominate by code (any case); the same again changes nothing; fields unlisted are stripped', async () => {
  await switches({ view: true, update: true });
  const none = await call('GET', '/api/v1/pharmacy');
  assert.equal(none.statusCode, 200);
  assert.deepEqual(none.json(), { nominated: null, can_change: true });
  const put = await call('PUT', '/api/v1/pharmacy', { ods_code: 'fde02' });
  assert.equal(put.statusCode, 200, put.body);
  assert.deepEqual(put.json(), {
    nominated: {
      ods_code: 'FDE02',
      name: "ST MARY'S DEMO CHEMIST",
      address_lines: ["3 ST MARY'S ROAD", 'BAMBER BRIDGE', 'PRESTON'],
      postcode: 'PR5 6JD',
      phone: '01772 000102',
      nominated_at: '2026-12-08T10:00:00.000Z',
    },
    can_change: true,
    changed: true,
  });
  const same = await call('PUT', '/api/v1/pharmacy', { ods_code: 'FDE02' });
  assert.equal(same.json<{ changed: boolean }>().changed, false);
  assert.equal(
    (await call('GET', '/api/v1/pharmacy')).json<{ nominated: { ods_code: string } }>().nominated.ods_code,
    'FDE02',
  );
});

test('search: postcode first, then district; a blank or long term is a 400 naming q', async () => {
  await switches({ view: true, update: true });
  const r = await call('GET', '/api/v1/pharmacies?q=PR5%206QR');
  assert.equal(r.statusCode, 200);
  assert.deepEqual(
    r.json<{ pharmacies: { ods_code: string }[] }>().pharmacies.map((p) => p.ods_code),
    ['FDE01', 'FDE02'],
  );
  const blank = await call('GET', '/api/v1/pharmacies?q=%20');
  assert.equal(blank.statusCode, 400);
  assert.deepEqual(blank.json<{ errors: unknown[] }>().errors, [
    { pointer: 'q', detail: 'Enter a pharmacy name, a postcode or an ODS code' },
  ]);
  assert.equal((await call('GET', `/api/v1/pharmacies?q=${'a'.repeat(150)}`)).statusCode, 400);
});

test('refusals: not a code 400, no such pharmacy 404, closed 400, switched off 403 with the reason', async () => {
  await switches({ view: true, update: true });
  const notCode = await call('PUT', '/api/v1/pharmacy', { ods_code: 'F!' });
  assert.equal(notCode.statusCode, 400);
  assert.equal(notCode.json<{ errors: { pointer: string }[] }>().errors[0]?.pointer, 'ods_code');
  const missing = await call('PUT', '/api/v1/pharmacy', { ods_code: 'FZZ99' });
  assert.equal(missing.statusCode, 404);
  assert.equal(missing.json<{ reason: string }>().reason, 'no-such-pharmacy');
  const closed = await call('PUT', '/api/v1/pharmacy', { ods_code: 'FDE03' });
  assert.equal(closed.statusCode, 400);
  assert.match(closed.body, /This pharmacy has closed/);
  assert.equal((await call('PUT', '/api/v1/pharmacy', { ods_code: 'FDE01', extra: 1 })).statusCode, 400);
  await switches({ view: true, update: false });
  const off = await call('PUT', '/api/v1/pharmacy', { ods_code: 'FDE01' });
  assert.equal(off.statusCode, 403);
  assert.equal(off.json<{ reason: string }>().reason, 'pharmacy-update-off');
  assert.equal((await call('GET', '/api/v1/pharmacy')).json<{ can_change: boolean }>().can_change, false);
  await switches({ view: false, update: false });
  const hidden = await call('GET', '/api/v1/pharmacy');
  assert.equal(hidden.statusCode, 403);
  assert.equal(hidden.json<{ reason: string }>().reason, 'pharmacy-view-off');
  const nobody = await t.app.inject({ method: 'GET', url: '/api/v1/pharmacy' });
  assert.equal(nobody.statusCode, 401);
  const me = await t.db.db
    .selectFrom('online_accounts')
    .select('patient_id')
    .where('email', '=', p9.email)
    .executeTakeFirstOrThrow();
  const nominated = await t.db.db
    .selectFrom('pharmacy_nominations')
    .select('pharmacy_ods')
    .where('patient_id', '=', me.patient_id ?? '')
    .execute();
  assert.deepEqual(nominated, [{ pharmacy_ods: 'FDE02' }], 'no refusal changed anything');
});

test('for the record export: the nominated pharmacy only while the patient may see it', async () => {
  const a = await t.db.db
    .selectFrom('online_accounts')
    .select(['id', 'patient_id', 'practice_ods'])
    .where('email', '=', p9.email)
    .executeTakeFirstOrThrow();
  const actor = {
    kind: 'patient' as const,
    accountId: a.id,
    email: p9.email,
    patientId: a.patient_id,
    practiceOds: a.practice_ods,
    proofingLevel: 'P9' as const,
  };
  const ctx = { db: t.db.db, clock, meta: null };
  await switches({ view: true, update: false });
  assert.deepEqual(await nominatedPharmacyForExport(ctx, actor), {
    odsCode: 'FDE02',
    name: "ST MARY'S DEMO CHEMIST",
  });
  await switches({ view: false, update: false });
  assert.equal(await nominatedPharmacyForExport(ctx, actor), null);
  assert.equal(await nominatedPharmacyForExport(ctx, { ...actor, patientId: null }), null);
  assert.equal(await nominatedPharmacyForExport(ctx, null), null);
});
