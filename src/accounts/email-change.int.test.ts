// Changing the email address (issue #10), patients and staff: the current password is needed, a
// link goes to the new address and the address changes only when it is followed, once and within
// 30 minutes; the old address is told; an address that already has an account gets a notice, the
// same page, and no link that could complete.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Browser, fixedClock, signInStaff, testApp, type TestApp } from '../../test/support/harness.ts';
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
const main = (html: string) => /<main[\s\S]*<\/main>/.exec(html)?.[0] ?? '';
const form = '/patient/account/email';

const signIn = (i: number) => {
  const a = DEMO_PATIENTS[i]!;
  clock.advance(31_000);
  return signInPatient(t.app, { email: a.email, password: DEMO_PASSWORD, secret: a.totpSecret, clock });
};
const emailOf = async (table: 'online_accounts' | 'staff_users', id: string) =>
  (await t.db.db.selectFrom(table).select('email').where('id', '=', id).executeTakeFirstOrThrow()).email;
const idOf = async (table: 'online_accounts' | 'staff_users', email: string) =>
  (await t.db.db.selectFrom(table).select('id').where('email', '=', email).executeTakeFirstOrThrow()).id;
// The CSRF token comes from the sign-in page, so a dead link can be tried too.
const confirm = (link: string) =>
  new Browser(t.app).submit(`/${link.split('/')[1] ?? ''}/sign-in`, link.split('?')[0] ?? '', {
    token: new URL(link, 'http://x').searchParams.get('token') ?? '',
  });

test('change email: the password and a good new address are needed; a link goes to the new address; the change waits for it', async () => {
  nextTest();
  const a = DEMO_PATIENTS[1]!;
  const id = await idOf('online_accounts', a.email);
  const b = await signIn(1);
  const next = 'moved.p5@example.com';
  const wrong = await b.submit(form, form, { email: next, password: 'not my password' });
  assert.equal(wrong.statusCode, 400);
  assert.match(wrong.body, /Your current password is not right/);
  const same = await b.submit(form, form, { email: a.email, password: DEMO_PASSWORD });
  assert.match(same.body, /Enter a different email address/);
  const bad = await b.submit(form, form, { email: 'nope', password: DEMO_PASSWORD });
  assert.match(bad.body, /Enter an email address in the correct format/);
  await new Browser(t.app).submit('/patient/forgotten-password', '/patient/forgotten-password', {
    email: a.email,
  });
  const resetLink = await linkIn(t.app, a.email, 'account-password-reset');
  const sent = await b.submit(form, form, { email: next, password: DEMO_PASSWORD });
  assert.equal(sent.statusCode, 200);
  assert.match(sent.body, /Check your email/);
  assert.match(sent.body, /works once, for 30 minutes/);
  assert.equal(await emailOf('online_accounts', id), a.email, 'nothing changes before the link');
  const link = await linkIn(t.app, next, 'account-email-change');
  assert.match(link, /^\/patient\/account\/email\/confirm\?token=/);
  // The link's page asks before it spends (a mail scanner opening it changes nothing).
  const page = await new Browser(t.app).get(link);
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /Confirm my new email address/);
  const done = await confirm(link);
  assert.equal(done.statusCode, 200, done.body);
  assert.match(done.body, /Your email address has been changed/);
  assert.equal(await emailOf('online_accounts', id), next);
  // The old address is told; the link works once.
  assert.equal((await mailTo(t.app, a.email, 'account-email-changed')).length, 1);
  assert.equal((await confirm(link)).statusCode, 400);
  // A reset link sent to the old address stops working with it.
  assert.equal((await new Browser(t.app).get(resetLink)).statusCode, 400);
  // The header and account page now show the new address; the new address signs in.
  assert.match((await b.get('/patient/account')).body, /moved\.p5@example\.com/);
  const rows = await t.db.db
    .selectFrom('audit_events')
    .select(['action', 'outcome'])
    .where('action', 'in', ['account.email-change-requested', 'account.email-change'])
    .where('actor_id', '=', id)
    .execute();
  assert.ok(rows.some((r) => r.action === 'account.email-change' && r.outcome === 'success'));
  assert.ok(rows.some((r) => r.action === 'account.email-change-requested' && r.outcome === 'failure'));
  clock.advance(31_000);
  const again = await signInPatient(t.app, {
    email: next,
    password: DEMO_PASSWORD,
    secret: a.totpSecret,
    clock,
  });
  assert.equal((await again.get('/patient/account')).statusCode, 200);
});

test('an address that already has an account: the same page, a notice to that address, and no link that completes', async () => {
  nextTest();
  const a = DEMO_PATIENTS[2]!;
  const taken = DEMO_PATIENTS[3]!.email;
  const id = await idOf('online_accounts', a.email);
  const b = await signIn(2);
  const free = await b.submit(form, form, { email: 'free.address@example.com', password: DEMO_PASSWORD });
  const used = await b.submit(form, form, { email: taken, password: DEMO_PASSWORD });
  assert.equal(used.statusCode, 200);
  assert.equal(
    main(used.body).replace(taken, 'EMAIL'),
    main(free.body).replace('free.address@example.com', 'EMAIL'),
    'the page does not say the address has an account',
  );
  assert.equal((await mailTo(t.app, taken, 'account-email-change')).length, 0, 'no link to complete');
  const notices = await mailTo(t.app, taken, 'account-email-in-use');
  assert.equal(notices.length, 1);
  assert.match(notices[0]!.personalisation.link ?? '', /\/patient\/sign-in$/);
  assert.equal(await emailOf('online_accounts', id), a.email);
  // A later request voids the link for the free address, even one naming an address in use
  // (review finding 10).
  const freeLink = await linkIn(t.app, 'free.address@example.com', 'account-email-change');
  assert.equal((await confirm(freeLink)).statusCode, 400, 'a later request voids the older link');
  clock.advance(60_000);
  await b.submit(form, form, { email: 'newer.address@example.com', password: DEMO_PASSWORD });
  const newer = await linkIn(t.app, 'newer.address@example.com', 'account-email-change');
  await b.submit(form, form, { email: taken, password: DEMO_PASSWORD });
  assert.equal((await confirm(newer)).statusCode, 400, 'a newer request voids the older one');
});

test('a link to confirm a new address stops working after 30 minutes, and if the address gains an account first', async () => {
  nextTest();
  const a = DEMO_PATIENTS[4]!;
  const id = await idOf('online_accounts', a.email);
  const b = await signIn(4);
  await b.submit(form, form, { email: 'late.address@example.com', password: DEMO_PASSWORD });
  const late = await linkIn(t.app, 'late.address@example.com', 'account-email-change');
  clock.advance(31 * 60_000);
  assert.equal((await new Browser(t.app).get(late)).statusCode, 400);
  assert.equal((await confirm(late)).statusCode, 400);
  // Someone else takes the address between the link and its use.
  clock.advance(31_000);
  const again = await signInPatient(t.app, {
    email: a.email,
    password: DEMO_PASSWORD,
    secret: a.totpSecret,
    clock,
  });
  await again.submit(form, form, { email: 'raced.address@example.com', password: DEMO_PASSWORD });
  const raced = await linkIn(t.app, 'raced.address@example.com', 'account-email-change');
  const other = DEMO_PATIENTS[0]!;
  await t.db.db
    .updateTable('online_accounts')
    .set({ email: 'raced.address@example.com' })
    .where('email', '=', other.email)
    .execute();
  assert.equal((await confirm(raced)).statusCode, 400);
  assert.equal(await emailOf('online_accounts', id), a.email);
});

test('staff change their email address the same way (staff_users.email)', async () => {
  nextTest();
  const s = DEMO_STAFF[4]!;
  const id = await idOf('staff_users', s.email);
  const b = await signInStaff(t.app, s.email, DEMO_PASSWORD, s.totpSecret, clock);
  const staffForm = '/staff/account/email';
  const sent = await b.submit(staffForm, staffForm, {
    email: 'gp.new@thompson.example.com',
    password: DEMO_PASSWORD,
  });
  assert.equal(sent.statusCode, 200);
  const link = await linkIn(t.app, 'gp.new@thompson.example.com', 'account-email-change');
  assert.match(link, /^\/staff\/account\/email\/confirm\?token=/);
  assert.equal(
    (await confirm(link.replace('/staff/', '/patient/'))).statusCode,
    400,
    'a staff link is not a patient link',
  );
  assert.equal((await confirm(link)).statusCode, 200);
  assert.equal(await emailOf('staff_users', id), 'gp.new@thompson.example.com');
  assert.equal((await mailTo(t.app, s.email, 'account-email-changed')).length, 1);
  // Another staff member's address is not revealed either.
  const taken = DEMO_STAFF[0]!.email;
  const used = await b.submit(staffForm, staffForm, { email: taken, password: DEMO_PASSWORD });
  assert.equal(used.statusCode, 200);
  assert.equal((await mailTo(t.app, taken, 'account-email-in-use')).length, 1);
});
