import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { ConfigError, loadConfig } from './config.ts';

const dir = () => mkdtempSync(join(tmpdir(), 'gpo-config-'));

test('defaults: port 3000, ./data, PGlite, a session secret generated and kept', () => {
  const d = dir();
  const c = loadConfig({ GP_ONLINE_DATA_DIR: d });
  assert.equal(c.port, 3000);
  assert.equal(c.databaseUrl, null);
  assert.equal(c.dataDir, d);
  assert.equal(readFileSync(join(d, 'session-secret'), 'utf8').trim(), c.sessionSecret);
  assert.equal(
    loadConfig({ GP_ONLINE_DATA_DIR: d }).sessionSecret,
    c.sessionSecret,
    'the same secret next time',
  );
});

test('bad values stop the start with a message naming the variable', () => {
  const d = dir();
  assert.throws(
    () => loadConfig({ GP_ONLINE_DATA_DIR: d, PORT: 'eighty' }),
    (e: unknown) => e instanceof ConfigError && /PORT/.test(e.message),
  );
  assert.throws(() => loadConfig({ GP_ONLINE_DATA_DIR: d, DATABASE_URL: 'mysql://x' }), /DATABASE_URL/);
  assert.throws(() => loadConfig({ GP_ONLINE_DATA_DIR: d, GP_ONLINE_DEMO: 'perhaps' }), /GP_ONLINE_DEMO/);
  assert.throws(() => loadConfig({ GP_ONLINE_DATA_DIR: d, SESSION_SECRET: 'short' }), /SESSION_SECRET/);
  assert.throws(
    () => loadConfig({ GP_ONLINE_DATA_DIR: d, NODE_ENV: 'production' }),
    /SESSION_SECRET must be set/,
  );
  // GOV.UK Notify without the sign-up templates would send no sign-up link to anyone.
  const id = '0b2b2f39-4a4f-4b0e-9d1b-3a8d5b3f0c11';
  const notify = {
    GP_ONLINE_DATA_DIR: d,
    NOTIFY_API_KEY: 'key',
    NOTIFY_TEMPLATE_APPOINTMENT_BOOKED: id,
    NOTIFY_TEMPLATE_APPOINTMENT_CANCELLED: id,
    NOTIFY_TEMPLATE_APPOINTMENT_REMINDER: id,
  };
  assert.throws(() => loadConfig(notify), /NOTIFY_TEMPLATE_ACCOUNT_CONFIRM_EMAIL/);
  const signUp = { ...notify, NOTIFY_TEMPLATE_ACCOUNT_CONFIRM_EMAIL: id, NOTIFY_TEMPLATE_ACCOUNT_EXISTS: id };
  assert.throws(() => loadConfig(signUp), /NOTIFY_TEMPLATE_ACCOUNT_PASSWORD_RESET/);
  const all = {
    ...signUp,
    NOTIFY_TEMPLATE_ACCOUNT_PASSWORD_RESET: id,
    NOTIFY_TEMPLATE_ACCOUNT_PASSWORD_CHANGED: id,
    NOTIFY_TEMPLATE_ACCOUNT_EMAIL_CHANGE: id,
    NOTIFY_TEMPLATE_ACCOUNT_EMAIL_CHANGED: id,
    NOTIFY_TEMPLATE_ACCOUNT_EMAIL_IN_USE: id,
    NOTIFY_TEMPLATE_ACCOUNT_AUTHENTICATOR_CHANGED: id,
  };
  assert.throws(() => loadConfig(all), /NOTIFY_TEMPLATE_ACCOUNT_RECOVERY_CODES_NEW/);
  const withCodes = { ...all, NOTIFY_TEMPLATE_ACCOUNT_RECOVERY_CODES_NEW: id };
  assert.throws(() => loadConfig(withCodes), /NOTIFY_TEMPLATE_PRESCRIPTION_APPROVED/);
  const withPrescriptions = {
    ...withCodes,
    NOTIFY_TEMPLATE_PRESCRIPTION_APPROVED: id,
    NOTIFY_TEMPLATE_PRESCRIPTION_REJECTED: id,
    NOTIFY_TEMPLATE_PRESCRIPTION_ISSUED: id,
  };
  assert.equal(loadConfig(withPrescriptions).notify?.templates['account-recovery-codes-new'], id);
  assert.equal(loadConfig(withPrescriptions).notify?.templates['prescription-rejected'], id);
  assert.equal(loadConfig(withPrescriptions).notify?.templates['account-exists'], id);
});

test('DATABASE_URL and demo mode are read', () => {
  const c = loadConfig({
    GP_ONLINE_DATA_DIR: dir(),
    DATABASE_URL: 'postgres://u@127.0.0.1:5432/app',
    GP_ONLINE_DEMO: 'true',
    PORT: '8080',
  });
  assert.equal(c.databaseUrl, 'postgres://u@127.0.0.1:5432/app');
  assert.equal(c.demo, true);
  assert.equal(c.port, 8080);
});

test('HAZ-12 secrets at rest: the TOTP encryption key is generated and kept, checked, and required in production', () => {
  const d = dir();
  const c = loadConfig({ GP_ONLINE_DATA_DIR: d });
  assert.equal(c.totpKey.length, 32);
  assert.equal(readFileSync(join(d, 'totp-key'), 'utf8').trim(), c.totpKey.toString('hex'));
  assert.deepEqual(loadConfig({ GP_ONLINE_DATA_DIR: d }).totpKey, c.totpKey, 'the same key next time');
  const hex = 'ab'.repeat(32);
  assert.equal(
    loadConfig({ GP_ONLINE_DATA_DIR: dir(), TOTP_ENCRYPTION_KEY: hex }).totpKey.toString('hex'),
    hex,
  );
  assert.throws(
    () => loadConfig({ GP_ONLINE_DATA_DIR: dir(), TOTP_ENCRYPTION_KEY: 'short' }),
    /TOTP_ENCRYPTION_KEY/,
  );
  assert.throws(
    () =>
      loadConfig({
        GP_ONLINE_DATA_DIR: dir(),
        NODE_ENV: 'production',
        SESSION_SECRET: 'x'.repeat(40),
      }),
    /TOTP_ENCRYPTION_KEY must be set/,
  );
});

test('HAZ-12 link poisoning: links in emails use GP_ONLINE_PUBLIC_URL, required in production', () => {
  assert.equal(loadConfig({ GP_ONLINE_DATA_DIR: dir(), PORT: '8080' }).publicUrl, 'http://127.0.0.1:8080');
  assert.equal(
    loadConfig({ GP_ONLINE_DATA_DIR: dir(), GP_ONLINE_PUBLIC_URL: 'https://gp.example.nhs.uk/' }).publicUrl,
    'https://gp.example.nhs.uk',
  );
  assert.throws(
    () => loadConfig({ GP_ONLINE_DATA_DIR: dir(), GP_ONLINE_PUBLIC_URL: 'ftp://x' }),
    /GP_ONLINE_PUBLIC_URL/,
  );
  assert.throws(
    () =>
      loadConfig({
        GP_ONLINE_DATA_DIR: dir(),
        NODE_ENV: 'production',
        SESSION_SECRET: 'x'.repeat(40),
        TOTP_ENCRYPTION_KEY: 'ab'.repeat(32),
      }),
    /GP_ONLINE_PUBLIC_URL must be set/,
  );
});
