// Setting up a new staff authenticator after a reset (review of issue #10): a secret confirms
// only while it is still the stored one.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { fixedClock, testApp, type TestApp } from '../../test/support/harness.ts';
import { DEMO_PASSWORD } from '../demo/data.ts';
import { loadDemo } from '../demo/load.ts';
import { addStaffUser } from './service.ts';
import * as store from './store.ts';

const clock = fixedClock(new Date());
let t: TestApp;
before(async () => {
  t = await testApp({ clock });
  await loadDemo(t.db.db, clock);
});
after(async () => {
  await t.close();
});

async function resetColleague(name: string) {
  const email = `${name.toLowerCase().replace(/\s/g, '.')}@example.test`;
  const { id } = await addStaffUser(
    { db: t.db.db, clock, meta: null },
    { kind: 'system' },
    {
      email,
      name,
      role: 'receptionist',
      password: DEMO_PASSWORD,
      practiceOds: 'P81082',
      trustedPassword: true,
    },
    t.app.deps.config.totpKey,
  );
  await store.clearAuthenticator(t.db.db, id);
  return { id, email };
}

const confirmedAt = async (id: string) =>
  (
    await t.db.db
      .selectFrom('staff_users')
      .select('totp_confirmed_at')
      .where('id', '=', id)
      .executeTakeFirstOrThrow()
  ).totp_confirmed_at;

test('a set-up secret confirms only while it is still the stored one: a reset or a newer secret wins', async () => {
  const c = await resetColleague('Cory Confirm');
  await store.setUnconfirmedTotpSecret(t.db.db, c.id, 'v1:first');
  // Reset again after the code was checked: nothing is confirmed, with no secret at all.
  await store.clearAuthenticator(t.db.db, c.id);
  assert.equal(await store.confirmTotp(t.db.db, c.id, 'v1:first', clock.now()), false);
  assert.equal(await confirmedAt(c.id), null);
  // Another secret stored since: the one checked does not confirm it.
  await store.setUnconfirmedTotpSecret(t.db.db, c.id, 'v1:second');
  assert.equal(await store.confirmTotp(t.db.db, c.id, 'v1:first', clock.now()), false);
  assert.equal(await confirmedAt(c.id), null);
  assert.equal(await store.confirmTotp(t.db.db, c.id, 'v1:second', clock.now()), true);
  assert.ok(await confirmedAt(c.id));
});
