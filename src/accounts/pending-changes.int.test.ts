// Security review (issue #10, finding 3): whatever is half-done on an account (a change of
// address waiting for its link, a reset link, a new authenticator waiting for its first code)
// ends when the password is reset or changed, when the person signs out of other devices, and
// when voidPendingAccountChanges is called (staff disabled or their authenticator reset).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Browser, fixedClock, freshCode, testApp, type TestApp } from '../../test/support/harness.ts';
import { linkIn, signInPatient } from '../../test/support/accounts.ts';
import { DEMO_PASSWORD, DEMO_PATIENTS } from '../demo/data.ts';
import { loadDemo } from '../demo/load.ts';
import { voidPendingAccountChanges } from './index.ts';
import { totpCode } from '../platform/auth/secrets.ts';

const clock = fixedClock(new Date());
let t: TestApp;
before(async () => {
  t = await testApp({ clock });
  await loadDemo(t.db.db, clock);
});
after(async () => {
  await t.close();
});

const NEW_PASSWORD = 'lantern orchard velvet cobble';
const signIn = (i: number, password = DEMO_PASSWORD) => {
  const a = DEMO_PATIENTS[i]!;
  clock.advance(31_000);
  return signInPatient(t.app, { email: a.email, password, secret: a.totpSecret, clock });
};
const confirm = (link: string) =>
  new Browser(t.app).submit('/patient/sign-in', link.split('?')[0] ?? '', {
    token: new URL(link, 'http://x').searchParams.get('token') ?? '',
  });
const pendingOf = async (email: string) =>
  (
    await t.db.db
      .selectFrom('online_accounts')
      .select('totp_pending_secret')
      .where('email', '=', email)
      .executeTakeFirstOrThrow()
  ).totp_pending_secret;

/** An "attacker" session starts a change of address and a new authenticator. */
async function halfDone(i: number, password = DEMO_PASSWORD, to = `moved.${String(i)}@example.com`) {
  const a = DEMO_PATIENTS[i]!;
  const b = await signIn(i, password);
  const sent = await b.submit('/patient/account/email', '/patient/account/email', { email: to, password });
  assert.equal(sent.statusCode, 200, sent.body);
  clock.advance(31_000);
  const start = '/patient/account/authenticator';
  const ok = await b.submit(start, start, {
    code: await freshCode(t.app, 'patient', a.email, a.totpSecret, clock),
  });
  assert.equal(ok.headers.location, '/patient/account/authenticator/new');
  assert.equal((await b.get('/patient/account/authenticator/new')).statusCode, 200);
  assert.ok(await pendingOf(a.email), 'a new authenticator waits');
  return { b, link: await linkIn(t.app, to, 'account-email-change') };
}

test('a password reset ends a pending change of address and a pending authenticator', async () => {
  clock.advance(60 * 60_000);
  const a = DEMO_PATIENTS[1]!;
  const { link } = await halfDone(1);
  await new Browser(t.app).submit('/patient/forgotten-password', '/patient/forgotten-password', {
    email: a.email,
  });
  const reset = await linkIn(t.app, a.email, 'account-password-reset');
  const done = await new Browser(t.app).submit('/patient/forgotten-password', reset.split('?')[0] ?? '', {
    token: new URL(reset, 'http://x').searchParams.get('token') ?? '',
    password: NEW_PASSWORD,
    confirm: NEW_PASSWORD,
  });
  assert.equal(done.statusCode, 200, done.body);
  const late = await confirm(link);
  assert.equal(late.statusCode, 400, 'the change of address no longer completes');
  assert.match(late.body, /This link has already been used/);
  assert.equal(await pendingOf(a.email), null);
});

test('changing the password ends a pending change of address and a pending authenticator', async () => {
  clock.advance(60 * 60_000);
  const a = DEMO_PATIENTS[2]!;
  const { link } = await halfDone(2);
  const owner = await signIn(2);
  const form = '/patient/account/password';
  const r = await owner.submit(form, form, {
    current: DEMO_PASSWORD,
    password: NEW_PASSWORD,
    confirm: NEW_PASSWORD,
  });
  assert.equal(r.statusCode, 302, r.body);
  assert.equal((await confirm(link)).statusCode, 400);
  assert.equal(await pendingOf(a.email), null);
});

test('signing out of other devices ends a pending change of address and a pending authenticator', async () => {
  clock.advance(60 * 60_000);
  const a = DEMO_PATIENTS[3]!;
  const { link } = await halfDone(3);
  const owner = await signIn(3);
  const r = await owner.submit('/patient/account', '/patient/account/sign-out-other-devices', {});
  assert.equal(r.statusCode, 302, r.body);
  assert.equal((await confirm(link)).statusCode, 400);
  assert.equal(await pendingOf(a.email), null);
});

test('voidPendingAccountChanges ends reset links, changes of address and a pending authenticator', async () => {
  clock.advance(60 * 60_000);
  const a = DEMO_PATIENTS[4]!;
  const { link } = await halfDone(4);
  await new Browser(t.app).submit('/patient/forgotten-password', '/patient/forgotten-password', {
    email: a.email,
  });
  const reset = await linkIn(t.app, a.email, 'account-password-reset');
  const { id } = await t.db.db
    .selectFrom('online_accounts')
    .select('id')
    .where('email', '=', a.email)
    .executeTakeFirstOrThrow();
  await t.db.db.transaction().execute((tx) => voidPendingAccountChanges(tx, 'patient', id, clock.now()));
  assert.equal((await confirm(link)).statusCode, 400);
  assert.equal((await new Browser(t.app).get(reset)).statusCode, 400);
  assert.equal(await pendingOf(a.email), null);
});

test('a new authenticator waiting for its code belongs to the session that started it, for 10 minutes', async () => {
  clock.advance(60 * 60_000);
  // The first test reset this patient's password.
  const a = DEMO_PATIENTS[1]!;
  const { b } = await halfDone(1, NEW_PASSWORD, 'moved.again@example.com');
  const fresh = '/patient/account/authenticator/new';
  const secret = (/id="totp-secret">([A-Z2-7 ]+)</.exec((await b.get(fresh)).body)?.[1] ?? '').replace(
    /\s+/g,
    '',
  );
  assert.ok(secret);
  // Another session (signed in later, or by someone else) cannot see it or confirm it.
  const other = await signIn(1, NEW_PASSWORD);
  assert.equal((await other.get(fresh)).headers.location, '/patient/account/authenticator');
  const taken = await other.submit('/patient/account', fresh, { code: totpCode(secret, clock.now()) });
  assert.equal(taken.statusCode, 409);
  assert.match(taken.body, /Start again/);
  // Its own session, 11 minutes on, has to start again too.
  clock.advance(11 * 60_000);
  assert.equal((await b.get(fresh)).headers.location, '/patient/account/authenticator');
  const late = await b.submit('/patient/account', fresh, { code: totpCode(secret, clock.now()) });
  assert.equal(late.statusCode, 409);
  const row = await t.db.db
    .selectFrom('online_accounts')
    .select('totp_confirmed_at')
    .where('email', '=', a.email)
    .executeTakeFirstOrThrow();
  assert.ok(row.totp_confirmed_at);
});
