// SQL for patients, online accounts, verifications, linkage keys and online-service settings.
// Every query on practice data filters by the practice's ODS code.
import { sql, type Selectable } from 'kysely';
import type { Db, Tx } from '../platform/db/index.ts';
import type { OnlineServicesTable, PatientsTable } from '../platform/db/schema.ts';
import { NO_SERVICES, type ServiceSettings } from './rules.ts';

export type PatientRow = Selectable<PatientsTable>;
type Q = Db | Tx;

export function settingsFromRow(row: Selectable<OnlineServicesTable> | undefined): ServiceSettings {
  if (!row) return { ...NO_SERVICES };
  return {
    appointments: row.appointments,
    repeatPrescriptions: row.repeat_prescriptions,
    recordLevel: row.record_level,
    prospectiveFrom: row.prospective_from,
    detailedFrom: row.detailed_from,
    fullFrom: row.full_from,
    historicAccess: row.historic_access,
    historicLevel: row.historic_level,
    recordLevelByHand: row.record_level_by_hand,
    pharmacyView: row.pharmacy_view,
    pharmacyUpdate: row.pharmacy_update,
  };
}

export async function patientById(db: Q, practiceOds: string, id: string): Promise<PatientRow | undefined> {
  return db
    .selectFrom('patients')
    .selectAll()
    .where('practice_ods', '=', practiceOds)
    .where('id', '=', id)
    .executeTakeFirst();
}

/** The practice's patient with this NHS number (10 digits, no spaces), if registered there. */
export async function patientByNhsNumber(
  db: Q,
  practiceOds: string,
  nhsNumber: string,
): Promise<PatientRow | undefined> {
  return db
    .selectFrom('patients')
    .selectAll()
    .where('practice_ods', '=', practiceOds)
    .where('nhs_number', '=', nhsNumber)
    .executeTakeFirst();
}

export async function patientByAccountRef(
  db: Q,
  practiceOds: string,
  ref: string,
): Promise<PatientRow | undefined> {
  return db
    .selectFrom('patients')
    .selectAll()
    .where('practice_ods', '=', practiceOds)
    .where('online_account_ref', '=', ref)
    .executeTakeFirst();
}

export type PatientSearch = { nhsNumber?: string; familyName?: string; birthDate?: string };

export async function searchPatients(
  db: Q,
  practiceOds: string,
  q: PatientSearch,
  limit = 50,
): Promise<PatientRow[]> {
  let query = db.selectFrom('patients').selectAll().where('practice_ods', '=', practiceOds);
  if (q.nhsNumber) query = query.where('nhs_number', '=', q.nhsNumber);
  if (q.familyName)
    query = query.where(
      sql<string>`lower(family_name)`,
      'like',
      q.familyName.toLowerCase().replace(/[%_\\]/g, '\\$&') + '%',
    );
  if (q.birthDate) query = query.where('birth_date', '=', q.birthDate);
  return query.orderBy('family_name').orderBy('given_name').limit(limit).execute();
}

export async function settingsFor(
  db: Q,
  practiceOds: string,
  patientId: string,
): Promise<{ settings: ServiceSettings; version: number; updatedAt: Date | null }> {
  const row = await db
    .selectFrom('online_services')
    .selectAll()
    .where('practice_ods', '=', practiceOds)
    .where('patient_id', '=', patientId)
    .executeTakeFirst();
  return { settings: settingsFromRow(row), version: row?.version ?? 0, updatedAt: row?.updated_at ?? null };
}

export async function saveSettings(
  tx: Tx,
  p: {
    practiceOds: string;
    patientId: string;
    settings: ServiceSettings;
    expectedVersion: number;
    by: string | null;
    at: Date;
  },
): Promise<number | null> {
  const values = {
    appointments: p.settings.appointments,
    repeat_prescriptions: p.settings.repeatPrescriptions,
    record_level: p.settings.recordLevel,
    prospective_from: p.settings.prospectiveFrom,
    detailed_from: p.settings.detailedFrom,
    full_from: p.settings.fullFrom,
    historic_access: p.settings.historicAccess,
    historic_level: p.settings.historicLevel,
    record_level_by_hand: p.settings.recordLevelByHand,
    pharmacy_view: p.settings.pharmacyView,
    pharmacy_update: p.settings.pharmacyUpdate,
    updated_by: p.by,
    updated_at: p.at,
  };
  if (p.expectedVersion === 0) {
    const r = await tx
      .insertInto('online_services')
      .values({ ...values, patient_id: p.patientId, practice_ods: p.practiceOds, version: 1 })
      .onConflict((oc) => oc.column('patient_id').doNothing())
      .executeTakeFirst();
    return (r.numInsertedOrUpdatedRows ?? 0n) > 0n ? 1 : null;
  }
  // Optimistic concurrency: two staff editing at once cannot overwrite each other unseen.
  const r = await tx
    .updateTable('online_services')
    .set({ ...values, version: p.expectedVersion + 1 })
    .where('practice_ods', '=', p.practiceOds)
    .where('patient_id', '=', p.patientId)
    .where('version', '=', p.expectedVersion)
    .executeTakeFirst();
  return r.numUpdatedRows > 0n ? p.expectedVersion + 1 : null;
}

export async function accountForPatient(db: Q, patientId: string) {
  return db
    .selectFrom('online_accounts')
    .select([
      'id',
      'email',
      'proofing_level',
      'linked_at',
      'totp_confirmed_at',
      'locked_at',
      'disabled_at',
      'created_at',
    ])
    .where('patient_id', '=', patientId)
    .executeTakeFirst();
}

export async function verificationsFor(db: Q, practiceOds: string, patientId: string) {
  return db
    .selectFrom('identity_verifications as v')
    .innerJoin('staff_users as s', 's.id', 'v.verified_by')
    .select([
      'v.id',
      'v.method',
      'v.evidence',
      'v.proofing_level',
      'v.verified_at',
      's.name as verified_by_name',
      's.role as verified_by_role',
    ])
    .where('v.practice_ods', '=', practiceOds)
    .where('v.patient_id', '=', patientId)
    .orderBy('v.verified_at', 'desc')
    .execute();
}

export async function latestVerification(db: Q, practiceOds: string, patientId: string) {
  return db
    .selectFrom('identity_verifications')
    .select(['proofing_level', 'verified_at'])
    .where('practice_ods', '=', practiceOds)
    .where('patient_id', '=', patientId)
    .orderBy('verified_at', 'desc')
    .limit(1)
    .executeTakeFirst();
}

export async function liveLinkageKey(db: Q, practiceOds: string, patientId: string) {
  return db
    .selectFrom('linkage_keys')
    .select(['id', 'key_hash', 'issued_at'])
    .where('practice_ods', '=', practiceOds)
    .where('patient_id', '=', patientId)
    .where('revoked_at', 'is', null)
    .where('used_at', 'is', null)
    .executeTakeFirst();
}

export async function settingsHistory(db: Q, practiceOds: string, patientId: string) {
  return db
    .selectFrom('online_services_history as h')
    .leftJoin('staff_users as s', 's.id', 'h.changed_by')
    .select(['h.version', 'h.changed', 'h.reason', 'h.changed_at', 's.name as changed_by_name'])
    .where('h.practice_ods', '=', practiceOds)
    .where('h.patient_id', '=', patientId)
    .orderBy('h.version', 'desc')
    .limit(20)
    .execute();
}

/** When the whole record was last reviewed for online access, and when its latest entry arrived. */
export async function reviewState(
  db: Q,
  practiceOds: string,
  patientId: string,
): Promise<{ reviewedAt: Date | null; lastImportedAt: Date | null }> {
  const r = await sql<{ reviewed_at: Date | null; last_imported_at: Date | null }>`
    select
      (select whole_record_reviewed_at from record_controls
        where practice_ods = ${practiceOds} and patient_id = ${patientId}) as reviewed_at,
      (select max(imported_at) from record_entries
        where practice_ods = ${practiceOds} and patient_id = ${patientId}) as last_imported_at`.execute(db);
  const row = r.rows[0];
  return { reviewedAt: row?.reviewed_at ?? null, lastImportedAt: row?.last_imported_at ?? null };
}

/** Clears a lock set by wrong security codes; false when the account was not locked. */
export async function unlockAccount(db: Q, accountId: string): Promise<boolean> {
  const r = await db
    .updateTable('online_accounts')
    .set({ locked_at: null, code_failed_attempts: 0 })
    .where('id', '=', accountId)
    .where('locked_at', 'is not', null)
    .executeTakeFirst();
  return r.numUpdatedRows > 0n;
}

// --- Sign-up email confirmation ---------------------------------------------------------------

export async function accountByEmail(db: Q, email: string) {
  return db
    .selectFrom('online_accounts')
    .select(['id', 'email', 'email_confirmed_at', 'practice_ods', 'patient_id'])
    .where((eb) => eb(eb.fn('lower', ['email']), '=', email.trim().toLowerCase()))
    .executeTakeFirst();
}

export async function saveConfirmation(
  db: Q,
  c: { tokenHash: string; accountId: string; expiresAt: Date; passwordHash?: string | null },
): Promise<void> {
  await db
    .insertInto('email_confirmations')
    .values({
      token_hash: c.tokenHash,
      account_id: c.accountId,
      expires_at: c.expiresAt,
      used_at: null,
      password_hash: c.passwordHash ?? null,
    })
    .execute();
}

/** Spends a live confirmation token in one statement; the account it was for, or undefined. */
export async function spendConfirmation(db: Q, tokenHash: string, now: Date) {
  return db
    .updateTable('email_confirmations')
    .set({ used_at: now })
    .where('token_hash', '=', tokenHash)
    .where('used_at', 'is', null)
    .where('expires_at', '>', now)
    .returning(['account_id', 'password_hash'])
    .executeTakeFirst();
}

/** Once one link is spent, the account's other links are dead (one may carry a stranger's password). */
export async function endOtherConfirmations(db: Q, accountId: string, now: Date): Promise<void> {
  await db
    .updateTable('email_confirmations')
    .set({ used_at: now })
    .where('account_id', '=', accountId)
    .where('used_at', 'is', null)
    .execute();
}

export async function setPasswordHash(db: Q, accountId: string, passwordHash: string): Promise<void> {
  await db
    .updateTable('online_accounts')
    .set({ password_hash: passwordHash })
    .where('id', '=', accountId)
    .execute();
}

export async function liveConfirmation(db: Q, tokenHash: string, now: Date) {
  return db
    .selectFrom('email_confirmations')
    .select('account_id')
    .where('token_hash', '=', tokenHash)
    .where('used_at', 'is', null)
    .where('expires_at', '>', now)
    .executeTakeFirst();
}

export async function confirmEmail(db: Q, accountId: string, now: Date): Promise<void> {
  await db
    .updateTable('online_accounts')
    .set({ email_confirmed_at: now })
    .where('id', '=', accountId)
    .where('email_confirmed_at', 'is', null)
    .execute();
}

/** Accounts locked by wrong security codes that belong to no practice yet (administrators unlock them). */
export async function lockedUnlinkedAccounts(db: Q) {
  return db
    .selectFrom('online_accounts')
    .select(['id', 'email', 'locked_at', 'created_at'])
    .where('locked_at', 'is not', null)
    .where('practice_ods', 'is', null)
    .orderBy('locked_at', 'desc')
    .limit(200)
    .execute();
}
