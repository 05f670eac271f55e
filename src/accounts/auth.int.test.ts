// Sign-in through the API and pages: generic errors, lockout, audit rows, sign-out everywhere.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { apiToken, Browser, freshCode, testApp, type TestApp } from '../../test/support/harness.ts';
import { DEMO_PASSWORD, DEMO_PATIENTS } from '../demo/data.ts';
import { loadDemo } from '../demo/load.ts';
import { totpCode } from '../platform/auth/secrets.ts';

let t: TestApp;
before(async () => {
  t = await testApp();
  await loadDemo(t.db.db, t.clock);
});
after(async () => {
  await t.close();
});

const token = (email: string, password: string, otp: string) =>
  t.app.inject({ method: 'POST', url: '/api/v1/auth/token', payload: { email, password, otp } });

test('wrong password, wrong code and unknown email get the same answer, each audited', async () => {
  const a = DEMO_PATIENTS[2]!;
  const answers = [
    await token(a.email, 'wrong password!', totpCode(a.totpSecret, new Date())),
    await token(a.email, DEMO_PASSWORD, '000000'),
    await token('nobody@example.com', DEMO_PASSWORD, '123456'),
  ];
  for (const r of answers) assert.equal(r.statusCode, 401);
  const details = answers.map((r) => r.json<{ detail: string }>().detail);
  assert.equal(new Set(details).size, 1, 'one generic message');
  const failures = await t.db.db
    .selectFrom('audit_events')
    .select(['actor_type', 'details'])
    .where('action', '=', 'auth.sign-in')
    .where('outcome', '=', 'failure')
    .execute();
  assert.equal(failures.length, 3);
  assert.ok(
    failures.some((f) => f.actor_type === 'anonymous' && typeof f.details.unknownEmailHash === 'string'),
  );
  assert.ok(
    !JSON.stringify(failures).includes('nobody@example.com'),
    'a typed address is stored only as a hash',
  );
});

test('five wrong passwords slow the address down but do not lock the account', async () => {
  const a = DEMO_PATIENTS[3]!;
  for (let i = 0; i < 5; i++)
    assert.equal((await token(a.email, 'not the password', '123456')).statusCode, 401);
  const right = await token(a.email, DEMO_PASSWORD, totpCode(a.totpSecret, new Date()));
  assert.equal(right.statusCode, 429, 'asked to wait a moment');
  const row = await t.db.db
    .selectFrom('online_accounts')
    .select(['locked_at'])
    .where('email', '=', a.email)
    .executeTakeFirstOrThrow();
  assert.equal(row.locked_at, null);
});

test('signing out everywhere ends every session and API token of the account', async () => {
  const a = DEMO_PATIENTS[4]!;
  const api = await apiToken(t.app, a.email, DEMO_PASSWORD, a.totpSecret);
  const me = () =>
    t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization: `Bearer ${api}` } });
  assert.equal((await me()).statusCode, 200);
  const phone = new Browser(t.app);
  await phone.submit('/patient/sign-in', '/patient/sign-in', { email: a.email, password: DEMO_PASSWORD });
  await phone.submit('/patient/sign-in/code', '/patient/sign-in/code', {
    code: await freshCode(t.app, 'patient', a.email, a.totpSecret),
  });
  const laptop = new Browser(t.app);
  await laptop.submit('/patient/sign-in', '/patient/sign-in', { email: a.email, password: DEMO_PASSWORD });
  await laptop.submit('/patient/sign-in/code', '/patient/sign-in/code', {
    code: await freshCode(t.app, 'patient', a.email, a.totpSecret),
  });
  assert.equal((await phone.get('/patient')).statusCode, 200);
  const out = await laptop.submit('/patient/sign-out', '/patient/sign-out', { scope: 'everywhere' });
  assert.equal(out.statusCode, 200);
  assert.match(out.body, /every device/);
  assert.equal((await phone.get('/patient')).headers.location, '/patient/sign-in');
  assert.equal((await me()).statusCode, 401);
  const audit = await t.db.db
    .selectFrom('audit_events')
    .select('action')
    .where('action', '=', 'auth.sign-out-everywhere')
    .execute();
  assert.equal(audit.length, 1);
});

test('a password page step cannot be skipped: the code page needs the password step first', async () => {
  const b = new Browser(t.app);
  const res = await b.get('/patient/sign-in/code');
  assert.equal(res.headers.location, '/patient/sign-in');
});

test('responses carry security headers and HttpOnly SameSite cookies', async () => {
  const res = await t.app.inject({ method: 'GET', url: '/patient/sign-in' });
  const csp = String(res.headers['content-security-policy']);
  assert.match(csp, /default-src 'self'/);
  assert.match(csp, /script-src 'self' 'nonce-/);
  assert.equal(res.headers['x-frame-options'], 'SAMEORIGIN');
  const a = DEMO_PATIENTS[1]!;
  const b = new Browser(t.app);
  const r = await b.submit('/patient/sign-in', '/patient/sign-in', {
    email: a.email,
    password: DEMO_PASSWORD,
  });
  const cookie = String(r.headers['set-cookie']);
  assert.match(cookie, /gpo_session=.*HttpOnly/);
  assert.match(cookie, /SameSite=Lax/);
});

test('healthz is liveness; readyz checks the database', async () => {
  const res = await t.app.inject({ method: 'GET', url: '/healthz' });
  assert.equal(res.statusCode, 200);
  assert.equal(res.json<{ status: string }>().status, 'ok');
  const ready = await t.app.inject({ method: 'GET', url: '/readyz' });
  assert.equal(ready.statusCode, 200);
  assert.equal(ready.json<{ status: string }>().status, 'ready');
});

test('sign-in is slowed per email address, across the database: after 5 wrong tries the next gets 429', async () => {
  const email = 'someone.else@example.com';
  const codes: number[] = [];
  for (let i = 0; i < 11; i++) codes.push((await token(email, 'wrong password', '123456')).statusCode);
  assert.deepEqual(codes.slice(0, 5), Array<number>(5).fill(401));
  assert.deepEqual(codes.slice(5), Array<number>(6).fill(429));
  // Another account from the same address is not blocked by it.
  assert.equal((await token('a.third.person@example.com', 'wrong password', '123456')).statusCode, 401);
  const page = new Browser(t.app);
  let last = 0;
  for (let i = 0; i < 11; i++)
    last = (await page.submit('/patient/sign-in', '/patient/sign-in', { email, password: 'wrong password' }))
      .statusCode;
  assert.equal(last, 429);
  const body = (
    await page.submit('/patient/sign-in', '/patient/sign-in', { email, password: 'wrong password' })
  ).body;
  assert.match(body, /Too many attempts/);
});
