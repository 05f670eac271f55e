// Replacing the authenticator app, patients and staff alike: the signed-in person proves it is
// them with a code from the current app (or, for patients, a recovery code), then sets up the new
// one, which takes effect only when a code from it is entered. Until then the old one still works.
import type { Actor } from '../platform/auth/actor.ts';
import {
  newTotpSecret,
  openSecret,
  sealSecret,
  totpMatchStep,
  type SecretKey,
} from '../platform/auth/secrets.ts';
import { checkOwnCode } from '../platform/auth/own-checks.ts';
import { audit, auditAlone } from '../platform/audit/use-case.ts';
import type { Ctx } from '../platform/context.ts';
import type { PrincipalType } from '../platform/db/schema.ts';
import { AppError } from '../platform/http/errors.ts';
import { notifyAccount, selfOf } from './account-service.ts';
import * as store from './self-service-store.ts';

export const WRONG_CODE = 'The security code is not right. Enter the code your authenticator app shows now';
export const NEW_CODE_WRONG = 'Enter the 6-digit code your new authenticator app shows now';
/** How long a new authenticator waits for its first code, in the session that started it. */
export const PENDING_TOTP_MINUTES = 10;

const pendingFor = (ctx: Ctx, type: PrincipalType, id: string, sessionId: string) =>
  store.pendingTotp(ctx.db, {
    type,
    id,
    sessionId,
    since: new Date(ctx.clock.now().getTime() - PENDING_TOTP_MINUTES * 60_000),
  });

/**
 * Starts a replacement after a code from the current app or a recovery code; `recovered`: this
 * session signed in with a recovery code a moment ago, which already proved it.
 */
export async function beginReplaceAuthenticator(
  ctx: Ctx,
  actor: Actor | null,
  p: { code: string; recovered: boolean; key: SecretKey; sessionId: string },
): Promise<void> {
  const { me, type, account } = await selfOf(ctx, actor);
  let verifiedBy: string = 'recovery-code-at-sign-in';
  if (!p.recovered) {
    if (!p.code)
      throw AppError.invalid([
        {
          field: 'code',
          message:
            type === 'patient'
              ? 'Enter the code from your authenticator app or one of your recovery codes'
              : 'Enter the code from your authenticator app',
        },
      ]);
    const method = await checkOwnCode(ctx, { type, principalId: account.id, code: p.code, key: p.key });
    if (!method) {
      await auditAlone(ctx, me, {
        action: 'account.authenticator-replace-started',
        outcome: 'failure',
        details: { reason: 'wrong-code' },
      });
      throw AppError.invalid([{ field: 'code', message: WRONG_CODE }]);
    }
    verifiedBy = method;
  }
  const sealed = sealSecret(p.key, newTotpSecret());
  await ctx.db.transaction().execute(async (tx) => {
    await store.setPendingTotp(tx, {
      type,
      id: account.id,
      sealed,
      sessionId: p.sessionId,
      now: ctx.clock.now(),
    });
    await audit(tx, ctx, me, { action: 'account.authenticator-replace-started', details: { verifiedBy } });
  });
}

/** The new authenticator waiting for its first code, with the address the app shows beside it. */
export async function pendingAuthenticator(
  ctx: Ctx,
  actor: Actor | null,
  p: { key: SecretKey; sessionId: string },
): Promise<{ secret: string; email: string } | null> {
  const { type, account } = await selfOf(ctx, actor);
  const sealed = await pendingFor(ctx, type, account.id, p.sessionId);
  return sealed ? { secret: openSecret(p.key, sealed), email: account.email } : null;
}

/** A code from the new app makes it the one: the old app's codes stop working. */
export async function confirmReplaceAuthenticator(
  ctx: Ctx,
  actor: Actor | null,
  p: { code: string; key: SecretKey; sessionId: string },
): Promise<void> {
  const { me, type, account } = await selfOf(ctx, actor);
  const now = ctx.clock.now();
  const sealed = await pendingFor(ctx, type, account.id, p.sessionId);
  if (!sealed)
    throw new AppError('conflict', 'Start again: set up your new authenticator app from your account page.');
  const step = totpMatchStep(openSecret(p.key, sealed), p.code, now);
  if (step === null) {
    await auditAlone(ctx, me, {
      action: 'account.authenticator-replace',
      outcome: 'failure',
      details: { reason: 'wrong-code' },
    });
    throw AppError.invalid([{ field: 'code', message: NEW_CODE_WRONG }]);
  }
  await ctx.db.transaction().execute(async (tx) => {
    if (!(await store.activatePendingTotp(tx, { type, id: account.id, sealed, step, now })))
      throw new AppError(
        'conflict',
        'Start again: set up your new authenticator app from your account page.',
      );
    await notifyAccount(tx, { account, kind: 'account-authenticator-changed' }, now);
    await audit(tx, ctx, me, { action: 'account.authenticator-replace' });
  });
}
