// The patient home says only what is true: the services GP Online has today (the record and
// appointments), each with its link when the practice has switched it on, or how to ask for it
// when not; nothing about repeat prescriptions or acting for someone else, which do not exist yet.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { apiToken, Browser, freshCode, testApp, type TestApp } from '../../test/support/harness.ts';
import { DEMO_PASSWORD, DEMO_PATIENTS } from '../demo/data.ts';
import { loadDemo } from '../demo/load.ts';
import type { RecordLevel } from '../platform/db/schema.ts';

let t: TestApp;
before(async () => {
  t = await testApp();
  await loadDemo(t.db.db, t.clock);
});
after(async () => {
  await t.close();
});

async function signIn(a: (typeof DEMO_PATIENTS)[number]): Promise<Browser> {
  const b = new Browser(t.app);
  await b.submit('/patient/sign-in', '/patient/sign-in', { email: a.email, password: DEMO_PASSWORD });
  const r = await b.submit('/patient/sign-in/code', '/patient/sign-in/code', {
    code: await freshCode(t.app, 'patient', a.email, a.totpSecret),
  });
  assert.equal(r.statusCode, 302);
  return b;
}

async function patientOf(email: string): Promise<string> {
  const row = await t.db.db
    .selectFrom('online_accounts')
    .select('patient_id')
    .where('email', '=', email)
    .executeTakeFirstOrThrow();
  assert.ok(row.patient_id);
  return row.patient_id;
}

/** The words a page would use about services that do not exist. */
function assertNoUnbuiltServices(body: string): void {
  assert.doesNotMatch(body, /proxy|on behalf|people you care for/i);
}

const LEVELS: RecordLevel[] = ['none', 'summary', 'detailed', 'full'];
const LEVEL_WORDS: Record<RecordLevel, RegExp | null> = {
  none: null,
  summary: /summary information/,
  detailed: /detailed coded record/,
  full: /full record/,
};

test('every mix of appointments and record access: links when on, how to ask when off', async () => {
  const who = DEMO_PATIENTS.find((p) => p.email.startsWith('full.'))!; // identity checked (P9)
  const patientId = await patientOf(who.email);
  const practice = await t.db.db
    .selectFrom('practices')
    .innerJoin('patients', 'patients.practice_ods', 'practices.ods_code')
    .select(['practices.name', 'practices.phone'])
    .where('patients.id', '=', patientId)
    .executeTakeFirstOrThrow();
  assert.ok(practice.phone);
  const b = await signIn(who);
  for (const appointments of [true, false]) {
    for (const level of LEVELS) {
      await t.db.db
        .updateTable('online_services')
        .set({ appointments, record_level: level, repeat_prescriptions: true, pharmacy_view: true })
        .where('patient_id', '=', patientId)
        .execute();
      const res = await b.get('/patient');
      const at = `appointments ${String(appointments)}, record ${level}`;
      assert.equal(res.statusCode, 200, at);
      const body = res.body;
      assert.equal(/href="\/patient\/appointments"/.test(body), appointments, `${at}: appointments link`);
      assert.equal(/href="\/patient\/record"/.test(body), level !== 'none', `${at}: record link`);
      assert.match(
        body,
        new RegExp(
          `data-service="appointments" data-status="${appointments ? 'available' : 'not-switched-on'}"`,
        ),
        at,
      );
      assert.match(
        body,
        new RegExp(
          `data-service="record" data-status="${level === 'none' ? 'not-switched-on' : 'available'}"`,
        ),
        at,
      );
      const words = LEVEL_WORDS[level];
      if (words) assert.match(body, words, `${at}: says which part of the record`);
      // A service switched off says how to ask for it, with the practice's phone.
      const offCount = Number(!appointments) + Number(level === 'none');
      const asks = body.match(/To ask for it, contact/g) ?? [];
      assert.equal(asks.length, offCount, `${at}: how to ask`);
      if (offCount) assert.ok(body.includes(`on ${practice.phone}`), `${at}: the practice phone`);
      // Repeat prescriptions and the pharmacy are switched on here (and built): offered.
      assert.match(body, /data-service="repeat-prescriptions" data-status="available"/, at);
      assert.match(body, /href="\/patient\/prescriptions"/, at);
      assert.match(body, /href="\/patient\/pharmacy"/, at);
      assertNoUnbuiltServices(body);
    }
  }
});

test('a service switched on but needing an identity check says how to get one', async () => {
  const who = DEMO_PATIENTS.find((p) => p.email.startsWith('p5.'))!; // linked by letter only (P5)
  const b = await signIn(who);
  const body = (await b.get('/patient')).body;
  assert.match(body, /data-service="record" data-status="needs-identity-check"/);
  assert.doesNotMatch(body, /href="\/patient\/record"/);
  assert.match(body, /need to check your identity/);
  assert.match(body, /href="\/patient\/appointments"/);
  assertNoUnbuiltServices(body);
});

test('an account not linked yet says what to do next: link with the registration letter', async () => {
  const who = DEMO_PATIENTS.find((p) => p.patientIndex === null)!;
  const b = await signIn(who);
  const body = (await b.get('/patient')).body;
  assert.match(body, /not linked to a GP record yet/);
  assert.match(body, /registration letter/);
  assert.match(body, /href="\/patient\/link"/);
  assert.doesNotMatch(body, /href="\/patient\/(record|appointments)"/);
  assertNoUnbuiltServices(body);
});

test('the API lists only the services that exist', async () => {
  const who = DEMO_PATIENTS.find((p) => p.email.startsWith('detailed.'))!;
  const token = await apiToken(t.app, who.email, DEMO_PASSWORD, who.totpSecret);
  const me = await t.app.inject({ url: '/api/v1/me', headers: { authorization: `Bearer ${token}` } });
  assert.equal(me.statusCode, 200);
  const services = me.json<{ services: { service: string }[] }>().services.map((s) => s.service);
  assert.deepEqual(services.sort(), [
    'appointments',
    'pharmacy-update',
    'pharmacy-view',
    'record',
    'repeat-prescriptions',
  ]);
});

test('a practice that has switched online ordering off is not offered as taking orders online', async () => {
  const who = DEMO_PATIENTS.find((p) => p.email.startsWith('full.'))!;
  const patientId = await patientOf(who.email);
  await t.db.db
    .updateTable('online_services')
    .set({ repeat_prescriptions: true })
    .where('patient_id', '=', patientId)
    .execute();
  const b = await signIn(who);
  assert.match((await b.get('/patient')).body, /href="\/patient\/prescriptions"/);
  const ods = 'P81082';
  await t.db.db
    .updateTable('prescription_settings')
    .set({ online_ordering: false })
    .where('practice_ods', '=', ods)
    .execute();
  try {
    const body = (await b.get('/patient')).body;
    assert.doesNotMatch(body, /href="\/patient\/prescriptions"/);
    assert.match(body, /Your practice is not offering this online at the moment\. Instead, contact/);
  } finally {
    await t.db.db
      .updateTable('prescription_settings')
      .set({ online_ordering: true })
      .where('practice_ods', '=', ods)
      .execute();
  }
});
