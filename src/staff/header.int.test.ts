// The header (issue #10): every staff role signs in and follows every link in its header; none
// is forbidden, and the header (links, name and role) is the same on every page visited. Names,
// never email addresses; a "Your account" link for everyone.
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
import { DEMO_PASSWORD, DEMO_PATIENTS, DEMO_STAFF } from '../demo/data.ts';
import { loadDemo } from '../demo/load.ts';
import { roleLabel } from './rules.ts';

const clock = fixedClock(new Date());
let t: TestApp;
before(async () => {
  t = await testApp({ clock });
  await loadDemo(t.db.db, clock);
});
after(async () => {
  await t.close();
});

/** The header's links and account items, with the "you are here" marking taken out. */
function headerOf(html: string) {
  const header = /<header[\s\S]*?<\/header>/.exec(html)?.[0] ?? '';
  const nav = [
    ...header.matchAll(/class="nhsuk-header__navigation-link" href="([^"]+)"[^>]*>([\s\S]*?)<\/a>/g),
  ].map((m) => `${m[1] ?? ''} ${(m[2] ?? '').replace(/<[^>]+>/g, '').trim()}`);
  const account = (/<nav class="nhsuk-header__account[\s\S]*?<\/nav>/.exec(header)?.[0] ?? '')
    .replace(/<svg[\s\S]*?<\/svg>/g, '')
    .replace(/<a class="nhsuk-header__account-link" href="([^"]+)">/g, '[$1] ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return { nav, account };
}

async function landing(b: Browser): Promise<{ path: string; html: string }> {
  let path = '/staff';
  for (let i = 0; i < 5; i++) {
    const res = await b.get(path);
    if (res.statusCode !== 302) {
      assert.equal(res.statusCode, 200, `${path} answered ${String(res.statusCode)}`);
      return { path, html: res.body };
    }
    path = String(res.headers.location);
  }
  throw new Error('too many redirects from /staff');
}

for (const s of DEMO_STAFF) {
  test(`${roleLabel(s.role)} (${s.email}): every header link opens, and the header is the same on each page`, async () => {
    clock.advance(60_000);
    const b = await signInStaff(t.app, s.email, DEMO_PASSWORD, s.totpSecret, clock);
    const start = await landing(b);
    const first = headerOf(start.html);
    assert.ok(first.nav.length > 0, 'the header has links');
    assert.ok(first.account.includes(`${s.name} (${roleLabel(s.role)})`), first.account);
    assert.ok(!first.account.includes(s.email), 'no email address in the header');
    assert.match(first.account, /\[\/staff\/account\] Your account/);
    assert.match(first.account, /\[\/staff\/sign-out\] Sign out/);
    for (const link of first.nav) {
      const href = link.split(' ')[0] ?? '';
      const res = await b.get(href);
      assert.notEqual(res.statusCode, 403, `${href} is forbidden to a ${s.role}`);
      assert.equal(res.statusCode, 200, `${href} answered ${String(res.statusCode)}`);
      assert.deepEqual(headerOf(res.body), first, `the header on ${href}`);
    }
  });
}

test('a page a role may not use still has the same header (the 403 page too)', async () => {
  clock.advance(60_000);
  const rec = DEMO_STAFF.find((s) => s.role === 'receptionist')!;
  const b = await signInStaff(t.app, rec.email, DEMO_PASSWORD, rec.totpSecret, clock);
  const home = headerOf((await b.get('/staff/patients')).body);
  assert.ok(!home.nav.some((l) => l.startsWith('/staff/review ')), 'no Record review link');
  const forbidden = await b.get('/staff/review');
  assert.equal(forbidden.statusCode, 403);
  assert.deepEqual(headerOf(forbidden.body), home);
});

test('deeper staff pages (a patient, their record) that pass their own navigation have the same header', async () => {
  clock.advance(60_000);
  const gp = DEMO_STAFF.find((s) => s.email === 'gp@ryan.demo.gp-online.test')!;
  const b = await signInStaff(t.app, gp.email, DEMO_PASSWORD, gp.totpSecret, clock);
  const home = headerOf((await b.get('/staff/patients')).body);
  const patient = await t.db.db
    .selectFrom('patients')
    .select('id')
    .where('practice_ods', '=', 'P81082')
    .executeTakeFirstOrThrow();
  for (const path of [
    `/staff/patients/${patient.id}`,
    `/staff/patients/${patient.id}/record`,
    '/no-such-page',
  ]) {
    const res = await b.get(path);
    assert.ok([200, 404].includes(res.statusCode), `${path} answered ${String(res.statusCode)}`);
    assert.deepEqual(headerOf(res.body), home, `the header on ${path}`);
  }
});

test('a patient’s header shows their name when linked, otherwise "Your account"; never the email', async () => {
  for (const p of [DEMO_PATIENTS[0]!, DEMO_PATIENTS[1]!]) {
    clock.advance(60_000);
    const b = new Browser(t.app);
    await b.submit('/patient/sign-in', '/patient/sign-in', { email: p.email, password: DEMO_PASSWORD });
    const code = await freshCode(t.app, 'patient', p.email, p.totpSecret, clock);
    const r = await b.submit('/patient/sign-in/code', '/patient/sign-in/code', { code });
    assert.equal(r.statusCode, 302);
    const { account } = headerOf((await b.get('/patient')).body);
    assert.ok(!account.includes(p.email), account);
    assert.match(account, /\[\/patient\/account\] Your account/);
    assert.match(account, /\[\/patient\/sign-out\] Sign out/);
    const named = await t.db.db
      .selectFrom('online_accounts as a')
      .innerJoin('patients as x', 'x.id', 'a.patient_id')
      .select(['x.given_name', 'x.family_name'])
      .where('a.email', '=', p.email)
      .executeTakeFirst();
    if (named) assert.ok(account.startsWith(`${named.given_name} ${named.family_name}`), account);
    else assert.equal(account.split('[')[0]?.trim(), '', 'no name before the links');
  }
});
