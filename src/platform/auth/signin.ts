// Sign-in checks shared by staff and patients, pages and API: password, then a TOTP or recovery
// code, with throttling, lockout and an audit row for every attempt. Errors never say which part
// was wrong. The rules (how long to wait, when to lock) are in lockout.ts; the SQL in signin-store.ts.
import type { PrincipalType } from '../db/schema.ts';
import type { Db, Tx } from '../db/index.ts';
import type { RequestMeta } from '../audit/audit.ts';
import { auditAlone, auditedChange } from '../audit/use-case.ts';
import type { Ctx } from '../context.ts';
import { AppError } from '../http/errors.ts';
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
import { deleteAllFor } from './sessions.ts';
import * as store from './signin-store.ts';
import type { Principal } from './signin-store.ts';

export { findPrincipal, loadActor, takeTotpStep, unlockPrincipal } from './signin-store.ts';
export type { Principal } from './signin-store.ts';

/** Who unlocks an account locked by wrong codes: patients' practices; for staff, their manager or an administrator. */
const UNLOCKER: Record<PrincipalType, string> = {
  patient: 'your GP practice',
  staff: 'your practice manager or an administrator',
};

export function signInFailed(type: PrincipalType): string {
  return `The email address, password or security code is not right. After ${MAX_CODE_FAILURES} wrong security codes in a row the account is locked until ${UNLOCKER[type]} unlocks it.`;
}
export const TRY_LATER =
  'There have been too many wrong tries. Wait a minute and try again. If this keeps happening, contact your GP practice.';
export function accountLocked(type: PrincipalType): string {
  return `This account is locked because the security code was wrong too many times. Contact ${UNLOCKER[type]} to unlock it.`;
}

// --- Counting wrong passwords, per email address (known or not alike) and per network address --

const emailKey = (type: PrincipalType, email: string) =>
  `signin:password:${type}:${sha256(email.trim().toLowerCase())}`;
/** The same email address from one network address: the back-off a stranger elsewhere cannot cause. */
const emailAtKey = (type: PrincipalType, email: string, ip: string | null) =>
  `${emailKey(type, email)}:${ip ?? '-'}`;
const ipKey = (ip: string) => `signin:ip:${ip}`;

async function throttledNow(db: Db, type: PrincipalType, email: string, meta: RequestMeta | null, now: Date) {
  const ip = meta?.ip ?? null;
  if (ip) {
    const count = await store.readCount(db, ipKey(ip));
    if (count && ipThrottled(count.hits, count.resetAt, now)) return 'ip';
  }
  const here = await store.readCount(db, emailAtKey(type, email, ip));
  if (here && passwordThrottled(here.hits, here.resetAt, now)) return 'email';
  const anywhere = await store.readCount(db, emailKey(type, email));
  if (anywhere && passwordThrottled(anywhere.hits, anywhere.resetAt, now, FREE_PASSWORD_FAILURES_ANYWHERE))
    return 'email';
  return null;
}

/** A refused attempt: by the principal when the address is known, else by nobody with the address hashed. */
async function auditFailure(
  ctx: Ctx,
  attempt: { type: PrincipalType; principal: Principal | undefined; emailTried: string },
  details: Record<string, unknown>,
): Promise<void> {
  const { type, principal: p } = attempt;
  await auditAlone(ctx, p ? { type, id: p.id, role: p.role } : null, {
    action: 'auth.sign-in',
    outcome: 'failure',
    practiceOds: p?.practice_ods ?? null,
    // The address typed is kept only as a hash: it may be someone else's.
    details: {
      principal: type,
      ...details,
      ...(p ? {} : { unknownEmailHash: sha256(attempt.emailTried.trim().toLowerCase()) }),
    },
  });
}

export type PasswordTry = { type: PrincipalType; email: string; password: string };
export type PasswordOk = { principalId: string; needsTotpSetup: boolean; needsEmailConfirmation: boolean };

export async function checkPasswordStep(ctx: Ctx, t: PasswordTry): Promise<PasswordOk> {
  const { db } = ctx;
  const { type, email } = t;
  const now = ctx.clock.now();
  const ip = ctx.meta?.ip ?? null;
  const throttled = await throttledNow(db, type, email, ctx.meta, now);
  const p = await store.findPrincipal(db, type, { email });
  const attempt = { type, principal: p, emailTried: email };
  if (throttled) {
    await auditFailure(ctx, attempt, { step: 'password', throttled });
    throw new AppError('rate-limited', TRY_LATER, { reason: 'sign-in-throttled' });
  }
  const ok = await verifyPassword(p?.password_hash ?? (await dummyPasswordHash()), t.password);
  if (!p || !ok) {
    const window = { windowMs: PASSWORD_FAILURE_WINDOW_MS, slide: true, now };
    await store.countFailure(db, { key: emailAtKey(type, email, ip), ...window });
    await store.countFailure(db, { key: emailKey(type, email), ...window });
    if (ip) await store.countFailure(db, { key: ipKey(ip), windowMs: IP_WINDOW_MS, slide: false, now });
    await auditFailure(ctx, attempt, { step: 'password' });
    throw new AppError('unauthenticated', signInFailed(type), { reason: 'sign-in-failed' });
  }
  // The right password clears the count for this address (not for the network address).
  await store.clearCounts(db, [emailKey(type, email), emailAtKey(type, email, ip)]);
  if (p.locked_at) {
    // Only someone who knows the password learns that the account is locked.
    await auditFailure(ctx, attempt, { step: 'password', locked: true });
    throw new AppError('unauthenticated', accountLocked(type), { reason: 'account-locked' });
  }
  return {
    principalId: p.id,
    needsTotpSetup: !p.totp_secret || !p.totp_confirmed,
    needsEmailConfirmation: !p.email_confirmed,
  };
}

/**
 * Counts a wrong code in one statement, locking at the limit; the lock ends every session and API
 * token of the account in the same transaction, so a session that was guessing cannot carry on.
 * Whether this failure locked it.
 */
export async function countCodeFailure(
  ctx: Ctx,
  type: PrincipalType,
  p: Principal,
  onLock?: (tx: Tx) => Promise<void>,
): Promise<boolean> {
  return ctx.db.transaction().execute(async (tx) => {
    const now = ctx.clock.now();
    const row = await store.addCodeFailure(tx, { type, id: p.id, lockAt: MAX_CODE_FAILURES, now });
    const lockedNow = !!row && lockedByCodes(row.code_failed_attempts) && p.locked_at === null;
    if (lockedNow) {
      await deleteAllFor(tx, type, p.id);
      await onLock?.(tx);
    }
    return lockedNow;
  });
}

/** A wrong code after the right password: counted in one statement, locking at the limit. */
async function codeFailure(ctx: Ctx, type: PrincipalType, p: Principal | undefined): Promise<never> {
  let lockedNow = false;
  if (p) lockedNow = await countCodeFailure(ctx, type, p);
  await auditFailure(ctx, { type, principal: p, emailTried: '' }, { step: 'code', lockedNow });
  throw new AppError('unauthenticated', lockedNow ? accountLocked(type) : signInFailed(type), {
    reason: lockedNow ? 'account-locked' : 'sign-in-failed',
  });
}

export type StoredSecret = { type: PrincipalType; id: string; stored: string; key: SecretKey };

/** The plain TOTP secret of a principal; a legacy plaintext one is sealed on the way. */
export async function totpSecretOf(db: Db, s: StoredSecret): Promise<string> {
  const plain = openSecret(s.key, s.stored);
  if (!isSealed(s.stored))
    await store.resealTotpSecret(db, {
      type: s.type,
      id: s.id,
      stored: s.stored,
      sealed: sealSecret(s.key, plain),
    });
  return plain;
}

/** Does the key open the sealed TOTP secrets already stored (one of each kind is tried)? */
export async function totpKeyOpensStored(db: Db, key: SecretKey): Promise<boolean> {
  for (const type of ['staff', 'patient'] as const) {
    const sealed = await store.aSealedTotpSecret(db, type);
    if (!sealed) continue;
    try {
      openSecret(key, sealed);
    } catch {
      return false;
    }
  }
  return true;
}

/** Seals every legacy plaintext TOTP secret (run at start-up); returns how many. */
export async function encryptLegacyTotpSecrets(db: Db, key: SecretKey): Promise<number> {
  let n = 0;
  for (const type of ['staff', 'patient'] as const) {
    for (const r of await store.legacyTotpSecrets(db, type)) {
      await totpSecretOf(db, { type, id: r.id, stored: r.totp_secret, key });
      n++;
    }
  }
  return n;
}

export type CodeTry = { type: PrincipalType; principalId: string; code: string; key: SecretKey };

export type CodeMethod = 'totp' | 'recovery-code';

/**
 * Checks a TOTP code, or for patients an unused recovery code (which is then spent), and says
 * which it was: after a recovery code the patient is led to replace their authenticator.
 */
export async function checkCodeStep(ctx: Ctx, t: CodeTry): Promise<CodeMethod> {
  const { db } = ctx;
  const { type } = t;
  const now = ctx.clock.now();
  const p = await store.findPrincipal(db, type, { id: t.principalId });
  if (!p || !p.totp_secret || !p.totp_confirmed) return codeFailure(ctx, type, undefined);
  if (p.locked_at) {
    await auditFailure(ctx, { type, principal: p, emailTried: '' }, { step: 'code', locked: true });
    throw new AppError('unauthenticated', accountLocked(type), { reason: 'account-locked' });
  }
  const secret = await totpSecretOf(db, { type, id: p.id, stored: p.totp_secret, key: t.key });
  let method: CodeMethod = 'totp';
  const step = totpMatchStep(secret, t.code, now);
  if (step !== null) {
    // A code already used (or one older than the last used) is refused like a wrong one.
    if (!(await store.takeTotpStep(db, { type, id: p.id, step }))) return codeFailure(ctx, type, p);
  } else {
    const spent =
      type === 'patient' &&
      (await store.spendRecoveryCode(db, { accountId: p.id, codeHash: sha256(normaliseCode(t.code)), now }));
    if (!spent) return codeFailure(ctx, type, p);
    method = 'recovery-code';
  }
  await auditedChange(
    ctx,
    { type, id: p.id, role: p.role },
    { action: 'auth.sign-in', practiceOds: p.practice_ods, details: { method } },
    (tx) => store.resetCodeFailures(tx, type, p.id),
  );
  return method;
}

/** After a password reset the wrong passwords counted for the address no longer slow it down. */
export async function clearPasswordFailures(db: Db, type: PrincipalType, email: string): Promise<void> {
  await store.clearCountsUnder(db, emailKey(type, email));
}

export type AtOnceTry = {
  email: string;
  password: string;
  otp: string;
  /** When absent, patient accounts are tried first, then staff. */
  userType?: PrincipalType;
  key: SecretKey;
};

/** Both steps in one (the API): who signed in, or an error as from the steps. */
export async function signInAtOnce(
  ctx: Ctx,
  t: AtOnceTry,
): Promise<{ type: PrincipalType; principalId: string }> {
  const types = t.userType ? [t.userType] : (['patient', 'staff'] as const);
  for (const type of types) {
    if (!(await store.emailIsKnown(ctx.db, type, t.email)) && type !== types[types.length - 1]) continue;
    const ok = await checkPasswordStep(ctx, { type, email: t.email, password: t.password }).catch(
      async (err: unknown) => {
        // An address nobody has gets the words a patient would, whichever kind was tried last.
        if (!t.userType && err instanceof AppError && err.reason === 'sign-in-failed')
          if (!(await store.emailIsKnown(ctx.db, type, t.email)))
            throw new AppError('unauthenticated', signInFailed('patient'), { reason: 'sign-in-failed' });
        throw err;
      },
    );
    if (ok.needsTotpSetup)
      throw new AppError(
        'unauthenticated',
        'Set up your authenticator app on the website before using the API.',
        {
          reason: 'totp-not-set-up',
        },
      );
    await checkCodeStep(ctx, { type, principalId: ok.principalId, code: t.otp, key: t.key });
    return { type, principalId: ok.principalId };
  }
  throw new AppError('unauthenticated', signInFailed(t.userType ?? 'patient'));
}
