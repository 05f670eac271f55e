// Account self-service rules and the account page's rows (issue #10).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { accountRows } from './account-present.ts';
import {
  linkExpiry,
  newEmailProblem,
  newPasswordProblems,
  recoveryCodesText,
  RESET_MINUTES,
  sessionsText,
} from './account-rules.ts';

test('links expire after their minutes; a reset link after 30', () => {
  assert.equal(RESET_MINUTES, 30);
  assert.equal(linkExpiry(new Date('2026-12-01T10:00:00Z'), 30).toISOString(), '2026-12-01T10:30:00.000Z');
});

test('a new password: entered, long enough, without the email address, typed the same twice', () => {
  const email = 'jo.bloggs@example.com';
  assert.deepEqual(newPasswordProblems({ password: '', confirm: '', email }), [
    { field: 'password', message: 'Enter a new password' },
  ]);
  assert.equal(newPasswordProblems({ password: 'short', confirm: 'short', email })[0]?.field, 'password');
  assert.match(
    newPasswordProblems({ password: 'my jo.bloggs phrase here', confirm: 'x', email })[0]?.message ?? '',
    /email address/,
  );
  assert.deepEqual(
    newPasswordProblems({ password: 'lantern orchard velvet', confirm: 'lantern orchard', email }),
    [{ field: 'confirm', message: 'The passwords do not match' }],
  );
  assert.deepEqual(
    newPasswordProblems({ password: 'lantern orchard velvet', confirm: 'lantern orchard velvet', email }),
    [],
  );
});

test('a new email address: entered, well formed, and not the one in use now (in any case)', () => {
  assert.equal(newEmailProblem('a@example.com', ''), 'Enter your new email address');
  assert.match(newEmailProblem('a@example.com', 'nope') ?? '', /correct format/);
  assert.match(newEmailProblem('a@example.com', 'A@Example.com') ?? '', /different email address/);
  assert.equal(newEmailProblem('a@example.com', 'b@example.com'), null);
});

test('devices and recovery codes in words', () => {
  assert.equal(sessionsText(1), 'Only this device');
  assert.equal(sessionsText(2), 'This device and 1 other');
  assert.equal(sessionsText(4), 'This device and 3 others');
  assert.equal(recoveryCodesText(0), 'None left');
  assert.equal(recoveryCodesText(7), '7 left');
});

test('the account page rows: recovery codes for patients only, each action with hidden text for screen readers', () => {
  const overview = {
    who: 'patient' as const,
    email: 'a@example.com',
    passwordChangedAt: new Date('2026-11-30T12:00:00Z'),
    authenticatorSetUp: true,
    recoveryCodesLeft: 3,
    sessions: 2,
  };
  const rows = accountRows(overview, '/patient/account');
  assert.deepEqual(
    rows.map((r) => [r.key.text, r.value.text, r.actions?.items[0]?.href ?? null]),
    [
      ['Email address', 'a@example.com', '/patient/account/email'],
      ['Password', 'Last changed on 30 November 2026', '/patient/account/password'],
      ['Authenticator app', 'Set up', '/patient/account/authenticator'],
      ['Recovery codes', '3 left', '/patient/account/recovery-codes'],
      ['Signed in on', 'This device and 1 other', null],
    ],
  );
  assert.ok(rows.every((r) => !r.actions || r.actions.items.every((i) => i.visuallyHiddenText)));
  const staff = accountRows(
    { ...overview, who: 'staff', recoveryCodesLeft: null, passwordChangedAt: null },
    '/staff/account',
  );
  assert.ok(!staff.some((r) => r.key.text === 'Recovery codes'));
  assert.equal(staff[1]?.value.text, 'Set');
});
