// The account page and its simple actions (issue #10), patients and staff: what the page shows,
// changing the password (other devices signed out, this one kept, the account told), signing
// out of other devices, and new recovery codes (the old ones stop working). Each is audited.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  apiToken,
  Browser,
  fixedClock,
  freshCode,
  signInStaff,
  testApp,
  type TestApp,
} from '../../test/support/harness.ts';
import { linkIn, mailTo, signInPatient } from '../../test/support/accounts.ts';
import { DEMO_PASSWORD, DEMO_PATIENTS, DEMO_STAFF } from '../demo/data.ts';
import { loadDemo } from '../demo/load.ts';

const clock = fixedClock(new Date());
let t: TestApp;
before(async () => {
  t = await testApp({ clock });
  await loadDemo(t.db.db, clock);
});
after(async () => {
  await t.close();
});

const nextTest = () => {
  clock.advance(60 * 60_000);
};
const NEW_PASSWORD = 'harbour tulip granite whistle';
const main = (html: string) => /<main[\s\S]*<\/main>/.exec(html)?.[0] ?? '';
const text = (html: string) =>
  main(html)
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ');

const patient = (i: number) => {
  const a = DEMO_PATIENTS[i]!;
  return {
    ...a,
    signIn: async (password = DEMO_PASSWORD) => {
      clock.advance(31_000);
      return signInPatient(t.app, { email: a.email, password, secret: a.totpSecret, clock });
    },
  };
};

const auditRows = (action: string) =>
  t.db.db
    .selectFrom('audit_events')
    .select(['actor_id', 'outcome', 'details'])
    .where('action', '=', action)
    .execute();

test('the account page shows the address, the password, the authenticator, recovery codes and devices, with an action for each', async () => {
  nextTest();
  const p = patient(1);
  const b = await p.signIn();
  await p.signIn(); // a second device
  const page = await b.get('/patient/account');
  assert.equal(page.statusCode, 200);
  assert.match(page.headers['cache-control'] ?? '', /no-store/);
  const words = text(page.body);
  assert.match(words, new RegExp(p.email.replace(/\./g, '\\.')));
  assert.match(words, /Authenticator app Set up/);
  assert.match(words, /Recovery codes None left/);
  assert.match(words, /This device and 1 other/);
  for (const href of ['email', 'password', 'authenticator', 'recovery-codes'])
    assert.match(page.body, new RegExp(`href="/patient/account/${href}"`));
  assert.match(page.body, /action="\/patient\/account\/sign-out-other-devices"/);
  // Staff have the same page without recovery codes.
  const s = DEMO_STAFF[0]!;
  const staff = await signInStaff(t.app, s.email, DEMO_PASSWORD, s.totpSecret, clock);
  const staffPage = await staff.get('/staff/account');
  assert.equal(staffPage.statusCode, 200);
  assert.doesNotMatch(text(staffPage.body), /Recovery codes/);
  assert.match(text(staffPage.body), new RegExp(s.email.replace(/\./g, '\\.')));
  // Each audience only: a patient is sent to sign in as staff, and not signed in to sign in.
  assert.equal((await b.get('/staff/account')).statusCode, 302);
  assert.equal(
    (await new Browser(t.app).get('/patient/account')).headers.location,
    '/patient/sign-in?next=%2Fpatient%2Faccount',
  );
});

test('change password: the current one is needed, weak ones are refused, other devices are signed out, this one stays', async () => {
  nextTest();
  const p = patient(2);
  const here = await p.signIn();
  const there = await p.signIn();
  const token = await apiToken(t.app, p.email, DEMO_PASSWORD, p.totpSecret, clock);
  const form = '/patient/account/password';
  // A reset link asked for before the change stops working with it.
  await new Browser(t.app).submit('/patient/forgotten-password', '/patient/forgotten-password', {
    email: p.email,
  });
  const resetLink = await linkIn(t.app, p.email, 'account-password-reset');
  const wrong = await here.submit(form, form, {
    current: 'not my password',
    password: NEW_PASSWORD,
    confirm: NEW_PASSWORD,
  });
  assert.equal(wrong.statusCode, 400);
  assert.match(wrong.body, /Your current password is not right/);
  const weak = await here.submit(form, form, {
    current: DEMO_PASSWORD,
    password: 'qwertyuiop12',
    confirm: 'qwertyuiop12',
  });
  assert.equal(weak.statusCode, 400);
  assert.match(weak.body, /too common|too easy to guess/);
  const ok = await here.submit(form, form, {
    current: DEMO_PASSWORD,
    password: NEW_PASSWORD,
    confirm: NEW_PASSWORD,
  });
  assert.equal(ok.statusCode, 302);
  assert.equal(ok.headers.location, '/patient/account?done=password');
  const after = await here.get('/patient/account?done=password');
  assert.equal(after.statusCode, 200, 'this device stays signed in');
  assert.match(after.body, /Your password has been changed/);
  assert.match(text(after.body), /Password Last changed on/);
  assert.equal((await there.get('/patient/account')).statusCode, 302, 'the other device is signed out');
  const me = await t.app.inject({
    method: 'GET',
    url: '/api/v1/me',
    headers: { authorization: `Bearer ${token}` },
  });
  assert.equal(me.statusCode, 401, 'API tokens end');
  assert.equal((await mailTo(t.app, p.email, 'account-password-changed')).length, 1);
  assert.equal((await new Browser(t.app).get(resetLink)).statusCode, 400, 'the older reset link is void');
  const rows = await auditRows('account.password-change');
  assert.ok(rows.some((r) => r.outcome === 'failure' && r.details.reason === 'wrong-password'));
  assert.ok(rows.some((r) => r.outcome === 'success' && r.details.otherSessionsEnded === 1));
  // The new password signs in (with a code, as always).
  const again = await p.signIn(NEW_PASSWORD);
  assert.equal((await again.get('/patient/account')).statusCode, 200);
});

test('sign out of other devices: every other session and API token ends; this one stays; audited', async () => {
  nextTest();
  const s = DEMO_STAFF[1]!;
  const here = await signInStaff(t.app, s.email, DEMO_PASSWORD, s.totpSecret, clock);
  clock.advance(31_000);
  const there = await signInStaff(t.app, s.email, DEMO_PASSWORD, s.totpSecret, clock);
  clock.advance(31_000);
  const token = await apiToken(t.app, s.email, DEMO_PASSWORD, s.totpSecret, clock);
  assert.match(text((await here.get('/staff/account')).body), /This device and 1 other/);
  const r = await here.submit('/staff/account', '/staff/account/sign-out-other-devices', {});
  assert.equal(r.headers.location, '/staff/account?done=signed-out');
  const page = await here.get('/staff/account?done=signed-out');
  assert.equal(page.statusCode, 200);
  assert.match(text(page.body), /You have been signed out on your other devices/);
  assert.match(text(page.body), /Only this device/);
  assert.equal((await there.get('/staff/account')).statusCode, 302);
  const me = await t.app.inject({
    method: 'GET',
    url: '/api/v1/me',
    headers: { authorization: `Bearer ${token}` },
  });
  assert.equal(me.statusCode, 401);
  const rows = await auditRows('auth.sign-out-other-devices');
  assert.ok(rows.some((x) => x.details.sessionsEnded === 1));
});

test('new recovery codes: the password and a code from the app are needed, shown once, the owner is told, the old codes stop working and the new ones sign in', async () => {
  nextTest();
  const p = patient(3);
  const b = await p.signIn();
  const form = '/patient/account/recovery-codes';
  const wrong = await b.submit(form, form, { password: 'not my password', code: '000000' });
  assert.equal(wrong.statusCode, 400);
  assert.match(wrong.body, /Your current password is not right/);
  // The password alone is not enough; a wrong code counts towards the lock (review finding 2).
  const noCode = await b.submit(form, form, { password: DEMO_PASSWORD });
  assert.equal(noCode.statusCode, 400);
  assert.match(noCode.body, /Enter the code from your authenticator app/);
  const badCode = await b.submit(form, form, { password: DEMO_PASSWORD, code: '000000' });
  assert.equal(badCode.statusCode, 400);
  assert.match(badCode.body, /The security code is not right/);
  const counted = await t.db.db
    .selectFrom('online_accounts')
    .select('code_failed_attempts')
    .where('email', '=', p.email)
    .executeTakeFirstOrThrow();
  assert.equal(counted.code_failed_attempts, 1);
  // Only hashes are kept, so the old codes are checked by their rows.
  const account = await t.db.db
    .selectFrom('online_accounts')
    .select('id')
    .where('email', '=', p.email)
    .executeTakeFirstOrThrow();
  const old = await t.db.db
    .selectFrom('recovery_codes')
    .select('code_hash')
    .where('account_id', '=', account.id)
    .execute();
  clock.advance(31_000);
  const ok = await b.submit(form, form, {
    password: DEMO_PASSWORD,
    code: await freshCode(t.app, 'patient', p.email, p.totpSecret, clock),
  });
  assert.equal(ok.statusCode, 200, ok.body);
  assert.equal((await mailTo(t.app, p.email, 'account-recovery-codes-new')).length, 1, 'the owner is told');
  const codes = [...ok.body.matchAll(/<li class="app-code">([A-Z0-9-]+)<\/li>/g)].map((m) => m[1]!);
  assert.equal(codes.length, 10);
  assert.match(ok.body, /You will only see these codes once/);
  const now = await t.db.db
    .selectFrom('recovery_codes')
    .select('code_hash')
    .where('account_id', '=', account.id)
    .execute();
  assert.equal(now.length, 10);
  assert.ok(!now.some((r) => old.some((o) => o.code_hash === r.code_hash)), 'the old codes are gone');
  assert.ok(!now.some((r) => codes.includes(r.code_hash)), 'only hashes are kept');
  // Coming back shows no codes.
  assert.doesNotMatch((await b.get(form)).body, /app-code/);
  // A new code signs in, and leads to replacing the authenticator.
  const c = new Browser(t.app);
  await c.submit('/patient/sign-in', '/patient/sign-in', { email: p.email, password: DEMO_PASSWORD });
  const signIn = await c.submit('/patient/sign-in/code', '/patient/sign-in/code', { code: codes[0]! });
  assert.equal(signIn.statusCode, 302);
  assert.equal(signIn.headers.location, '/patient/account/authenticator');
  assert.match(text((await c.get('/patient/account')).body), /Recovery codes 9 left/);
  const rows = await auditRows('account.recovery-codes-new');
  assert.ok(rows.some((r) => r.outcome === 'failure') && rows.some((r) => r.outcome === 'success'));
  // Staff have no recovery codes.
  const s = DEMO_STAFF[3]!;
  const staff = await signInStaff(t.app, s.email, DEMO_PASSWORD, s.totpSecret, clock);
  assert.equal((await staff.get(form)).statusCode, 302);
});
