// SQL for patients, online accounts, verifications, linkage keys and online-service settings.
// Every query on practice data filters by the practice's ODS code.
import { sql, type Insertable, type Selectable } from 'kysely';
import type { Db, Tx } from '../platform/db/index.ts';
import type {
  IdentityVerificationsTable,
  OnlineServicesTable,
  PatientsTable,
} from '../platform/db/schema.ts';
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

export async function insertPatient(db: Q, row: Insertable<PatientsTable>): Promise<void> {
  await db.insertInto('patients').values(row).execute();
}

/** Who the patient is and at which practice, for their own home page. */
export async function patientSummary(db: Q, practiceOds: string, patientId: string) {
  return db
    .selectFrom('patients as p')
    .innerJoin('practices as pr', 'pr.ods_code', 'p.practice_ods')
    .select(['p.given_name', 'p.family_name', 'p.nhs_number', 'p.birth_date', 'pr.name as practice_name'])
    .where('p.practice_ods', '=', practiceOds)
    .where('p.id', '=', patientId)
    .executeTakeFirstOrThrow();
}

/** The practice's name and address, for the head of a registration letter. */
export async function practiceForLetter(db: Q, practiceOds: string) {
  return db
    .selectFrom('practices')
    .select(['name', 'address_lines', 'postcode', 'phone'])
    .where('ods_code', '=', practiceOds)
    .executeTakeFirstOrThrow();
}

/** The practice's name and phone, for telling a patient how to ask for a service. */
export async function practiceContact(db: Q, practiceOds: string) {
  return db
    .selectFrom('practices')
    .select(['name', 'phone'])
    .where('ods_code', '=', practiceOds)
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

/** One row of a settings change, by staff or the system. */
export async function insertSettingsHistory(
  db: Q,
  h: {
    practiceOds: string;
    patientId: string;
    version: number;
    settings: ServiceSettings;
    changed: Record<string, { from: unknown; to: unknown }>;
    reason: string | null;
    by: string | null;
    at: Date;
  },
): Promise<void> {
  await db
    .insertInto('online_services_history')
    .values({
      practice_ods: h.practiceOds,
      patient_id: h.patientId,
      version: h.version,
      settings: JSON.stringify(h.settings),
      changed: JSON.stringify(h.changed),
      reason: h.reason,
      changed_by: h.by,
      changed_at: h.at,
    })
    .execute();
}

export async function insertVerification(db: Q, row: Insertable<IdentityVerificationsTable>): Promise<void> {
  await db.insertInto('identity_verifications').values(row).execute();
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

/** Revokes the patient's unused keys; whether there was one (the new letter replaces it). */
export async function revokeLinkageKeys(
  db: Q,
  practiceOds: string,
  patientId: string,
  now: Date,
): Promise<boolean> {
  const r = await db
    .updateTable('linkage_keys')
    .set({ revoked_at: now })
    .where('practice_ods', '=', practiceOds)
    .where('patient_id', '=', patientId)
    .where('revoked_at', 'is', null)
    .where('used_at', 'is', null)
    .executeTakeFirst();
  return r.numUpdatedRows > 0n;
}

export async function insertLinkageKey(
  db: Q,
  k: {
    id: string;
    practiceOds: string;
    patientId: string;
    keyHash: string;
    issuedBy: string;
    issuedAt: Date;
  },
): Promise<void> {
  await db
    .insertInto('linkage_keys')
    .values({
      id: k.id,
      practice_ods: k.practiceOds,
      patient_id: k.patientId,
      key_hash: k.keyHash,
      issued_by: k.issuedBy,
      issued_at: k.issuedAt,
    })
    .execute();
}

/** Spends a live key in one statement (single use); false when it was spent or revoked meanwhile. */
export async function spendLinkageKey(db: Q, keyId: string, accountId: string, now: Date): Promise<boolean> {
  const r = await db
    .updateTable('linkage_keys')
    .set({ used_at: now, used_by_account: accountId })
    .where('id', '=', keyId)
    .where('used_at', 'is', null)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return r.numUpdatedRows > 0n;
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
