// The whole foundation journey on a real database: sign up, authenticator, registration letter,
// linking, identity check, services switched on; every step in the audit stream, and the chain
// verifies until a row is altered by hand.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import { apiToken, Browser, signInStaff, testApp, type TestApp } from '../../test/support/harness.ts';
import { totpCode } from '../platform/auth/secrets.ts';
import { verifyAudit } from '../platform/audit/audit.ts';
import { DEMO_PASSWORD, DEMO_STAFF } from '../demo/data.ts';
import { loadDemo } from '../demo/load.ts';

let t: TestApp;
const reception = DEMO_STAFF[0]!;
const gp = DEMO_STAFF[1]!;

before(async () => {
  t = await testApp();
  await loadDemo(t.db.db, t.clock);
});
after(async () => {
  await t.close();
});

async function newPatient(): Promise<{ id: string; family: string; birth: string }> {
  const row = await t.db.db
    .selectFrom('patients')
    .leftJoin('online_accounts', 'online_accounts.patient_id', 'patients.id')
    .leftJoin('online_services', 'online_services.patient_id', 'patients.id')
    .where('online_services.patient_id', 'is', null)
    .select(['patients.id', 'patients.family_name', 'patients.birth_date'])
    .where('patients.practice_ods', '=', 'P81082')
    .where('online_accounts.id', 'is', null)
    .orderBy('patients.nhs_number')
    .limit(1)
    .executeTakeFirstOrThrow();
  return { id: row.id, family: row.family_name, birth: row.birth_date };
}

test('a patient signs up, links with a letter, is verified and sees what the practice enabled', async () => {
  const patient = new Browser(t.app);
  const email = `jo.${Date.now()}@example.com`;
  const password = 'correct horse battery staple';

  // Sign up: bad input first, then good.
  const bad = await patient.submit('/patient/sign-up', '/patient/sign-up', {
    email: 'not-an-email',
    password: 'short',
    confirm: 'short',
  });
  assert.equal(bad.statusCode, 400);
  assert.match(bad.body, /nhsuk-error-summary/);
  assert.match(bad.body, /href="#email"/);
  assert.match(bad.body, /12 characters or more/);
  const up = await patient.submit('/patient/sign-up', '/patient/sign-up', {
    email,
    password,
    confirm: password,
  });
  // "Check your email": the account goes on only through the link sent to the address.
  assert.equal(up.statusCode, 200);
  assert.match(up.body, /Check your email/);
  assert.equal((await patient.get('/patient')).headers.location, '/patient/sign-in');
  const mail = await t.db.db
    .selectFrom('notifications_outbox')
    .select(['personalisation'])
    .where('email', '=', email)
    .where('kind', '=', 'account-confirm-email')
    .executeTakeFirstOrThrow();
  const link = new URL(mail.personalisation.link ?? '');
  const confirmPage = link.pathname + link.search;
  const confirmed = await patient.submit(confirmPage, '/patient/sign-up/confirm', {
    token: link.searchParams.get('token') ?? '',
  });
  assert.equal(confirmed.statusCode, 302);
  assert.equal(confirmed.headers.location, '/patient/set-up-authenticator');
  // The link works once.
  const twice = await patient.get(confirmPage);
  assert.equal(twice.statusCode, 400);

  // Out of order: home sends them back to the authenticator step.
  const early = await patient.get('/patient');
  assert.equal(early.headers.location, '/patient/set-up-authenticator');

  const setup = await patient.get('/patient/set-up-authenticator');
  assert.equal(setup.statusCode, 200);
  assert.match(setup.body, /<svg/);
  const secret = /id="totp-secret">([A-Z2-7 ]+)</.exec(setup.body)?.[1]?.replace(/ /g, '');
  assert.ok(secret, 'the page shows the key to type in');
  const wrong = await patient.submit('/patient/set-up-authenticator', '/patient/set-up-authenticator', {
    code: '000000',
  });
  assert.equal(wrong.headers.location, '/patient/set-up-authenticator?error=code');
  const ok = await patient.submit('/patient/set-up-authenticator', '/patient/set-up-authenticator', {
    code: totpCode(secret, t.clock.now()),
  });
  // The recovery codes are on the response itself: they are kept nowhere to show later.
  assert.equal(ok.statusCode, 200);
  const codes = [...ok.body.matchAll(/<li class="app-code">([A-Z0-9-]+)<\/li>/g)].map((m) => m[1]);
  assert.equal(codes.length, 10);
  await patient.submit('/patient/recovery-codes', '/patient/recovery-codes', {});
  const home = await patient.get('/patient');
  assert.equal(home.statusCode, 200);
  assert.match(home.body, /not linked to a GP record yet/);

  // Staff find the patient and issue a registration letter.
  const target = await newPatient();
  const staff = await signInStaff(t.app, reception.email, DEMO_PASSWORD, reception.totpSecret);
  const letterPage = await staff.submit(
    `/staff/patients/${target.id}`,
    `/staff/patients/${target.id}/registration-letter`,
    {},
  );
  assert.equal(letterPage.statusCode, 200);
  const ods = /id="letter-ods">([^<]+)</.exec(letterPage.body)?.[1];
  const accountRef = /id="letter-account-id">([^<]+)</.exec(letterPage.body)?.[1];
  const firstKey = /id="letter-linkage-key">([^<]+)</.exec(letterPage.body)?.[1];
  assert.ok(ods && accountRef && firstKey);
  // Reset: the first key stops working.
  const reset = await staff.submit(
    `/staff/patients/${target.id}`,
    `/staff/patients/${target.id}/registration-letter`,
    {},
  );
  const key = /id="letter-linkage-key">([^<]+)</.exec(reset.body)?.[1];
  assert.ok(key && key !== firstKey);

  const [y, m, d] = target.birth.split('-');
  const linkFields = {
    odsCode: ods,
    accountRef,
    surname: target.family.toUpperCase(),
    'birthDate[day]': String(Number(d)),
    'birthDate[month]': String(Number(m)),
    'birthDate[year]': y!,
  };
  const oldKey = await patient.submit('/patient/link', '/patient/link', {
    ...linkFields,
    linkageKey: firstKey,
  });
  assert.equal(oldKey.statusCode, 400, 'a reset key no longer links');
  const wrongName = await patient.submit('/patient/link', '/patient/link', {
    ...linkFields,
    surname: 'Nobody',
    linkageKey: key,
  });
  assert.equal(wrongName.statusCode, 400);
  const linked = await patient.submit('/patient/link', '/patient/link', {
    ...linkFields,
    linkageKey: key.toLowerCase(),
  });
  assert.equal(linked.statusCode, 302, linked.body.slice(0, 300));
  let me = await patient.get('/patient');
  assert.match(me.body, /data-service="appointments" data-status="not-switched-on"/);

  // The clinician switches on services including full record access; P5 is not enough for the record.
  const clinician = await signInStaff(t.app, gp.email, DEMO_PASSWORD, gp.totpSecret);
  const version =
    (
      await t.db.db
        .selectFrom('online_services')
        .select('version')
        .where('patient_id', '=', target.id)
        .executeTakeFirst()
    )?.version ?? 0;
  const saved = await clinician.submit(
    `/staff/patients/${target.id}/online-services`,
    `/staff/patients/${target.id}/online-services`,
    {
      services: ['appointments', 'repeatPrescriptions'],
      recordLevel: 'full',
      historicAccess: 'no',
      reason: 'Patient asked at reception',
      version: String(version),
    },
  );
  assert.equal(saved.statusCode, 302, saved.body.slice(0, 500));
  me = await patient.get('/patient');
  assert.match(me.body, /data-service="appointments" data-status="available"/);
  assert.match(me.body, /data-service="record" data-status="needs-identity-check"/);

  // Identity check by reception lifts the account to P9: the record becomes available.
  const verified = await staff.submit(
    `/staff/patients/${target.id}/verify-identity`,
    `/staff/patients/${target.id}/verify-identity`,
    { method: 'photo-documents', evidence: 'Passport and bank statement' },
  );
  assert.equal(verified.statusCode, 302);
  me = await patient.get('/patient');
  assert.match(me.body, /data-service="record" data-status="available"/);
  // What the practice switched on, and nothing else, is offered.
  const services = await t.db.db
    .selectFrom('online_services')
    .select('repeat_prescriptions')
    .where('patient_id', '=', target.id)
    .executeTakeFirstOrThrow();
  assert.equal(
    /data-service="repeat-prescriptions" data-status="available"/.test(me.body),
    services.repeat_prescriptions,
  );

  // Every step is in the audit stream.
  const actions = (
    await t.db.db
      .selectFrom('audit_events')
      .select(['action', 'outcome'])
      .where('patient_id', '=', target.id)
      .execute()
  ).map((r) => `${r.action}:${r.outcome}`);
  for (const a of [
    'linkage-key.issue:success',
    'linkage-key.reset:success',
    'account.link:failure',
    'account.link:success',
    'online-services.change:success',
    'identity.verify:success',
    'patient.view:success',
    'patient.view-own-summary:success',
  ]) {
    assert.ok(actions.includes(a), `audit has ${a}: ${actions.join(', ')}`);
  }
  const signUps = await t.db.db
    .selectFrom('audit_events')
    .select('action')
    .where('action', 'in', ['account.sign-up', 'account.totp-set-up'])
    .execute();
  assert.ok(signUps.length >= 2);

  // The API sees the same thing; a recovery code works once instead of TOTP.
  const token = await apiToken(t.app, email, password, secret);
  const api = await t.app.inject({
    method: 'GET',
    url: '/api/v1/me',
    headers: { authorization: `Bearer ${token}` },
  });
  const body = api.json<{
    proofing_level: string;
    linked: boolean;
    record_level: string;
    patient: { nhs_number: string };
  }>();
  assert.equal(body.proofing_level, 'P9');
  assert.equal(body.linked, true);
  assert.equal(body.record_level, 'full');
  const rc = codes[0]!;
  const viaRecovery = await t.app.inject({
    method: 'POST',
    url: '/api/v1/auth/token',
    payload: { email, password, otp: rc },
  });
  assert.equal(viaRecovery.statusCode, 200);
  const again = await t.app.inject({
    method: 'POST',
    url: '/api/v1/auth/token',
    payload: { email, password, otp: rc },
  });
  assert.equal(again.statusCode, 401, 'a recovery code works only once');

  // The chain verifies; an edited row is detected.
  const good = await verifyAudit(t.db.db);
  assert.equal(good.ok, true, JSON.stringify(good.problems));
  assert.ok(good.events > 20);
  await t.db.db.transaction().execute(async (tx) => {
    await sql`alter table audit_events disable trigger audit_events_no_change`.execute(tx);
    await sql`update audit_events set outcome = 'failure' where action = 'identity.verify' and patient_id = ${target.id}`.execute(
      tx,
    );
    await sql`alter table audit_events enable trigger audit_events_no_change`.execute(tx);
  });
  const bad2 = await verifyAudit(t.db.db);
  assert.equal(bad2.ok, false);
  assert.match(bad2.problems.map((p) => p.problem).join(' '), /edited/);
});

test('the audit stream refuses updates and deletes', async () => {
  await assert.rejects(sql`update audit_events set action = 'x'`.execute(t.db.db), /append-only/);
  await assert.rejects(sql`delete from audit_events`.execute(t.db.db), /append-only/);
});
