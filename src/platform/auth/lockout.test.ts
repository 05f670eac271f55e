import assert from 'node:assert/strict';
import { test } from 'node:test';
import { afterFailure, afterSuccess, isLocked, LOCK_MINUTES, MAX_FAILURES } from './lockout.ts';

const now = new Date('2026-11-25T08:00:00Z');

test('an account locks on the fifth failure in a row, not before', () => {
  let s = afterSuccess();
  for (let i = 1; i < MAX_FAILURES; i++) {
    s = afterFailure(s, now);
    assert.equal(isLocked(s, now), false, `locked after ${i} failures`);
  }
  s = afterFailure(s, now);
  assert.equal(isLocked(s, now), true);
  assert.equal(s.lockedUntil?.getTime(), now.getTime() + LOCK_MINUTES * 60_000);
});

test('the lock lasts its minutes, then a new count starts', () => {
  let s = afterSuccess();
  for (let i = 0; i < MAX_FAILURES; i++) s = afterFailure(s, now);
  const justBefore = new Date(now.getTime() + LOCK_MINUTES * 60_000 - 1);
  const after = new Date(now.getTime() + LOCK_MINUTES * 60_000 + 1);
  assert.equal(isLocked(s, justBefore), true);
  assert.equal(isLocked(s, after), false);
  s = afterFailure(s, after);
  assert.equal(s.failedAttempts, 1);
  assert.equal(isLocked(s, after), false);
});

test('failures while locked keep the account locked at least as long', () => {
  let s = afterSuccess();
  for (let i = 0; i < MAX_FAILURES; i++) s = afterFailure(s, now);
  const later = new Date(now.getTime() + 60_000);
  const s2 = afterFailure(s, later);
  assert.ok(s2.lockedUntil && s.lockedUntil && s2.lockedUntil.getTime() >= s.lockedUntil.getTime());
  assert.equal(isLocked(s2, later), true);
});

test('success clears the count', () => {
  const s = afterFailure(afterFailure(afterSuccess(), now), now);
  assert.equal(s.failedAttempts, 2);
  assert.deepEqual(afterSuccess(), { failedAttempts: 0, lockedUntil: null });
});
