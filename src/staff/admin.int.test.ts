// Staff administration (issue #10): disabling ends every session and token at once and stops
// sign-in; re-enabling, unlocking and resetting the authenticator; a practice manager only for
// their own practice's staff, never an administrator; nobody on themselves; an audit row for
// each action and each refusal.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  apiToken,
  Browser,
  fixedClock,
  signInStaff,
  testApp,
  type TestApp,
} from '../../test/support/harness.ts';
import { DEMO_PASSWORD, DEMO_STAFF } from '../demo/data.ts';
import { loadDemo } from '../demo/load.ts';
import { totpCode } from '../platform/auth/secrets.ts';
import { addStaffUser } from './service.ts';

const clock = fixedClock(new Date());
let t: TestApp;
before(async () => {
  t = await testApp({ clock });
  await loadDemo(t.db.db, clock);
});
after(async () => {
  await t.close();
});

const demo = (email: string) => DEMO_STAFF.find((s) => s.email === email)!;
const admin = DEMO_STAFF.find((s) => s.role === 'admin')!;
const manager = demo('manager@ryan.demo.gp-online.test');
const idOf = async (email: string) =>
  (await t.db.db.selectFrom('staff_users').select('id').where('email', '=', email).executeTakeFirstOrThrow())
    .id;
const auditRows = (subject: string) =>
  t.db.db
    .selectFrom('audit_events')
    .select(['action', 'outcome', 'actor_id', 'practice_ods'])
    .where('subject', '=', subject)
    .orderBy('at')
    .orderBy('seq')
    .execute();
const signIn = (s: { email: string; totpSecret: string }) => {
  clock.advance(60_000);
  return signInStaff(t.app, s.email, DEMO_PASSWORD, s.totpSecret, clock);
};

/** A fresh practice colleague to act on, so tests do not depend on each other. */
async function newColleague(name: string, practiceOds = 'P81082') {
  const email = `${name.toLowerCase().replace(/\s/g, '.')}@example.test`;
  const { id, totpSecret } = await addStaffUser(
    { db: t.db.db, clock, meta: null },
    { kind: 'system' },
    { email, name, role: 'receptionist', password: DEMO_PASSWORD, practiceOds, trustedPassword: true },
    t.app.deps.config.totpKey,
  );
  return { id, email, totpSecret };
}

test('an administrator disables a user: their sessions and API tokens end at once, they cannot sign in; re-enabled, they can', async () => {
  const c = await newColleague('Dee Disabled');
  const theirs = await signIn(c);
  const token = await apiToken(t.app, c.email, DEMO_PASSWORD, c.totpSecret, clock);
  const a = await signIn(admin);
  const page = await a.get(`/admin/users/${c.id}`);
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /Disable this account/);
  const confirm = await a.get(`/admin/users/${c.id}/disable`);
  assert.match(confirm.body, /Disable Dee Disabled’s account\?/);
  const r = await a.submit(`/admin/users/${c.id}/disable`, `/admin/users/${c.id}/disable`, {});
  assert.equal(r.statusCode, 302);
  assert.equal(r.headers.location, `/admin/users/${c.id}?done=disable`);
  assert.match((await a.get(r.headers.location)).body, /account is disabled/);
  // Signed out everywhere, now.
  assert.equal((await theirs.get('/staff/patients')).statusCode, 302);
  const api = await t.app.inject({ url: '/api/v1/me', headers: { authorization: `Bearer ${token}` } });
  assert.equal(api.statusCode, 401);
  await assert.rejects(signIn(c), /sign-in failed: 401/);
  // Twice is a conflict, not a second row.
  assert.equal((await a.submit(`/admin/users/${c.id}`, `/admin/users/${c.id}/disable`, {})).statusCode, 409);
  const enable = await a.submit(`/admin/users/${c.id}`, `/admin/users/${c.id}/enable`, {});
  assert.equal(enable.statusCode, 302);
  await signIn(c);
  const adminId = await idOf(admin.email);
  assert.deepEqual(await auditRows(`staff:${c.id}`), [
    { action: 'staff.add', outcome: 'success', actor_id: null, practice_ods: 'P81082' },
    { action: 'staff.disable', outcome: 'success', actor_id: adminId, practice_ods: 'P81082' },
    { action: 'staff.enable', outcome: 'success', actor_id: adminId, practice_ods: 'P81082' },
  ]);
});

test('a practice manager unlocks a colleague locked by wrong codes, from their team page', async () => {
  const c = await newColleague('Lou Locked');
  await t.db.db.updateTable('staff_users').set({ locked_at: clock.now() }).where('id', '=', c.id).execute();
  await assert.rejects(signIn(c), /sign-in failed: 401/);
  const m = await signIn(manager);
  const team = await m.get('/staff/team');
  assert.equal(team.statusCode, 200);
  assert.match(team.body, new RegExp(`href="/staff/team/${c.id}">Lou Locked<`));
  assert.doesNotMatch(team.body, /Ada Admin|Audlem/, 'only their own practice');
  const r = await m.submit(`/staff/team/${c.id}`, `/staff/team/${c.id}/unlock`, {});
  assert.equal(r.statusCode, 302);
  await signIn(c);
  const rows = await auditRows(`staff:${c.id}`);
  assert.deepEqual(rows.at(-1), {
    action: 'staff.unlock',
    outcome: 'success',
    actor_id: await idOf(manager.email),
    practice_ods: 'P81082',
  });
});

test('a practice manager cannot act on another practice’s staff or an administrator (refused and audited)', async () => {
  const other = await newColleague('Otto Other', 'N81001');
  const m = await signIn(manager);
  const adminId = await idOf(admin.email);
  // Another practice's staff (and administrators, of no practice) are not theirs to see: an
  // action on them is "no such user" as the page is, so it does not confirm they exist.
  assert.equal((await m.get(`/staff/team/${other.id}`)).statusCode, 404);
  for (const action of ['disable', 'reset-authenticator', 'unlock']) {
    const r = await m.submit('/staff/sign-out', `/staff/team/${other.id}/${action}`, {});
    assert.equal(r.statusCode, 404, action);
    assert.match(r.body, /There is no such staff user/);
  }
  const r = await m.submit('/staff/sign-out', `/staff/team/${adminId}/disable`, {});
  assert.equal(r.statusCode, 404);
  assert.doesNotMatch(r.body, /administrator/);
  const active = await t.db.db
    .selectFrom('staff_users')
    .select('active')
    .where('id', 'in', [other.id, adminId])
    .execute();
  assert.deepEqual(active, [{ active: true }, { active: true }]);
  const denied = (await auditRows(`staff:${other.id}`)).filter((x) => x.outcome === 'denied');
  assert.deepEqual(denied.map((x) => x.action).sort(), [
    'staff.disable',
    'staff.reset-authenticator',
    'staff.unlock',
  ]);
  assert.equal((await auditRows(`staff:${adminId}`)).filter((x) => x.outcome === 'denied').length, 1);
  // Receptionists and clinicians manage nobody.
  const gp = await signIn(demo('gp@ryan.demo.gp-online.test'));
  assert.equal((await gp.get('/staff/team')).statusCode, 403);
  assert.equal((await gp.submit('/staff/sign-out', `/staff/team/${other.id}/disable`, {})).statusCode, 403);
});

test('staff refused by their role are audited as denied, on the page and on the action', async () => {
  const c = await newColleague('Rita Refused');
  const reception = await signIn(demo('reception@ryan.demo.gp-online.test'));
  const receptionId = await idOf('reception@ryan.demo.gp-online.test');
  assert.equal((await reception.get(`/staff/team/${c.id}`)).statusCode, 403);
  const r = await reception.submit('/staff/sign-out', `/staff/team/${c.id}/disable`, {});
  assert.equal(r.statusCode, 403);
  assert.match(r.body, /You do not have permission to do this/);
  const active = await t.db.db.selectFrom('staff_users').select('active').where('id', '=', c.id).execute();
  assert.deepEqual(active, [{ active: true }]);
  // (Rows at one instant come in no certain order: sorted by action.)
  const denied = (await auditRows(`staff:${c.id}`))
    .filter((x) => x.outcome === 'denied')
    .sort((x, y) => y.action.localeCompare(x.action));
  assert.deepEqual(denied, [
    { action: 'staff.view', outcome: 'denied', actor_id: receptionId, practice_ods: 'P81082' },
    { action: 'staff.disable', outcome: 'denied', actor_id: receptionId, practice_ods: 'P81082' },
  ]);
});

test('nobody disables or resets themselves: the page says why and the action is refused', async () => {
  for (const [who, base] of [
    [admin, '/admin/users'],
    [manager, '/staff/team'],
  ] as const) {
    const b = await signIn(who);
    const id = await idOf(who.email);
    const page = await b.get(`${base}/${id}`);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /This is your own account/);
    assert.doesNotMatch(page.body, /Disable this account/);
    for (const action of ['disable', 'reset-authenticator']) {
      const r = await b.submit('/staff/sign-out', `${base}/${id}/${action}`, {});
      assert.equal(r.statusCode, 403);
      assert.match(r.body, /cannot do this to your own account/);
    }
    assert.equal((await b.get('/staff')).statusCode, 302, 'still signed in');
  }
});

test('reset authenticator: signed out, the old codes stop working, a new one is set up and confirmed at next sign-in', async () => {
  const c = await newColleague('Rey Reset');
  const theirs = await signIn(c);
  const a = await signIn(admin);
  assert.match(
    (await a.get(`/admin/users/${c.id}/reset-authenticator`)).body,
    /You will not see the new key/,
  );
  const r = await a.submit(
    `/admin/users/${c.id}/reset-authenticator`,
    `/admin/users/${c.id}/reset-authenticator`,
    {},
  );
  assert.equal(r.statusCode, 302);
  const after = await a.get(String(r.headers.location));
  assert.match(after.body, /Waiting to set up a new authenticator app/);
  assert.equal((await theirs.get('/staff/patients')).statusCode, 302, 'signed out');
  // The password now leads to setting up a new authenticator, not to the code.
  clock.advance(60_000);
  const b = new Browser(t.app);
  const step = await b.submit('/staff/sign-in', '/staff/sign-in', {
    email: c.email,
    password: DEMO_PASSWORD,
  });
  assert.equal(step.headers.location, '/staff/set-up-authenticator');
  assert.equal((await b.get('/staff/patients')).headers.location, '/staff/set-up-authenticator');
  const setUp = await b.get('/staff/set-up-authenticator');
  const secret = (/id="totp-secret">([A-Z2-7 ]+)</.exec(setUp.body)?.[1] ?? '').replace(/ /g, '');
  assert.ok(secret.length >= 16 && secret !== c.totpSecret);
  // The admin's pages never showed it.
  assert.ok(!after.body.includes(secret));
  // A code from the old authenticator does not confirm; one from the new one does.
  const wrong = await b.submit('/staff/set-up-authenticator', '/staff/set-up-authenticator', {
    code: totpCode(c.totpSecret, clock.now()),
  });
  assert.equal(wrong.headers.location, '/staff/set-up-authenticator?error=code');
  assert.equal((await b.get('/staff/set-up-authenticator?error=code')).statusCode, 400);
  const ok = await b.submit('/staff/set-up-authenticator', '/staff/set-up-authenticator', {
    code: totpCode(secret, clock.now()),
  });
  assert.equal(ok.headers.location, '/staff');
  assert.equal((await b.get('/staff/patients')).statusCode, 200);
  // From now on the new authenticator signs in, the old one does not.
  await signInStaff(t.app, c.email, DEMO_PASSWORD, secret, clock);
  clock.advance(60_000);
  await assert.rejects(signIn(c), /staff code failed/);
  const actions = (await auditRows(`staff:${c.id}`)).map((x) => `${x.action} ${x.outcome}`);
  assert.ok(actions.includes('staff.reset-authenticator success'));
  assert.ok(actions.includes('auth.totp-set-up success'));
});

test('adding a user: plain messages, roles by their names', async () => {
  const a = await signIn(admin);
  const page = await a.get('/admin/users');
  assert.match(page.body, />Practice manager</);
  const r = await a.submit('/admin/users', '/admin/users', {
    name: 'No Role',
    email: 'no.role@example.test',
    role: 'nurse',
    practiceOds: '',
    password: 'a long enough password 42',
  });
  assert.equal(r.statusCode, 400);
  assert.match(r.body, /Choose a role/);
  assert.doesNotMatch(r.body, /must be one of|practice-manager,/);
  const pm = await a.submit('/admin/users', '/admin/users', {
    name: 'No Practice',
    email: 'no.practice@example.test',
    role: 'practice-manager',
    practiceOds: '',
    password: 'a long enough password 42',
  });
  assert.match(pm.body, /Enter the ODS code of the practice this practice manager works at/);
});

test('disabling a staff member or resetting their authenticator voids their pending reset link, change of address and new authenticator', async () => {
  const a = await signIn(admin);
  for (const action of ['disable', 'reset-authenticator']) {
    const c = await newColleague(`Pat Pending ${action === 'disable' ? 'Dis' : 'Res'}`);
    const owner = { principal_type: 'staff' as const, principal_id: c.id };
    const link = {
      ...owner,
      created_at: clock.now(),
      expires_at: new Date(clock.now().getTime() + 3_600_000),
    };
    await t.db.db
      .insertInto('password_resets')
      .values({ ...link, token_hash: `reset-${c.id}`, used_at: null })
      .execute();
    await t.db.db
      .insertInto('email_changes')
      .values({ ...link, token_hash: `change-${c.id}`, new_email: `new.${c.email}`, used_at: null })
      .execute();
    await t.db.db
      .updateTable('staff_users')
      .set({ totp_pending_secret: 'v1:pending' })
      .where('id', '=', c.id)
      .execute();
    const base = `/admin/users/${c.id}`;
    assert.equal((await a.submit(`${base}/${action}`, `${base}/${action}`, {})).statusCode, 302, action);
    for (const table of ['password_resets', 'email_changes'] as const) {
      const rows = await t.db.db
        .selectFrom(table)
        .select('used_at')
        .where('principal_type', '=', 'staff')
        .where('principal_id', '=', c.id)
        .execute();
      assert.equal(rows.length, 1);
      assert.ok(rows[0]?.used_at, `${action}: ${table} link ended`);
    }
    const row = await t.db.db
      .selectFrom('staff_users')
      .select('totp_pending_secret')
      .where('id', '=', c.id)
      .executeTakeFirstOrThrow();
    assert.equal(row.totp_pending_secret, null, `${action}: pending authenticator cleared`);
  }
});
