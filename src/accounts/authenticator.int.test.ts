// Replacing the authenticator (issue #10), patients and staff: a code from the current app (or a
// recovery code) first; the new app takes effect only after a code from it, and then the old one
// stops working. A patient who signs in with a recovery code is led straight to it. Wrong codes
// count towards the lock as at sign-in. Staff who lost their app are told to ask an administrator.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  Browser,
  fixedClock,
  freshCode,
  signInStaff,
  testApp,
  type TestApp,
} from '../../test/support/harness.ts';
import { mailTo, signInPatient } from '../../test/support/accounts.ts';
import { DEMO_PASSWORD, DEMO_PATIENTS, DEMO_STAFF } from '../demo/data.ts';
import { loadDemo } from '../demo/load.ts';
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

const nextTest = () => {
  clock.advance(60 * 60_000);
};
const secretOn = (html: string) =>
  (/id="totp-secret">([A-Z2-7 ]+)</.exec(html)?.[1] ?? '').replace(/\s+/g, '');

/** Password, then a code: the status of the code step. */
async function codeStep(email: string, code: string): Promise<number> {
  const b = new Browser(t.app);
  await b.submit('/patient/sign-in', '/patient/sign-in', { email, password: DEMO_PASSWORD });
  return (await b.submit('/patient/sign-in/code', '/patient/sign-in/code', { code })).statusCode;
}

test('a patient replaces their authenticator: current code first, then a code from the new app; the old app then stops working', async () => {
  nextTest();
  const a = DEMO_PATIENTS[1]!;
  const b = await signInPatient(t.app, {
    email: a.email,
    password: DEMO_PASSWORD,
    secret: a.totpSecret,
    clock,
  });
  const start = '/patient/account/authenticator';
  const wrong = await b.submit(start, start, { code: '000000' });
  assert.equal(wrong.statusCode, 400);
  assert.match(wrong.body, /The security code is not right/);
  clock.advance(31_000);
  const ok = await b.submit(start, start, {
    code: await freshCode(t.app, 'patient', a.email, a.totpSecret, clock),
  });
  assert.equal(ok.headers.location, '/patient/account/authenticator/new');
  const page = await b.get('/patient/account/authenticator/new');
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /<svg/);
  const secret = secretOn(page.body);
  assert.match(secret, /^[A-Z2-7]{16,}$/);
  assert.notEqual(secret, a.totpSecret);
  // Until it is confirmed, the old app still signs in.
  clock.advance(31_000);
  assert.equal(
    await codeStep(a.email, totpCode(a.totpSecret, clock.now())),
    302,
    'old app works until confirmed',
  );
  const fresh = '/patient/account/authenticator/new';
  const badNew = await b.submit(fresh, fresh, { code: totpCode(a.totpSecret, clock.now()) });
  assert.equal(badNew.statusCode, 400);
  assert.match(badNew.body, /Enter the 6-digit code your new authenticator app shows now/);
  const confirmed = await b.submit(fresh, fresh, { code: totpCode(secret, clock.now()) });
  assert.equal(confirmed.headers.location, '/patient/account?done=authenticator');
  assert.match(
    (await b.get('/patient/account?done=authenticator')).body,
    /Your new authenticator app is set up/,
  );
  // The code that confirmed it cannot sign in; the old app no longer does; the new app's next code does.
  assert.equal(await codeStep(a.email, totpCode(secret, clock.now())), 401, 'the confirming code is spent');
  clock.advance(31_000);
  assert.equal(await codeStep(a.email, totpCode(a.totpSecret, clock.now())), 401, 'old app stopped working');
  clock.advance(31_000);
  assert.equal(await codeStep(a.email, totpCode(secret, clock.now())), 302, 'new app signs in');
  assert.equal((await mailTo(t.app, a.email, 'account-authenticator-changed')).length, 1);
  const rows = await t.db.db
    .selectFrom('audit_events')
    .select(['action', 'outcome', 'details'])
    .where('action', 'like', 'account.authenticator-replace%')
    .execute();
  assert.ok(
    rows.some((r) => r.action === 'account.authenticator-replace-started' && r.outcome === 'failure'),
  );
  assert.ok(
    rows.some((r) => r.action === 'account.authenticator-replace-started' && r.details.verifiedBy === 'totp'),
  );
  assert.ok(rows.some((r) => r.action === 'account.authenticator-replace' && r.outcome === 'success'));
  // With nothing waiting, the new-app page sends back to the start.
  assert.equal((await b.get(fresh)).headers.location, start);
});

test('a patient who signs in with a recovery code is led to set up their authenticator again, without another code', async () => {
  nextTest();
  const a = DEMO_PATIENTS[2]!;
  // Recovery codes first (the demo accounts have none), from the account page.
  const first = await signInPatient(t.app, {
    email: a.email,
    password: DEMO_PASSWORD,
    secret: a.totpSecret,
    clock,
  });
  const codesForm = '/patient/account/recovery-codes';
  clock.advance(31_000);
  const codesPage = await first.submit(codesForm, codesForm, {
    password: DEMO_PASSWORD,
    code: await freshCode(t.app, 'patient', a.email, a.totpSecret, clock),
  });
  const codes = [...codesPage.body.matchAll(/<li class="app-code">([A-Z0-9-]+)<\/li>/g)].map((m) => m[1]!);
  assert.equal(codes.length, 10);
  // The phone is lost: sign in with a recovery code.
  const b = new Browser(t.app);
  await b.submit('/patient/sign-in', '/patient/sign-in', { email: a.email, password: DEMO_PASSWORD });
  const codeHelp = await b.get('/patient/sign-in/code');
  assert.match(codeHelp.body, /If you have lost your phone/);
  const signedIn = await b.submit('/patient/sign-in/code', '/patient/sign-in/code', { code: codes[0]! });
  assert.equal(signedIn.headers.location, '/patient/account/authenticator');
  const start = await b.get('/patient/account/authenticator');
  assert.match(start.body, /You signed in with a recovery code/);
  assert.doesNotMatch(start.body, /name="code"/, 'no second code asked for');
  const go = await b.submit('/patient/account/authenticator', '/patient/account/authenticator', {});
  assert.equal(go.headers.location, '/patient/account/authenticator/new');
  const secret = secretOn((await b.get('/patient/account/authenticator/new')).body);
  const fresh = '/patient/account/authenticator/new';
  const done = await b.submit(fresh, fresh, { code: totpCode(secret, clock.now()) });
  assert.equal(done.headers.location, '/patient/account?done=authenticator');
  // The session is no longer "just recovered": replacing again asks for a code.
  assert.match((await b.get('/patient/account/authenticator')).body, /name="code"/);
  const rows = await t.db.db
    .selectFrom('audit_events')
    .select('details')
    .where('action', '=', 'account.authenticator-replace-started')
    .execute();
  assert.ok(rows.some((r) => r.details.verifiedBy === 'recovery-code-at-sign-in'));
  // A recovery code also works as the first step when signed in normally.
  clock.advance(31_000);
  const c = await signInPatient(t.app, { email: a.email, password: DEMO_PASSWORD, secret, clock });
  const withCode = await c.submit('/patient/account/authenticator', '/patient/account/authenticator', {
    code: codes[1]!,
  });
  assert.equal(withCode.headers.location, '/patient/account/authenticator/new');
});

test('wrong codes when replacing the authenticator count towards the lock, as at sign-in', async () => {
  nextTest();
  const a = DEMO_PATIENTS[3]!;
  const b = await signInPatient(t.app, {
    email: a.email,
    password: DEMO_PASSWORD,
    secret: a.totpSecret,
    clock,
  });
  const start = '/patient/account/authenticator';
  for (let i = 0; i < 4; i++)
    assert.equal((await b.submit(start, start, { code: '000000' })).statusCode, 400);
  // The fifth locks it, and the page says so (review finding 4).
  assert.equal((await b.submit(start, start, { code: '000000' })).statusCode, 401);
  const row = await t.db.db
    .selectFrom('online_accounts')
    .select('locked_at')
    .where('email', '=', a.email)
    .executeTakeFirstOrThrow();
  assert.ok(row.locked_at, 'locked after 5 wrong codes');
});

test('staff replace their authenticator the same way; the sign-in code page tells staff who lost theirs to ask an administrator', async () => {
  nextTest();
  const s = DEMO_STAFF[0]!;
  const signIn = new Browser(t.app);
  await signIn.submit('/staff/sign-in', '/staff/sign-in', { email: s.email, password: DEMO_PASSWORD });
  const help = await signIn.get('/staff/sign-in/code');
  assert.match(help.body, /Ask an administrator to reset your authenticator/);
  assert.doesNotMatch(help.body, /recovery codes/);
  const b = await signInStaff(t.app, s.email, DEMO_PASSWORD, s.totpSecret, clock);
  const start = '/staff/account/authenticator';
  clock.advance(31_000);
  const ok = await b.submit(start, start, {
    code: await freshCode(t.app, 'staff', s.email, s.totpSecret, clock),
  });
  assert.equal(ok.headers.location, '/staff/account/authenticator/new');
  const fresh = '/staff/account/authenticator/new';
  const secret = secretOn((await b.get(fresh)).body);
  const done = await b.submit(fresh, fresh, { code: totpCode(secret, clock.now()) });
  assert.equal(done.headers.location, '/staff/account?done=authenticator');
  clock.advance(31_000);
  const again = await signInStaff(t.app, s.email, DEMO_PASSWORD, secret, clock);
  assert.equal((await again.get('/staff/account')).statusCode, 200);
  await assert.rejects(
    () => signInStaff(t.app, s.email, DEMO_PASSWORD, s.totpSecret, clock),
    /staff code failed/,
  );
});
