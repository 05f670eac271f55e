import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  FREE_PASSWORD_FAILURES,
  ipThrottled,
  lockedByCodes,
  MAX_CODE_FAILURES,
  MAX_FAILURES_PER_IP,
  MAX_PASSWORD_DELAY_MS,
  PASSWORD_FAILURE_WINDOW_MS,
  FREE_PASSWORD_FAILURES_ANYWHERE,
  passwordDelayMs,
  passwordRetryAt,
  passwordThrottled,
} from './lockout.ts';

const now = new Date('2026-11-25T08:00:00Z');
const windowAfter = (d: Date) => new Date(d.getTime() + PASSWORD_FAILURE_WINDOW_MS);

test('HAZ-13 lockout abuse: wrong passwords only slow an address down, by at most a minute', () => {
  for (let i = 0; i < FREE_PASSWORD_FAILURES; i++) assert.equal(passwordDelayMs(i), 0);
  assert.equal(passwordDelayMs(FREE_PASSWORD_FAILURES), 1000);
  assert.equal(passwordDelayMs(FREE_PASSWORD_FAILURES + 1), 2000);
  assert.equal(passwordDelayMs(1000), MAX_PASSWORD_DELAY_MS);
  // After 1000 wrong passwords the right person waits a minute at most, never a lock.
  const end = windowAfter(now);
  assert.equal(passwordThrottled(1000, end, new Date(now.getTime() + 59_999)), true);
  assert.equal(passwordThrottled(1000, end, new Date(now.getTime() + 60_000)), false);
  assert.equal(passwordRetryAt(1000, end).getTime(), now.getTime() + MAX_PASSWORD_DELAY_MS);
});

test('a few wrong passwords do not slow anyone down', () => {
  assert.equal(passwordThrottled(FREE_PASSWORD_FAILURES - 1, windowAfter(now), now), false);
  assert.equal(passwordThrottled(FREE_PASSWORD_FAILURES, windowAfter(now), now), true);
});

test('one network address is turned away after many wrong passwords, until its window ends', () => {
  const end = new Date(now.getTime() + 1000);
  assert.equal(ipThrottled(MAX_FAILURES_PER_IP - 1, end, now), false);
  assert.equal(ipThrottled(MAX_FAILURES_PER_IP, end, now), true);
  assert.equal(ipThrottled(MAX_FAILURES_PER_IP, end, end), false);
});

test('only wrong security codes after the right password lock an account', () => {
  assert.equal(lockedByCodes(MAX_CODE_FAILURES - 1), false);
  assert.equal(lockedByCodes(MAX_CODE_FAILURES), true);
});

test('HAZ-13 one email address from everywhere is slowed only after a flood of wrong passwords', () => {
  assert.equal(passwordDelayMs(FREE_PASSWORD_FAILURES_ANYWHERE - 1, FREE_PASSWORD_FAILURES_ANYWHERE), 0);
  assert.equal(passwordDelayMs(FREE_PASSWORD_FAILURES_ANYWHERE, FREE_PASSWORD_FAILURES_ANYWHERE), 1000);
  assert.equal(passwordDelayMs(10_000, FREE_PASSWORD_FAILURES_ANYWHERE), MAX_PASSWORD_DELAY_MS);
});
