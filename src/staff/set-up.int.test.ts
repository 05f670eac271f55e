// Setting up a new staff authenticator after a reset (review of issue #10): each set-up session
// gets its own secret, and a secret confirms only while it is still the stored one.
import assert from 'node:assert/strict';
import { sql } from 'kysely';
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

test('the set-up step is audited, and wrong codes there count towards the lock: the fifth locks and signs out', async () => {
  const c = await resetColleague('Wren Wrong');
  const s = await startSetUp(c.email);
  const right = totpCode(s.secret, clock.now());
  const wrong = right.slice(0, 5) + String((Number(right[5]) + 1) % 10);
  for (let i = 1; i <= 4; i++) assert.equal((await s.post(wrong)).headers.location, `${SET_UP}?error=code`);
  const fifth = await s.post(wrong);
  assert.match(String(fifth.headers.location), /^\/staff\/sign-in/);
  assert.equal((await s.b.get(SET_UP)).headers.location, '/staff/sign-in', 'signed out');
  const row = await t.db.db
    .selectFrom('staff_users')
    .select(['locked_at', 'totp_confirmed_at'])
    .where('id', '=', c.id)
    .executeTakeFirstOrThrow();
  assert.ok(row.locked_at);
  assert.equal(row.totp_confirmed_at, null);
  const again = await new Browser(t.app).submit('/staff/sign-in', '/staff/sign-in', {
    email: c.email,
    password: DEMO_PASSWORD,
  });
  assert.match(again.body, /This account is locked/);
  // (Rows at one instant come in no certain order: compared as sorted lists.)
  const rows = await t.db.db
    .selectFrom('audit_events')
    .select(['action', 'outcome', 'actor_id', 'details'])
    .where('subject', '=', `staff:${c.id}`)
    .where('action', 'like', 'auth.totp-set-up%')
    .execute();
  assert.deepEqual(
    rows.map((r) => `${r.action} ${r.outcome} ${r.actor_id === c.id ? 'by them' : 'by someone else'}`).sort(),
    [
      ...Array<string>(5).fill('auth.totp-set-up failure by them'),
      'auth.totp-set-up-started success by them',
    ],
  );
  assert.deepEqual(
    rows
      .filter((r) => r.outcome === 'failure')
      .map((r) => JSON.stringify(r.details))
      .sort(),
    [
      ...Array<string>(4).fill(JSON.stringify({ reason: 'wrong-code', lockedNow: false })),
      JSON.stringify({ reason: 'wrong-code', lockedNow: true }),
    ].sort(),
  );
});

test('a staff user counts as set up only when the insert says so: no default, and a new user is confirmed as added', async () => {
  const column = await sql<{ column_default: string | null }>`
    select column_default from information_schema.columns
    where table_name = 'staff_users' and column_name = 'totp_confirmed_at'`.execute(t.db.db);
  assert.deepEqual(column.rows, [{ column_default: null }]);
  clock.advance(3_600_000);
  const email = 'nia.new@example.test';
  const { id } = await addStaffUser(
    { db: t.db.db, clock, meta: null },
    { kind: 'system' },
    {
      email,
      name: 'Nia New',
      role: 'receptionist',
      password: DEMO_PASSWORD,
      practiceOds: 'P81082',
      trustedPassword: true,
    },
    t.app.deps.config.totpKey,
  );
  assert.deepEqual(await confirmedAt(id), clock.now());
});
