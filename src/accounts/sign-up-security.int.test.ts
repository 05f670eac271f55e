// Sign-up and secrets security (issue #8): TOTP secrets are encrypted at rest and recovery codes
// never kept in clear, guessable passwords are refused, sign-up does not tell a stranger whether
// an address has an account, and a waiting address cannot be taken over. Each test names the
// hazard it mitigates (docs/clinical-safety/hazard-log.md).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Browser, fixedClock, signInStaff, testApp, type TestApp } from '../../test/support/harness.ts';
import { DEMO_PASSWORD, DEMO_PATIENTS, DEMO_STAFF } from '../demo/data.ts';
import { loadDemo } from '../demo/load.ts';
import { isSealed, totpCode } from '../platform/auth/secrets.ts';

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
