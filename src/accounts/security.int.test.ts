// Sign-in and account security (issue #8): codes work once, wrong passwords slow down but never
// lock, password spraying from one address is turned away, wrong codes after the right password
// lock until staff unlock, TOTP secrets are encrypted at rest, recovery codes are never kept in
// clear. Each test names the hazard it mitigates (docs/clinical-safety/hazard-log.md).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Browser, fixedClock, signInStaff, testApp, type TestApp } from '../../test/support/harness.ts';
import { DEMO_PASSWORD, DEMO_PATIENTS, DEMO_STAFF } from '../demo/data.ts';
import { loadDemo } from '../demo/load.ts';
import { randomBytes } from 'node:crypto';
import { isSealed, sealSecret, totpCode } from '../platform/auth/secrets.ts';
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

test('HAZ-12 secrets at rest: TOTP secrets are stored encrypted, legacy plaintext is sealed on use', async () => {
  nextTest();
  const a = DEMO_PATIENTS[5] ?? DEMO_PATIENTS[0]!;
  const before = await t.db.db
    .selectFrom('online_accounts')
    .select('totp_secret')
    .where('email', '=', a.email)
    .executeTakeFirstOrThrow();
  // The demo loader in tests has no key: its secrets are legacy plaintext, accepted once.
  assert.equal(before.totp_secret, a.totpSecret);
  const r = await token(a.email, DEMO_PASSWORD, totpCode(a.totpSecret, clock.now()), '10.6.0.1');
  assert.equal(r.statusCode, 200);
  const sealed = await t.db.db
    .selectFrom('online_accounts')
    .select('totp_secret')
    .where('email', '=', a.email)
    .executeTakeFirstOrThrow();
  assert.ok(sealed.totp_secret && isSealed(sealed.totp_secret));
  assert.ok(!sealed.totp_secret.includes(a.totpSecret));

  // A new sign-up's secret is encrypted from the start, and recovery codes are only hashes.
  const email = `sealed.${String(Date.now())}@example.com`;
  const b = new Browser(t.app);
  const password = 'a long phrase nobody else would choose 7';
  await b.submit('/patient/sign-up', '/patient/sign-up', { email, password, confirm: password });
  await confirmByEmail(b, email);
  const setup = await b.get('/patient/set-up-authenticator');
  const secret = /id="totp-secret">([A-Z2-7 ]+)</.exec(setup.body)?.[1]?.replace(/ /g, '') ?? '';
  assert.ok(secret);
  const row = await t.db.db
    .selectFrom('online_accounts')
    .select(['id', 'totp_secret'])
    .where('email', '=', email)
    .executeTakeFirstOrThrow();
  assert.ok(row.totp_secret && isSealed(row.totp_secret) && !row.totp_secret.includes(secret));
  const shown = await b.submit('/patient/set-up-authenticator', '/patient/set-up-authenticator', {
    code: totpCode(secret, clock.now()),
  });
  // HAZ-12 recovery codes in clear: shown on the response, never kept in the session.
  assert.equal(shown.statusCode, 200);
  const codes = [...shown.body.matchAll(/<li class="app-code">([A-Z0-9-]+)<\/li>/g)].map((m) => m[1] ?? '');
  assert.equal(codes.length, 10);
  const sessions = await t.db.db.selectFrom('sessions').select('data').execute();
  const stored = JSON.stringify(sessions);
  const hashes = JSON.stringify(
    await t.db.db.selectFrom('recovery_codes').selectAll().where('account_id', '=', row.id).execute(),
  );
  for (const c of codes) {
    const plain = c.replace(/-/g, '');
    assert.ok(!stored.includes(plain) && !stored.includes(c), 'a recovery code in a session row');
    assert.ok(!hashes.includes(plain), 'a recovery code in clear in the database');
  }
  const again = await b.get('/patient/recovery-codes');
  assert.doesNotMatch(again.body, /app-code/);
});

test('HAZ-12 weak passwords: sign-up and the admin user form refuse a common password, saying why (400)', async () => {
  nextTest();
  const b = new Browser(t.app);
  const res = await b.submit('/patient/sign-up', '/patient/sign-up', {
    email: 'weak.password@example.com',
    password: 'password12345',
    confirm: 'password12345',
  });
  assert.equal(res.statusCode, 400);
  assert.match(res.body, /nhsuk-error-summary/);
  assert.match(res.body, /too common/);
  assert.match(res.body, /longer phrase/);
  const none = await t.db.db
    .selectFrom('online_accounts')
    .select('id')
    .where('email', '=', 'weak.password@example.com')
    .execute();
  assert.equal(none.length, 0);

  const admin = DEMO_STAFF.find((s) => s.role === 'admin')!;
  const a = await signInStaff(t.app, admin.email, DEMO_PASSWORD, admin.totpSecret, clock);
  const add = await a.submit('/admin/users', '/admin/users', {
    name: 'Wendy Weak',
    email: 'wendy@example.com',
    role: 'receptionist',
    practiceOds: 'P81082',
    password: 'qwertyuiop123',
  });
  assert.equal(add.statusCode, 400);
  assert.match(add.body, /too common/);
});

/** Follows the sign-up link from the outbox, as the person would from their email. */
async function confirmByEmail(b: Browser, email: string): Promise<void> {
  const mail = await t.db.db
    .selectFrom('notifications_outbox')
    .select('personalisation')
    .where('email', '=', email)
    .where('kind', '=', 'account-confirm-email')
    .orderBy('created_at', 'desc')
    .executeTakeFirstOrThrow();
  const link = new URL(mail.personalisation.link ?? '');
  const r = await b.submit(link.pathname + link.search, '/patient/sign-up/confirm', {
    token: link.searchParams.get('token') ?? '',
  });
  assert.equal(r.statusCode, 302);
}

test('HAZ-12 account enumeration: sign-up with an address that has an account looks the same as a new one; the holder is told by email', async () => {
  nextTest();
  const holder = DEMO_PATIENTS[2]!;
  const password = 'sunlit harbour pebble lantern';
  const signUp = async (email: string) => {
    const b = new Browser(t.app);
    const r = await b.submit('/patient/sign-up', '/patient/sign-up', { email, password, confirm: password });
    return { b, r };
  };
  const fresh = `stranger.${String(Date.now())}@example.com`;
  const known = await signUp(holder.email);
  const unknown = await signUp(fresh);
  assert.equal(known.r.statusCode, 200);
  assert.equal(unknown.r.statusCode, 200);
  const normal = (html: string, email: string) =>
    html
      .replaceAll(email, 'EMAIL')
      .replace(/name="_csrf" value="[^"]+"/g, '')
      .replace(/nonce="[^"]+"/g, '');
  assert.equal(normal(known.r.body, holder.email), normal(unknown.r.body, fresh), 'the same page');
  assert.deepEqual(
    known.r.cookies.map((c) => c.name).sort(),
    unknown.r.cookies.map((c) => c.name).sort(),
    'the same cookies',
  );
  // Neither is signed in: both must go through the email.
  assert.equal((await known.b.get('/patient')).headers.location, '/patient/sign-in');
  assert.equal((await unknown.b.get('/patient')).headers.location, '/patient/sign-in');

  const outbox = await t.db.db
    .selectFrom('notifications_outbox')
    .select(['kind', 'email'])
    .where('email', 'in', [holder.email, fresh])
    .orderBy('email')
    .execute();
  assert.deepEqual(
    outbox.map((m) => `${m.kind}:${m.email}`).sort(),
    [`account-confirm-email:${fresh}`, `account-exists:${holder.email}`].sort(),
  );
  // The holder's account is untouched: the old password still signs in, the new one does not.
  const otp = totpCode(holder.totpSecret, clock.now());
  assert.equal((await token(holder.email, password, otp, '10.7.0.1')).statusCode, 401);
  assert.equal((await token(holder.email, DEMO_PASSWORD, otp, '10.7.0.1')).statusCode, 200);
  const audit = await t.db.db
    .selectFrom('audit_events')
    .select(['outcome', 'details'])
    .where('action', '=', 'account.sign-up')
    .execute();
  assert.ok(audit.some((a) => a.outcome === 'failure' && a.details.reason === 'email-has-account'));
});

test('an account that never confirmed its address is sent a new link on sign-in, not let in', async () => {
  nextTest();
  const email = `unconfirmed.${String(Date.now())}@example.com`;
  const password = 'quiet meadow copper violin';
  const b = new Browser(t.app);
  await b.submit('/patient/sign-up', '/patient/sign-up', { email, password, confirm: password });
  const r = await b.submit('/patient/sign-in', '/patient/sign-in', { email, password });
  assert.equal(r.statusCode, 200);
  assert.match(r.body, /confirm your email address/);
  assert.equal((await b.get('/patient/set-up-authenticator')).headers.location, '/patient/sign-in');
  const links = await t.db.db
    .selectFrom('notifications_outbox')
    .select('id')
    .where('email', '=', email)
    .where('kind', '=', 'account-confirm-email')
    .execute();
  assert.equal(links.length, 2);
  await confirmByEmail(b, email);
  assert.equal((await b.get('/patient/set-up-authenticator')).statusCode, 200);
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

test('HAZ-12 a stranger who signs up again with a waiting address cannot change the password the owner confirms', async () => {
  nextTest();
  const email = `waiting.${String(Date.now())}@example.com`;
  const owners = 'amber thistle orchard compass';
  const strangers = 'velvet quarry lantern meadow';
  const owner = new Browser(t.app);
  await owner.submit('/patient/sign-up', '/patient/sign-up', { email, password: owners, confirm: owners });
  clock.advance(1000);
  const stranger = new Browser(t.app);
  await stranger.submit('/patient/sign-up', '/patient/sign-up', {
    email,
    password: strangers,
    confirm: strangers,
  });
  const mails = await t.db.db
    .selectFrom('notifications_outbox')
    .select('personalisation')
    .where('email', '=', email)
    .where('kind', '=', 'account-confirm-email')
    .orderBy('created_at')
    .execute();
  assert.equal(mails.length, 2);
  const tokenOf = (i: number) =>
    new URL(mails[i]?.personalisation.link ?? '').searchParams.get('token') ?? '';
  // The owner follows the link from their own sign-up.
  const first = `/patient/sign-up/confirm?token=${tokenOf(0)}`;
  assert.equal(
    (await owner.submit(first, '/patient/sign-up/confirm', { token: tokenOf(0) })).statusCode,
    302,
  );
  // The owner's password signs in; the stranger's does not, and the stranger's link is dead.
  const signIn = async (password: string) =>
    new Browser(t.app).submit('/patient/sign-in', '/patient/sign-in', { email, password });
  assert.equal((await signIn(owners)).statusCode, 302);
  assert.equal((await signIn(strangers)).statusCode, 401);
  const second = `/patient/sign-up/confirm?token=${tokenOf(1)}`;
  const dead = await stranger.get(second);
  assert.equal(dead.statusCode, 400, 'the stranger’s link is dead');
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
