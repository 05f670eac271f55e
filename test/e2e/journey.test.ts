// The foundation journey in a real browser (Debian's Chromium), with axe on every page: a patient
// signs up, confirms their email address, sets up an authenticator, signs out and in again; reception issues a registration
// letter, the patient links with it, reception records an identity check, a clinician switches
// on services, and the patient's home shows the record as available.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type TestApp } from '../support/harness.ts';
import { DEMO_STAFF } from '../../src/demo/data.ts';
import { totpCode } from '../../src/platform/auth/secrets.ts';
import { check, submit, visit, type Session } from './browser.ts';
import { demoSite } from './site.ts';

const reception = DEMO_STAFF[0]!;
const gp = DEMO_STAFF[1]!;
const site = demoSite();

async function newPatient(app: TestApp): Promise<{ id: string; family: string; birth: string }> {
  const row = await app.db.db
    .selectFrom('patients')
    .leftJoin('online_accounts', 'online_accounts.patient_id', 'patients.id')
    .leftJoin('online_services', 'online_services.patient_id', 'patients.id')
    .where('online_services.patient_id', 'is', null)
    .where('online_accounts.id', 'is', null)
    .where('patients.practice_ods', '=', 'P81082')
    .select(['patients.id', 'patients.family_name', 'patients.birth_date'])
    .orderBy('patients.nhs_number')
    .limit(1)
    .executeTakeFirstOrThrow();
  return { id: row.id, family: row.family_name, birth: row.birth_date };
}

async function staffSignOut(s: Session): Promise<void> {
  const { page } = s;
  await submit(s, () => page.getByRole('link', { name: 'Sign out' }).click());
  await submit(s, () => page.getByRole('button', { name: 'Sign out' }).click());
}

test('patient and practice journey in Chromium, accessible on every page', async (tc) => {
  const t = site.ready(tc);
  if (!t) return;
  const app = t;
  const patient = await site.open();
  const p = patient.page;
  const email = `jo.${String(Date.now())}@example.com`;
  const password = 'correct horse battery staple';

  // (1) Sign up.
  await visit(patient, site.origin, '/');
  await visit(patient, site.origin, '/patient/sign-up');
  await p.getByLabel('Email address').fill(email);
  await p.getByLabel('Create a password').fill(password);
  await p.getByLabel('Type your password again').fill(password);
  await submit(patient, () => p.getByRole('button', { name: 'Create account' }).click());
  assert.match((await p.locator('h1').textContent()) ?? '', /Check your email/);
  // The link from the email (the outbox; in demo mode the page shows it too), then confirm.
  const mail = await app.db.db
    .selectFrom('notifications_outbox')
    .select('personalisation')
    .where('email', '=', email)
    .where('kind', '=', 'account-confirm-email')
    .executeTakeFirstOrThrow();
  const link = new URL(mail.personalisation.link ?? '');
  await visit(patient, site.origin, link.pathname + link.search);
  await submit(patient, () => p.getByRole('button', { name: 'Confirm and continue' }).click());
  assert.match(p.url(), /\/patient\/set-up-authenticator$/);

  // (2) Authenticator and recovery codes.
  const secret = ((await p.locator('#totp-secret').textContent()) ?? '').replace(/\s+/g, '');
  assert.match(secret, /^[A-Z2-7]{16,}$/);
  await p.getByLabel('Enter the 6-digit code your app now shows').fill(totpCode(secret, new Date()));
  await submit(patient, () => p.getByRole('button', { name: 'Continue' }).click());
  // The recovery codes are shown on the response to the set-up form, and kept nowhere in clear.
  assert.equal(await p.locator('#recovery-codes li').count(), 10);
  await submit(patient, () => p.getByRole('button', { name: 'I have saved my recovery codes' }).click());
  assert.match(p.url(), /\/patient$/);
  assert.match((await p.locator('main').textContent()) ?? '', /not linked to a GP record yet/);

  // (3) Sign out through the header link and the sign-out page, then sign in again.
  await submit(patient, () => p.getByRole('link', { name: 'Sign out' }).click());
  assert.match(p.url(), /\/patient\/sign-out$/);
  await submit(patient, () => p.getByRole('button', { name: 'Sign out' }).click());
  await visit(patient, site.origin, '/patient/sign-in');
  await p.getByLabel('Email address').fill(email);
  await p.getByLabel('Password', { exact: true }).fill(password);
  await submit(patient, () => p.getByRole('button', { name: 'Continue' }).click());
  // The code that confirmed the set-up cannot sign in again: the app's next code (30 seconds on,
  // accepted for clock drift) does.
  await p.getByLabel('Security code').fill(totpCode(secret, new Date(Date.now() + 30_000)));
  await submit(patient, () => p.getByRole('button', { name: 'Sign in' }).click());
  assert.match(p.url(), /\/patient$/);

  // (4) Reception, in a second browser, finds a patient and prints a registration letter.
  const target = await newPatient(app);
  const staff = await site.open();
  const s = staff.page;
  await site.signIn(staff, '/staff/sign-in', reception.email, reception.totpSecret);
  await visit(staff, site.origin, '/staff/patients');
  await s.getByLabel('NHS number or surname').fill(target.family);
  await submit(staff, () => s.getByRole('button', { name: 'Search' }).click());
  await submit(staff, () => s.locator(`#results a[href="/staff/patients/${target.id}"]`).click());
  await submit(staff, () => s.getByRole('button', { name: 'Print a registration letter' }).click());
  const ods = ((await s.locator('#letter-ods').textContent()) ?? '').trim();
  const accountRef = ((await s.locator('#letter-account-id').textContent()) ?? '').trim();
  const linkageKey = ((await s.locator('#letter-linkage-key').textContent()) ?? '').trim();
  assert.ok(ods && accountRef && linkageKey);

  // The patient links with the letter.
  await visit(patient, site.origin, '/patient');
  await submit(patient, () =>
    p.getByRole('link', { name: 'Link your account with a registration letter' }).click(),
  );
  const [y, m, d] = target.birth.split('-');
  await p.getByLabel('Practice code (ODS code)').fill(ods);
  await p.getByLabel('Account ID').fill(accountRef);
  await p.getByLabel('Linkage Key').fill(linkageKey);
  await p.getByLabel('Surname').fill(target.family);
  await p.locator('#birthDate-day').fill(String(Number(d)));
  await p.locator('#birthDate-month').fill(String(Number(m)));
  await p.locator('#birthDate-year').fill(y ?? '');
  await submit(patient, () => p.getByRole('button', { name: 'Link my account' }).click());
  assert.doesNotMatch(p.url(), /\/patient\/link/);

  // Reception records an identity check.
  await visit(staff, site.origin, `/staff/patients/${target.id}`);
  await submit(staff, () => s.getByRole('link', { name: 'Record an identity check' }).click());
  await s.getByLabel('Identity documents').check();
  await s.getByLabel('Evidence seen').fill('Passport and bank statement');
  await submit(staff, () => s.getByRole('button', { name: 'Record identity check' }).click());
  assert.match((await s.locator('#verifications').textContent()) ?? '', /Passport and bank statement/);
  await staffSignOut(staff);

  // A clinician switches on appointments and full record access.
  await site.signIn(staff, '/staff/sign-in', gp.email, gp.totpSecret);
  await visit(staff, site.origin, `/staff/patients/${target.id}`);
  await submit(staff, () => s.getByRole('link', { name: 'Change online services' }).click());
  await s.getByLabel('Book and cancel appointments').check();
  await s.getByLabel('Full record').check();
  await submit(staff, () => s.getByRole('button', { name: /^Save/ }).click());
  assert.match((await s.locator('main').textContent()) ?? '', /Online services updated/);

  // The patient sees the record.
  await visit(patient, site.origin, '/patient');
  assert.equal(await p.locator('[data-service="record"][data-status="available"]').count(), 1);
  assert.equal(await p.locator('[data-service="appointments"][data-status="available"]').count(), 1);
  await p.screenshot({ path: '/tmp/e2e-patient-home.png', fullPage: true });
  await check(patient);

  tc.diagnostic(`axe checked ${String(patient.checked.length + staff.checked.length)} pages`);
  for (const u of new Set([...patient.checked, ...staff.checked])) tc.diagnostic(u.replace(site.origin, ''));
});
