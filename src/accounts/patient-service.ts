// Patients' own use cases: the authenticator, linking to a record, home, who am I.
// Each: permission → transaction → rules + store → audit row in the same transaction → result.
import type { Actor, PatientActor, StaffActor } from '../platform/auth/actor.ts';
import { assertPatient } from '../platform/auth/permissions.ts';
import {
  newTotpSecret,
  randomCode,
  sealSecret,
  sha256,
  totpMatchStep,
  type SecretKey,
} from '../platform/auth/secrets.ts';
import { takeTotpStep, totpSecretOf } from '../platform/auth/signin.ts';
import { audit, auditAlone, auditedChange } from '../platform/audit/use-case.ts';
import { AppError } from '../platform/http/errors.ts';
import {
  accountHolder,
  detailsMatch,
  higherLevel,
  readLetter,
  type LinkInput,
  serviceAccess,
  type ServiceSettings,
} from './rules.ts';
import * as store from './store.ts';
import * as accounts from './account-store.ts';
import type { Ctx } from '../platform/context.ts';
import type { Tx } from '../platform/db/index.ts';

const RECOVERY_CODES = 10;

/**
 * Starts authenticator set-up: a new secret kept on the account until a code confirms it, with
 * the address the app will show beside its codes.
 */
export async function beginTotpSetup(
  ctx: Ctx,
  accountId: string,
  key: SecretKey,
): Promise<{ secret: string; email: string }> {
  const row = await accounts.totpState(ctx.db, accountId);
  if (row.totp_confirmed_at) throw new AppError('conflict', 'Your authenticator app is already set up.');
  if (row.totp_secret) {
    const secret = await totpSecretOf(ctx.db, {
      type: 'patient',
      id: accountId,
      stored: row.totp_secret,
      key,
    });
    return { secret, email: row.email };
  }
  const secret = newTotpSecret();
  await accounts.setUnconfirmedTotpSecret(ctx.db, accountId, sealSecret(key, secret));
  return { secret, email: row.email };
}

/**
 * Confirms the authenticator with a code and returns fresh recovery codes, to be shown once on
 * the response and kept nowhere in clear (only their hashes are stored). The code confirming the
 * set-up is spent like any other: it cannot then sign in.
 */
export async function confirmTotpSetup(
  ctx: Ctx,
  { accountId, code, key }: { accountId: string; code: string; key: SecretKey },
): Promise<string[]> {
  const now = ctx.clock.now();
  const row = await accounts.totpState(ctx.db, accountId);
  if (row.totp_confirmed_at) throw new AppError('conflict', 'Your authenticator app is already set up.');
  const secret = row.totp_secret
    ? await totpSecretOf(ctx.db, { type: 'patient', id: accountId, stored: row.totp_secret, key })
    : null;
  const step = secret ? totpMatchStep(secret, code, now) : null;
  if (step === null || !(await takeTotpStep(ctx.db, { type: 'patient', id: accountId, step }))) {
    throw AppError.invalid([
      { field: 'code', message: 'Enter the 6-digit code shown in your authenticator app now' },
    ]);
  }
  const codes = Array.from({ length: RECOVERY_CODES }, () => randomCode(10));
  await auditedChange(
    ctx,
    accountHolder(accountId),
    { action: 'account.totp-set-up', practiceOds: row.practice_ods },
    async (tx) => {
      await accounts.confirmTotp(tx, accountId, now);
      await accounts.replaceRecoveryCodes(tx, accountId, codes.map(sha256));
    },
  );
  return codes;
}

export type { LinkInput };

const LINK_FAILED =
  'The details do not match a registration letter from your GP practice. Check the practice code, Account ID, Linkage Key, surname and date of birth exactly as they are on the letter.';

/** Work other features do in the same transaction when an account is first linked (automatic record access). */
export type AfterLink = (
  tx: Tx,
  linked: { practiceOds: string; patientId: string },
  now: Date,
) => Promise<unknown>;

/** Links the signed-in account to the patient record named on a registration letter. */
export async function linkAccount(
  ctx: Ctx,
  actor: Actor | null,
  input: LinkInput & { afterLink?: AfterLink | undefined },
): Promise<{ patientId: string; practiceOds: string }> {
  const patient = assertPatient(actor);
  if (patient.patientId) throw new AppError('conflict', 'Your account is already linked to your GP record.');
  const { ods, ref, key, problems } = readLetter(input);
  if (problems.length) throw AppError.invalid(problems);

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
    await auditAlone(ctx, patient, {
      action: 'account.link',
      outcome: 'failure',
      practiceOds: record ? ods : null,
      patientId: record?.id ?? null,
    });
    throw AppError.invalid([{ field: 'odsCode', message: LINK_FAILED }], LINK_FAILED);
  }
  await ctx.db.transaction().execute(async (tx) => {
    // Single use: the key is spent, so a lost letter cannot link a second account.
    if (!(await store.spendLinkageKey(tx, live.id, patient.accountId, now)))
      throw new AppError('conflict', LINK_FAILED);
    const existing = await accounts.accountForPatient(tx, record.id);
    if (existing)
      throw new AppError(
        'conflict',
        'This GP record is already linked to another online account. Ask your practice to reset your online account.',
      );
    const verified = await store.latestVerification(tx, ods, record.id);
    // Matching the letter to the practice record is a P5 check; a staff identity check lifts it to P9.
    const level = higherLevel('P5', verified?.proofing_level ?? 'P5');
    await accounts.linkAccountToPatient(tx, patient.accountId, {
      patientId: record.id,
      practiceOds: ods,
      proofingLevel: level,
      at: now,
    });
    await audit(tx, ctx, patient, {
      action: 'account.link',
      practiceOds: ods,
      patientId: record.id,
      details: { proofingLevel: level },
    });
    await input.afterLink?.(tx, { practiceOds: ods, patientId: record.id }, now);
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
  const row = await store.patientSummary(ctx.db, me.practiceOds, me.patientId);
  const { settings } = await store.settingsFor(ctx.db, me.practiceOds, me.patientId);
  await auditAlone(ctx, me, {
    action: 'patient.view-own-summary',
    practiceOds: me.practiceOds,
    patientId: me.patientId,
    subject: 'demographics,online-services',
  });
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

/** Who is asking on the API: a staff user as they are, a patient with their home. */
export type WhoAmI =
  { kind: 'staff'; staff: StaffActor } | { kind: 'patient'; patient: PatientActor; home: PatientHome };

export async function whoAmI(ctx: Ctx, actor: Actor | null): Promise<WhoAmI> {
  if (!actor) throw new AppError('unauthenticated', 'Send a bearer token from POST /api/v1/auth/token.');
  if (actor.kind === 'staff') return { kind: 'staff', staff: actor };
  return { kind: 'patient', patient: actor, home: await patientHome(ctx, actor) };
}
