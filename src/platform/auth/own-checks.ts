// A signed-in person proving it is still them before a change to their own account: their
// current password, or their security code. Both are counted per account, whatever the form's
// fields say, so a stolen session cannot guess: wrong passwords slow the account down as at
// sign-in, and wrong codes count towards the lock, which ends every session of the account.
import type { PrincipalType } from '../db/schema.ts';
import { audit } from '../audit/use-case.ts';
import type { Ctx } from '../context.ts';
import { AppError } from '../http/errors.ts';
import { PASSWORD_FAILURE_WINDOW_MS, passwordThrottled } from './lockout.ts';
import { normaliseCode, sha256, totpMatchStep, verifyPassword } from './secrets.ts';
import {
  accountLocked,
  countCodeFailure,
  findPrincipal,
  totpSecretOf,
  type CodeMethod,
  type CodeTry,
} from './signin.ts';
import * as store from './signin-store.ts';

export const OWN_PASSWORD_THROTTLED =
  'You have entered your current password wrongly too many times. Wait a minute and try again.';

const ownPasswordKey = (type: PrincipalType, id: string) => `account:password:${type}:${id}`;

/**
 * Whether the password typed is the account's own. Wrong ones are counted for the account; past
 * a few, the next try has to wait (a rate-limited error, whatever the password).
 */
export async function checkOwnPassword(
  ctx: Ctx,
  p: { type: PrincipalType; id: string; passwordHash: string; password: string },
): Promise<boolean> {
  const now = ctx.clock.now();
  const key = ownPasswordKey(p.type, p.id);
  const count = await store.readCount(ctx.db, key);
  if (count && passwordThrottled(count.hits, count.resetAt, now))
    throw new AppError('rate-limited', OWN_PASSWORD_THROTTLED, { reason: 'own-password-throttled' });
  if (p.password && (await verifyPassword(p.passwordHash, p.password))) {
    await store.clearCounts(ctx.db, [key]);
    return true;
  }
  if (p.password)
    await store.countFailure(ctx.db, { key, windowMs: PASSWORD_FAILURE_WINDOW_MS, slide: true, now });
  return false;
}

/**
 * The security code (or, for patients and unless told not to, a recovery code, which is spent)
 * of the signed-in person.
 * Null when it is wrong. A locked account is told so, and the wrong code that locks it ends every
 * session of the account (this one too), audited.
 */
export async function checkOwnCode(
  ctx: Ctx,
  t: CodeTry,
  opts: { recoveryCodes?: boolean } = {},
): Promise<CodeMethod | null> {
  const { db } = ctx;
  const now = ctx.clock.now();
  const p = await findPrincipal(db, t.type, { id: t.principalId });
  if (!p?.totp_secret) return null;
  const who = { type: t.type, id: p.id, role: p.role };
  if (p.locked_at) throw new AppError('unauthenticated', accountLocked(t.type), { reason: 'account-locked' });
  const secret = await totpSecretOf(db, { type: t.type, id: p.id, stored: p.totp_secret, key: t.key });
  const step = totpMatchStep(secret, t.code, now);
  if (step !== null && (await store.takeTotpStep(db, { type: t.type, id: p.id, step }))) {
    await store.resetCodeFailures(db, t.type, p.id);
    return 'totp';
  }
  if (
    step === null &&
    t.type === 'patient' &&
    opts.recoveryCodes !== false &&
    (await store.spendRecoveryCode(db, { accountId: p.id, codeHash: sha256(normaliseCode(t.code)), now }))
  )
    return 'recovery-code';
  const lockedNow = await countCodeFailure(ctx, t.type, p, (tx) =>
    audit(tx, ctx, who, {
      action: 'auth.account-locked',
      outcome: 'failure',
      practiceOds: p.practice_ods,
      subject: `account:${p.id}`,
      details: { principal: t.type, step: 'own-code', lockedNow: true, sessionsEnded: true },
    }),
  );
  if (lockedNow) {
    throw new AppError('unauthenticated', accountLocked(t.type), { reason: 'account-locked' });
  }
  return null;
}
