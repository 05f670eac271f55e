// Environment → typed, validated configuration. The only file that reads process.env.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export type Config = {
  port: number;
  host: string;
  /**
   * Where people reach the site (GP_ONLINE_PUBLIC_URL), for links in emails. Never taken from a
   * request's Host header, which a stranger could set to their own site. Required in production.
   */
  publicUrl: string;
  dataDir: string;
  databaseUrl: string | null;
  sessionSecret: string;
  /** AES-256-GCM key for TOTP secrets at rest (TOTP_ENCRYPTION_KEY, else a file in the data folder). */
  totpKey: Buffer;
  demo: boolean;
  /** Cookies get `Secure` when the site is served over TLS (directly or behind a proxy). */
  secureCookies: boolean;
  trustProxy: boolean;
  logLevel: string;
  ci: boolean;
  /** GOV.UK Notify, when NOTIFY_API_KEY and its template ids are set; otherwise messages go to the log. */
  notify: NotifyConfig | null;
  /** How often the notifications outbox is worked (GP_ONLINE_OUTBOX_SECONDS, default 15). */
  outboxIntervalMs: number;
  /** How often housekeeping and the daily jobs are looked at (GP_ONLINE_HOUSEKEEPING_SECONDS, default 600). */
  housekeepingIntervalMs: number;
};

export type NotifyConfig = {
  apiKey: string;
  templates: {
    'appointment-booked': string;
    'appointment-cancelled': string;
    'appointment-reminder': string;
    /** Account messages: the sign-up link and "you already have an account". */
    'account-confirm-email': string;
    'account-exists': string;
    /** Account self-service: the reset and change-of-address links, and notices of changes. */
    'account-password-reset': string;
    'account-password-changed': string;
    'account-email-change': string;
    'account-email-changed': string;
    'account-email-in-use': string;
    'account-authenticator-changed': string;
    'account-recovery-codes-new': string;
    /** Repeat prescriptions: an item approved, rejected (with the reason) or issued. */
    'prescription-approved': string;
    'prescription-rejected': string;
    'prescription-issued': string;
  };
};

export class ConfigError extends Error {}

type Env = Record<string, string | undefined>;

function parsePort(raw: string | undefined): number {
  if (raw === undefined || raw === '') return 3000;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0 || n > 65535) {
    throw new ConfigError(`PORT must be a whole number from 0 to 65535, not "${raw}"`);
  }
  return n;
}

function parseBool(name: string, raw: string | undefined, fallback: boolean): boolean {
  if (raw === undefined || raw === '') return fallback;
  if (/^(1|true|yes|on)$/i.test(raw)) return true;
  if (/^(0|false|no|off)$/i.test(raw)) return false;
  throw new ConfigError(`${name} must be true or false, not "${raw}"`);
}

function parseSeconds(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined || raw === '') return fallback * 1000;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < 0.1 || n > 86_400)
    throw new ConfigError(`${name} must be a number of seconds from 0.1 to 86400, not "${raw}"`);
  return Math.round(n * 1000);
}

function parseDatabaseUrl(raw: string | undefined): string | null {
  if (raw === undefined || raw === '') return null;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError('DATABASE_URL is not a valid URL (expected postgres://user@host:port/database)');
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    throw new ConfigError(`DATABASE_URL must start with postgres:// or postgresql://, not ${url.protocol}//`);
  }
  return raw;
}

/** The session secret comes from SESSION_SECRET, else from a file kept in the data folder. */
function sessionSecret(raw: string | undefined, dataDir: string, production: boolean): string {
  if (raw !== undefined && raw !== '') {
    if (raw.length < 32) throw new ConfigError('SESSION_SECRET must be at least 32 characters long');
    return raw;
  }
  if (production) throw new ConfigError('SESSION_SECRET must be set when NODE_ENV=production');
  const file = join(dataDir, 'session-secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(32).toString('base64url');
  writeFileSync(file, secret + '\n', { mode: 0o600 });
  return secret;
}

/**
 * The key that encrypts TOTP secrets in the database: TOTP_ENCRYPTION_KEY (32 bytes as 64 hex
 * characters or 43 base64url characters), else a file kept in the data folder like the session
 * secret. Required in production. Lose it and every authenticator has to be set up again.
 */
function totpKey(raw: string | undefined, dataDir: string, production: boolean): Buffer {
  const parse = (v: string): Buffer | null => {
    const key = /^[0-9a-f]{64}$/i.test(v) ? Buffer.from(v, 'hex') : Buffer.from(v, 'base64url');
    return key.length === 32 ? key : null;
  };
  if (raw !== undefined && raw !== '') {
    const key = parse(raw.trim());
    if (!key)
      throw new ConfigError(
        'TOTP_ENCRYPTION_KEY must be 32 random bytes: 64 hex characters (openssl rand -hex 32) or 43 base64url characters',
      );
    return key;
  }
  if (production) throw new ConfigError('TOTP_ENCRYPTION_KEY must be set when NODE_ENV=production');
  const file = join(dataDir, 'totp-key');
  if (existsSync(file)) {
    const key = parse(readFileSync(file, 'utf8').trim());
    if (!key) throw new ConfigError(`${file} does not hold a valid TOTP encryption key`);
    return key;
  }
  mkdirSync(dataDir, { recursive: true });
  const key = randomBytes(32);
  try {
    writeFileSync(file, key.toString('hex') + '\n', { mode: 0o600, flag: 'wx' });
  } catch (err) {
    // Another process made the key first: use that one.
    if ((err as { code?: string }).code !== 'EEXIST') throw err;
    const made = parse(readFileSync(file, 'utf8').trim());
    if (!made) throw new ConfigError(`${file} does not hold a valid TOTP encryption key`);
    return made;
  }
  return key;
}

const NOTIFY_TEMPLATE_VARS = {
  'appointment-booked': 'NOTIFY_TEMPLATE_APPOINTMENT_BOOKED',
  'appointment-cancelled': 'NOTIFY_TEMPLATE_APPOINTMENT_CANCELLED',
  'appointment-reminder': 'NOTIFY_TEMPLATE_APPOINTMENT_REMINDER',
  // Without these, no sign-up link would ever reach anyone.
  'account-confirm-email': 'NOTIFY_TEMPLATE_ACCOUNT_CONFIRM_EMAIL',
  'account-exists': 'NOTIFY_TEMPLATE_ACCOUNT_EXISTS',
  // Without these, nobody could reset a forgotten password or confirm a new address.
  'account-password-reset': 'NOTIFY_TEMPLATE_ACCOUNT_PASSWORD_RESET',
  'account-password-changed': 'NOTIFY_TEMPLATE_ACCOUNT_PASSWORD_CHANGED',
  'account-email-change': 'NOTIFY_TEMPLATE_ACCOUNT_EMAIL_CHANGE',
  'account-email-changed': 'NOTIFY_TEMPLATE_ACCOUNT_EMAIL_CHANGED',
  'account-email-in-use': 'NOTIFY_TEMPLATE_ACCOUNT_EMAIL_IN_USE',
  'account-authenticator-changed': 'NOTIFY_TEMPLATE_ACCOUNT_AUTHENTICATOR_CHANGED',
  'account-recovery-codes-new': 'NOTIFY_TEMPLATE_ACCOUNT_RECOVERY_CODES_NEW',
  // Without these, a patient would not hear what became of a repeat they ordered.
  'prescription-approved': 'NOTIFY_TEMPLATE_PRESCRIPTION_APPROVED',
  'prescription-rejected': 'NOTIFY_TEMPLATE_PRESCRIPTION_REJECTED',
  'prescription-issued': 'NOTIFY_TEMPLATE_PRESCRIPTION_ISSUED',
} as const;

function parseNotify(env: Env): NotifyConfig | null {
  const apiKey = env.NOTIFY_API_KEY;
  if (!apiKey) return null;
  const templates = {} as NotifyConfig['templates'];
  for (const [kind, name] of Object.entries(NOTIFY_TEMPLATE_VARS) as [
    keyof NotifyConfig['templates'],
    string,
  ][]) {
    const id = env[name];
    if (!id || !/^[0-9a-f-]{36}$/i.test(id))
      throw new ConfigError(`${name} must be a GOV.UK Notify template id when NOTIFY_API_KEY is set`);
    templates[kind] = id;
  }
  return { apiKey, templates };
}

function parsePublicUrl(raw: string | undefined, fallback: string, production: boolean): string {
  if (raw === undefined || raw === '') {
    if (production) throw new ConfigError('GP_ONLINE_PUBLIC_URL must be set when NODE_ENV=production');
    return fallback;
  }
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError('GP_ONLINE_PUBLIC_URL is not a valid URL (expected https://host)');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw new ConfigError('GP_ONLINE_PUBLIC_URL must start with https:// or http://');
  return url.origin;
}

export function loadConfig(env: Env = process.env, overrides: Partial<Config> = {}): Config {
  const dataDir = resolve(overrides.dataDir ?? (env.GP_ONLINE_DATA_DIR || './data'));
  const production = env.NODE_ENV === 'production';
  const port = overrides.port ?? parsePort(env.PORT);
  const host = overrides.host ?? (env.HOST || '127.0.0.1');
  return {
    port,
    host,
    dataDir,
    databaseUrl:
      overrides.databaseUrl !== undefined ? overrides.databaseUrl : parseDatabaseUrl(env.DATABASE_URL),
    sessionSecret: overrides.sessionSecret ?? sessionSecret(env.SESSION_SECRET, dataDir, production),
    totpKey: overrides.totpKey ?? totpKey(env.TOTP_ENCRYPTION_KEY, dataDir, production),
    demo: overrides.demo ?? parseBool('GP_ONLINE_DEMO', env.GP_ONLINE_DEMO, false),
    secureCookies:
      overrides.secureCookies ??
      parseBool('GP_ONLINE_SECURE_COOKIES', env.GP_ONLINE_SECURE_COOKIES, production),
    trustProxy: overrides.trustProxy ?? parseBool('GP_ONLINE_TRUST_PROXY', env.GP_ONLINE_TRUST_PROXY, false),
    logLevel: overrides.logLevel ?? (env.LOG_LEVEL || 'info'),
    ci: parseBool('CI', env.CI, false),
    notify: overrides.notify !== undefined ? overrides.notify : parseNotify(env),
    outboxIntervalMs:
      overrides.outboxIntervalMs ??
      parseSeconds('GP_ONLINE_OUTBOX_SECONDS', env.GP_ONLINE_OUTBOX_SECONDS, 15),
    housekeepingIntervalMs:
      overrides.housekeepingIntervalMs ??
      parseSeconds('GP_ONLINE_HOUSEKEEPING_SECONDS', env.GP_ONLINE_HOUSEKEEPING_SECONDS, 600),
    publicUrl:
      overrides.publicUrl ??
      parsePublicUrl(
        env.GP_ONLINE_PUBLIC_URL,
        `http://${host === '0.0.0.0' ? 'localhost' : host}:${String(port)}`,
        production,
      ),
  };
}
