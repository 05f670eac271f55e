// Sign-up, for people without an account yet: the account waits for its address to be
// confirmed by the link sent to it. Each: transaction → rules + store → audit row → result.
import { randomUUID } from 'node:crypto';
import { hashPassword, randomToken, sha256 } from '../platform/auth/secrets.ts';
import { weakPasswordProblem } from '../platform/auth/password-strength.ts';
import { audit } from '../platform/audit/use-case.ts';
import type { Ctx } from '../platform/context.ts';
import type { Tx } from '../platform/db/index.ts';
import { AppError } from '../platform/http/errors.ts';
import { enqueue } from '../notifications/index.ts';
import { accountHolder, isEmail, passwordProblem } from './rules.ts';
import * as accounts from './account-store.ts';
import { sqlState } from '../platform/db/index.ts';

/** How long the link sent at sign-up works. */
export const CONFIRM_HOURS = 24;

/** What sign-up sent, for the demo panel only: the page itself is the same whichever it was. */
export type SignUpSent = { kind: 'account-confirm-email' | 'account-exists'; link: string };

/**
 * Sign-up never says whether an address already has an account: a new address gets an account
 * waiting for its confirmation link, an address with a confirmed account gets a notice saying
 * someone tried (with a link to sign in), and the page is the same "check your email" for both.
 * A second sign-up for an address not yet confirmed replaces the password and sends a new link,
 * so someone who signs up with another person's address first cannot keep it: only the owner of
 * the mailbox can go on. Both paths hash the password, so they take the same time.
 */
export async function signUp(
  ctx: Ctx,
  input: { email: string; password: string; confirm: string },
  publicUrl: string,
): Promise<SignUpSent> {
  const errors: { field: string; message: string }[] = [];
  const email = input.email.trim();
  if (!isEmail(email))
    errors.push({
      field: 'email',
      message: 'Enter an email address in the correct format, like name@example.com',
    });
  const problem =
    passwordProblem(input.password, email) ?? (await weakPasswordProblem(input.password, [email]));
  if (problem) errors.push({ field: 'password', message: problem });
  else if (input.password !== input.confirm)
    errors.push({ field: 'confirm', message: 'The passwords do not match' });
  if (errors.length) throw AppError.invalid(errors);
  const now = ctx.clock.now();
  const passwordHash = await hashPassword(input.password);
  return ctx.db.transaction().execute(async (tx) => {
    const existing = await accounts.accountByEmail(tx, email);
    if (existing?.email_confirmed_at) {
      const link = `${publicUrl}/patient/sign-in`;
      await enqueue(
        tx,
        {
          practiceOds: existing.practice_ods,
          patientId: existing.patient_id,
          kind: 'account-exists',
          email: existing.email,
          personalisation: { link },
          reference: `account:${existing.id}`,
        },
        now,
      );
      await audit(tx, ctx, null, {
        action: 'account.sign-up',
        outcome: 'failure',
        practiceOds: existing.practice_ods,
        subject: `account:${existing.id}`,
        details: { reason: 'email-has-account', noticeSent: true },
      });
      return { kind: 'account-exists' as const, link };
    }
    const id = existing?.id ?? randomUUID();
    // An address that signed up but never confirmed: the account keeps its password, and the new
    // password comes with the new link, taking effect only if that link is used. Someone who
    // signs up with another person's address cannot change the password they will confirm.
    if (!existing) {
      try {
        await accounts.insertAccount(tx, {
          id,
          email,
          password_hash: passwordHash,
          proofing_level: 'P0',
          email_confirmed_at: null,
        });
      } catch (err) {
        // Two sign-ups for one new address at once: the other one won; this one says the same.
        if (sqlState(err) === '23505') throw new AppError('conflict', 'Something went wrong. Try again.');
        throw err;
      }
    }
    const link = await sendConfirmationLink(
      tx,
      { accountId: id, email, passwordHash: existing ? passwordHash : null, publicUrl },
      now,
    );
    await audit(tx, ctx, accountHolder(id), {
      action: 'account.sign-up',
      details: { confirmation: 'sent', again: Boolean(existing) },
    });
    return { kind: 'account-confirm-email' as const, link };
  });
}

/**
 * A new sign-up link for an account, kept hashed and sent through the outbox. `passwordHash`: the
 * password of a sign-up made again before confirming, set only if this link is used.
 */
async function sendConfirmationLink(
  tx: Tx,
  p: { accountId: string; email: string; passwordHash: string | null; publicUrl: string },
  now: Date,
): Promise<string> {
  const token = randomToken();
  await accounts.saveConfirmation(tx, {
    tokenHash: sha256(token),
    accountId: p.accountId,
    expiresAt: new Date(now.getTime() + CONFIRM_HOURS * 3_600_000),
    passwordHash: p.passwordHash,
  });
  const link = `${p.publicUrl}/patient/sign-up/confirm?token=${token}`;
  await enqueue(
    tx,
    {
      practiceOds: null,
      patientId: null,
      kind: 'account-confirm-email',
      email: p.email,
      personalisation: { link },
      reference: `account:${p.accountId}`,
    },
    now,
  );
  return link;
}

/** Whether a sign-up link is live (the page before the button that spends it). */
export async function confirmationIsLive(ctx: Ctx, token: string): Promise<boolean> {
  return Boolean(await accounts.liveConfirmation(ctx.db, sha256(token), ctx.clock.now()));
}

/** Spends a sign-up link: the address is confirmed and the account goes on to set-up. */
export async function confirmSignUp(ctx: Ctx, token: string): Promise<{ accountId: string }> {
  const now = ctx.clock.now();
  return ctx.db.transaction().execute(async (tx) => {
    const spent = await accounts.spendConfirmation(tx, sha256(token), now);
    if (!spent) throw AppError.invalid([{ field: 'token', message: CONFIRM_LINK_DEAD }], CONFIRM_LINK_DEAD);
    if (spent.password_hash) await accounts.setPasswordHash(tx, spent.account_id, spent.password_hash);
    await accounts.endOtherConfirmations(tx, spent.account_id, now);
    await accounts.confirmEmail(tx, spent.account_id, now);
    await audit(tx, ctx, accountHolder(spent.account_id), { action: 'account.confirm-email' });
    return { accountId: spent.account_id };
  });
}

export const CONFIRM_LINK_DEAD =
  'This link has already been used or is more than 24 hours old. Create your account again to get a new one.';

/** An account that signs in before confirming its address gets a fresh link. */
export async function resendConfirmation(
  ctx: Ctx,
  { accountId, publicUrl }: { accountId: string; publicUrl: string },
): Promise<SignUpSent> {
  const now = ctx.clock.now();
  return ctx.db.transaction().execute(async (tx) => {
    const a = await accounts.accountEmail(tx, accountId);
    if (a.email_confirmed_at) throw new AppError('conflict', 'Your email address is already confirmed.');
    const link = await sendConfirmationLink(
      tx,
      { accountId, email: a.email, passwordHash: null, publicUrl },
      now,
    );
    await audit(tx, ctx, accountHolder(accountId), { action: 'account.confirm-email-resent' });
    return { kind: 'account-confirm-email' as const, link };
  });
}
