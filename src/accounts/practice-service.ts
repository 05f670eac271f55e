// Practice staff use cases for patients' online accounts: find, view, check identity, switch
// services, issue registration letters. Each: permission → transaction → rules + store →
// audit row in the same transaction → result.
import { randomUUID } from 'node:crypto';
import type { Actor, StaffActor } from '../platform/auth/actor.ts';
import { auditActor, SYSTEM_ACTOR } from '../platform/auth/actor.ts';
import type { Db, Tx } from '../platform/db/index.ts';
import { assertCan, assertOwnPracticeStaff } from '../platform/auth/permissions.ts';
import { randomCode, sha256 } from '../platform/auth/secrets.ts';
import { recordAudit, recordAuditAlone } from '../platform/audit/audit.ts';
import type { VerificationMethod } from '../platform/db/schema.ts';
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
  VERIFICATION_METHODS,
  type ServiceSettings,
  type SettingsChange,
} from './rules.ts';
import * as store from './store.ts';
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
  const staff = assertOwnPracticeStaff(actor, permissions.viewPatient);
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

/**
 * Unlocks the online account of a practice's patient after too many wrong security codes
 * (signin.ts). Staff should first be sure who is asking: the lock means someone had the password.
 */
export async function unlockOnlineAccount(ctx: Ctx, actor: Actor | null, patientId: string): Promise<void> {
  const staff = assertOwnPracticeStaff(actor, permissions.unlockAccount);
  const patient = await requirePatient(ctx, staff, patientId);
  const now = ctx.clock.now();
  await ctx.db.transaction().execute(async (tx) => {
    const account = await store.accountForPatient(tx, patient.id);
    if (!account || !(await store.unlockAccount(tx, account.id)))
      throw new AppError('conflict', 'This patient’s online account is not locked.');
    await recordAudit(
      tx,
      {
        actor: auditActor(staff),
        action: 'account.unlock',
        outcome: 'success',
        practiceOds: staff.practiceOds,
        patientId: patient.id,
        subject: `account:${account.id}`,
        request: ctx.meta,
      },
      now,
    );
  });
}

/** Locked accounts not linked to any practice, for an administrator. */
export async function lockedUnlinkedAccounts(ctx: Ctx, actor: Actor | null) {
  assertCan(actor, permissions.unlockUnlinkedAccount);
  const rows = await store.lockedUnlinkedAccounts(ctx.db);
  // The list shows people's email addresses: a read of personal data, audited.
  await recordAuditAlone(
    ctx.db,
    {
      actor: auditActor(actor),
      action: 'account.list-locked',
      outcome: 'success',
      details: { results: rows.length },
      request: ctx.meta,
    },
    ctx.clock.now(),
  );
  return rows;
}

/** An administrator unlocks an account that belongs to no practice (linked ones: the practice). */
export async function unlockUnlinkedAccount(ctx: Ctx, actor: Actor | null, accountId: string): Promise<void> {
  assertCan(actor, permissions.unlockUnlinkedAccount);
  const admin = actor as StaffActor;
  const now = ctx.clock.now();
  await ctx.db.transaction().execute(async (tx) => {
    const a = await tx
      .selectFrom('online_accounts')
      .select(['id', 'practice_ods'])
      .where('id', '=', accountId)
      .executeTakeFirst();
    if (!a || a.practice_ods !== null || !(await store.unlockAccount(tx, a.id)))
      throw new AppError('conflict', 'This account is not locked, or belongs to a practice that unlocks it.');
    await recordAudit(
      tx,
      {
        actor: auditActor(admin),
        action: 'account.unlock',
        outcome: 'success',
        subject: `account:${a.id}`,
        request: ctx.meta,
      },
      now,
    );
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
      await assertReviewedForHistoricAccess(tx, staff.practiceOds, patient.id);
    const reason = input.reason?.trim() || null;
    const version = await writeSettings(
      tx,
      {
        practiceOds: staff.practiceOds,
        patientId: patient.id,
        expectedVersion: current.version,
        next,
        changed,
        byStaff: staff.staffId,
        reason,
      },
      now,
    );
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
  const staff = assertOwnPracticeStaff(actor, permissions.issueLetter);
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

/** For pages that list nothing yet: only practice staff may open them. */
export function assertPracticeStaff(actor: Actor | null): void {
  assertOwnPracticeStaff(actor, permissions.findPatients);
}

/** The online-service settings of a patient (other features read them through here). */
export async function settingsOf(
  db: Db | Tx,
  practiceOds: string,
  patientId: string,
): Promise<{ settings: ServiceSettings; version: number; updatedAt: Date | null }> {
  return store.settingsFor(db, practiceOds, patientId);
}

/**
 * Switches prospective full record access on by the system's decision (automatic access when an
 * account is linked, at 16, or by a practice's bulk action), with history and audit.
 */
export async function enableFullAccessBySystem(
  tx: Tx,
  p: {
    practiceOds: string;
    patientId: string;
    trigger: string;
    byStaff: string | null;
    /** The England day the new access starts: today, or the 16th birthday a run catches up on. */
    from: string;
  },
  now: Date,
): Promise<void> {
  const current = await store.settingsFor(tx, p.practiceOds, p.patientId);
  const next = normaliseSettings(
    { ...current.settings, recordLevel: 'full', recordLevelByHand: false },
    current.settings,
    p.from,
  );
  const changed = diffSettings(current.settings, next);
  if (Object.keys(changed).length === 0) return;
  const version = await writeSettings(
    tx,
    {
      practiceOds: p.practiceOds,
      patientId: p.patientId,
      expectedVersion: current.version,
      next,
      changed,
      byStaff: p.byStaff,
      reason: `Automatic prospective access (${p.trigger})`,
    },
    now,
  );
  await recordAudit(
    tx,
    {
      actor: SYSTEM_ACTOR,
      action: 'online-services.automatic-access',
      outcome: 'success',
      practiceOds: p.practiceOds,
      patientId: p.patientId,
      details: { trigger: p.trigger, version, changed },
    },
    now,
  );
}

/** Grants historic record access after a clinician's review (the request's decision), with history and audit. */
export async function grantHistoricAccessTx(
  tx: Tx,
  p: { practiceOds: string; patientId: string; byStaff: string; reason: string },
  now: Date,
): Promise<void> {
  const current = await store.settingsFor(tx, p.practiceOds, p.patientId);
  if (current.settings.recordLevel === 'none') {
    throw new AppError(
      'conflict',
      'Switch on record access for this patient before granting historic access.',
      { reason: 'record-access-off' },
    );
  }
  const next = normaliseSettings({ ...current.settings, historicAccess: true }, current.settings, today(now));
  const changed = diffSettings(current.settings, next);
  if (Object.keys(changed).length === 0) return;
  await assertReviewedForHistoricAccess(tx, p.practiceOds, p.patientId);
  await writeSettings(
    tx,
    {
      practiceOds: p.practiceOds,
      patientId: p.patientId,
      expectedVersion: current.version,
      next,
      changed,
      byStaff: p.byStaff,
      reason: p.reason,
    },
    now,
  );
}

/**
 * Historic access shows what was recorded before prospective access began, which nobody has
 * checked for third-party or harmful information unless the whole record was reviewed (domain.md
 * §2.2). The review must be recorded, by whom and when, after the last entry arrived.
 */
async function assertReviewedForHistoricAccess(
  tx: Tx,
  practiceOds: string,
  patientId: string,
): Promise<void> {
  const r = await store.reviewState(tx, practiceOds, patientId);
  if (!r.reviewedAt) {
    throw new AppError(
      'conflict',
      'Review the whole record before giving access to older records (historic access or an earlier start date): no review of this record has been recorded.',
      { reason: 'record-not-reviewed' },
    );
  }
  if (r.lastImportedAt && r.lastImportedAt > r.reviewedAt) {
    throw new AppError(
      'conflict',
      'Review the record again before giving access to older records: entries have arrived since the last review.',
      { reason: 'record-changed-since-review' },
    );
  }
}

/**
 * Saves a settings change at the version it was read at, with its history row. Every change of
 * online services, by staff or by the system, goes through here.
 */
async function writeSettings(
  tx: Tx,
  p: {
    practiceOds: string;
    patientId: string;
    expectedVersion: number;
    next: ServiceSettings;
    changed: SettingsChange;
    byStaff: string | null;
    reason: string | null;
  },
  now: Date,
): Promise<number> {
  const version = await store.saveSettings(tx, {
    practiceOds: p.practiceOds,
    patientId: p.patientId,
    settings: p.next,
    expectedVersion: p.expectedVersion,
    by: p.byStaff,
    at: now,
  });
  if (version === null) {
    throw new AppError(
      'conflict',
      'Someone else changed these settings at the same time. Check the current settings and try again.',
      { reason: 'stale-version' },
    );
  }
  await tx
    .insertInto('online_services_history')
    .values({
      practice_ods: p.practiceOds,
      patient_id: p.patientId,
      version,
      settings: JSON.stringify(p.next),
      changed: JSON.stringify(p.changed),
      reason: p.reason,
      changed_by: p.byStaff,
      changed_at: now,
    })
    .execute();
  return version;
}
