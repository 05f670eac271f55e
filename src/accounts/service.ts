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
import type { Ctx } from '../platform/context.ts';
import type { Tx } from '../platform/db/index.ts';

export type { Ctx };

const RECOVERY_CODES = 10;

// --- Patient self-service ---------------------------------------------------------------------

export async function signUp(
  ctx: Ctx,
  input: { email: string; password: string; confirm: string },
): Promise<{ accountId: string }> {
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
  const id = randomUUID();
  const passwordHash = await hashPassword(input.password);
  try {
    await ctx.db.transaction().execute(async (tx) => {
      await tx
        .insertInto('online_accounts')
        .values({ id, email, password_hash: passwordHash, proofing_level: 'P0' })
        .execute();
      await recordAudit(
        tx,
        {
          actor: { type: 'patient', id, role: 'patient' },
          action: 'account.sign-up',
          outcome: 'success',
          request: ctx.meta,
        },
        now,
      );
    });
  } catch (err) {
    if ((err as { code?: string }).code === '23505') {
      throw AppError.invalid([
        { field: 'email', message: 'An account already exists with this email address. Sign in instead.' },
      ]);
    }
    throw err;
  }
  return { accountId: id };
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
