// A staff member whose authenticator was reset sets up a new one at their next sign-in, after
// their password: a new secret is made here for each set-up session (nobody else ever sees it,
// and one shown to an earlier session no longer counts) and counts only once they confirm it
// with a code from the new app. Each step is audited, and wrong codes count towards the lock as
// at sign-in (the password is known by now).
import { auditAlone, auditedChange } from '../platform/audit/use-case.ts';
import { newTotpSecret, sealSecret, sha256, type SecretKey } from '../platform/auth/secrets.ts';
import { deleteAllFor } from '../platform/auth/sessions.ts';
import { accountLocked, totpSecretOf } from '../platform/auth/signin.ts';
import { checkOwnCode } from '../platform/auth/own-checks.ts';
import type { Ctx } from '../platform/context.ts';
import { AppError } from '../platform/http/errors.ts';
import * as store from './store.ts';

const ALREADY = 'Your authenticator app is already set up.';
export const CODE_PROBLEM = 'Enter the 6-digit code shown in your authenticator app now';

type SetUpRow = NonNullable<Awaited<ReturnType<typeof store.totpState>>>;

const SIGN_IN_AGAIN = 'Sign in to continue.';

async function stateOf(ctx: Ctx, staffId: string): Promise<SetUpRow> {
  const row = await store.totpState(ctx.db, staffId);
  if (!row) throw new AppError('unauthenticated', SIGN_IN_AGAIN);
  if (row.totp_confirmed_at) throw new AppError('conflict', ALREADY);
  if (row.locked_at)
    throw new AppError('unauthenticated', accountLocked('staff'), { reason: 'account-locked' });
  return row;
}

const whoOf = (staffId: string, row: SetUpRow) => ({ type: 'staff' as const, id: staffId, role: row.role });
const setUpEvent = (staffId: string, row: SetUpRow) => ({
  practiceOds: row.practice_ods,
  subject: `staff:${staffId}`,
});

/** What a set-up session keeps to know the secret it was shown is still the stored one. */
const shownMark = (stored: string) => sha256(stored);

export type SetUpSecret = { secret: string; email: string; shown: string; fresh: boolean };

/**
 * The secret to show this set-up session: the one it was shown before (`shown`, kept in the
 * session) while that is still stored, otherwise a new one, replacing any earlier session's.
 */
export async function beginStaffTotpSetup(
  ctx: Ctx,
  s: { staffId: string; shown: string | undefined; key: SecretKey },
): Promise<SetUpSecret> {
  const row = await stateOf(ctx, s.staffId);
  if (row.totp_secret && s.shown === shownMark(row.totp_secret)) {
    const stored = row.totp_secret;
    const secret = await totpSecretOf(ctx.db, { type: 'staff', id: s.staffId, stored, key: s.key });
    return { secret, email: row.email, shown: s.shown, fresh: false };
  }
  const secret = newTotpSecret();
  const sealed = sealSecret(s.key, secret);
  const made = await auditedChange(
    ctx,
    whoOf(s.staffId, row),
    {
      action: 'auth.totp-set-up-started',
      ...setUpEvent(s.staffId, row),
      details: { replacedUnconfirmed: row.totp_secret !== null },
    },
    (tx) => store.setUnconfirmedTotpSecret(tx, s.staffId, sealed),
  );
  if (!made) throw new AppError('conflict', ALREADY);
  return { secret, email: row.email, shown: shownMark(sealed), fresh: true };
}

/** A set-up step refused: audited; a wrong code that locked the account ends every session. */
async function refuse(
  ctx: Ctx,
  staffId: string,
  row: SetUpRow,
  reason: 'wrong-code' | 'secret-replaced',
): Promise<never> {
  const lockedNow = reason === 'wrong-code' && !!(await store.totpState(ctx.db, staffId))?.locked_at;
  if (lockedNow) await deleteAllFor(ctx.db, 'staff', staffId);
  await auditAlone(ctx, whoOf(staffId, row), {
    action: 'auth.totp-set-up',
    outcome: 'failure',
    ...setUpEvent(staffId, row),
    details: { reason, lockedNow },
  });
  if (lockedNow) throw new AppError('unauthenticated', accountLocked('staff'), { reason: 'account-locked' });
  if (reason === 'wrong-code') throw AppError.invalid([{ field: 'code', message: CODE_PROBLEM }]);
  // Another set-up session (or a reset) replaced the secret this one was shown: sign in again.
  throw new AppError('unauthenticated', SIGN_IN_AGAIN);
}

/** Confirms the new authenticator with a code from it (the code is spent: it cannot sign in again). */
export async function confirmStaffTotpSetup(
  ctx: Ctx,
  c: { staffId: string; shown: string | undefined; code: string; key: SecretKey },
): Promise<void> {
  const now = ctx.clock.now();
  const row = await stateOf(ctx, c.staffId);
  const stored = row.totp_secret;
  if (!stored || c.shown !== shownMark(stored)) return refuse(ctx, c.staffId, row, 'secret-replaced');
  // Checked, spent and counted (a wrong one towards the lock) as any security code is.
  const method = await checkOwnCode(ctx, {
    type: 'staff',
    principalId: c.staffId,
    code: c.code,
    key: c.key,
  }).catch((err: unknown) => {
    // The check may itself refuse a code that locked the account: refuse() says so, and audits.
    if (err instanceof AppError && err.code === 'unauthenticated') return null;
    throw err;
  });
  if (method === null) return refuse(ctx, c.staffId, row, 'wrong-code');
  const confirmed = await auditedChange(
    ctx,
    whoOf(c.staffId, row),
    (ok: boolean) => ({
      action: 'auth.totp-set-up',
      outcome: ok ? 'success' : 'failure',
      ...setUpEvent(c.staffId, row),
      ...(ok ? {} : { details: { reason: 'secret-replaced' } }),
    }),
    (tx) => store.confirmTotp(tx, c.staffId, stored, now),
  );
  // Reset (or set up elsewhere) while this code was checked: start again from signing in.
  if (!confirmed) throw new AppError('unauthenticated', SIGN_IN_AGAIN);
}
