// Staff administration in Chromium with axe on every page (issue #10): a receptionist locked by
// wrong security codes is unlocked by their practice manager and signs in; an administrator
// disables a clinician, who then cannot sign in, and re-enables them; an administrator resets a
// clinician's authenticator and the clinician sets up a new one at their next sign-in.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEMO_PASSWORD, DEMO_STAFF } from '../../src/demo/data.ts';
import { totpCode } from '../../src/platform/auth/secrets.ts';
import { submit, submitRefused, visit, type Session } from './browser.ts';
import { demoSite } from './site.ts';

const staff = (email: string) => DEMO_STAFF.find((s) => s.email === email)!;
const admin = DEMO_STAFF.find((s) => s.role === 'admin')!;
const manager = staff('manager@ryan.demo.gp-online.test');
const receptionist = staff('reception@ryan.demo.gp-online.test');
const disabled = staff('gp@audlem.demo.gp-online.test');
const reset = staff('gp@thompson.demo.gp-online.test');
const site = demoSite();

/** One administrator's session for the file: a security code works once, so they sign in once. */
let adminOpen: Session | undefined;
async function adminSession(): Promise<Session> {
  if (adminOpen) return adminOpen;
  adminOpen = await site.open();
  await site.signIn(adminOpen, '/staff/sign-in', admin.email, admin.totpSecret);
  return adminOpen;
}

async function password(s: Session, email: string, refused?: number): Promise<void> {
  await visit(s, site.origin, '/staff/sign-in');
  await s.page.getByLabel('Email address').fill(email);
  await s.page.getByLabel('Password', { exact: true }).fill(DEMO_PASSWORD);
  const go = () => s.page.getByRole('button', { name: 'Continue' }).click();
  await (refused ? submitRefused(s, go, refused) : submit(s, go));
}

test('a practice manager unlocks a receptionist locked by wrong codes; they sign in', async (tc) => {
  if (!site.ready(tc)) return;
  const rita = await site.open();
  await password(rita, receptionist.email);
  for (let i = 0; i < 5; i++) {
    await rita.page.getByLabel('Security code').fill('000000');
    await submitRefused(rita, () => rita.page.getByRole('button', { name: 'Sign in' }).click(), 401);
  }
  assert.match(await rita.page.content(), /This account is locked/);

  const mo = await site.open();
  await site.signIn(mo, '/staff/sign-in', manager.email, manager.totpSecret);
  const header = mo.page.locator('header');
  assert.match((await header.textContent()) ?? '', /Mo Manager \(Practice manager\)/);
  assert.equal(
    await header.getByRole('link', { name: 'Your account' }).getAttribute('href'),
    '/staff/account',
  );
  // Links that do not fit the header's width are under "More".
  const team = header.getByRole('link', { name: 'Your team' });
  if (!(await team.isVisible())) await header.getByRole('button', { name: 'More' }).click();
  await submit(mo, () => team.click());
  await submit(mo, () => mo.page.getByRole('link', { name: receptionist.name }).click());
  assert.match(await mo.page.content(), /Locked after too many wrong security codes/);
  await submit(mo, () => mo.page.getByRole('button', { name: 'Unlock account' }).click());
  assert.match(await mo.page.content(), /account is unlocked/);

  await site.signIn(rita, '/staff/sign-in', receptionist.email, receptionist.totpSecret);
  assert.match((await rita.page.locator('header').textContent()) ?? '', /Rita Reception \(Receptionist\)/);
  const links = await rita.page.locator('.nhsuk-header__navigation-link').allTextContents();
  assert.ok(!links.some((l) => /Record review/.test(l)), `no Record review link: ${links.join(', ')}`);
});

test('an administrator disables a clinician, who cannot sign in, then re-enables them', async (tc) => {
  if (!site.ready(tc)) return;
  const ada = await adminSession();
  const p = ada.page;
  await visit(ada, site.origin, '/admin/users');
  await submit(ada, () => p.getByRole('link', { name: disabled.name }).click());
  await submit(ada, () => p.getByRole('link', { name: 'Disable this account' }).click());
  assert.match(await p.content(), /Disable Dr Alan Audlem’s account\?/);
  await submit(ada, () => p.getByRole('button', { name: 'Disable account' }).click());
  assert.match(await p.content(), /account is disabled/);

  const alan = await site.open();
  await password(alan, disabled.email, 401);
  assert.match(await alan.page.content(), /The email address, password or security code is not right/);

  await submit(ada, () => p.getByRole('button', { name: 'Re-enable account' }).click());
  assert.match(await p.content(), /account is active again/);
  await site.signIn(alan, '/staff/sign-in', disabled.email, disabled.totpSecret);
});

test('an administrator resets an authenticator; the clinician sets up a new one at next sign-in', async (tc) => {
  if (!site.ready(tc)) return;
  const ada = await adminSession();
  const p = ada.page;
  await visit(ada, site.origin, '/admin/users');
  await submit(ada, () => p.getByRole('link', { name: reset.name }).click());
  await submit(ada, () => p.getByRole('link', { name: 'Reset their authenticator app' }).click());
  await submit(ada, () => p.getByRole('button', { name: 'Reset authenticator app' }).click());
  assert.match(await p.content(), /will set up a new one when they next sign in/);

  const tess = await site.open();
  await password(tess, reset.email);
  assert.match(tess.page.url(), /\/staff\/set-up-authenticator$/);
  const secret = ((await tess.page.locator('#totp-secret').textContent()) ?? '').replace(/\s/g, '');
  assert.notEqual(secret, reset.totpSecret);
  assert.ok(!(await p.content()).includes(secret), 'the administrator never sees the new key');
  await tess.page.getByLabel('Enter the 6-digit code your app now shows').fill('000000');
  await submitRefused(tess, () => tess.page.getByRole('button', { name: 'Continue' }).click(), 400);
  assert.match(await tess.page.content(), /There is a problem/);
  await tess.page.getByLabel('Enter the 6-digit code your app now shows').fill(totpCode(secret, new Date()));
  await submit(tess, () => tess.page.getByRole('button', { name: 'Continue' }).click());
  assert.match(tess.page.url(), /\/staff\/patients$/);
  assert.match((await tess.page.locator('header').textContent()) ?? '', /Dr Tess Thompson \(Clinician\)/);
});
