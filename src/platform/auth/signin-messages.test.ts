import assert from 'node:assert/strict';
import { test } from 'node:test';
import { accountLocked, signInFailed } from './signin.ts';

test('sign-in messages name who unlocks the account: a patient’s practice, a staff member’s manager or an administrator', () => {
  assert.match(signInFailed('patient'), /until your GP practice unlocks it/);
  assert.match(accountLocked('patient'), /Contact your GP practice to unlock it/);
  assert.match(signInFailed('staff'), /until your practice manager or an administrator unlocks it/);
  assert.match(accountLocked('staff'), /Contact your practice manager or an administrator/);
  assert.doesNotMatch(signInFailed('staff'), /GP practice/);
});
