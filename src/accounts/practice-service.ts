// Practice staff use cases for patients' online accounts: find, view, check identity, switch
// services, issue registration letters. Each: permission → transaction → rules + store →
// audit row in the same transaction → result.
import { randomUUID } from 'node:crypto';
import type { Actor } from '../platform/auth/actor.ts';
import {
  assertCan,
  assertOwnPracticeStaff,
  assertStaff,
  type PracticeStaff,
} from '../platform/auth/permissions.ts';
import { randomCode, sha256 } from '../platform/auth/secrets.ts';
import { audit, auditAlone } from '../platform/audit/use-case.ts';
import { AppError } from '../platform/http/errors.ts';
import { englandDay } from '../platform/dates.ts';
import { permissions } from './permissions.ts';
import {
  diffSettings,
  higherLevel,
  isIsoDate,
  LINKAGE_KEY_LENGTH,
  normaliseSettings,
  opensEarlier,
  isVerificationMethod,
  VERIFICATION_METHODS,
  type ServiceSettings,
} from './rules.ts';
import * as store from './store.ts';
import * as accounts from './account-store.ts';
import { assertReviewedForHistoricAccess, writeSettings } from './system-service.ts';
import type { Ctx } from '../platform/context.ts';
import { normaliseNhsNumber } from '../platform/nhs-number.ts';

const today = englandDay;

// --- Practice staff ---------------------------------------------------------------------------

export async function findPatients(
  ctx: Ctx,
  actor: Actor | null,
  query: string,
): Promise<store.PatientRow[]> {
  const staff = assertOwnPracticeStaff(actor, permissions.findPatients);
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
  await auditAlone(ctx, staff, {
    action: 'patient.search',
    details: { by: search.nhsNumber ? 'nhs-number' : 'surname', results: rows.length },
  });
  return rows;
}

async function requirePatient(ctx: Ctx, staff: PracticeStaff, patientId: string): Promise<store.PatientRow> {
  const p = /^[0-9a-f-]{36}$/.test(patientId)
    ? await store.patientById(ctx.db, staff.practiceOds, patientId)
    : undefined;
  // A patient at another practice is simply not found: staff learn nothing about other practices.
  if (!p) throw new AppError('not-found', 'No patient with this ID is registered at your practice.');
  return p;
}

export async function patientForStaff(ctx: Ctx, actor: Actor | null, patientId: string) {
  const staff = assertOwnPracticeStaff(actor, permissions.viewPatient);
  const patient = await requirePatient(ctx, staff, patientId);
  const [account, verifications, services, letter, history] = await Promise.all([
    accounts.accountForPatient(ctx.db, patient.id),
    store.verificationsFor(ctx.db, staff.practiceOds, patient.id),
    store.settingsFor(ctx.db, staff.practiceOds, patient.id),
    store.liveLinkageKey(ctx.db, staff.practiceOds, patient.id),
    store.settingsHistory(ctx.db, staff.practiceOds, patient.id),
  ]);
  await auditAlone(ctx, staff, {
    action: 'patient.view',
    patientId: patient.id,
    subject: 'demographics,online-account,online-services',
  });
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

/**
 * Unlocks the online account of a practice's patient after too many wrong security codes
 * (signin.ts). Staff should first be sure who is asking: the lock means someone had the password.
 */
export async function unlockOnlineAccount(ctx: Ctx, actor: Actor | null, patientId: string): Promise<void> {
  const staff = assertOwnPracticeStaff(actor, permissions.unlockAccount);
  const patient = await requirePatient(ctx, staff, patientId);
  await ctx.db.transaction().execute(async (tx) => {
    const account = await accounts.accountForPatient(tx, patient.id);
    if (!account || !(await accounts.unlockAccount(tx, account.id)))
      throw new AppError('conflict', 'This patient’s online account is not locked.');
    await audit(tx, ctx, staff, {
      action: 'account.unlock',
      patientId: patient.id,
      subject: `account:${account.id}`,
    });
  });
}

/** Locked accounts not linked to any practice, for an administrator. */
export async function lockedUnlinkedAccounts(ctx: Ctx, actor: Actor | null) {
  assertCan(actor, permissions.unlockUnlinkedAccount);
  const rows = await accounts.lockedUnlinkedAccounts(ctx.db);
  // The list shows people's email addresses: a read of personal data, audited.
  await auditAlone(ctx, actor, {
    action: 'account.list-locked',
    practiceOds: null,
    details: { results: rows.length },
  });
  return rows;
}

/** An administrator unlocks an account that belongs to no practice (linked ones: the practice). */
export async function unlockUnlinkedAccount(ctx: Ctx, actor: Actor | null, accountId: string): Promise<void> {
  const admin = assertStaff(actor, permissions.unlockUnlinkedAccount);
  await ctx.db.transaction().execute(async (tx) => {
    const a = await accounts.accountPractice(tx, accountId);
    if (!a || a.practice_ods !== null || !(await accounts.unlockAccount(tx, a.id)))
      throw new AppError('conflict', 'This account is not locked, or belongs to a practice that unlocks it.');
    await audit(tx, ctx, admin, { action: 'account.unlock', practiceOds: null, subject: `account:${a.id}` });
  });
}

export async function verifyIdentity(
  ctx: Ctx,
  actor: Actor | null,
  patientId: string,
  input: { method: string; evidence: string },
) {
  const staff = assertOwnPracticeStaff(actor, permissions.verifyIdentity);
  const errors: { field: string; message: string }[] = [];
  const method = isVerificationMethod(input.method) ? input.method : null;
  if (!method) errors.push({ field: 'method', message: 'Select how you checked the patient’s identity' });
  const evidence = input.evidence.trim();
  if (evidence.length < 5)
    errors.push({
      field: 'evidence',
      message: 'Describe the evidence you saw, for example "UK passport and council tax bill"',
    });
  if (evidence.length > 1000)
    errors.push({ field: 'evidence', message: 'Evidence notes must be 1000 characters or fewer' });
  if (errors.length || !method) throw AppError.invalid(errors);
  const level = VERIFICATION_METHODS[method].level;
  const patient = await requirePatient(ctx, staff, patientId);
  const now = ctx.clock.now();
  return ctx.db.transaction().execute(async (tx) => {
    const account = await accounts.accountForUpdate(tx, patient.id);
    await store.insertVerification(tx, {
      id: randomUUID(),
      practice_ods: staff.practiceOds,
      patient_id: patient.id,
      account_id: account?.id ?? null,
      method,
      evidence,
      proofing_level: level,
      verified_by: staff.staffId,
      verified_at: now,
    });
    if (account) await accounts.setProofingLevel(tx, account.id, higherLevel(account.proofing_level, level));
    await audit(tx, ctx, staff, {
      action: 'identity.verify',
      patientId: patient.id,
      details: { method, proofingLevel: level, accountId: account?.id ?? null },
    });
    return { proofingLevel: level, accountUpdated: Boolean(account) };
  });
}

export type SettingsInput = Partial<ServiceSettings> & { reason?: string; expectedVersion: number };

export async function changeServices(ctx: Ctx, actor: Actor | null, patientId: string, input: SettingsInput) {
  const staff = assertOwnPracticeStaff(actor, permissions.changeServices);
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
    // A level chosen here is this member of staff's decision: automatic access leaves it.
    if (requested.recordLevel !== current.settings.recordLevel) requested.recordLevelByHand = true;
    const next = normaliseSettings(requested, current.settings, today(now));
    const changed = diffSettings(current.settings, next);
    if (Object.keys(changed).length === 0) return { version: current.version, changed };
    const recordFields = ['recordLevel', 'prospectiveFrom', 'historicAccess'];
    if (Object.keys(changed).some((k) => recordFields.includes(k)))
      assertCan(staff, permissions.changeRecordAccess, staff.practiceOds);
    // Older records need a whole-record review: historic access, or a typed start date earlier
    // than the change would otherwise give.
    const usual = normaliseSettings(
      { ...requested, prospectiveFrom: current.settings.prospectiveFrom },
      current.settings,
      today(now),
    );
    if ((next.historicAccess && !current.settings.historicAccess) || opensEarlier(usual, next))
      await assertReviewedForHistoricAccess(tx, { practiceOds: staff.practiceOds, patientId: patient.id });
    const reason = input.reason?.trim() || null;
    const version = await writeSettings(tx, {
      of: { practiceOds: staff.practiceOds, patientId: patient.id },
      current,
      next,
      changed,
      byStaff: staff.staffId,
      reason,
      now,
    });
    await audit(tx, ctx, staff, {
      action: 'online-services.change',
      patientId: patient.id,
      details: { version, changed, reason },
    });
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
  practicePhone: string | null;
  patientName: string;
  /** The postal address the practice has, for a window envelope; empty when it has none. */
  patientAddress: string[];
  nhsNumber: string;
  accountRef: string;
  linkageKey: string;
  issuedAt: Date;
  replaced: boolean;
};

/** Issues a registration letter: a new Linkage Key (old ones stop working). The key is shown only now. */
export async function issueLetter(ctx: Ctx, actor: Actor | null, patientId: string): Promise<Letter> {
  const staff = assertOwnPracticeStaff(actor, permissions.issueLetter);
  const patient = await requirePatient(ctx, staff, patientId);
  const now = ctx.clock.now();
  const key = randomCode(LINKAGE_KEY_LENGTH);
  return ctx.db.transaction().execute(async (tx) => {
    const replaced = await store.revokeLinkageKeys(tx, staff.practiceOds, patient.id, now);
    await store.insertLinkageKey(tx, {
      id: randomUUID(),
      practiceOds: staff.practiceOds,
      patientId: patient.id,
      keyHash: sha256(key),
      issuedBy: staff.staffId,
      issuedAt: now,
    });
    const practice = await store.practiceForLetter(tx, staff.practiceOds);
    await audit(tx, ctx, staff, {
      action: replaced ? 'linkage-key.reset' : 'linkage-key.issue',
      patientId: patient.id,
    });
    return {
      practiceOds: staff.practiceOds,
      practiceName: practice.name,
      practiceAddress: [...practice.address_lines, ...(practice.postcode ? [practice.postcode] : [])],
      practicePhone: practice.phone,
      patientName: `${patient.given_name} ${patient.family_name}`,
      patientAddress: [...patient.address_lines, ...(patient.postcode ? [patient.postcode] : [])],
      nhsNumber: patient.nhs_number,
      accountRef: patient.online_account_ref,
      linkageKey: key,
      issuedAt: now,
      replaced,
    };
  });
}

/** For pages that list nothing yet: only practice staff may open them. */
export function assertPracticeStaff(actor: Actor | null): void {
  assertOwnPracticeStaff(actor, permissions.findPatients);
}
