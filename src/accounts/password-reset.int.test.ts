// Forgotten passwords (issue #10), patients and staff: the request never says whether the address
// has an account; the link works once, for 30 minutes, and only the newest; a reset ends every
// session and API token, never gets round the security code or a lock, and clears the wrong-
// password slow-down; each step is audited and the account is told.
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
import { linkIn, mailTo, signInPatient } from '../../test/support/accounts.ts';
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
const NEW_PASSWORD = 'lantern orchard velvet cobble';

const ask = (who: 'patient' | 'staff', email: string, ip = '127.0.0.1') => {
  const b = new Browser(t.app);
  return b.get(`/${who}/forgotten-password`).then(async (page) => {
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1] ?? '';
    const body = new URLSearchParams({ email, _csrf: csrf }).toString();
    return t.app.inject({
      method: 'POST',
      url: `/${who}/forgotten-password`,
      payload: body,
      remoteAddress: ip,
      headers: {
        cookie: [...b.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
        'content-type': 'application/x-www-form-urlencoded',
      },
    });
  });
};

// The form's CSRF token comes from the request page, so a dead link can be tried too.
const resetWith = (link: string, password: string, confirm = password) =>
  new Browser(t.app).submit(`/${link.split('/')[1] ?? ''}/forgotten-password`, link.split('?')[0] ?? '', {
    token: new URL(link, 'http://x').searchParams.get('token') ?? '',
    password,
    confirm,
  });

const main = (html: string) => /<main[\s\S]*<\/main>/.exec(html)?.[0] ?? '';

test('the sign-in pages offer "Forgotten your password?"', async () => {
  for (const who of ['patient', 'staff']) {
    const page = await new Browser(t.app).get(`/${who}/sign-in`);
    assert.match(page.body, new RegExp(`href="/${who}/forgotten-password">Forgotten your password\\?`));
  }
});

test('asking for a link: the same page for an address with an account and one without; only the account gets a link; both audited', async () => {
  nextTest();
  const a = DEMO_PATIENTS[1]!;
  const known = await ask('patient', a.email, '10.20.0.1');
  const unknown = await ask('patient', 'nobody.here@example.com', '10.20.0.2');
  assert.equal(known.statusCode, 200);
  assert.equal(unknown.statusCode, 200);
  const same = (html: string, email: string) => main(html).replace(email, 'EMAIL');
  assert.equal(same(known.body, a.email), same(unknown.body, 'nobody.here@example.com'));
  assert.match(known.body, /works once, for 30 minutes/);
  const mails = await mailTo(t.app, a.email, 'account-password-reset');
  assert.equal(mails.length, 1);
  assert.match(mails[0]!.personalisation.link ?? '', /\/patient\/reset-password\?token=/);
  assert.equal(mails[0]!.personalisation.minutes, '30');
  assert.equal((await mailTo(t.app, 'nobody.here@example.com', 'account-password-reset')).length, 0);
  const rows = await t.db.db
    .selectFrom('audit_events')
    .select(['actor_type', 'actor_id', 'details'])
    .where('action', '=', 'account.password-reset-requested')
    .execute();
  const account = await t.db.db
    .selectFrom('online_accounts')
    .select('id')
    .where('email', '=', a.email)
    .executeTakeFirstOrThrow();
  assert.ok(rows.some((r) => r.actor_type === 'patient' && r.actor_id === account.id));
  assert.ok(rows.some((r) => r.actor_type === 'anonymous' && typeof r.details.unknownEmailHash === 'string'));
  // The token is kept only as its hash.
  const token = new URL(mails[0]!.personalisation.link ?? '').searchParams.get('token') ?? '';
  const stored = await t.db.db.selectFrom('password_resets').select('token_hash').execute();
  assert.ok(stored.length > 0 && stored.every((r) => r.token_hash !== token));
  // A malformed address is named on the form.
  const bad = await ask('patient', 'not-an-address', '10.20.0.3');
  assert.equal(bad.statusCode, 400);
  assert.match(bad.body, /Enter an email address in the correct format/);
});

test('a reset link works once, for 30 minutes, and a newer link voids the older one; weak passwords are refused', async () => {
  nextTest();
  const a = DEMO_PATIENTS[2]!;
  await ask('patient', a.email, '10.21.0.1');
  const first = await linkIn(t.app, a.email, 'account-password-reset');
  clock.advance(60_000);
  await ask('patient', a.email, '10.21.0.1');
  const second = await linkIn(t.app, a.email, 'account-password-reset');
  assert.notEqual(first, second);
  assert.equal((await new Browser(t.app).get(first)).statusCode, 400, 'the older link is void');
  assert.match((await new Browser(t.app).get(first)).body, /a newer one has been sent/);
  const weak = await resetWith(second, 'password1234');
  assert.equal(weak.statusCode, 400);
  assert.match(weak.body, /too common|too easy to guess/);
  const mismatch = await resetWith(second, NEW_PASSWORD, 'something else entirely');
  assert.equal(mismatch.statusCode, 400);
  assert.match(mismatch.body, /The passwords do not match/);
  const done = await resetWith(second, NEW_PASSWORD);
  assert.equal(done.statusCode, 200, done.body);
  assert.match(done.body, /Your password has been changed/);
  const again = await resetWith(second, 'another long phrase for the same link');
  assert.equal(again.statusCode, 400, 'single use');
  // A link older than 30 minutes does not work.
  await ask('patient', a.email, '10.21.0.2');
  const late = await linkIn(t.app, a.email, 'account-password-reset');
  clock.advance(31 * 60_000);
  assert.equal((await new Browser(t.app).get(late)).statusCode, 400);
  assert.equal((await resetWith(late, 'yet another long phrase here')).statusCode, 400);
});

test('a reset ends every session and API token, sign-in still needs the security code, and the account is told', async () => {
  nextTest();
  const a = DEMO_PATIENTS[3]!;
  const browser = await signInPatient(t.app, {
    email: a.email,
    password: DEMO_PASSWORD,
    secret: a.totpSecret,
    clock,
  });
  assert.equal((await browser.get('/patient/account')).statusCode, 200);
  const api = await t.app.inject({
    method: 'POST',
    url: '/api/v1/auth/token',
    payload: {
      email: a.email,
      password: DEMO_PASSWORD,
      otp: await freshCode(t.app, 'patient', a.email, a.totpSecret, clock),
    },
  });
  const bearer = api.json<{ access_token: string }>().access_token;
  await ask('patient', a.email, '10.22.0.1');
  const done = await resetWith(await linkIn(t.app, a.email, 'account-password-reset'), NEW_PASSWORD);
  assert.equal(done.statusCode, 200);
  assert.equal((await browser.get('/patient/account')).statusCode, 302, 'the old session ended');
  const me = await t.app.inject({
    method: 'GET',
    url: '/api/v1/me',
    headers: { authorization: `Bearer ${bearer}` },
  });
  assert.equal(me.statusCode, 401, 'the API token ended');
  // The old password no longer works; the new one leads to the security code, not home.
  const b = new Browser(t.app);
  assert.equal(
    (await b.submit('/patient/sign-in', '/patient/sign-in', { email: a.email, password: DEMO_PASSWORD }))
      .statusCode,
    401,
  );
  const step = await b.submit('/patient/sign-in', '/patient/sign-in', {
    email: a.email,
    password: NEW_PASSWORD,
  });
  assert.equal(step.headers.location, '/patient/sign-in/code');
  assert.equal((await b.get('/patient/account')).statusCode, 302, 'not signed in before the code');
  clock.advance(60_000);
  const code = await b.submit('/patient/sign-in/code', '/patient/sign-in/code', {
    code: await freshCode(t.app, 'patient', a.email, a.totpSecret, clock),
  });
  assert.equal(code.statusCode, 302);
  assert.equal((await b.get('/patient/account')).statusCode, 200);
  assert.equal((await mailTo(t.app, a.email, 'account-password-changed')).length, 1);
  const audit = await t.db.db
    .selectFrom('audit_events')
    .select('details')
    .where('action', '=', 'account.password-reset')
    .execute();
  assert.ok(audit.some((r) => Number(r.details.sessionsEnded) >= 1));
});

test('a locked account stays locked after a reset', async () => {
  nextTest();
  const a = DEMO_PATIENTS[4]!;
  await t.db.db
    .updateTable('online_accounts')
    .set({ locked_at: clock.now() })
    .where('email', '=', a.email)
    .execute();
  await ask('patient', a.email, '10.23.0.1');
  assert.equal(
    (await resetWith(await linkIn(t.app, a.email, 'account-password-reset'), NEW_PASSWORD)).statusCode,
    200,
  );
  const b = new Browser(t.app);
  const r = await b.submit('/patient/sign-in', '/patient/sign-in', {
    email: a.email,
    password: NEW_PASSWORD,
  });
  assert.equal(r.statusCode, 401);
  assert.match(r.body, /This account is locked/);
  const row = await t.db.db
    .selectFrom('online_accounts')
    .select('locked_at')
    .where('email', '=', a.email)
    .executeTakeFirstOrThrow();
  assert.ok(row.locked_at);
});

test('a reset clears the wrong-password slow-down for the address', async () => {
  nextTest();
  const a = DEMO_PATIENTS[0]!;
  const token = (password: string) =>
    t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/token',
      payload: { email: a.email, password, otp: totpCode(a.totpSecret, clock.now()) },
      remoteAddress: '10.24.0.1',
    });
  for (let i = 0; i < 8; i++) await token('not the password at all');
  assert.equal((await token(DEMO_PASSWORD)).statusCode, 429, 'slowed down');
  await ask('patient', a.email, '10.24.0.2');
  assert.equal(
    (await resetWith(await linkIn(t.app, a.email, 'account-password-reset'), NEW_PASSWORD)).statusCode,
    200,
  );
  const after = await token(NEW_PASSWORD);
  assert.equal(after.statusCode, 200, after.body);
});

test('staff reset their password the same way, and still need their security code', async () => {
  nextTest();
  const s = DEMO_STAFF[2]!;
  const p = DEMO_PATIENTS[1]!;
  const page = await ask('staff', s.email, '10.25.0.1');
  assert.equal(page.statusCode, 200);
  const link = await linkIn(t.app, s.email, 'account-password-reset');
  assert.match(link, /^\/staff\/reset-password\?token=/);
  assert.equal((await resetWith(link, NEW_PASSWORD)).statusCode, 200);
  const b = await signInStaff(t.app, s.email, NEW_PASSWORD, s.totpSecret, clock);
  assert.equal((await b.get('/staff/account')).statusCode, 200);
  const codePage = await new Browser(t.app).get('/staff/sign-in');
  assert.equal(codePage.statusCode, 200);
  // A patient's link does not work on the staff pages.
  await ask('patient', p.email, '10.25.0.2');
  const patientLink = await linkIn(t.app, p.email, 'account-password-reset');
  assert.equal((await new Browser(t.app).get(patientLink.replace('/patient/', '/staff/'))).statusCode, 400);
});

test('asking for links is rate limited: 5 per 15 minutes for one address from one network address', async () => {
  nextTest();
  const codes: number[] = [];
  for (let i = 0; i < 6; i++) codes.push((await ask('patient', 'flood@example.com', '10.26.0.1')).statusCode);
  assert.deepEqual(codes, [200, 200, 200, 200, 200, 429]);
  assert.equal(
    (await ask('patient', 'flood@example.com', '10.26.0.2')).statusCode,
    200,
    'another address is not affected',
  );
});

test('in demo mode the "check your email" pages show the link that was sent', async () => {
  const demo = await testApp({ clock, demo: true });
  try {
    await loadDemo(demo.db.db, clock);
    const a = DEMO_PATIENTS[1]!;
    const b = new Browser(demo.app);
    const sent = await b.submit('/patient/forgotten-password', '/patient/forgotten-password', {
      email: a.email,
    });
    assert.equal(sent.statusCode, 200);
    assert.match(sent.body, /id="demo-email-link" href="[^"]+\/patient\/reset-password\?token=/);
    const none = await b.submit('/patient/forgotten-password', '/patient/forgotten-password', {
      email: 'nobody.at.all@example.com',
    });
    assert.match(none.body, /No account has this address/);
    const p = await signInPatient(demo.app, {
      email: a.email,
      password: DEMO_PASSWORD,
      secret: a.totpSecret,
      clock,
    });
    const change = await p.submit('/patient/account/email', '/patient/account/email', {
      email: 'demo.moved@example.com',
      password: DEMO_PASSWORD,
    });
    assert.match(change.body, /id="demo-email-link" href="[^"]+\/patient\/account\/email\/confirm\?token=/);
  } finally {
    await demo.close();
  }
});

test('one reset link used twice at once sets one password', async () => {
  nextTest();
  const s = DEMO_STAFF[5]!;
  await ask('staff', s.email, '10.27.0.1');
  const link = await linkIn(t.app, s.email, 'account-password-reset');
  const [x, y] = await Promise.all([
    resetWith(link, 'first long phrase of four words'),
    resetWith(link, 'second long phrase of four words'),
  ]);
  assert.deepEqual([x.statusCode, y.statusCode].sort(), [200, 400]);
  assert.equal((await mailTo(t.app, s.email, 'account-password-changed')).length, 1);
});

test('no reset link for staff whose authenticator was reset and not yet set up again: the same page, quietly, audited', async () => {
  nextTest();
  const s = DEMO_STAFF[6]!;
  await t.db.db
    .updateTable('staff_users')
    .set({ totp_secret: null, totp_confirmed_at: null })
    .where('email', '=', s.email)
    .execute();
  const held = await ask('staff', s.email, '10.28.0.1');
  const other = await ask('staff', 'nobody.staff@example.com', '10.28.0.2');
  assert.equal(held.statusCode, 200);
  assert.equal(
    main(held.body).replace(s.email, 'EMAIL'),
    main(other.body).replace('nobody.staff@example.com', 'EMAIL'),
  );
  assert.equal((await mailTo(t.app, s.email, 'account-password-reset')).length, 0, 'no link sent');
  const rows = await t.db.db
    .selectFrom('audit_events')
    .select(['details', 'outcome'])
    .where('action', '=', 'account.password-reset-requested')
    .where('outcome', '=', 'failure')
    .execute();
  assert.ok(rows.some((r) => r.details.reason === 'authenticator-not-set-up'));
});

test('people behind one network address do not share the tries on a reset link: the limit is per link', async () => {
  nextTest();
  const a = DEMO_PATIENTS[4]!;
  for (let i = 0; i < 10; i++)
    assert.equal(
      (await resetWith('/patient/reset-password?token=someone-elses', NEW_PASSWORD)).statusCode,
      400,
    );
  assert.equal(
    (await resetWith('/patient/reset-password?token=someone-elses', NEW_PASSWORD)).statusCode,
    429,
  );
  const dead = await t.db.db
    .selectFrom('audit_events')
    .select('details')
    .where('action', '=', 'account.password-reset')
    .where('outcome', '=', 'failure')
    .execute();
  assert.ok(dead.filter((r) => r.details.reason === 'link-dead').length >= 10, 'dead links are audited');
  await ask('patient', a.email, '10.29.0.1');
  const link = await linkIn(t.app, a.email, 'account-password-reset');
  assert.equal(
    (await resetWith(link, NEW_PASSWORD)).statusCode,
    200,
    'another link from the same address works',
  );
});

test('one account is sent at most 5 reset links an hour, however many network addresses ask; quietly, audited', async () => {
  nextTest();
  const s = DEMO_STAFF[7]!;
  for (let i = 0; i < 7; i++)
    assert.equal((await ask('staff', s.email, `10.30.0.${String(i)}`)).statusCode, 200);
  assert.equal((await mailTo(t.app, s.email, 'account-password-reset')).length, 5);
  const rows = await t.db.db
    .selectFrom('audit_events')
    .select('details')
    .where('action', '=', 'account.password-reset-requested')
    .execute();
  assert.equal(rows.filter((r) => r.details.reason === 'too-many-links').length, 2);
});
