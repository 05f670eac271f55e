// Forgotten passwords, for patients and staff: a link by email (through the outbox) that works
// once, for RESET_MINUTES, and only the newest one. Asking never says whether the address has an
// account. Following the link sets a new password and ends every session and API token; the
// person then signs in with it and their security code as usual, and a locked account stays
// locked (a reset never gets round the second factor).
import type { AuditActor } from '../platform/audit/audit.ts';
import { hashPassword, randomToken, sha256 } from '../platform/auth/secrets.ts';
import { deleteAllFor } from '../platform/auth/sessions.ts';
import { clearPasswordFailures } from '../platform/auth/signin.ts';
import { audit, auditAlone } from '../platform/audit/use-case.ts';
import type { Ctx } from '../platform/context.ts';
import type { PrincipalType } from '../platform/db/schema.ts';
import { AppError } from '../platform/http/errors.ts';
import { linkExpiry, RESET_LINKS_PER_HOUR, RESET_MINUTES } from './account-rules.ts';
import { assertGoodNewPassword, notifyAccount } from './account-service.ts';
import { isEmail } from './rules.ts';
import { voidPendingAccountChanges } from './pending-changes.ts';
import * as store from './self-service-store.ts';
import type { SelfAccount } from './self-service-store.ts';

export const RESET_LINK_DEAD = `This link has already been used, a newer one has been sent, or it is more than ${String(RESET_MINUTES)} minutes old. Ask for a new link.`;

/** What was sent, for the demo page only: the page itself is the same whether or not it was. */
export type ResetSent = { link: string } | null;

const holder = (type: PrincipalType, a: SelfAccount): AuditActor => ({ type, id: a.id, role: a.role });

/**
 * Sends a reset link if the address has a live account, and does the same work either way (a
 * token made and hashed, one transaction with an audit row), so neither the page nor its timing
 * says which it was.
 */
export async function requestPasswordReset(
  ctx: Ctx,
  p: { type: PrincipalType; email: string; publicUrl: string },
): Promise<ResetSent> {
  const email = p.email.trim();
  if (!email) throw AppError.invalid([{ field: 'email', message: 'Enter your email address' }]);
  if (!isEmail(email))
    throw AppError.invalid([
      { field: 'email', message: 'Enter an email address in the correct format, like name@example.com' },
    ]);
  const now = ctx.clock.now();
  const token = randomToken();
  const tokenHash = sha256(token);
  const link = `${p.publicUrl}/${p.type}/reset-password?token=${token}`;
  return ctx.db.transaction().execute(async (tx) => {
    const account = await store.liveAccount(tx, p.type, { email });
    if (!account) {
      // The address typed is kept only as a hash: it may be someone else's.
      await audit(tx, ctx, null, {
        action: 'account.password-reset-requested',
        details: { principal: p.type, unknownEmailHash: sha256(email.toLowerCase()) },
      });
      return null;
    }
    if (p.type === 'staff' && !account.totp_set_up) {
      // After an administrator reset their authenticator, the password and the mailbox alone
      // would take the account: no link until the new one is set up (the page says the same).
      await audit(tx, ctx, holder(p.type, account), {
        action: 'account.password-reset-requested',
        outcome: 'failure',
        practiceOds: account.practice_ods,
        subject: `account:${account.id}`,
        details: { principal: p.type, reason: 'authenticator-not-set-up' },
      });
      return null;
    }
    await store.lockAccountRow(tx, p.type, account.id);
    const owner = { principal_type: p.type, principal_id: account.id };
    if ((await store.resetsSince(tx, owner, new Date(now.getTime() - 3_600_000))) >= RESET_LINKS_PER_HOUR) {
      // Many network addresses asking for one account would flood its inbox: quietly no more.
      await audit(tx, ctx, holder(p.type, account), {
        action: 'account.password-reset-requested',
        outcome: 'failure',
        practiceOds: account.practice_ods,
        subject: `account:${account.id}`,
        details: { principal: p.type, reason: 'too-many-links' },
      });
      return null;
    }
    await store.endLinks(tx, 'password_resets', owner, now);
    await store.saveReset(tx, {
      ...owner,
      token_hash: tokenHash,
      created_at: now,
      expires_at: linkExpiry(now, RESET_MINUTES),
    });
    await notifyAccount(
      tx,
      { account, kind: 'account-password-reset', personalisation: { link, minutes: String(RESET_MINUTES) } },
      now,
    );
    await audit(tx, ctx, holder(p.type, account), {
      action: 'account.password-reset-requested',
      practiceOds: account.practice_ods,
      subject: `account:${account.id}`,
      details: { principal: p.type },
    });
    return { link };
  });
}

/** Whether a reset link works now (the page before the form that spends it). */
export async function resetIsLive(ctx: Ctx, type: PrincipalType, token: string): Promise<boolean> {
  const live = token ? await store.liveReset(ctx.db, sha256(token), ctx.clock.now()) : undefined;
  return live?.principal_type === type;
}

/** Not a form error: the link's page says it does not work, with a way to ask again. */
const dead = () => new AppError('conflict', RESET_LINK_DEAD, { reason: 'reset-link-dead' });

/**
 * Spends the link and sets the new password; every session and API token of the account ends,
 * and wrong passwords counted for the address are forgotten. The account's lock (wrong security
 * codes), if any, is left as it is.
 */
export async function completePasswordReset(
  ctx: Ctx,
  p: { type: PrincipalType; token: string; password: string; confirm: string },
): Promise<{ sessionsEnded: number }> {
  const now = ctx.clock.now();
  const tokenHash = sha256(p.token);
  const live = p.token ? await store.liveReset(ctx.db, tokenHash, now) : undefined;
  const account =
    live?.principal_type === p.type
      ? await store.liveAccount(ctx.db, p.type, { id: live.principal_id })
      : undefined;
  if (!account) {
    // A dead or made-up link: by nobody, the token kept only as a hash.
    await auditAlone(ctx, null, {
      action: 'account.password-reset',
      outcome: 'failure',
      details: { principal: p.type, reason: 'link-dead', tokenHash },
    });
    throw dead();
  }
  await assertGoodNewPassword({ password: p.password, confirm: p.confirm, email: account.email });
  const passwordHash = await hashPassword(p.password);
  return ctx.db.transaction().execute(async (tx) => {
    // Spent in one statement: a second use of the link, even at the same moment, finds it gone.
    if (!(await store.spendReset(tx, tokenHash, now))) throw dead();
    await store.setPassword(tx, { type: p.type, id: account.id, passwordHash, now });
    // Whatever someone with the old password started (a change of address, a new authenticator) ends.
    await voidPendingAccountChanges(tx, p.type, account.id, now);
    const sessionsEnded = await deleteAllFor(tx, p.type, account.id);
    await clearPasswordFailures(tx, p.type, account.email);
    await notifyAccount(tx, { account, kind: 'account-password-changed' }, now);
    await audit(tx, ctx, holder(p.type, account), {
      action: 'account.password-reset',
      practiceOds: account.practice_ods,
      subject: `account:${account.id}`,
      details: { principal: p.type, sessionsEnded },
    });
    return { sessionsEnded };
  });
}
