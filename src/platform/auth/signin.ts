// Sign-in checks shared by staff and patients, pages and API: password, then a TOTP or recovery
// code, with throttling, lockout and an audit row for every attempt. Errors never say which part
// was wrong. The rules (how long to wait, when to lock) are in lockout.ts.
import { sql } from 'kysely';
import type { Db } from '../db/index.ts';
import type { PrincipalType } from '../db/schema.ts';
import { recordAudit, recordAuditAlone, type RequestMeta } from '../audit/audit.ts';
import { AppError } from '../http/errors.ts';
import type { Actor } from './actor.ts';
import {
  FREE_PASSWORD_FAILURES_ANYWHERE,
  IP_WINDOW_MS,
  ipThrottled,
  lockedByCodes,
  MAX_CODE_FAILURES,
  PASSWORD_FAILURE_WINDOW_MS,
  passwordThrottled,
} from './lockout.ts';
import {
  dummyPasswordHash,
  isSealed,
  normaliseCode,
  openSecret,
  sealSecret,
  sha256,
  totpMatchStep,
  verifyPassword,
  type SecretKey,
} from './secrets.ts';

export const SIGN_IN_FAILED = `The email address, password or security code is not right. After ${MAX_CODE_FAILURES} wrong security codes in a row the account is locked until your GP practice unlocks it.`;
export const TRY_LATER =
  'There have been too many wrong tries. Wait a minute and try again. If this keeps happening, contact your GP practice.';
export const ACCOUNT_LOCKED =
  'This account is locked because the security code was wrong too many times. Contact your GP practice (or for staff, an administrator) to unlock it.';

type Principal = {
  id: string;
  email: string;
  password_hash: string;
  totp_secret: string | null;
  totp_confirmed: boolean;
  email_confirmed: boolean;
  locked_at: Date | null;
  practice_ods: string | null;
  role: string;
};

async function findPrincipal(
  db: Db,
  type: PrincipalType,
  by: { email: string } | { id: string },
): Promise<Principal | undefined> {
  if (type === 'staff') {
    let q = db
      .selectFrom('staff_users')
      .select(['id', 'email', 'password_hash', 'totp_secret', 'locked_at', 'practice_ods', 'role'])
      .where('active', '=', true);
    q =
      'email' in by
        ? q.where((eb) => eb(eb.fn('lower', ['email']), '=', by.email.trim().toLowerCase()))
        : q.where('id', '=', by.id);
    const r = await q.executeTakeFirst();
    return r && { ...r, totp_confirmed: true, email_confirmed: true };
  }
  let q = db
    .selectFrom('online_accounts')
    .select([
      'id',
      'email',
      'password_hash',
      'totp_secret',
      'totp_confirmed_at',
      'email_confirmed_at',
      'locked_at',
      'practice_ods',
    ])
    .where('disabled_at', 'is', null);
  q =
    'email' in by
      ? q.where((eb) => eb(eb.fn('lower', ['email']), '=', by.email.trim().toLowerCase()))
      : q.where('id', '=', by.id);
  const r = await q.executeTakeFirst();
  return (
    r && {
      ...r,
      totp_confirmed: r.totp_confirmed_at !== null,
      email_confirmed: r.email_confirmed_at !== null,
      role: 'patient',
    }
  );
}

const table = (type: PrincipalType) => (type === 'staff' ? 'staff_users' : 'online_accounts');

// --- Counting wrong passwords, per email address (known or not alike) and per network address --

const emailKey = (type: PrincipalType, email: string) =>
  `signin:password:${type}:${sha256(email.trim().toLowerCase())}`;
/** The same email address from one network address: the back-off a stranger elsewhere cannot cause. */
const emailAtKey = (type: PrincipalType, email: string, ip: string | null) =>
  `${emailKey(type, email)}:${ip ?? '-'}`;
const ipKey = (ip: string) => `signin:ip:${ip}`;

async function readCount(db: Db, key: string): Promise<{ hits: number; resetAt: Date } | undefined> {
  const r = await db
    .selectFrom('rate_limits')
    .select(['hits', 'reset_at'])
    .where('key', '=', key)
    .executeTakeFirst();
  return r && { hits: r.hits, resetAt: r.reset_at };
}

/**
 * One more failure for a key, in one statement. `slide`: each failure moves the window's end on
 * (failures in a row); otherwise the window is fixed from the first failure.
 */
async function countFailure(db: Db, key: string, windowMs: number, slide: boolean, now: Date): Promise<void> {
  const reset = new Date(now.getTime() + windowMs);
  await sql`
    insert into rate_limits (key, hits, reset_at) values (${key}, 1, ${reset})
    on conflict (key) do update set
      hits = case when rate_limits.reset_at <= ${now} then 1 else rate_limits.hits + 1 end,
      reset_at = case when rate_limits.reset_at <= ${now} or ${slide} then excluded.reset_at
                      else rate_limits.reset_at end`.execute(db);
}

async function throttledNow(db: Db, type: PrincipalType, email: string, meta: RequestMeta, now: Date) {
  if (meta.ip) {
    const ip = await readCount(db, ipKey(meta.ip));
    if (ip && ipThrottled(ip.hits, ip.resetAt, now)) return 'ip';
  }
  const here = await readCount(db, emailAtKey(type, email, meta.ip));
  if (here && passwordThrottled(here.hits, here.resetAt, now)) return 'email';
  const anywhere = await readCount(db, emailKey(type, email));
  if (anywhere && passwordThrottled(anywhere.hits, anywhere.resetAt, now, FREE_PASSWORD_FAILURES_ANYWHERE))
    return 'email';
  return null;
}

async function audit(
  db: Db,
  type: PrincipalType,
  p: Principal | undefined,
  details: Record<string, unknown>,
  now: Date,
  meta: RequestMeta,
  emailTried: string,
): Promise<void> {
  await recordAuditAlone(
    db,
    {
      actor: p ? { type, id: p.id, role: p.role } : { type: 'anonymous', id: null, role: null },
      action: 'auth.sign-in',
      outcome: 'failure',
      practiceOds: p?.practice_ods ?? null,
      // The address typed is kept only as a hash: it may be someone else's.
      details: {
        principal: type,
        ...details,
        ...(p ? {} : { unknownEmailHash: sha256(emailTried.trim().toLowerCase()) }),
      },
      request: meta,
    },
    now,
  );
}

export type PasswordOk = { principalId: string; needsTotpSetup: boolean; needsEmailConfirmation: boolean };

export async function checkPasswordStep(
  db: Db,
  type: PrincipalType,
  email: string,
  password: string,
  now: Date,
  meta: RequestMeta,
): Promise<PasswordOk> {
  const throttled = await throttledNow(db, type, email, meta, now);
  const p = await findPrincipal(db, type, { email });
  if (throttled) {
    await audit(db, type, p, { step: 'password', throttled }, now, meta, email);
    throw new AppError('rate-limited', TRY_LATER, { reason: 'sign-in-throttled' });
  }
  const ok = await verifyPassword(p?.password_hash ?? (await dummyPasswordHash()), password);
  if (!p || !ok) {
    await countFailure(db, emailAtKey(type, email, meta.ip), PASSWORD_FAILURE_WINDOW_MS, true, now);
    await countFailure(db, emailKey(type, email), PASSWORD_FAILURE_WINDOW_MS, true, now);
    if (meta.ip) await countFailure(db, ipKey(meta.ip), IP_WINDOW_MS, false, now);
    await audit(db, type, p, { step: 'password' }, now, meta, email);
    throw new AppError('unauthenticated', SIGN_IN_FAILED, { reason: 'sign-in-failed' });
  }
  // The right password clears the count for this address (not for the network address).
  await db
    .deleteFrom('rate_limits')
    .where('key', 'in', [emailKey(type, email), emailAtKey(type, email, meta.ip)])
    .execute();
  if (p.locked_at) {
    // Only someone who knows the password learns that the account is locked.
    await audit(db, type, p, { step: 'password', locked: true }, now, meta, email);
    throw new AppError('unauthenticated', ACCOUNT_LOCKED, { reason: 'account-locked' });
  }
  return {
    principalId: p.id,
    needsTotpSetup: !p.totp_secret || !p.totp_confirmed,
    needsEmailConfirmation: !p.email_confirmed,
  };
}

/** A wrong code after the right password: counted in one statement, locking at the limit. */
async function codeFailure(
  db: Db,
  type: PrincipalType,
  p: Principal | undefined,
  now: Date,
  meta: RequestMeta,
): Promise<never> {
  let lockedNow = false;
  if (p) {
    const r = await sql<{ code_failed_attempts: number; locked_at: Date | null }>`
      update ${sql.table(table(type))}
      set code_failed_attempts = code_failed_attempts + 1,
          locked_at = case when locked_at is null and code_failed_attempts + 1 >= ${MAX_CODE_FAILURES}
                           then ${now} else locked_at end
      where id = ${p.id}
      returning code_failed_attempts, locked_at`.execute(db);
    const row = r.rows[0];
    lockedNow = !!row && lockedByCodes(row.code_failed_attempts) && p.locked_at === null;
  }
  await audit(db, type, p, { step: 'code', lockedNow }, now, meta, '');
  throw new AppError('unauthenticated', lockedNow ? ACCOUNT_LOCKED : SIGN_IN_FAILED, {
    reason: lockedNow ? 'account-locked' : 'sign-in-failed',
  });
}

/**
 * Takes a TOTP time step for the account if it is later than the last one taken: a code works
 * once, even when two requests race with it (one conditional UPDATE).
 */
export async function takeTotpStep(db: Db, type: PrincipalType, id: string, step: number): Promise<boolean> {
  const r = await sql`
    update ${sql.table(table(type))} set totp_last_step = ${step}
    where id = ${id} and (totp_last_step is null or totp_last_step < ${step})`.execute(db);
  return (r.numAffectedRows ?? 0n) > 0n;
}

/** The plain TOTP secret of a principal; a legacy plaintext one is sealed on the way. */
export async function totpSecretOf(
  db: Db,
  type: PrincipalType,
  id: string,
  stored: string,
  key: SecretKey,
): Promise<string> {
  const plain = openSecret(key, stored);
  if (!isSealed(stored)) {
    await sql`update ${sql.table(table(type))} set totp_secret = ${sealSecret(key, plain)}
      where id = ${id} and totp_secret = ${stored}`.execute(db);
  }
  return plain;
}

/** Seals every legacy plaintext TOTP secret (run at start-up); returns how many. */
/** Does the key open the sealed TOTP secrets already stored (one of each kind is tried)? */
export async function totpKeyOpensStored(db: Db, key: SecretKey): Promise<boolean> {
  for (const type of ['staff', 'patient'] as const) {
    const row = await db
      .selectFrom(table(type))
      .select('totp_secret')
      .where('totp_secret', 'like', 'v1:%')
      .limit(1)
      .executeTakeFirst();
    if (!row?.totp_secret) continue;
    try {
      openSecret(key, row.totp_secret);
    } catch {
      return false;
    }
  }
  return true;
}

export async function encryptLegacyTotpSecrets(db: Db, key: SecretKey): Promise<number> {
  let n = 0;
  for (const type of ['staff', 'patient'] as const) {
    const rows = await db
      .selectFrom(table(type))
      .select(['id', 'totp_secret'])
      .where('totp_secret', 'is not', null)
      .where('totp_secret', 'not like', 'v1:%')
      .execute();
    for (const r of rows) {
      if (r.totp_secret === null) continue;
      await totpSecretOf(db, type, r.id, r.totp_secret, key);
      n++;
    }
  }
  return n;
}

/** Checks a TOTP code, or for patients an unused recovery code (which is then spent). */
export async function checkCodeStep(
  db: Db,
  type: PrincipalType,
  principalId: string,
  code: string,
  now: Date,
  meta: RequestMeta,
  key: SecretKey,
): Promise<void> {
  const p = await findPrincipal(db, type, { id: principalId });
  if (!p || !p.totp_secret || !p.totp_confirmed) return codeFailure(db, type, undefined, now, meta);
  if (p.locked_at) {
    await audit(db, type, p, { step: 'code', locked: true }, now, meta, '');
    throw new AppError('unauthenticated', ACCOUNT_LOCKED, { reason: 'account-locked' });
  }
  const secret = await totpSecretOf(db, type, p.id, p.totp_secret, key);
  let method = 'totp';
  const step = totpMatchStep(secret, code, now);
  if (step !== null) {
    // A code already used (or one older than the last used) is refused like a wrong one.
    if (!(await takeTotpStep(db, type, p.id, step))) return codeFailure(db, type, p, now, meta);
  } else {
    const spent = type === 'patient' && (await spendRecoveryCode(db, p.id, code, now));
    if (!spent) return codeFailure(db, type, p, now, meta);
    method = 'recovery-code';
  }
  await db.transaction().execute(async (tx) => {
    await tx.updateTable(table(type)).set({ code_failed_attempts: 0 }).where('id', '=', p.id).execute();
    await recordAudit(
      tx,
      {
        actor: { type, id: p.id, role: p.role },
        action: 'auth.sign-in',
        outcome: 'success',
        practiceOds: p.practice_ods,
        details: { method },
        request: meta,
      },
      now,
    );
  });
}

/** Unlocks an account locked by wrong security codes (the caller checks who may, and audits). */
export async function unlockPrincipal(db: Db, type: PrincipalType, id: string): Promise<boolean> {
  const r = await db
    .updateTable(table(type))
    .set({ locked_at: null, code_failed_attempts: 0 })
    .where('id', '=', id)
    .where('locked_at', 'is not', null)
    .executeTakeFirst();
  return r.numUpdatedRows > 0n;
}

async function spendRecoveryCode(db: Db, accountId: string, code: string, now: Date): Promise<boolean> {
  const r = await db
    .updateTable('recovery_codes')
    .set({ used_at: now })
    .where('account_id', '=', accountId)
    .where('code_hash', '=', sha256(normaliseCode(code)))
    .where('used_at', 'is', null)
    .executeTakeFirst();
  return r.numUpdatedRows > 0n;
}

/** The full actor for a signed-in principal, or null if the account is gone or disabled. */
export async function loadActor(db: Db, type: PrincipalType, id: string): Promise<Actor | null> {
  if (type === 'staff') {
    const s = await db
      .selectFrom('staff_users')
      .select(['id', 'email', 'name', 'role', 'practice_ods', 'commissioner_code'])
      .where('id', '=', id)
      .where('active', '=', true)
      .executeTakeFirst();
    return s
      ? {
          kind: 'staff',
          staffId: s.id,
          email: s.email,
          name: s.name,
          role: s.role,
          practiceOds: s.practice_ods,
          commissionerCode: s.commissioner_code,
        }
      : null;
  }
  const a = await db
    .selectFrom('online_accounts')
    .select(['id', 'email', 'patient_id', 'practice_ods', 'proofing_level'])
    .where('id', '=', id)
    .where('disabled_at', 'is', null)
    .executeTakeFirst();
  return a
    ? {
        kind: 'patient',
        accountId: a.id,
        email: a.email,
        patientId: a.patient_id,
        practiceOds: a.practice_ods,
        proofingLevel: a.proofing_level,
      }
    : null;
}
