// Setting up a new staff authenticator after a reset (review of issue #10): each set-up session
// gets its own secret, and a secret confirms only while it is still the stored one.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Browser, fixedClock, testApp, type TestApp } from '../../test/support/harness.ts';
import { DEMO_PASSWORD } from '../demo/data.ts';
import { loadDemo } from '../demo/load.ts';
import { totpCode } from '../platform/auth/secrets.ts';
import { addStaffUser } from './service.ts';
import * as store from './store.ts';

const clock = fixedClock(new Date());
let t: TestApp;
before(async () => {
  t = await testApp({ clock });
  await loadDemo(t.db.db, clock);
});
after(async () => {
  await t.close();
});

async function resetColleague(name: string) {
  const email = `${name.toLowerCase().replace(/\s/g, '.')}@example.test`;
  const { id } = await addStaffUser(
    { db: t.db.db, clock, meta: null },
    { kind: 'system' },
    {
      email,
      name,
      role: 'receptionist',
      password: DEMO_PASSWORD,
      practiceOds: 'P81082',
      trustedPassword: true,
    },
    t.app.deps.config.totpKey,
  );
  await store.clearAuthenticator(t.db.db, id);
  return { id, email };
}

const SET_UP = '/staff/set-up-authenticator';

/** The password in a new browser, then the set-up page: the browser and the secret it shows. */
async function startSetUp(email: string) {
  clock.advance(60_000);
  const b = new Browser(t.app);
  const step = await b.submit('/staff/sign-in', '/staff/sign-in', { email, password: DEMO_PASSWORD });
  assert.equal(step.headers.location, SET_UP);
  const page = await b.get(SET_UP);
  assert.equal(page.statusCode, 200);
  const secret = (/id="totp-secret">([A-Z2-7 ]+)</.exec(page.body)?.[1] ?? '').replace(/ /g, '');
  assert.ok(secret.length >= 16);
  const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1] ?? '';
  // Posted straight from this page: another GET would show this session a new secret.
  const post = (code: string) => b.post(SET_UP, { code, _csrf: csrf });
  return { b, secret, post };
}

const confirmedAt = async (id: string) =>
  (
    await t.db.db
      .selectFrom('staff_users')
      .select('totp_confirmed_at')
      .where('id', '=', id)
      .executeTakeFirstOrThrow()
  ).totp_confirmed_at;

test('a set-up secret confirms only while it is still the stored one: a reset or a newer secret wins', async () => {
  const c = await resetColleague('Cory Confirm');
  await store.setUnconfirmedTotpSecret(t.db.db, c.id, 'v1:first');
  // Reset again after the code was checked: nothing is confirmed, with no secret at all.
  await store.clearAuthenticator(t.db.db, c.id);
  assert.equal(await store.confirmTotp(t.db.db, c.id, 'v1:first', clock.now()), false);
  assert.equal(await confirmedAt(c.id), null);
  // Another secret stored since: the one checked does not confirm it.
  await store.setUnconfirmedTotpSecret(t.db.db, c.id, 'v1:second');
  assert.equal(await store.confirmTotp(t.db.db, c.id, 'v1:first', clock.now()), false);
  assert.equal(await confirmedAt(c.id), null);
  assert.equal(await store.confirmTotp(t.db.db, c.id, 'v1:second', clock.now()), true);
  assert.ok(await confirmedAt(c.id));
});

test('each set-up session gets its own secret: one shown to an earlier sign-in no longer confirms', async () => {
  const c = await resetColleague('Sam Session');
  const first = await startSetUp(c.email);
  // The same session sees the same secret again (after a wrong code, say).
  const again = await first.b.get(SET_UP);
  assert.ok(again.body.includes(first.secret.match(/.{1,4}/g)?.join(' ') ?? '-'));
  const second = await startSetUp(c.email);
  assert.notEqual(second.secret, first.secret);
  // The earlier session's secret, and its session, are done with.
  const stale = await first.post(totpCode(first.secret, clock.now()));
  assert.equal(stale.statusCode, 302);
  assert.match(String(stale.headers.location), /^\/staff\/sign-in/);
  assert.equal(await confirmedAt(c.id), null);
  const ok = await second.post(totpCode(second.secret, clock.now()));
  assert.equal(ok.headers.location, '/staff');
  assert.ok(await confirmedAt(c.id));
});
