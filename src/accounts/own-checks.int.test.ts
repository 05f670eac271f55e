// Security review (issue #10, findings 1 and 4): the current password on the account forms is
// counted per account, whatever new address the form names, and the signed-in forms are
// rate-limited per account; a wrong code on the account pages that locks the account ends every
// session of it, is audited, and the page says the account is locked.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { fixedClock, testApp, type TestApp } from '../../test/support/harness.ts';
import { signInPatient } from '../../test/support/accounts.ts';
import { DEMO_PASSWORD, DEMO_PATIENTS } from '../demo/data.ts';
import { loadDemo } from '../demo/load.ts';
import { advanceSession, createSession, deleteAllFor } from '../platform/auth/sessions.ts';

const clock = fixedClock(new Date());
let t: TestApp;
before(async () => {
  t = await testApp({ clock });
  await loadDemo(t.db.db, clock);
});
after(async () => {
  await t.close();
});

const signIn = (i: number) => {
  const a = DEMO_PATIENTS[i]!;
  clock.advance(31_000);
  return signInPatient(t.app, { email: a.email, password: DEMO_PASSWORD, secret: a.totpSecret, clock });
};
const auditRows = (action: string) =>
  t.db.db
    .selectFrom('audit_events')
    .select(['action', 'outcome', 'details', 'actor_id'])
    .where('action', '=', action)
    .execute();

test('change email: wrong current passwords are counted for the account, not for each new address', async () => {
  clock.advance(60 * 60_000);
  const b = await signIn(1);
  const form = '/patient/account/email';
  for (let i = 0; i < 5; i++) {
    const r = await b.submit(form, form, {
      email: `guess${String(i)}@example.com`,
      password: `guess ${String(i)}`,
    });
    assert.equal(r.statusCode, 400);
    assert.match(r.body, /Your current password is not right/);
  }
  // Even the right password now has to wait: guessing is slowed whatever address is named.
  const held = await b.submit(form, form, { email: 'guess-next@example.com', password: DEMO_PASSWORD });
  assert.equal(held.statusCode, 429);
  assert.match(held.body, /entered your current password wrongly too many times/);
  const throttled = (await auditRows('account.email-change-requested')).filter(
    (r) => r.details.reason === 'throttled',
  );
  assert.equal(throttled.length, 1, 'the throttled try is audited');
  // The password form counts towards the same account.
  const pw = '/patient/account/password';
  const alsoHeld = await b.submit(pw, pw, { current: DEMO_PASSWORD, password: 'x', confirm: 'x' });
  assert.equal(alsoHeld.statusCode, 429);
  // After the wait, the right password works again.
  clock.advance(61_000);
  const ok = await b.submit(form, form, { email: 'moved.after@example.com', password: DEMO_PASSWORD });
  assert.equal(ok.statusCode, 200, ok.body);
});

test('signed-in account forms are rate-limited per account, not per address typed', async () => {
  clock.advance(60 * 60_000);
  const b = await signIn(2);
  const form = '/patient/account/email';
  const statuses: number[] = [];
  for (let i = 0; i < 11; i++) {
    clock.advance(61_000);
    statuses.push(
      (await b.submit(form, form, { email: `limit${String(i)}@example.com`, password: '' })).statusCode,
    );
  }
  assert.equal(statuses.at(-1), 429, statuses.join(','));
});

test('a wrong code that locks the account from a signed-in page ends every session, is audited and says the account is locked', async () => {
  clock.advance(60 * 60_000);
  const other = await signIn(3);
  const b = await signIn(3);
  const start = '/patient/account/authenticator';
  for (let i = 0; i < 4; i++) {
    const r = await b.submit(start, start, { code: '000000' });
    assert.equal(r.statusCode, 400);
  }
  const locking = await b.submit(start, start, { code: '000000' });
  assert.equal(locking.statusCode, 401);
  assert.match(locking.body, /This account is locked/);
  assert.equal((await b.get('/patient/account')).statusCode, 302, 'this session ended');
  assert.equal((await other.get('/patient/account')).statusCode, 302, 'every other session ended');
  const locked = await auditRows('auth.account-locked');
  assert.equal(locked.length, 1);
  assert.equal(locked[0]!.details.lockedNow, true);
});

test('a session ended while a request was in flight is not brought back by moving it to its next stage', async () => {
  const { id } = await t.db.db
    .selectFrom('online_accounts')
    .select('id')
    .where('email', '=', DEMO_PATIENTS[4]!.email)
    .executeTakeFirstOrThrow();
  const now = clock.now();
  const s = await createSession(
    t.db.db,
    { principalType: 'patient', principalId: id, stage: 'password' },
    now,
  );
  await deleteAllFor(t.db.db, 'patient', id);
  await assert.rejects(advanceSession(t.db.db, s, { stage: 'full', now }), /Sign in again/);
  const left = await t.db.db.selectFrom('sessions').select('id').where('principal_id', '=', id).execute();
  assert.equal(left.length, 0, 'no new session');
});
