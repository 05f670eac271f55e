// A signed-in person's own account, patients and staff alike: what the account page shows,
// changing the password, new recovery codes, and signing out of other devices.
// Each: who is asking → check → transaction → store → audit → result.
import type { Actor } from '../platform/auth/actor.ts';
import { assertPatient } from '../platform/auth/permissions.ts';
import { weakPasswordProblem } from '../platform/auth/password-strength.ts';
import { checkOwnCode, checkOwnPassword } from '../platform/auth/own-checks.ts';
import { hashPassword, randomCode, sha256, type SecretKey } from '../platform/auth/secrets.ts';
import { deleteAllExcept, liveSessionCount, type Session } from '../platform/auth/sessions.ts';
import { audit, auditAlone } from '../platform/audit/use-case.ts';
import type { Ctx } from '../platform/context.ts';
import type { NotificationKind, PrincipalType } from '../platform/db/schema.ts';
import type { Tx } from '../platform/db/index.ts';
import { AppError, type FieldError } from '../platform/http/errors.ts';
import { enqueue } from '../notifications/index.ts';
import { newPasswordProblems, type AccountOverview } from './account-rules.ts';
import * as accounts from './account-store.ts';
import { voidPendingAccountChanges } from './pending-changes.ts';
import * as store from './self-service-store.ts';
import type { SelfAccount } from './self-service-store.ts';

export const RECOVERY_CODE_COUNT = 10;
export const WRONG_PASSWORD = 'Your current password is not right';
export const WRONG_AUTHENTICATOR_CODE =
  'The security code is not right. Enter the code your authenticator app shows now';

/** The signed-in person as a principal, and their live account. */
export async function selfOf(
  ctx: Ctx,
  actor: Actor | null,
): Promise<{ me: Actor; type: PrincipalType; account: SelfAccount }> {
  if (!actor) throw new AppError('unauthenticated', 'Sign in to continue.');
  const type = actor.kind;
  const id = actor.kind === 'patient' ? actor.accountId : actor.staffId;
  const account = await store.liveAccount(ctx.db, type, { id });
  if (!account) throw new AppError('unauthenticated', 'Sign in to continue.');
  return { me: actor, type, account };
}

/**
 * A message about the account, in the change's own transaction: to its own address, or to
 * `email` (a new address; or `stranger`: someone else's, so the message names no patient).
 */
export async function notifyAccount(
  tx: Tx,
  m: {
    account: SelfAccount;
    kind: NotificationKind;
    email?: string;
    stranger?: boolean;
    personalisation?: Record<string, string>;
  },
  now: Date,
): Promise<void> {
  await enqueue(
    tx,
    {
      practiceOds: m.stranger ? null : m.account.practice_ods,
      patientId: m.stranger ? null : m.account.patient_id,
      kind: m.kind,
      email: m.email ?? m.account.email,
      personalisation: m.personalisation ?? {},
      reference: m.stranger ? 'account:email-in-use' : `account:${m.account.id}`,
    },
    now,
  );
}

/**
 * Whether the password typed is the account's own, counted per account (too many wrong ones and
 * the next try must wait); a wrong or throttled one is audited. The problem, or null.
 */
export async function ownPasswordProblem(
  ctx: Ctx,
  actor: Actor,
  p: { type: PrincipalType; account: SelfAccount; password: string; field: string; action: string },
): Promise<FieldError | null> {
  if (!p.password) return { field: p.field, message: 'Enter your current password' };
  const refused = (reason: string) =>
    auditAlone(ctx, actor, { action: p.action, outcome: 'failure', details: { reason } });
  let ok: boolean;
  try {
    ok = await checkOwnPassword(ctx, {
      type: p.type,
      id: p.account.id,
      passwordHash: p.account.password_hash,
      password: p.password,
    });
  } catch (err) {
    if (err instanceof AppError && err.reason === 'own-password-throttled') await refused('throttled');
    throw err;
  }
  if (ok) return null;
  await refused('wrong-password');
  return { field: p.field, message: WRONG_PASSWORD };
}

/** The password typed is the account's own, or the form says what is wrong. */
async function assertOwnPassword(
  ctx: Ctx,
  actor: Actor,
  p: { type: PrincipalType; account: SelfAccount; password: string; field: string; action: string },
): Promise<void> {
  const problem = await ownPasswordProblem(ctx, actor, p);
  if (problem) throw AppError.invalid([problem]);
}

/** A new password's problems: the rules, then how guessable it is; throws them on the form. */
export async function assertGoodNewPassword(p: { password: string; confirm: string; email: string }) {
  const problems = newPasswordProblems(p);
  if (!problems.length) {
    const weak = await weakPasswordProblem(p.password, [p.email]);
    if (weak) problems.push({ field: 'password', message: weak });
  }
  if (problems.length) throw AppError.invalid(problems);
}

export async function accountOverview(ctx: Ctx, actor: Actor | null): Promise<AccountOverview> {
  const { type, account } = await selfOf(ctx, actor);
  const now = ctx.clock.now();
  return {
    who: type,
    email: account.email,
    passwordChangedAt: account.password_changed_at,
    authenticatorSetUp: account.totp_set_up,
    recoveryCodesLeft: type === 'patient' ? await store.unusedRecoveryCodes(ctx.db, account.id) : null,
    sessions: await liveSessionCount(ctx.db, type, account.id, now),
  };
}

export type PasswordChange = { current: string; password: string; confirm: string };

/** Changes the password; every other session and API token of the account ends, this one stays. */
export async function changePassword(
  ctx: Ctx,
  actor: Actor | null,
  p: { session: Session; change: PasswordChange },
): Promise<{ otherSessionsEnded: number }> {
  const { me: who, type, account } = await selfOf(ctx, actor);
  const { change } = p;
  await assertOwnPassword(ctx, who, {
    type,
    account,
    password: change.current,
    field: 'current',
    action: 'account.password-change',
  });
  await assertGoodNewPassword({ password: change.password, confirm: change.confirm, email: account.email });
  const passwordHash = await hashPassword(change.password);
  const now = ctx.clock.now();
  return ctx.db.transaction().execute(async (tx) => {
    await store.setPassword(tx, { type, id: account.id, passwordHash, now });
    // A reset link, a change of address or a new authenticator started before the change would
    // undo it: they stop working.
    await voidPendingAccountChanges(tx, type, account.id, now);
    const otherSessionsEnded = await deleteAllExcept(tx, p.session);
    await notifyAccount(tx, { account, kind: 'account-password-changed' }, now);
    await audit(tx, ctx, who, { action: 'account.password-change', details: { otherSessionsEnded } });
    return { otherSessionsEnded };
  });
}

/** Sign out of other devices: every other session and API token ends; this one stays. */
export async function signOutOtherDevices(
  ctx: Ctx,
  actor: Actor | null,
  session: Session,
): Promise<{ sessionsEnded: number }> {
  const { type, account } = await selfOf(ctx, actor);
  return ctx.db.transaction().execute(async (tx) => {
    const sessionsEnded = await deleteAllExcept(tx, session);
    // Whoever else was signed in may have started something: it ends with them.
    await voidPendingAccountChanges(tx, type, account.id, ctx.clock.now());
    await audit(tx, ctx, actor, {
      action: 'auth.sign-out-other-devices',
      subject: `account:${account.id}`,
      details: { sessionsEnded },
    });
    return { sessionsEnded };
  });
}

/**
 * A fresh set of recovery codes for a patient (the old ones stop working), after their current
 * password and a code from their authenticator app (not a recovery code: those are what is being
 * replaced); a wrong code counts towards the lock. Shown once on the response, only their hashes
 * kept, and the patient is told by email.
 */
export async function newRecoveryCodes(
  ctx: Ctx,
  actor: Actor | null,
  p: { password: string; code: string; key: SecretKey },
): Promise<string[]> {
  const me = assertPatient(actor);
  const { type, account } = await selfOf(ctx, me);
  const action = 'account.recovery-codes-new';
  const problems: FieldError[] = [];
  const wrong = await ownPasswordProblem(ctx, me, {
    type,
    account,
    password: p.password,
    field: 'password',
    action,
  });
  if (wrong) problems.push(wrong);
  if (!p.code) problems.push({ field: 'code', message: 'Enter the code from your authenticator app' });
  else if (!wrong) {
    const ok = await checkOwnCode(
      ctx,
      { type, principalId: account.id, code: p.code, key: p.key },
      { recoveryCodes: false },
    );
    if (!ok) {
      await auditAlone(ctx, me, { action, outcome: 'failure', details: { reason: 'wrong-code' } });
      problems.push({ field: 'code', message: WRONG_AUTHENTICATOR_CODE });
    }
  }
  if (problems.length) throw AppError.invalid(problems);
  const codes = Array.from({ length: RECOVERY_CODE_COUNT }, () => randomCode(10));
  const now = ctx.clock.now();
  await ctx.db.transaction().execute(async (tx) => {
    await accounts.replaceRecoveryCodes(tx, account.id, codes.map(sha256));
    await notifyAccount(tx, { account, kind: 'account-recovery-codes-new' }, now);
    await audit(tx, ctx, me, { action, details: { codes: codes.length } });
  });
  return codes;
}
