// A staff member whose authenticator was reset sets up a new one at their next sign-in, after
// their password: a new secret is made here for each set-up session (nobody else ever sees it,
// and one shown to an earlier session no longer counts) and counts only once they confirm it
// with a code from the new app.
import { auditedChange } from '../platform/audit/use-case.ts';
import {
  newTotpSecret,
  sealSecret,
  sha256,
  totpMatchStep,
  type SecretKey,
} from '../platform/auth/secrets.ts';
import { takeTotpStep, totpSecretOf } from '../platform/auth/signin.ts';
import type { Ctx } from '../platform/context.ts';
import { AppError } from '../platform/http/errors.ts';
import * as store from './store.ts';

const ALREADY = 'Your authenticator app is already set up.';
export const CODE_PROBLEM = 'Enter the 6-digit code shown in your authenticator app now';

async function stateOf(ctx: Ctx, staffId: string) {
  const row = await store.totpState(ctx.db, staffId);
  if (!row) throw new AppError('unauthenticated', 'Sign in to continue.');
  if (row.totp_confirmed_at) throw new AppError('conflict', ALREADY);
  return row;
}

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
    const secret = await totpSecretOf(ctx.db, {
      type: 'staff',
      id: s.staffId,
      stored: row.totp_secret,
      key: s.key,
    });
    return { secret, email: row.email, shown: s.shown, fresh: false };
  }
  const secret = newTotpSecret();
  const sealed = sealSecret(s.key, secret);
  if (!(await store.setUnconfirmedTotpSecret(ctx.db, s.staffId, sealed)))
    throw new AppError('conflict', ALREADY);
  return { secret, email: row.email, shown: shownMark(sealed), fresh: true };
}

/** Confirms the new authenticator with a code from it (the code is spent: it cannot sign in again). */
export async function confirmStaffTotpSetup(
  ctx: Ctx,
  c: { staffId: string; shown: string | undefined; code: string; key: SecretKey },
): Promise<void> {
  const now = ctx.clock.now();
  const row = await stateOf(ctx, c.staffId);
  // Another set-up session (or a reset) replaced the secret this one was shown: sign in again.
  if (!row.totp_secret || c.shown !== shownMark(row.totp_secret))
    throw new AppError('unauthenticated', 'Sign in to continue.');
  const secret = row.totp_secret
    ? await totpSecretOf(ctx.db, { type: 'staff', id: c.staffId, stored: row.totp_secret, key: c.key })
    : null;
  const step = secret ? totpMatchStep(secret, c.code, now) : null;
  if (
    step === null ||
    !row.totp_secret ||
    !(await takeTotpStep(ctx.db, { type: 'staff', id: c.staffId, step }))
  )
    throw AppError.invalid([{ field: 'code', message: CODE_PROBLEM }]);
  const stored = row.totp_secret;
  const confirmed = await auditedChange(
    ctx,
    { type: 'staff', id: c.staffId, role: row.role },
    (ok: boolean) => ({
      action: 'auth.totp-set-up',
      outcome: ok ? 'success' : 'failure',
      practiceOds: row.practice_ods,
      subject: `staff:${c.staffId}`,
      ...(ok ? {} : { details: { reason: 'secret-replaced' } }),
    }),
    (tx) => store.confirmTotp(tx, c.staffId, stored, now),
  );
  // Reset (or set up elsewhere) while this code was checked: start again from signing in.
  if (!confirmed) throw new AppError('unauthenticated', 'Sign in to continue.');
}
