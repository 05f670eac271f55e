// A staff member whose authenticator was reset sets up a new one at their next sign-in, after
// their password: a new secret is made here (nobody else ever sees it) and counts only once they
// confirm it with a code from the new app.
import { auditedChange } from '../platform/audit/use-case.ts';
import { newTotpSecret, sealSecret, totpMatchStep, type SecretKey } from '../platform/auth/secrets.ts';
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

/** The new secret to show the person (made once, kept sealed until confirmed or reset again). */
export async function beginStaffTotpSetup(
  ctx: Ctx,
  staffId: string,
  key: SecretKey,
): Promise<{ secret: string; email: string }> {
  const row = await stateOf(ctx, staffId);
  if (!row.totp_secret) {
    await store.setUnconfirmedTotpSecret(ctx.db, staffId, sealSecret(key, newTotpSecret()));
    return beginStaffTotpSetup(ctx, staffId, key);
  }
  const secret = await totpSecretOf(ctx.db, { type: 'staff', id: staffId, stored: row.totp_secret, key });
  return { secret, email: row.email };
}

/** Confirms the new authenticator with a code from it (the code is spent: it cannot sign in again). */
export async function confirmStaffTotpSetup(
  ctx: Ctx,
  c: { staffId: string; code: string; key: SecretKey },
): Promise<void> {
  const now = ctx.clock.now();
  const row = await stateOf(ctx, c.staffId);
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
