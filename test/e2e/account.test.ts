// Account self-service in a real browser (Debian's Chromium), with axe on every page (issue #10):
// a forgotten password, changing the password, changing the email address, replacing the
// authenticator, new recovery codes and signing out of other devices, for patients and staff.
// The emails are read from the test app's outbox.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { freshCode } from '../support/harness.ts';
import { linkIn } from '../support/accounts.ts';
import { DEMO_PASSWORD, DEMO_PATIENTS, DEMO_STAFF } from '../../src/demo/data.ts';
import { totpCode } from '../../src/platform/auth/secrets.ts';
import { submit, submitRefused, visit, type Session } from './browser.ts';
import { demoSite } from './site.ts';

const site = demoSite();
const NEW_PASSWORD = 'meadow copper lantern ferry';

const h1 = async (s: Session) => ((await s.page.locator('h1').textContent()) ?? '').trim();
const banner = async (s: Session) =>
  ((await s.page.locator('.nhsuk-notification-banner').textContent()) ?? '').replace(/\s+/g, ' ');
const pathOf = (s: Session) => new URL(s.page.url()).pathname + new URL(s.page.url()).search;

test('forgotten password: ask for a link, choose a new password, sign in with it and the security code', async (tc) => {
  const t = site.ready(tc);
  if (!t) return;
  const a = DEMO_PATIENTS[1]!;
  const s = await site.open();
  const p = s.page;
  await visit(s, site.origin, '/patient/sign-in');
  await submit(s, () => p.getByRole('link', { name: 'Forgotten your password?' }).click());
  assert.equal(await h1(s), 'Reset your password');
  await p.getByLabel('Email address').fill(a.email);
  await submit(s, () => p.getByRole('button', { name: 'Send me a link' }).click());
  assert.equal(await h1(s), 'Check your email');
  await visit(s, site.origin, await linkIn(t.app, a.email, 'account-password-reset'));
  assert.equal(await h1(s), 'Choose a new password');
  // A weak password first: the error summary names it.
  await p.getByLabel('New password', { exact: true }).fill('password1234');
  await p.getByLabel('Type your new password again').fill('password1234');
  await submitRefused(s, () => p.getByRole('button', { name: 'Change password' }).click());
  assert.equal(await p.locator('.nhsuk-error-summary').count(), 1);
  await p.getByLabel('New password', { exact: true }).fill(NEW_PASSWORD);
  await p.getByLabel('Type your new password again').fill(NEW_PASSWORD);
  await submit(s, () => p.getByRole('button', { name: 'Change password' }).click());
  assert.equal(await h1(s), 'Your password has been changed');
  await submit(s, () => p.getByRole('link', { name: 'Sign in' }).last().click());
  await p.getByLabel('Email address').fill(a.email);
  await p.getByLabel('Password', { exact: true }).fill(NEW_PASSWORD);
  await submit(s, () => p.getByRole('button', { name: 'Continue' }).click());
  assert.match(p.url(), /\/patient\/sign-in\/code$/, 'the security code is still needed');
  await p.getByLabel('Security code').fill(await freshCode(t.app, 'patient', a.email, a.totpSecret));
  await submit(s, () => p.getByRole('button', { name: 'Sign in' }).click());
  assert.match(p.url(), /\/patient$/);
});

test('change password from the account page; the page says so', async (tc) => {
  const t = site.ready(tc);
  if (!t) return;
  const a = DEMO_PATIENTS[2]!;
  const s = await site.open();
  const p = s.page;
  await site.signIn(s, '/patient/sign-in', a.email, a.totpSecret);
  await visit(s, site.origin, '/patient/account');
  assert.equal(await h1(s), 'Your account');
  await submit(s, () => p.getByRole('link', { name: 'Change password' }).click());
  await p.getByLabel('Current password').fill(DEMO_PASSWORD);
  await p.getByLabel('New password', { exact: true }).fill(NEW_PASSWORD);
  await p.getByLabel('Type your new password again').fill(NEW_PASSWORD);
  await submit(s, () => p.getByRole('button', { name: 'Change password' }).click());
  assert.equal(pathOf(s), '/patient/account?done=password');
  assert.match(await banner(s), /Your password has been changed/);
});

test('change email (staff): a link to the new address, confirmed with a button; the account shows the new address', async (tc) => {
  const t = site.ready(tc);
  if (!t) return;
  const u = DEMO_STAFF[2]!;
  const next = 'mo.manager@ryan.example.com';
  const s = await site.open();
  const p = s.page;
  await site.signIn(s, '/staff/sign-in', u.email, u.totpSecret);
  await visit(s, site.origin, '/staff/account');
  await submit(s, () => p.getByRole('link', { name: 'Change email address' }).click());
  await p.getByLabel('New email address').fill(next);
  await p.getByLabel('Your password').fill(DEMO_PASSWORD);
  await submit(s, () => p.getByRole('button', { name: 'Send a link to my new address' }).click());
  assert.equal(await h1(s), 'Check your email');
  await visit(s, site.origin, await linkIn(t.app, next, 'account-email-change'));
  await submit(s, () => p.getByRole('button', { name: 'Confirm my new email address' }).click());
  assert.equal(await h1(s), 'Your email address has been changed');
  await submit(s, () => p.getByRole('link', { name: 'Go back to your account' }).click());
  assert.match((await p.locator('#account-summary').textContent()) ?? '', /mo\.manager@ryan\.example\.com/);
});

test('replace the authenticator: a code from the current app, then the new QR code and a code from it', async (tc) => {
  const t = site.ready(tc);
  if (!t) return;
  const a = DEMO_PATIENTS[3]!;
  const s = await site.open();
  const p = s.page;
  await site.signIn(s, '/patient/sign-in', a.email, a.totpSecret);
  await visit(s, site.origin, '/patient/account');
  await submit(s, () => p.getByRole('link', { name: 'Replace authenticator app' }).click());
  await p
    .getByLabel('Security code from your current app')
    .fill(await freshCode(t.app, 'patient', a.email, a.totpSecret));
  await submit(s, () => p.getByRole('button', { name: 'Continue' }).click());
  assert.equal(await h1(s), 'Set up your new authenticator app');
  assert.equal((await p.locator('svg').count()) >= 1, true);
  const secret = ((await p.locator('#totp-secret').textContent()) ?? '').replace(/\s+/g, '');
  await p.getByLabel('Enter the 6-digit code your new app shows').fill(totpCode(secret, new Date()));
  await submit(s, () => p.getByRole('button', { name: 'Confirm new authenticator app' }).click());
  assert.equal(pathOf(s), '/patient/account?done=authenticator');
  assert.match(await banner(s), /Your new authenticator app is set up/);
});

test('new recovery codes, then a lost phone: a recovery code signs in and leads to setting up the app again', async (tc) => {
  const t = site.ready(tc);
  if (!t) return;
  const a = DEMO_PATIENTS[4]!;
  const s = await site.open();
  const p = s.page;
  await site.signIn(s, '/patient/sign-in', a.email, a.totpSecret);
  await visit(s, site.origin, '/patient/account');
  await submit(s, () => p.getByRole('link', { name: 'Get new codes recovery codes' }).click());
  await p.getByLabel('Your password').fill(DEMO_PASSWORD);
  await p
    .getByLabel('Security code from your authenticator app')
    .fill(await freshCode(t.app, 'patient', a.email, a.totpSecret));
  await submit(s, () => p.getByRole('button', { name: 'Get new recovery codes' }).click());
  assert.equal(await h1(s), 'Save your new recovery codes');
  const codes = (await p.locator('#recovery-codes li').allTextContents()).map((c) => c.trim());
  assert.equal(codes.length, 10);
  await submit(s, () => p.getByRole('link', { name: /I have saved my recovery codes/ }).click());
  // Signed out, the phone is lost: a recovery code at the code step.
  await submit(s, () => p.getByRole('link', { name: 'Sign out' }).click());
  await submit(s, () => p.getByRole('button', { name: 'Sign out' }).click());
  await visit(s, site.origin, '/patient/sign-in');
  await p.getByLabel('Email address').fill(a.email);
  await p.getByLabel('Password', { exact: true }).fill(DEMO_PASSWORD);
  await submit(s, () => p.getByRole('button', { name: 'Continue' }).click());
  await p.getByLabel('Security code').fill(codes[0] ?? '');
  await submit(s, () => p.getByRole('button', { name: 'Sign in' }).click());
  assert.equal(pathOf(s), '/patient/account/authenticator');
  assert.match((await p.locator('#recovered').textContent()) ?? '', /You signed in with a recovery code/);
  await submit(s, () => p.getByRole('button', { name: 'Set up my authenticator app' }).click());
  const secret = ((await p.locator('#totp-secret').textContent()) ?? '').replace(/\s+/g, '');
  await p.getByLabel('Enter the 6-digit code your new app shows').fill(totpCode(secret, new Date()));
  await submit(s, () => p.getByRole('button', { name: 'Confirm new authenticator app' }).click());
  assert.match(await banner(s), /Your new authenticator app is set up/);
  assert.match((await p.locator('#account-summary').textContent()) ?? '', /9 left/);
});

test('sign out of other devices (staff): the other browser is signed out, this one stays', async (tc) => {
  const t = site.ready(tc);
  if (!t) return;
  const u = DEMO_STAFF[3]!;
  const here = await site.open();
  const there = await site.open();
  await site.signIn(there, '/staff/sign-in', u.email, u.totpSecret);
  // The second sign-in needs the next code (a code works once).
  await visit(here, site.origin, '/staff/sign-in');
  await here.page.getByLabel('Email address').fill(u.email);
  await here.page.getByLabel('Password', { exact: true }).fill(DEMO_PASSWORD);
  await submit(here, () => here.page.getByRole('button', { name: 'Continue' }).click());
  await here.page.getByLabel('Security code').fill(await freshCode(t.app, 'staff', u.email, u.totpSecret));
  await submit(here, () => here.page.getByRole('button', { name: 'Sign in' }).click());
  await visit(here, site.origin, '/staff/account');
  assert.match((await here.page.locator('#account-summary').textContent()) ?? '', /This device and 1 other/);
  await submit(here, () => here.page.getByRole('button', { name: 'Sign out of other devices' }).click());
  assert.match(await banner(here), /You have been signed out on your other devices/);
  assert.match((await here.page.locator('#account-summary').textContent()) ?? '', /Only this device/);
  await visit(there, site.origin, '/staff/account');
  assert.match(there.page.url(), /\/staff\/sign-in/);
});
