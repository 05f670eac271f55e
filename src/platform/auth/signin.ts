// Sign-in checks shared by staff and patients, pages and API: password, then a TOTP or recovery
// code, with lockout and an audit row for every attempt. Errors never say which part was wrong.
import type { Db } from '../db/index.ts';
import type { PrincipalType } from '../db/schema.ts';
import { recordAudit, recordAuditAlone, type RequestMeta } from '../audit/audit.ts';
import { AppError } from '../http/errors.ts';
import type { Actor } from './actor.ts';
import { afterFailure, afterSuccess, isLocked, LOCK_MINUTES, MAX_FAILURES } from './lockout.ts';
import { checkTotp, dummyPasswordHash, normaliseCode, sha256, verifyPassword } from './secrets.ts';

export const SIGN_IN_FAILED = `The email address, password or security code is not right. After ${MAX_FAILURES} wrong tries in a row the account is locked for ${LOCK_MINUTES} minutes.`;

type Principal = {
  id: string;
  email: string;
  password_hash: string;
  totp_secret: string | null;
  totp_confirmed: boolean;
  failed_attempts: number;
  locked_until: Date | null;
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
      .select([
        'id',
        'email',
        'password_hash',
        'totp_secret',
        'failed_attempts',
        'locked_until',
        'practice_ods',
        'role',
      ])
      .where('active', '=', true);
    q =
      'email' in by
        ? q.where((eb) => eb(eb.fn('lower', ['email']), '=', by.email.trim().toLowerCase()))
        : q.where('id', '=', by.id);
    const r = await q.executeTakeFirst();
    return r && { ...r, totp_confirmed: true };
  }
  let q = db
    .selectFrom('online_accounts')
    .select([
      'id',
      'email',
      'password_hash',
      'totp_secret',
      'totp_confirmed_at',
      'failed_attempts',
      'locked_until',
      'practice_ods',
    ])
    .where('disabled_at', 'is', null);
  q =
    'email' in by
      ? q.where((eb) => eb(eb.fn('lower', ['email']), '=', by.email.trim().toLowerCase()))
      : q.where('id', '=', by.id);
  const r = await q.executeTakeFirst();
  return r && { ...r, totp_confirmed: r.totp_confirmed_at !== null, role: 'patient' };
}

async function saveLock(
  db: Db,
  type: PrincipalType,
  id: string,
  state: { failedAttempts: number; lockedUntil: Date | null },
): Promise<void> {
  const values = { failed_attempts: state.failedAttempts, locked_until: state.lockedUntil };
  if (type === 'staff') await db.updateTable('staff_users').set(values).where('id', '=', id).execute();
  else await db.updateTable('online_accounts').set(values).where('id', '=', id).execute();
}

async function fail(
  db: Db,
  type: PrincipalType,
  p: Principal | undefined,
  step: string,
  now: Date,
  meta: RequestMeta,
  emailTried: string,
): Promise<never> {
  let locked = false;
  if (p) {
    const next = afterFailure({ failedAttempts: p.failed_attempts, lockedUntil: p.locked_until }, now);
    locked = isLocked(next, now);
    await saveLock(db, type, p.id, next);
  }
  await recordAuditAlone(
    db,
    {
      actor: p ? { type, id: p.id, role: p.role } : { type: 'anonymous', id: null, role: null },
      action: 'auth.sign-in',
      outcome: 'failure',
      practiceOds: p?.practice_ods ?? null,
      // The address typed is kept only as a hash: it may be someone else's.
      details: {
        step,
        principal: type,
        ...(p ? { lockedNow: locked } : { unknownEmailHash: sha256(emailTried.trim().toLowerCase()) }),
      },
      request: meta,
    },
    now,
  );
  throw new AppError('unauthenticated', SIGN_IN_FAILED, { reason: 'sign-in-failed' });
}

export type PasswordOk = { principalId: string; needsTotpSetup: boolean };

export async function checkPasswordStep(
  db: Db,
  type: PrincipalType,
  email: string,
  password: string,
  now: Date,
  meta: RequestMeta,
): Promise<PasswordOk> {
  const p = await findPrincipal(db, type, { email });
  const ok = await verifyPassword(p?.password_hash ?? (await dummyPasswordHash()), password);
  if (!p || !ok || isLocked({ failedAttempts: p.failed_attempts, lockedUntil: p.locked_until }, now)) {
    return fail(db, type, p, 'password', now, meta, email);
  }
  return { principalId: p.id, needsTotpSetup: !p.totp_secret || !p.totp_confirmed };
}

/** Checks a TOTP code, or for patients an unused recovery code (which is then spent). */
export async function checkCodeStep(
  db: Db,
  type: PrincipalType,
  principalId: string,
  code: string,
  now: Date,
  meta: RequestMeta,
): Promise<void> {
  const p = await findPrincipal(db, type, { id: principalId });
  if (
    !p ||
    isLocked({ failedAttempts: p.failed_attempts, lockedUntil: p.locked_until }, now) ||
    !p.totp_secret ||
    !p.totp_confirmed
  ) {
    return fail(db, type, p, 'code', now, meta, '');
  }
  let method = 'totp';
  if (!checkTotp(p.totp_secret, code, now)) {
    const spent = type === 'patient' && (await spendRecoveryCode(db, p.id, code, now));
    if (!spent) return fail(db, type, p, 'code', now, meta, '');
    method = 'recovery-code';
  }
  await db.transaction().execute(async (tx) => {
    const values = { failed_attempts: afterSuccess().failedAttempts, locked_until: null };
    if (type === 'staff') await tx.updateTable('staff_users').set(values).where('id', '=', p.id).execute();
    else await tx.updateTable('online_accounts').set(values).where('id', '=', p.id).execute();
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
