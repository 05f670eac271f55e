// Passwords (argon2id), TOTP second factor, and random tokens stored only as hashes.
import { createCipheriv, createDecipheriv, createHash, randomBytes, randomInt } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';
import * as OTPAuth from 'otpauth';

// OWASP's argon2id minimum: m=19 MiB, t=2, p=1. The library's default algorithm is argon2id.
const ARGON2 = { memoryCost: 19_456, timeCost: 2, parallelism: 1 };

export function hashPassword(password: string): Promise<string> {
  return hash(password, ARGON2);
}

export async function verifyPassword(stored: string, password: string): Promise<boolean> {
  try {
    return await verify(stored, password);
  } catch {
    return false;
  }
}

/** A hash to verify against when the account does not exist, so timing does not reveal it. */
let dummyHash: Promise<string> | null = null;
export function dummyPasswordHash(): Promise<string> {
  dummyHash ??= hashPassword(randomBytes(16).toString('hex'));
  return dummyHash;
}

export function newTotpSecret(): string {
  return new OTPAuth.Secret({ size: 20 }).base32;
}

function totp(secret: string, label = 'GP Online'): OTPAuth.TOTP {
  return new OTPAuth.TOTP({
    issuer: 'GP Online',
    label,
    secret: OTPAuth.Secret.fromBase32(secret),
    digits: 6,
    period: 30,
  });
}

const PERIOD_MS = 30_000;

/** The 30-second time step a moment falls in. */
export function totpStep(now: Date): number {
  return Math.floor(now.getTime() / PERIOD_MS);
}

/**
 * Checks a code against the current step and one step either side (clock drift), and returns
 * the step it belongs to, or null. The caller makes it single use: a step at or before the last
 * accepted one is refused (see signin.ts).
 */
export function totpMatchStep(secret: string, code: string, now: Date): number | null {
  const token = code.replace(/\s+/g, '');
  if (!/^\d{6}$/.test(token)) return null;
  const delta = totp(secret).validate({ token, timestamp: now.getTime(), window: 1 });
  return delta === null ? null : totpStep(now) + delta;
}

/** Accepts the current code and one step either side (clock drift). */
export function checkTotp(secret: string, code: string, now: Date): boolean {
  return totpMatchStep(secret, code, now) !== null;
}

export function totpCode(secret: string, now: Date): string {
  return totp(secret).generate({ timestamp: now.getTime() });
}

export function totpUri(secret: string, label: string): string {
  return totp(secret, label).toString();
}

export function isBase32Secret(secret: string): boolean {
  return /^[A-Z2-7]{16,}=*$/.test(secret);
}

export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

export function sha256(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

const CODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789'; // no 0/O or 1/I: codes are typed from paper

export function randomCode(length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += CODE_ALPHABET.charAt(randomInt(CODE_ALPHABET.length));
  return out;
}

/** Normalises a code typed by a person: case, spaces and dashes do not matter. */
export function normaliseCode(code: string): string {
  return code.toUpperCase().replace(/[\s-]+/g, '');
}

// --- TOTP secrets at rest: AES-256-GCM with the key from configuration ------------------------

/** Stored secrets start with this; a value without it is a legacy plaintext secret. */
const SEALED_PREFIX = 'v1:';

export type SecretKey = Buffer;

/** The 32-byte key from its configured form (64 hex characters or 43 base64url characters). */
export function parseSecretKey(raw: string): SecretKey | null {
  const key = /^[0-9a-f]{64}$/i.test(raw) ? Buffer.from(raw, 'hex') : Buffer.from(raw, 'base64url');
  return key.length === 32 ? key : null;
}

/** Encrypts a TOTP secret for the database: v1:<iv>.<tag>.<ciphertext>, base64url. */
export function sealSecret(key: SecretKey, plain: string): string {
  const iv = randomBytes(12);
  const c = createCipheriv('aes-256-gcm', key, iv);
  const body = Buffer.concat([c.update(plain, 'utf8'), c.final()]);
  return `${SEALED_PREFIX}${iv.toString('base64url')}.${c.getAuthTag().toString('base64url')}.${body.toString('base64url')}`;
}

export function isSealed(stored: string): boolean {
  return stored.startsWith(SEALED_PREFIX);
}

/**
 * The plain secret from its stored form. A legacy plaintext secret (from before encryption) is
 * returned as it is; callers re-seal it (start-up does all of them: encryptLegacyTotpSecrets).
 * A sealed value that does not open with this key (the wrong key, or tampered) throws.
 */
export function openSecret(key: SecretKey, stored: string): string {
  if (!isSealed(stored)) return stored;
  const [iv, tag, body] = stored.slice(SEALED_PREFIX.length).split('.');
  if (iv === undefined || tag === undefined || body === undefined)
    throw new Error('stored TOTP secret is malformed');
  const d = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
  d.setAuthTag(Buffer.from(tag, 'base64url'));
  return Buffer.concat([d.update(Buffer.from(body, 'base64url')), d.final()]).toString('utf8');
}
