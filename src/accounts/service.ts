// Use cases for patients and online accounts. Each: permission → transaction → rules + store →
// audit row in the same transaction → result.
import { randomUUID } from 'node:crypto';
import type { Actor, PatientActor, StaffActor } from '../platform/auth/actor.ts';
import { auditActor } from '../platform/auth/actor.ts';
import { assertCan, assertPatient, assertStaff, type StaffRule } from '../platform/auth/permissions.ts';
import {
  hashPassword,
  newTotpSecret,
  checkTotp,
  normaliseCode,
  randomCode,
  sha256,
} from '../platform/auth/secrets.ts';
import { recordAudit, recordAuditAlone, type RequestMeta } from '../platform/audit/audit.ts';
import type { Clock } from '../platform/clock.ts';
import type { Db } from '../platform/db/index.ts';
import type { VerificationMethod } from '../platform/db/schema.ts';
import { AppError } from '../platform/http/errors.ts';
import { permissions } from './permissions.ts';
import {
  detailsMatch,
  diffSettings,
  higherLevel,
  isEmail,
  isIsoDate,
  isValidNhsNumber,
  LINKAGE_KEY_LENGTH,
  normaliseNhsNumber,
  normaliseSettings,
  passwordProblem,
  serviceAccess,
  VERIFICATION_METHODS,
  type ServiceSettings,
} from './rules.ts';
import * as store from './store.ts';

export type Ctx = { db: Db; clock: Clock; meta: RequestMeta | null };

const RECOVERY_CODES = 10;
const today = (d: Date) => d.toISOString().slice(0, 10);

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
  const problem = passwordProblem(input.password, email);
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
export async function beginTotpSetup(ctx: Ctx, accountId: string): Promise<string> {
  const row = await ctx.db
    .selectFrom('online_accounts')
    .select(['totp_secret', 'totp_confirmed_at'])
    .where('id', '=', accountId)
    .executeTakeFirstOrThrow();
  if (row.totp_confirmed_at) throw new AppError('conflict', 'Your authenticator app is already set up.');
  if (row.totp_secret) return row.totp_secret;
  const secret = newTotpSecret();
  await ctx.db
    .updateTable('online_accounts')
    .set({ totp_secret: secret })
    .where('id', '=', accountId)
    .where('totp_confirmed_at', 'is', null)
    .execute();
  return secret;
}

/** Confirms the authenticator with a code and returns fresh recovery codes (shown once). */
export async function confirmTotpSetup(ctx: Ctx, accountId: string, code: string): Promise<string[]> {
  const now = ctx.clock.now();
  const row = await ctx.db
    .selectFrom('online_accounts')
    .select(['totp_secret', 'totp_confirmed_at', 'practice_ods'])
    .where('id', '=', accountId)
    .executeTakeFirstOrThrow();
  if (row.totp_confirmed_at) throw new AppError('conflict', 'Your authenticator app is already set up.');
  if (!row.totp_secret || !checkTotp(row.totp_secret, code, now)) {
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
export async function linkAccount(
  ctx: Ctx,
  actor: Actor | null,
  input: LinkInput,
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

// --- Practice staff ---------------------------------------------------------------------------

function staffPractice(actor: Actor | null, rule: StaffRule): StaffActor & { practiceOds: string } {
  const staff = assertStaff(actor, rule, actor?.kind === 'staff' ? actor.practiceOds : null);
  return staff as StaffActor & { practiceOds: string };
}

export async function findPatients(
  ctx: Ctx,
  actor: Actor | null,
  query: string,
): Promise<store.PatientRow[]> {
  const staff = staffPractice(actor, permissions.findPatients);
  const q = query.trim();
  if (!q) return [];
  const nhs = normaliseNhsNumber(q);
  const search: store.PatientSearch = /^\d{10}$/.test(nhs) ? { nhsNumber: nhs } : { familyName: q };
  if (search.familyName !== undefined && q.length < 2) {
    throw AppError.invalid([
      { field: 'q', message: 'Enter an NHS number or at least 2 letters of a surname' },
    ]);
  }
  const rows = await store.searchPatients(ctx.db, staff.practiceOds, search);
  await recordAuditAlone(
    ctx.db,
    {
      actor: auditActor(staff),
      action: 'patient.search',
      outcome: 'success',
      practiceOds: staff.practiceOds,
      details: { by: search.nhsNumber ? 'nhs-number' : 'surname', results: rows.length },
      request: ctx.meta,
    },
    ctx.clock.now(),
  );
  return rows;
}

async function requirePatient(
  ctx: Ctx,
  staff: StaffActor & { practiceOds: string },
  patientId: string,
): Promise<store.PatientRow> {
  const p = /^[0-9a-f-]{36}$/.test(patientId)
    ? await store.patientById(ctx.db, staff.practiceOds, patientId)
    : undefined;
  // A patient at another practice is simply not found: staff learn nothing about other practices.
  if (!p) throw new AppError('not-found', 'No patient with this ID is registered at your practice.');
  return p;
}

export async function patientForStaff(ctx: Ctx, actor: Actor | null, patientId: string) {
  const staff = staffPractice(actor, permissions.viewPatient);
  const patient = await requirePatient(ctx, staff, patientId);
  const [account, verifications, services, letter, history] = await Promise.all([
    store.accountForPatient(ctx.db, patient.id),
    store.verificationsFor(ctx.db, staff.practiceOds, patient.id),
    store.settingsFor(ctx.db, staff.practiceOds, patient.id),
    store.liveLinkageKey(ctx.db, staff.practiceOds, patient.id),
    store.settingsHistory(ctx.db, staff.practiceOds, patient.id),
  ]);
  await recordAuditAlone(
    ctx.db,
    {
      actor: auditActor(staff),
      action: 'patient.view',
      outcome: 'success',
      practiceOds: staff.practiceOds,
      patientId: patient.id,
      subject: 'demographics,online-account,online-services',
      request: ctx.meta,
    },
    ctx.clock.now(),
  );
  return {
    patient,
    account: account ?? null,
    verifications,
    settings: services.settings,
    version: services.version,
    letterIssuedAt: letter?.issued_at ?? null,
    history,
  };
}

export async function verifyIdentity(
  ctx: Ctx,
  actor: Actor | null,
  patientId: string,
  input: { method: string; evidence: string },
) {
  const staff = staffPractice(actor, permissions.verifyIdentity);
  const errors: { field: string; message: string }[] = [];
  if (!Object.hasOwn(VERIFICATION_METHODS, input.method))
    errors.push({ field: 'method', message: 'Select how you checked the patient’s identity' });
  const evidence = input.evidence.trim();
  if (evidence.length < 5)
    errors.push({
      field: 'evidence',
      message: 'Describe the evidence you saw, for example "UK passport and council tax bill"',
    });
  if (evidence.length > 1000)
    errors.push({ field: 'evidence', message: 'Evidence notes must be 1000 characters or fewer' });
  if (errors.length) throw AppError.invalid(errors);
  const method = input.method as VerificationMethod;
  const level = VERIFICATION_METHODS[method].level;
  const patient = await requirePatient(ctx, staff, patientId);
  const now = ctx.clock.now();
  return ctx.db.transaction().execute(async (tx) => {
    const account = await tx
      .selectFrom('online_accounts')
      .select(['id', 'proofing_level'])
      .where('patient_id', '=', patient.id)
      .forUpdate()
      .executeTakeFirst();
    await tx
      .insertInto('identity_verifications')
      .values({
        id: randomUUID(),
        practice_ods: staff.practiceOds,
        patient_id: patient.id,
        account_id: account?.id ?? null,
        method,
        evidence,
        proofing_level: level,
        verified_by: staff.staffId,
        verified_at: now,
      })
      .execute();
    if (account)
      await tx
        .updateTable('online_accounts')
        .set({ proofing_level: higherLevel(account.proofing_level, level) })
        .where('id', '=', account.id)
        .execute();
    await recordAudit(
      tx,
      {
        actor: auditActor(staff),
        action: 'identity.verify',
        outcome: 'success',
        practiceOds: staff.practiceOds,
        patientId: patient.id,
        details: { method, proofingLevel: level, accountId: account?.id ?? null },
        request: ctx.meta,
      },
      now,
    );
    return { proofingLevel: level, accountUpdated: Boolean(account) };
  });
}

export type SettingsInput = Partial<ServiceSettings> & { reason?: string; expectedVersion: number };

export async function changeServices(ctx: Ctx, actor: Actor | null, patientId: string, input: SettingsInput) {
  const staff = staffPractice(actor, permissions.changeServices);
  const patient = await requirePatient(ctx, staff, patientId);
  const now = ctx.clock.now();
  if (input.prospectiveFrom != null && !isIsoDate(input.prospectiveFrom)) {
    throw AppError.invalid([
      { field: 'prospectiveFrom', message: 'Enter a real date for prospective access, for example 1 4 2026' },
    ]);
  }
  return ctx.db.transaction().execute(async (tx) => {
    const current = await store.settingsFor(tx, staff.practiceOds, patient.id);
    if (current.version !== input.expectedVersion) {
      throw new AppError(
        'conflict',
        'Someone else changed these settings while you were editing. Check the current settings and try again.',
        { reason: 'stale-version' },
      );
    }
    const requested: ServiceSettings = { ...current.settings, ...definedOnly(input) };
    const next = normaliseSettings(requested, current.settings, today(now));
    const changed = diffSettings(current.settings, next);
    if (Object.keys(changed).length === 0) return { version: current.version, changed };
    const recordFields = ['recordLevel', 'prospectiveFrom', 'historicAccess'];
    if (Object.keys(changed).some((k) => recordFields.includes(k)))
      assertCan(staff, permissions.changeRecordAccess, staff.practiceOds);
    const version = await store.saveSettings(tx, {
      practiceOds: staff.practiceOds,
      patientId: patient.id,
      settings: next,
      expectedVersion: current.version,
      by: staff.staffId,
      at: now,
    });
    if (version === null)
      throw new AppError(
        'conflict',
        'Someone else changed these settings while you were editing. Check the current settings and try again.',
        { reason: 'stale-version' },
      );
    const reason = input.reason?.trim() || null;
    await tx
      .insertInto('online_services_history')
      .values({
        practice_ods: staff.practiceOds,
        patient_id: patient.id,
        version,
        settings: JSON.stringify(next),
        changed: JSON.stringify(changed),
        reason,
        changed_by: staff.staffId,
        changed_at: now,
      })
      .execute();
    await recordAudit(
      tx,
      {
        actor: auditActor(staff),
        action: 'online-services.change',
        outcome: 'success',
        practiceOds: staff.practiceOds,
        patientId: patient.id,
        details: { version, changed, reason },
        request: ctx.meta,
      },
      now,
    );
    return { version, changed };
  });
}

function definedOnly(input: SettingsInput): Partial<ServiceSettings> {
  const out: Partial<ServiceSettings> = {};
  const keys: (keyof ServiceSettings)[] = [
    'appointments',
    'repeatPrescriptions',
    'recordLevel',
    'prospectiveFrom',
    'historicAccess',
    'pharmacyView',
    'pharmacyUpdate',
  ];
  for (const k of keys) if (input[k] !== undefined) (out as Record<string, unknown>)[k] = input[k];
  return out;
}

export type Letter = {
  practiceOds: string;
  practiceName: string;
  practiceAddress: string[];
  patientName: string;
  nhsNumber: string;
  accountRef: string;
  linkageKey: string;
  issuedAt: Date;
  replaced: boolean;
};

/** Issues a registration letter: a new Linkage Key (old ones stop working). The key is shown only now. */
export async function issueLetter(ctx: Ctx, actor: Actor | null, patientId: string): Promise<Letter> {
  const staff = staffPractice(actor, permissions.issueLetter);
  const patient = await requirePatient(ctx, staff, patientId);
  const now = ctx.clock.now();
  const key = randomCode(LINKAGE_KEY_LENGTH);
  return ctx.db.transaction().execute(async (tx) => {
    const revoked = await tx
      .updateTable('linkage_keys')
      .set({ revoked_at: now })
      .where('practice_ods', '=', staff.practiceOds)
      .where('patient_id', '=', patient.id)
      .where('revoked_at', 'is', null)
      .where('used_at', 'is', null)
      .executeTakeFirst();
    await tx
      .insertInto('linkage_keys')
      .values({
        id: randomUUID(),
        practice_ods: staff.practiceOds,
        patient_id: patient.id,
        key_hash: sha256(key),
        issued_by: staff.staffId,
        issued_at: now,
      })
      .execute();
    const practice = await tx
      .selectFrom('practices')
      .select(['name', 'address_lines', 'postcode'])
      .where('ods_code', '=', staff.practiceOds)
      .executeTakeFirstOrThrow();
    const replaced = revoked.numUpdatedRows > 0n;
    await recordAudit(
      tx,
      {
        actor: auditActor(staff),
        action: replaced ? 'linkage-key.reset' : 'linkage-key.issue',
        outcome: 'success',
        practiceOds: staff.practiceOds,
        patientId: patient.id,
        request: ctx.meta,
      },
      now,
    );
    return {
      practiceOds: staff.practiceOds,
      practiceName: practice.name,
      practiceAddress: [...practice.address_lines, ...(practice.postcode ? [practice.postcode] : [])],
      patientName: `${patient.given_name} ${patient.family_name}`,
      nhsNumber: patient.nhs_number,
      accountRef: patient.online_account_ref,
      linkageKey: key,
      issuedAt: now,
      replaced,
    };
  });
}

// --- Adding patients (CLI, demo, practice) ----------------------------------------------------

export type NewPatient = {
  practiceOds: string;
  nhsNumber: string;
  givenName: string;
  familyName: string;
  birthDate: string;
  sex: 'female' | 'male' | 'other' | 'unknown';
  addressLines?: string[];
  postcode?: string | null;
  email?: string | null;
  phone?: string | null;
};

export function validatePatient(p: NewPatient, now: Date): { field: string; message: string }[] {
  const errors: { field: string; message: string }[] = [];
  if (!isValidNhsNumber(p.nhsNumber))
    errors.push({
      field: 'nhsNumber',
      message: `NHS number ${p.nhsNumber} is not valid (10 digits with a correct check digit)`,
    });
  if (!p.givenName.trim()) errors.push({ field: 'givenName', message: 'Enter a given name' });
  if (!p.familyName.trim()) errors.push({ field: 'familyName', message: 'Enter a family name' });
  if (!isIsoDate(p.birthDate) || p.birthDate > today(now))
    errors.push({ field: 'birthDate', message: 'Enter a real date of birth in the past (YYYY-MM-DD)' });
  if (!['female', 'male', 'other', 'unknown'].includes(p.sex))
    errors.push({ field: 'sex', message: 'Sex must be female, male, other or unknown' });
  return errors;
}

export async function newAccountRef(
  db: Db | Parameters<typeof store.patientByAccountRef>[0],
  practiceOds: string,
): Promise<string> {
  for (;;) {
    const ref = String(100_000_000 + Math.floor(Math.random() * 900_000_000));
    if (!(await store.patientByAccountRef(db, practiceOds, ref))) return ref;
  }
}

export type PatientsActor = Actor | { kind: 'system' };

/** Registers a patient at a practice (staff at that practice, or the system for CLI and demo). */
export async function addPatient(
  ctx: Ctx,
  actor: PatientsActor,
  p: NewPatient,
): Promise<{ patientId: string; accountRef: string }> {
  if (actor.kind !== 'system') assertCan(actor, permissions.addPatient, p.practiceOds);
  const now = ctx.clock.now();
  const nhsNumber = normaliseNhsNumber(p.nhsNumber);
  const errors = validatePatient({ ...p, nhsNumber }, now);
  if (errors.length) throw AppError.invalid(errors);
  const id = randomUUID();
  return ctx.db.transaction().execute(async (tx) => {
    const accountRef = await newAccountRef(tx, p.practiceOds);
    try {
      await tx
        .insertInto('patients')
        .values({
          id,
          practice_ods: p.practiceOds,
          nhs_number: nhsNumber,
          given_name: p.givenName.trim(),
          family_name: p.familyName.trim(),
          birth_date: p.birthDate,
          sex: p.sex,
          address_lines: p.addressLines ?? [],
          postcode: p.postcode ?? null,
          email: p.email ?? null,
          phone: p.phone ?? null,
          online_account_ref: accountRef,
        })
        .execute();
    } catch (err) {
      if ((err as { code?: string }).code === '23505')
        throw AppError.invalid([
          { field: 'nhsNumber', message: `A patient with NHS number ${nhsNumber} is already registered` },
        ]);
      if ((err as { code?: string }).code === '23503')
        throw AppError.invalid([
          { field: 'practiceOds', message: `No practice with ODS code ${p.practiceOds}` },
        ]);
      throw err;
    }
    await recordAudit(
      tx,
      {
        actor: actor.kind === 'system' ? { type: 'system', id: null, role: 'system' } : auditActor(actor),
        action: 'patient.register',
        outcome: 'success',
        practiceOds: p.practiceOds,
        patientId: id,
        request: ctx.meta,
      },
      now,
    );
    return { patientId: id, accountRef };
  });
}

export type { PatientActor };

/** For pages that list nothing yet: only practice staff may open them. */
export function assertPracticeStaff(actor: Actor | null): void {
  staffPractice(actor, permissions.findPatients);
}
