// Kept record views are never served after what they show has changed, whoever changed it: the
// changes here are made straight in SQL, as another process or a maintenance script would.
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { after, before, test } from 'node:test';
import { apiToken, Browser, testApp, type TestApp } from '../../../test/support/harness.ts';
import { DEMO_PASSWORD, DEMO_PATIENTS } from '../../demo/data.ts';
import { loadDemo } from '../../demo/load.ts';
import { totpCode } from '../../platform/auth/secrets.ts';

let t: TestApp;
let b: Browser;
let patientId = '';
const full = DEMO_PATIENTS[4]!;

before(async () => {
  t = await testApp();
  await loadDemo(t.db.db, t.clock);
  b = new Browser(t.app);
  await b.submit('/patient/sign-in', '/patient/sign-in', { email: full.email, password: DEMO_PASSWORD });
  const r = await b.submit('/patient/sign-in/code', '/patient/sign-in/code', {
    code: totpCode(full.totpSecret, t.clock.now()),
  });
  assert.equal(r.statusCode, 302);
  const row = await t.db.db
    .selectFrom('online_accounts')
    .select('patient_id')
    .where('email', '=', full.email)
    .executeTakeFirstOrThrow();
  patientId = row.patient_id ?? '';
});
after(async () => {
  await t.close();
});

async function version(): Promise<number> {
  const r = await t.db.db
    .selectFrom('record_versions')
    .select('version')
    .where('patient_id', '=', patientId)
    .executeTakeFirst();
  return Number(r?.version ?? 0);
}

/** The newest visible consultation's id, as the consultations page shows it. */
async function firstConsultationId(): Promise<string> {
  const page = await b.get('/patient/record/consultations');
  assert.equal(page.statusCode, 200);
  const id = /data-entry-id="([0-9a-f-]{36})"/.exec(page.body)?.[1];
  assert.ok(id, 'the page shows a consultation');
  return id;
}

test('the record version rises once per statement that adds, changes or removes entries', async () => {
  const v0 = await version();
  assert.ok(v0 > 0, 'the demo import gave the record a version');
  await sql`update record_entries set text = text where patient_id = ${patientId}`.execute(t.db.db);
  assert.equal(await version(), v0 + 1, 'one update statement over many rows: one step');
  await sql`delete from record_entries where patient_id = ${patientId} and false`.execute(t.db.db);
  assert.equal(await version(), v0 + 1, 'a statement that touches nothing changes nothing');
});

test('HAZ-16 a page seen before an entry is hidden no longer shows it, on the page or in the API', async () => {
  const token = await apiToken(t.app, full.email, DEMO_PASSWORD, full.totpSecret);
  const api = () =>
    t.app.inject({
      url: '/api/v1/record/sections/consultations',
      headers: { authorization: `Bearer ${token}` },
    });
  const id = await firstConsultationId();
  assert.match((await api()).body, new RegExp(id));
  await firstConsultationId(); // seen twice: now kept

  await sql`update record_entries set visible_online = false where id = ${id}`.execute(t.db.db);
  assert.doesNotMatch((await b.get('/patient/record/consultations')).body, new RegExp(id));
  assert.doesNotMatch((await api()).body, new RegExp(id));

  await sql`update record_entries set visible_online = true where id = ${id}`.execute(t.db.db);
  assert.match((await b.get('/patient/record/consultations')).body, new RegExp(id));
});

test('HAZ-16 a change of access (level, withhold) or a deleted entry shows at once', async () => {
  const id = await firstConsultationId();
  await sql`update online_services set record_level = 'summary' where patient_id = ${patientId}`.execute(
    t.db.db,
  );
  assert.equal((await b.get('/patient/record/consultations')).statusCode, 404);
  assert.doesNotMatch((await b.get('/patient/record')).body, /href="\/patient\/record\/consultations"/);
  await sql`update online_services set record_level = 'full' where patient_id = ${patientId}`.execute(
    t.db.db,
  );
  assert.match((await b.get('/patient/record')).body, /href="\/patient\/record\/consultations"/);

  await sql`insert into record_controls (practice_ods, patient_id, withheld)
    select practice_ods, id, true from patients where id = ${patientId}
    on conflict (patient_id) do update set withheld = true`.execute(t.db.db);
  assert.match((await b.get('/patient/record')).body, /not showing your record online/);
  await sql`update record_controls set withheld = false where patient_id = ${patientId}`.execute(t.db.db);
  assert.doesNotMatch((await b.get('/patient/record')).body, /not showing your record online/);

  await sql`update record_entries set consultation_id = null where consultation_id = ${id}`.execute(t.db.db);
  await sql`delete from record_entries where id = ${id}`.execute(t.db.db);
  assert.doesNotMatch((await b.get('/patient/record/consultations')).body, new RegExp(id));
});

test('every view is still audited when it comes from the kept copy', async () => {
  const count = async () =>
    Number(
      (
        await t.db.db
          .selectFrom('audit_events')
          .select((eb) => eb.fn.countAll().as('n'))
          .where('patient_id', '=', patientId)
          .where('action', '=', 'record.view')
          .where('subject', '=', 'record:summary')
          .executeTakeFirstOrThrow()
      ).n,
    );
  const before = await count();
  for (let i = 0; i < 3; i++) assert.equal((await b.get('/patient/record')).statusCode, 200);
  assert.equal(await count(), before + 3);
});
