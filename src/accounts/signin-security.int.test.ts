// Sign-in security (issue #8): codes work once, wrong passwords slow down but never lock,
// password spraying from one address is turned away, wrong codes after the right password lock
// until staff or an administrator unlock, and a wrong TOTP key is found at start. Each test names
// the hazard it mitigates (docs/clinical-safety/hazard-log.md).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { randomBytes } from 'node:crypto';
import { Browser, fixedClock, signInStaff, testApp, type TestApp } from '../../test/support/harness.ts';
import { DEMO_PASSWORD, DEMO_PATIENTS, DEMO_STAFF } from '../demo/data.ts';
import { loadDemo } from '../demo/load.ts';
import { sealSecret, totpCode } from '../platform/auth/secrets.ts';
import { totpKeyOpensStored } from '../platform/auth/signin.ts';

const clock = fixedClock(new Date());
let t: TestApp;
before(async () => {
  t = await testApp({ clock });
  await loadDemo(t.db.db, clock);
});
after(async () => {
  await t.close();
});

const token = (email: string, password: string, otp: string, ip = '127.0.0.1') =>
  t.app.inject({
    method: 'POST',
    url: '/api/v1/auth/token',
    payload: { email, password, otp },
    remoteAddress: ip,
  });

// Each test moves the clock well on, so rate-limit windows and TOTP steps of one do not touch the next.
const nextTest = () => {
  clock.advance(60 * 60_000);
};

test('HAZ-12 TOTP replay: a security code that signed in once cannot sign in again', async () => {
  nextTest();
  const a = DEMO_PATIENTS[2]!;
  const code = totpCode(a.totpSecret, clock.now());
  assert.equal((await token(a.email, DEMO_PASSWORD, code)).statusCode, 200);
  assert.equal((await token(a.email, DEMO_PASSWORD, code)).statusCode, 401, 'the same code again');
  // Nor a code of an earlier step, still inside the clock-drift window.
  const earlier = totpCode(a.totpSecret, new Date(clock.now().getTime() - 30_000));
  assert.equal((await token(a.email, DEMO_PASSWORD, earlier)).statusCode, 401, 'an older code');
  // The next step's code still works (one step either side for clock drift, no more).
  const next = totpCode(a.totpSecret, new Date(clock.now().getTime() + 30_000));
  assert.equal((await token(a.email, DEMO_PASSWORD, next)).statusCode, 200);
  const tooFar = totpCode(a.totpSecret, new Date(clock.now().getTime() + 60_000));
  assert.equal((await token(a.email, DEMO_PASSWORD, tooFar)).statusCode, 401, 'two steps ahead');
});

test('HAZ-12 TOTP replay race: ten requests with one code at once give one token', async () => {
  nextTest();
  const a = DEMO_PATIENTS[4]!;
  const code = totpCode(a.totpSecret, clock.now());
  const results = await Promise.all(
    Array.from({ length: 10 }, (_, i) => token(a.email, DEMO_PASSWORD, code, `10.9.0.${String(i)}`)),
  );
  assert.equal(results.filter((r) => r.statusCode === 200).length, 1);
});

test('HAZ-13 lockout abuse: wrong passwords from elsewhere never keep the patient out; from one address they slow that address', async () => {
  nextTest();
  const a = DEMO_PATIENTS[3]!;
  // 20 wrong passwords from 20 addresses (as a botnet would), beyond any per-address limit.
  for (let i = 0; i < 20; i++) {
    const r = await token(a.email, 'not the password', '123456', `10.1.0.${String(i)}`);
    assert.equal(r.statusCode, 401);
    clock.advance(1000);
  }
  // The owner, on their own network, signs in straight away: nothing was locked or slowed there.
  const owner = await token(a.email, DEMO_PASSWORD, totpCode(a.totpSecret, clock.now()), '10.2.0.1');
  assert.equal(owner.statusCode, 200, owner.body);
  // Many wrong passwords from one address slow that address down (429 with a message)…
  nextTest();
  for (let i = 0; i < 8; i++) await token(a.email, 'not the password', '123456', '10.3.0.1');
  const there = await token(a.email, DEMO_PASSWORD, totpCode(a.totpSecret, clock.now()), '10.3.0.1');
  assert.equal(there.statusCode, 429);
  assert.match(there.json<{ detail: string }>().detail, /Wait a minute/);
  // …but not the owner elsewhere, and a minute later that address may try again.
  clock.advance(31_000);
  const elsewhere = await token(a.email, DEMO_PASSWORD, totpCode(a.totpSecret, clock.now()), '10.2.0.1');
  assert.equal(elsewhere.statusCode, 200, elsewhere.body);
  clock.advance(61_000);
  const later = await token(a.email, DEMO_PASSWORD, totpCode(a.totpSecret, clock.now()), '10.3.0.1');
  assert.equal(later.statusCode, 200, later.body);
});

test('HAZ-12 a flood of wrong passwords for one account from many addresses slows it everywhere', async () => {
  nextTest();
  const a = DEMO_PATIENTS[2]!;
  for (let i = 0; i < 110; i++) {
    const r = await token(
      a.email,
      'not the password',
      '123456',
      `10.4.${String(Math.floor(i / 4))}.${String(i % 4)}`,
    );
    assert.ok([401, 429].includes(r.statusCode));
  }
  const owner = await token(a.email, DEMO_PASSWORD, totpCode(a.totpSecret, clock.now()), '10.5.0.1');
  assert.equal(owner.statusCode, 429, 'a guessing flood slows every address for a while');
  clock.advance(61_000);
  const later = await token(a.email, DEMO_PASSWORD, totpCode(a.totpSecret, clock.now()), '10.5.0.1');
  assert.equal(later.statusCode, 200, later.body);
});

test('HAZ-12 password spraying: one address trying many accounts is turned away with 429', async () => {
  nextTest();
  const codes: number[] = [];
  for (let i = 0; i < 31; i++)
    codes.push(
      (await token(`sprayed.${String(i)}@example.com`, 'Winter2026!', '123456', '10.3.0.1')).statusCode,
    );
  assert.deepEqual(codes.slice(0, 30), Array<number>(30).fill(401));
  assert.equal(codes[30], 429, 'the 31st account from the same address');
  // The right person on another address is not affected.
  const a = DEMO_PATIENTS[2]!;
  const other = await token(a.email, DEMO_PASSWORD, totpCode(a.totpSecret, clock.now()), '10.3.0.2');
  assert.equal(other.statusCode, 200);
  // The pages say so too, with a page rather than an error.
  const res = await t.app.inject({
    method: 'GET',
    url: '/patient/sign-in',
    remoteAddress: '10.3.0.1',
  });
  const csrf = /name="_csrf" value="([^"]+)"/.exec(res.body)?.[1] ?? '';
  const cookie = res.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
  const post = await t.app.inject({
    method: 'POST',
    url: '/patient/sign-in',
    remoteAddress: '10.3.0.1',
    headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ email: 'one.more@example.com', password: 'x', _csrf: csrf }).toString(),
  });
  assert.equal(post.statusCode, 429);
  assert.match(post.body, /too many wrong tries/i);
});

test('HAZ-12 HAZ-13 code guessing: wrong codes after the right password lock the account until the practice unlocks it (audited)', async () => {
  nextTest();
  const a = DEMO_PATIENTS[1]!; // linked at the receptionist's practice
  for (let i = 0; i < 5; i++) {
    const r = await token(a.email, DEMO_PASSWORD, '000000', `10.4.0.${String(i)}`);
    assert.equal(r.statusCode, 401);
  }
  // An hour later the right code still does not sign in: the lock does not run out by itself.
  clock.advance(60 * 60_000);
  const locked = await token(a.email, DEMO_PASSWORD, totpCode(a.totpSecret, clock.now()), '10.4.1.1');
  assert.equal(locked.statusCode, 401);
  assert.match(locked.json<{ detail: string }>().detail, /locked/);
  // The sign-in page says so too, once the password is right.
  const page = new Browser(t.app);
  const shown = await page.submit('/patient/sign-in', '/patient/sign-in', {
    email: a.email,
    password: DEMO_PASSWORD,
  });
  assert.equal(shown.statusCode, 401);
  assert.match(shown.body, /This account is locked/);
  assert.match(shown.body, /nhsuk-error-summary/);
  // A wrong password meanwhile does not reveal the lock.
  const wrong = await token(a.email, 'not the password', '123456', '10.4.1.2');
  assert.doesNotMatch(wrong.json<{ detail: string }>().detail, /This account is locked/);

  const reception = DEMO_STAFF[0]!;
  const staff = await signInStaff(t.app, reception.email, DEMO_PASSWORD, reception.totpSecret, clock);
  const account = await t.db.db
    .selectFrom('online_accounts')
    .select(['patient_id', 'locked_at'])
    .where('email', '=', a.email)
    .executeTakeFirstOrThrow();
  assert.ok(account.locked_at && account.patient_id);
  const view = await staff.get(`/staff/patients/${account.patient_id}`);
  assert.match(view.body, /Unlock online account/);
  const unlock = await staff.submit(
    `/staff/patients/${account.patient_id}`,
    `/staff/patients/${account.patient_id}/unlock-account`,
    {},
  );
  assert.equal(unlock.statusCode, 302);
  const audit = await t.db.db
    .selectFrom('audit_events')
    .select(['actor_type', 'patient_id'])
    .where('action', '=', 'account.unlock')
    .execute();
  assert.deepEqual(audit, [{ actor_type: 'staff', patient_id: account.patient_id }]);
  const ok = await token(a.email, DEMO_PASSWORD, totpCode(a.totpSecret, clock.now()), '10.4.1.1');
  assert.equal(ok.statusCode, 200);
});

test('HAZ-13 staff lock: an administrator unlocks a staff user locked by wrong codes', async () => {
  nextTest();
  const gp = DEMO_STAFF[1]!;
  for (let i = 0; i < 5; i++) await token(gp.email, DEMO_PASSWORD, '000000', `10.5.0.${String(i)}`);
  const row = await t.db.db
    .selectFrom('staff_users')
    .select(['id', 'locked_at'])
    .where('email', '=', gp.email)
    .executeTakeFirstOrThrow();
  assert.ok(row.locked_at);
  const admin = DEMO_STAFF.find((s) => s.role === 'admin')!;
  const b = await signInStaff(t.app, admin.email, DEMO_PASSWORD, admin.totpSecret, clock);
  const r = await b.submit('/admin/users', `/admin/users/${row.id}/unlock`, {});
  assert.equal(r.statusCode, 302);
  const after = await t.db.db
    .selectFrom('staff_users')
    .select('locked_at')
    .where('id', '=', row.id)
    .executeTakeFirstOrThrow();
  assert.equal(after.locked_at, null);
  const audit = await t.db.db
    .selectFrom('audit_events')
    .select('subject')
    .where('action', '=', 'staff.unlock')
    .execute();
  assert.deepEqual(audit, [{ subject: `staff:${row.id}` }]);
});

test('HAZ-12 HAZ-13 code guessing: an administrator unlocks a locked account that belongs to no practice (audited)', async () => {
  nextTest();
  const a = DEMO_PATIENTS[0]!; // not linked to a practice
  for (let i = 0; i < 5; i++) await token(a.email, DEMO_PASSWORD, '000000', `10.8.0.${String(i)}`);
  const row = await t.db.db
    .selectFrom('online_accounts')
    .select(['id', 'locked_at', 'practice_ods'])
    .where('email', '=', a.email)
    .executeTakeFirstOrThrow();
  assert.ok(row.locked_at && row.practice_ods === null);
  const admin = DEMO_STAFF.find((s) => s.role === 'admin')!;
  const b = await signInStaff(t.app, admin.email, DEMO_PASSWORD, admin.totpSecret, clock);
  const list = await b.get('/admin/locked-accounts');
  assert.equal(list.statusCode, 200);
  assert.match(list.body, new RegExp(a.email.replace(/\./g, '\\.')));
  const r = await b.submit('/admin/locked-accounts', `/admin/locked-accounts/${row.id}/unlock`, {});
  assert.equal(r.statusCode, 302);
  const audit = await t.db.db
    .selectFrom('audit_events')
    .select('actor_role')
    .where('action', '=', 'account.unlock')
    .where('subject', '=', `account:${row.id}`)
    .execute();
  assert.deepEqual(audit, [{ actor_role: 'admin' }]);
  const ok = await token(a.email, DEMO_PASSWORD, totpCode(a.totpSecret, clock.now()), '10.8.1.1');
  assert.equal(ok.statusCode, 200);
});

test('HAZ-12 a wrong TOTP key is found at start, not as a failed sign-in for everyone', async () => {
  const right = t.app.deps.config.totpKey;
  const wrong = randomBytes(32);
  const staff = DEMO_STAFF[0]!;
  const before = await t.db.db
    .selectFrom('staff_users')
    .select('totp_secret')
    .where('email', '=', staff.email)
    .executeTakeFirstOrThrow();
  await t.db.db
    .updateTable('staff_users')
    .set({ totp_secret: sealSecret(right, staff.totpSecret) })
    .where('email', '=', staff.email)
    .execute();
  try {
    assert.equal(await totpKeyOpensStored(t.db.db, right), true);
    assert.equal(await totpKeyOpensStored(t.db.db, wrong), false);
  } finally {
    await t.db.db
      .updateTable('staff_users')
      .set({ totp_secret: before.totp_secret })
      .where('email', '=', staff.email)
      .execute();
  }
});
