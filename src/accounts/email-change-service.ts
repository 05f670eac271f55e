// Changing the email address of an account, patients and staff alike: the new address gets a
// link (works once, for EMAIL_CHANGE_MINUTES, only the newest), and the address changes only when
// it is followed; the old address is told. An address that already has an account gets a notice
// instead of a link, and the page says the same either way, so nobody learns whose it is.
import { randomToken, sha256 } from '../platform/auth/secrets.ts';
import { audit } from '../platform/audit/use-case.ts';
import type { Actor } from '../platform/auth/actor.ts';
import type { Ctx } from '../platform/context.ts';
import { sqlState } from '../platform/db/index.ts';
import type { PrincipalType } from '../platform/db/schema.ts';
import { AppError, type FieldError } from '../platform/http/errors.ts';
import { EMAIL_CHANGE_MINUTES, linkExpiry, newEmailProblem } from './account-rules.ts';
import { notifyAccount, ownPasswordProblem, selfOf } from './account-service.ts';
import * as store from './self-service-store.ts';

export const EMAIL_LINK_DEAD = `This link has already been used, a newer one has been sent, or it is more than ${String(EMAIL_CHANGE_MINUTES)} minutes old. Sign in and change your email address again.`;

/** What was sent, for the demo page only. */
export type EmailChangeSent = { kind: 'account-email-change' | 'account-email-in-use'; link: string };

export async function requestEmailChange(
  ctx: Ctx,
  actor: Actor | null,
  p: { email: string; password: string; publicUrl: string },
): Promise<EmailChangeSent> {
  const { me, type, account } = await selfOf(ctx, actor);
  const email = p.email.trim();
  const problems: FieldError[] = [];
  const problem = newEmailProblem(account.email, email);
  if (problem) problems.push({ field: 'email', message: problem });
  const wrong = await ownPasswordProblem(ctx, me, {
    type,
    account,
    password: p.password,
    field: 'password',
    action: 'account.email-change-requested',
  });
  if (wrong) problems.push(wrong);
  if (problems.length) throw AppError.invalid(problems);
  const now = ctx.clock.now();
  const token = randomToken();
  const owner = { principal_type: type, principal_id: account.id };
  return ctx.db.transaction().execute(async (tx) => {
    await store.lockAccountRow(tx, type, account.id);
    // Any earlier change of address waiting for its link ends, whichever way this one goes.
    await store.endLinks(tx, 'email_changes', owner, now);
    if (await store.emailTaken(tx, type, email, account.id)) {
      // The owner of that address hears of it; the page says what it says for any address.
      const link = `${p.publicUrl}/${type}/sign-in`;
      await notifyAccount(
        tx,
        { account, kind: 'account-email-in-use', email, stranger: true, personalisation: { link } },
        now,
      );
      await audit(tx, ctx, me, {
        action: 'account.email-change-requested',
        outcome: 'failure',
        details: { reason: 'email-has-account', noticeSent: true },
      });
      return { kind: 'account-email-in-use' as const, link };
    }
    await store.saveEmailChange(tx, {
      ...owner,
      token_hash: sha256(token),
      new_email: email,
      created_at: now,
      expires_at: linkExpiry(now, EMAIL_CHANGE_MINUTES),
    });
    const link = `${p.publicUrl}/${type}/account/email/confirm?token=${token}`;
    await notifyAccount(
      tx,
      {
        account,
        kind: 'account-email-change',
        email,
        personalisation: { link, minutes: String(EMAIL_CHANGE_MINUTES) },
      },
      now,
    );
    await audit(tx, ctx, me, { action: 'account.email-change-requested', details: { linkSent: true } });
    return { kind: 'account-email-change' as const, link };
  });
}

export async function emailChangeIsLive(ctx: Ctx, type: PrincipalType, token: string): Promise<boolean> {
  const live = token ? await store.liveEmailChange(ctx.db, sha256(token), ctx.clock.now()) : undefined;
  return live?.principal_type === type;
}

/** Not a form error: the link's page says it does not work. */
const dead = () => new AppError('conflict', EMAIL_LINK_DEAD, { reason: 'email-link-dead' });

/**
 * Spends the link: the account's address becomes the new one, and the old address is told. If
 * the new address has gained an account since the link was sent, the link does not complete.
 */
export async function confirmEmailChange(ctx: Ctx, type: PrincipalType, token: string): Promise<void> {
  const now = ctx.clock.now();
  const tokenHash = sha256(token);
  const live = token ? await store.liveEmailChange(ctx.db, tokenHash, now) : undefined;
  if (live?.principal_type !== type) throw dead();
  const account = await store.liveAccount(ctx.db, type, { id: live.principal_id });
  if (!account) throw dead();
  const who = { type, id: account.id, role: account.role };
  try {
    await ctx.db.transaction().execute(async (tx) => {
      const spent = await store.spendEmailChange(tx, tokenHash, now);
      if (!spent) throw dead();
      if (await store.emailTaken(tx, type, spent.new_email, account.id)) throw dead();
      await store.setEmail(tx, { type, id: account.id, email: spent.new_email });
      await store.endLinks(tx, 'email_changes', live, now);
      // Reset links went to the old address: they stop working with it.
      await store.endLinks(tx, 'password_resets', live, now);
      await notifyAccount(tx, { account, kind: 'account-email-changed' }, now);
      await audit(tx, ctx, who, {
        action: 'account.email-change',
        practiceOds: account.practice_ods,
        subject: `account:${account.id}`,
        details: { principal: type },
      });
    });
  } catch (err) {
    // The same new address confirmed for two accounts at once: the unique index lets one win.
    if (sqlState(err) === '23505') throw dead();
    throw err;
  }
}
