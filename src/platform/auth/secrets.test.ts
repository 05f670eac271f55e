import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import {
  isSealed,
  newTotpSecret,
  openSecret,
  sealSecret,
  totpCode,
  totpMatchStep,
  totpStep,
} from './secrets.ts';

test('HAZ-12 secrets at rest: a sealed TOTP secret opens only with its key, and tampering is caught', () => {
  const key = randomBytes(32);
  const secret = newTotpSecret();
  const sealed = sealSecret(key, secret);
  assert.ok(isSealed(sealed) && !sealed.includes(secret));
  assert.notEqual(sealSecret(key, secret), sealed, 'a fresh IV every time');
  assert.equal(openSecret(key, sealed), secret);
  assert.throws(() => openSecret(randomBytes(32), sealed));
  const tampered = sealed.slice(0, -2) + (sealed.endsWith('A') ? 'B' : 'A') + sealed.slice(-1);
  assert.throws(() => openSecret(key, tampered));
  // A legacy plaintext secret (before encryption) reads as it is, to be sealed by the caller.
  assert.equal(openSecret(key, secret), secret);
});

test('a TOTP code matches its own step, one either side, and no further', () => {
  const secret = newTotpSecret();
  const now = new Date('2026-12-01T10:00:10Z');
  const at = (steps: number) => new Date(now.getTime() + steps * 30_000);
  assert.equal(totpMatchStep(secret, totpCode(secret, now), now), totpStep(now));
  assert.equal(totpMatchStep(secret, totpCode(secret, at(-1)), now), totpStep(now) - 1);
  assert.equal(totpMatchStep(secret, totpCode(secret, at(1)), now), totpStep(now) + 1);
  assert.equal(totpMatchStep(secret, totpCode(secret, at(2)), now), null);
  assert.equal(totpMatchStep(secret, totpCode(secret, at(-2)), now), null);
});
