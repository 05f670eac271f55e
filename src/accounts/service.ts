// Use cases for patients and online accounts. Each: permission → transaction → rules + store →
// audit row in the same transaction → result.
import { randomUUID } from 'node:crypto';
import type { Actor } from '../platform/auth/actor.ts';
import { auditActor } from '../platform/auth/actor.ts';
import { assertPatient } from '../platform/auth/permissions.ts';
import {
  hashPassword,
  newTotpSecret,
  normaliseCode,
  randomCode,
  randomToken,
  sealSecret,
  sha256,
  totpMatchStep,
  type SecretKey,
} from '../platform/auth/secrets.ts';
import { takeTotpStep, totpSecretOf } from '../platform/auth/signin.ts';
import { weakPasswordProblem } from '../platform/auth/password-strength.ts';
import { recordAudit, recordAuditAlone } from '../platform/audit/audit.ts';
import { AppError } from '../platform/http/errors.ts';
import {
  detailsMatch,
  higherLevel,
  isEmail,
  isIsoDate,
  LINKAGE_KEY_LENGTH,
  passwordProblem,
  serviceAccess,
  type ServiceSettings,
} from './rules.ts';
import * as store from './store.ts';
import { enqueue } from '../notifications/index.ts';
import type { Ctx } from '../platform/context.ts';
import type { Tx } from '../platform/db/index.ts';

export type { Ctx };

const RECOVERY_CODES = 10;

// --- Patient self-service ---------------------------------------------------------------------

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
    const existing = await store.accountByEmail(tx, email);
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
      await recordAudit(
        tx,
        {
          actor: { type: 'anonymous', id: null, role: null },
          action: 'account.sign-up',
          outcome: 'failure',
          practiceOds: existing.practice_ods,
          subject: `account:${existing.id}`,
          details: { reason: 'email-has-account', noticeSent: true },
          request: ctx.meta,
        },
        now,
      );
      return { kind: 'account-exists' as const, link };
    }
    const id = existing?.id ?? randomUUID();
    // An address that signed up but never confirmed: the account keeps its password, and the new
    // password comes with the new link, taking effect only if that link is used. Someone who
    // signs up with another person's address cannot change the password they will confirm.
    if (!existing) {
      try {
        await tx
          .insertInto('online_accounts')
          .values({ id, email, password_hash: passwordHash, proofing_level: 'P0', email_confirmed_at: null })
          .execute();
      } catch (err) {
        // Two sign-ups for one new address at once: the other one won; this one says the same.
        if ((err as { code?: string }).code === '23505')
          throw new AppError('conflict', 'Something went wrong. Try again.');
        throw err;
      }
    }
    const link = await sendConfirmationLink(
      tx,
      { accountId: id, email, passwordHash: existing ? passwordHash : null, publicUrl },
      now,
    );
    await recordAudit(
      tx,
      {
        actor: { type: 'patient', id, role: 'patient' },
        action: 'account.sign-up',
        outcome: 'success',
        details: { confirmation: 'sent', again: Boolean(existing) },
        request: ctx.meta,
      },
      now,
    );
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
  await store.saveConfirmation(tx, {
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
  return Boolean(await store.liveConfirmation(ctx.db, sha256(token), ctx.clock.now()));
}

/** Spends a sign-up link: the address is confirmed and the account goes on to set-up. */
export async function confirmSignUp(ctx: Ctx, token: string): Promise<{ accountId: string }> {
  const now = ctx.clock.now();
  return ctx.db.transaction().execute(async (tx) => {
    const spent = await store.spendConfirmation(tx, sha256(token), now);
    if (!spent) throw AppError.invalid([{ field: 'token', message: CONFIRM_LINK_DEAD }], CONFIRM_LINK_DEAD);
    if (spent.password_hash) await store.setPasswordHash(tx, spent.account_id, spent.password_hash);
    await store.endOtherConfirmations(tx, spent.account_id, now);
    await store.confirmEmail(tx, spent.account_id, now);
    await recordAudit(
      tx,
      {
        actor: { type: 'patient', id: spent.account_id, role: 'patient' },
        action: 'account.confirm-email',
        outcome: 'success',
        request: ctx.meta,
      },
      now,
    );
    return { accountId: spent.account_id };
  });
}

export const CONFIRM_LINK_DEAD =
  'This link has already been used or is more than 24 hours old. Create your account again to get a new one.';

/** An account that signs in before confirming its address gets a fresh link. */
export async function resendConfirmation(
  ctx: Ctx,
  accountId: string,
  publicUrl: string,
): Promise<SignUpSent> {
  const now = ctx.clock.now();
  return ctx.db.transaction().execute(async (tx) => {
    const a = await tx
      .selectFrom('online_accounts')
      .select(['email', 'email_confirmed_at'])
      .where('id', '=', accountId)
      .executeTakeFirstOrThrow();
    if (a.email_confirmed_at) throw new AppError('conflict', 'Your email address is already confirmed.');
    const link = await sendConfirmationLink(
      tx,
      { accountId, email: a.email, passwordHash: null, publicUrl },
      now,
    );
    await recordAudit(
      tx,
      {
        actor: { type: 'patient', id: accountId, role: 'patient' },
        action: 'account.confirm-email-resent',
        outcome: 'success',
        request: ctx.meta,
      },
      now,
    );
    return { kind: 'account-confirm-email' as const, link };
  });
}

/** Starts authenticator set-up: a new secret kept on the account until a code confirms it. */
export async function beginTotpSetup(ctx: Ctx, accountId: string, key: SecretKey): Promise<string> {
  const row = await ctx.db
    .selectFrom('online_accounts')
    .select(['totp_secret', 'totp_confirmed_at'])
    .where('id', '=', accountId)
    .executeTakeFirstOrThrow();
  if (row.totp_confirmed_at) throw new AppError('conflict', 'Your authenticator app is already set up.');
  if (row.totp_secret) return totpSecretOf(ctx.db, 'patient', accountId, row.totp_secret, key);
  const secret = newTotpSecret();
  await ctx.db
    .updateTable('online_accounts')
    .set({ totp_secret: sealSecret(key, secret) })
    .where('id', '=', accountId)
    .where('totp_confirmed_at', 'is', null)
    .execute();
  return secret;
}

/**
 * Confirms the authenticator with a code and returns fresh recovery codes, to be shown once on
 * the response and kept nowhere in clear (only their hashes are stored). The code confirming the
 * set-up is spent like any other: it cannot then sign in.
 */
export async function confirmTotpSetup(
  ctx: Ctx,
  accountId: string,
  code: string,
  key: SecretKey,
): Promise<string[]> {
  const now = ctx.clock.now();
  const row = await ctx.db
    .selectFrom('online_accounts')
    .select(['totp_secret', 'totp_confirmed_at', 'practice_ods'])
    .where('id', '=', accountId)
    .executeTakeFirstOrThrow();
  if (row.totp_confirmed_at) throw new AppError('conflict', 'Your authenticator app is already set up.');
  const secret = row.totp_secret
    ? await totpSecretOf(ctx.db, 'patient', accountId, row.totp_secret, key)
    : null;
  const step = secret ? totpMatchStep(secret, code, now) : null;
  if (step === null || !(await takeTotpStep(ctx.db, 'patient', accountId, step))) {
    throw AppError.invalid([
      { field: 'code', message: 'Enter the 6-digit code shown in your authenticator app now' },
    ]);
  }
  const codes = Array.from({ length: RECOVERY_CODES }, () => randomCode(10));
  await ctx.db.transaction().execute(async (tx) => {
    await tx
      .updateTable('online_accounts')
      .set({ totp_confirmed_at: now })
      .where('id', '=', accountId)
      .execute();
    await tx.deleteFrom('recovery_codes').where('account_id', '=', accountId).execute();
    await tx
      .insertInto('recovery_codes')
      .values(codes.map((c) => ({ account_id: accountId, code_hash: sha256(c), used_at: null })))
      .execute();
    await recordAudit(
      tx,
      {
        actor: { type: 'patient', id: accountId, role: 'patient' },
        action: 'account.totp-set-up',
        outcome: 'success',
        practiceOds: row.practice_ods,
        request: ctx.meta,
      },
      now,
    );
  });
  return codes;
}

export type LinkInput = {
  odsCode: string;
  accountRef: string;
  linkageKey: string;
  surname: string;
  birthDate: string;
};

const LINK_FAILED =
  'The details do not match a registration letter from your GP practice. Check the practice code, Account ID, Linkage Key, surname and date of birth exactly as they are on the letter.';

/** Links the signed-in account to the patient record named on a registration letter. */
/** Work other features do in the same transaction when an account is first linked (automatic record access). */
export type AfterLink = (
  tx: Tx,
  linked: { practiceOds: string; patientId: string },
  now: Date,
) => Promise<unknown>;

export async function linkAccount(
  ctx: Ctx,
  actor: Actor | null,
  input: LinkInput,
  afterLink?: AfterLink,
): Promise<{ patientId: string; practiceOds: string }> {
  const patient = assertPatient(actor);
  if (patient.patientId) throw new AppError('conflict', 'Your account is already linked to your GP record.');
  const errors: { field: string; message: string }[] = [];
  const ods = input.odsCode.trim().toUpperCase();
  const ref = input.accountRef.replace(/\s/g, '');
  const key = normaliseCode(input.linkageKey);
  if (!/^[A-Z0-9]{3,8}$/.test(ods))
    errors.push({ field: 'odsCode', message: 'Enter the practice code from your letter, like P81046' });
  if (!/^\d{6,12}$/.test(ref))
    errors.push({ field: 'accountRef', message: 'Enter the Account ID from your letter (numbers only)' });
  if (key.length !== LINKAGE_KEY_LENGTH)
    errors.push({
      field: 'linkageKey',
      message: `Enter the ${LINKAGE_KEY_LENGTH}-character Linkage Key from your letter`,
    });
  if (!input.surname.trim()) errors.push({ field: 'surname', message: 'Enter your surname' });
  if (!isIsoDate(input.birthDate))
    errors.push({ field: 'birthDate', message: 'Enter your date of birth, for example 15 3 1984' });
  if (errors.length) throw AppError.invalid(errors);

  const now = ctx.clock.now();
  const record = await store.patientByAccountRef(ctx.db, ods, ref);
  const live = record ? await store.liveLinkageKey(ctx.db, ods, record.id) : undefined;
  const ok =
    record &&
    live &&
    live.key_hash === sha256(key) &&
    detailsMatch(
      { surname: input.surname, birthDate: input.birthDate },
      { familyName: record.family_name, birthDate: record.birth_date },
    );
  if (!record || !live || !ok) {
    await recordAuditAlone(
      ctx.db,
      {
        actor: auditActor(patient),
        action: 'account.link',
        outcome: 'failure',
        practiceOds: record ? ods : null,
        patientId: record?.id ?? null,
        request: ctx.meta,
      },
      now,
    );
    throw AppError.invalid([{ field: 'odsCode', message: LINK_FAILED }], LINK_FAILED);
  }
  await ctx.db.transaction().execute(async (tx) => {
    // Single use: the key is spent, so a lost letter cannot link a second account.
    const spent = await tx
      .updateTable('linkage_keys')
      .set({ used_at: now, used_by_account: patient.accountId })
      .where('id', '=', live.id)
      .where('used_at', 'is', null)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    if (spent.numUpdatedRows === 0n) throw new AppError('conflict', LINK_FAILED);
    const existing = await tx
      .selectFrom('online_accounts')
      .select('id')
      .where('patient_id', '=', record.id)
      .executeTakeFirst();
    if (existing)
      throw new AppError(
        'conflict',
        'This GP record is already linked to another online account. Ask your practice to reset your online account.',
      );
    const verified = await store.latestVerification(tx, ods, record.id);
    // Matching the letter to the practice record is a P5 check; a staff identity check lifts it to P9.
    const level = higherLevel('P5', verified?.proofing_level ?? 'P5');
    await tx
      .updateTable('online_accounts')
      .set({ patient_id: record.id, practice_ods: ods, proofing_level: level, linked_at: now })
      .where('id', '=', patient.accountId)
      .execute();
    await recordAudit(
      tx,
      {
        actor: auditActor(patient),
        action: 'account.link',
        outcome: 'success',
        practiceOds: ods,
        patientId: record.id,
        details: { proofingLevel: level },
        request: ctx.meta,
      },
      now,
    );
    await afterLink?.(tx, { practiceOds: ods, patientId: record.id }, now);
  });
  return { patientId: record.id, practiceOds: ods };
}

export type PatientHome = {
  linked: boolean;
  proofingLevel: string;
  patient: {
    givenName: string;
    familyName: string;
    nhsNumber: string;
    birthDate: string;
    practiceName: string;
    practiceOds: string;
  } | null;
  services: ReturnType<typeof serviceAccess>;
  settings: ServiceSettings;
};

/** What a signed-in patient sees first: who they are at which practice, and what they can use. */
export async function patientHome(ctx: Ctx, actor: Actor | null): Promise<PatientHome> {
  const me = assertPatient(actor);
  if (!me.patientId || !me.practiceOds) {
    return {
      linked: false,
      proofingLevel: me.proofingLevel,
      patient: null,
      services: serviceAccess(
        { linked: false, proofingLevel: me.proofingLevel },
        store.settingsFromRow(undefined),
      ),
      settings: store.settingsFromRow(undefined),
    };
  }
  const now = ctx.clock.now();
  const row = await ctx.db
    .selectFrom('patients as p')
    .innerJoin('practices as pr', 'pr.ods_code', 'p.practice_ods')
    .select(['p.given_name', 'p.family_name', 'p.nhs_number', 'p.birth_date', 'pr.name as practice_name'])
    .where('p.practice_ods', '=', me.practiceOds)
    .where('p.id', '=', me.patientId)
    .executeTakeFirstOrThrow();
  const { settings } = await store.settingsFor(ctx.db, me.practiceOds, me.patientId);
  await recordAuditAlone(
    ctx.db,
    {
      actor: auditActor(me),
      action: 'patient.view-own-summary',
      outcome: 'success',
      practiceOds: me.practiceOds,
      patientId: me.patientId,
      subject: 'demographics,online-services',
      request: ctx.meta,
    },
    now,
  );
  return {
    linked: true,
    proofingLevel: me.proofingLevel,
    patient: {
      givenName: row.given_name,
      familyName: row.family_name,
      nhsNumber: row.nhs_number,
      birthDate: row.birth_date,
      practiceName: row.practice_name,
      practiceOds: me.practiceOds,
    },
    services: serviceAccess({ linked: true, proofingLevel: me.proofingLevel }, settings),
    settings,
  };
}
