// SQL of the demo loader: what is there already (the loader is idempotent), and the rows no
// feature's use case writes (a demo account arrives confirmed, with its authenticator set up).
import type { Db, Tx } from '../platform/db/index.ts';
import type {
  AppointmentRulesTable,
  LocationsTable,
  OnlineAccountsTable,
  PrescriptionSettingsTable,
  PractitionersTable,
  SlotTypesTable,
} from '../platform/db/schema.ts';
import { sql, type Insertable } from 'kysely';
import type { DemoPrescriptionRows, MedicationEntry } from './prescriptions.ts';

export async function staffIdByEmail(db: Db, email: string): Promise<string> {
  const row = await db
    .selectFrom('staff_users')
    .select('id')
    .where('email', '=', email)
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function practiceExists(db: Db, odsCode: string): Promise<boolean> {
  return Boolean(
    await db.selectFrom('practices').select('ods_code').where('ods_code', '=', odsCode).executeTakeFirst(),
  );
}

export async function anyPractice(db: Db): Promise<boolean> {
  return Boolean(await db.selectFrom('practices').select('ods_code').limit(1).executeTakeFirst());
}

export async function staffExists(db: Db, email: string): Promise<boolean> {
  return Boolean(
    await db.selectFrom('staff_users').select('id').where('email', '=', email).executeTakeFirst(),
  );
}

export async function patientIdByNhsNumber(db: Db, nhsNumber: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('patients')
    .select('id')
    .where('nhs_number', '=', nhsNumber)
    .executeTakeFirst();
  return row?.id;
}

export async function accountExists(db: Db, email: string): Promise<boolean> {
  return Boolean(
    await db.selectFrom('online_accounts').select('id').where('email', '=', email).executeTakeFirst(),
  );
}

export async function insertAccount(tx: Tx, row: Insertable<OnlineAccountsTable>): Promise<void> {
  await tx.insertInto('online_accounts').values(row).execute();
}

export async function hasRecordEntries(db: Db, patientId: string): Promise<boolean> {
  return Boolean(
    await db
      .selectFrom('record_entries')
      .select('id')
      .where('patient_id', '=', patientId)
      .limit(1)
      .executeTakeFirst(),
  );
}

export async function hasPractitioners(db: Db, practiceOds: string): Promise<boolean> {
  return Boolean(
    await db
      .selectFrom('practitioners')
      .select('id')
      .where('practice_ods', '=', practiceOds)
      .limit(1)
      .executeTakeFirst(),
  );
}

export async function insertPractitioners(tx: Tx, rows: Insertable<PractitionersTable>[]): Promise<void> {
  await tx.insertInto('practitioners').values(rows).execute();
}

export async function insertLocation(tx: Tx, row: Insertable<LocationsTable>): Promise<void> {
  await tx.insertInto('locations').values(row).execute();
}

export async function insertSlotTypes(tx: Tx, rows: Insertable<SlotTypesTable>[]): Promise<void> {
  await tx.insertInto('slot_types').values(rows).execute();
}

export async function insertAppointmentRules(tx: Tx, row: Insertable<AppointmentRulesTable>): Promise<void> {
  await tx.insertInto('appointment_rules').values(row).execute();
}

export async function accountIdByEmail(db: Db, email: string): Promise<string | null> {
  const row = await db
    .selectFrom('online_accounts')
    .select('id')
    .where('email', '=', email)
    .executeTakeFirst();
  return row?.id ?? null;
}

// --- Repeat prescriptions (issue #11) ---

export async function hasPrescriptionSettings(db: Db, practiceOds: string): Promise<boolean> {
  return Boolean(
    await db
      .selectFrom('prescription_settings')
      .select('practice_ods')
      .where('practice_ods', '=', practiceOds)
      .executeTakeFirst(),
  );
}

/** The `n` oldest of these patients who are registered at the practice. */
export async function oldestOf(
  db: Db,
  practiceOds: string,
  patientIds: readonly string[],
  n: number,
): Promise<string[]> {
  if (patientIds.length === 0) return [];
  const rows = await db
    .selectFrom('patients')
    .select('id')
    .where('practice_ods', '=', practiceOds)
    .where('id', 'in', patientIds)
    .orderBy('birth_date')
    .orderBy('id')
    .limit(n)
    .execute();
  return rows.map((r) => r.id);
}

/** Patients of these who have a repeat template already (staff may have made one). */
export async function patientsWithTemplates(db: Db, patientIds: readonly string[]): Promise<Set<string>> {
  if (patientIds.length === 0) return new Set();
  const rows = await db
    .selectFrom('repeat_templates')
    .select('patient_id')
    .distinct()
    .where('patient_id', 'in', patientIds)
    .execute();
  return new Set(rows.map((r) => r.patient_id));
}

export type MedicationEntryRow = {
  id: string;
  coding: unknown[];
  title: string;
  details: Record<string, unknown>;
};

/** A patient's medication entries in the record, oldest first. */
export async function medicationEntries(db: Db, patientId: string): Promise<MedicationEntry[]> {
  return db
    .selectFrom('record_entries')
    .select(['id', 'coding', 'title', 'details'])
    .where('patient_id', '=', patientId)
    .where('kind', '=', 'medication')
    .orderBy('recorded_at')
    .orderBy('id')
    .execute();
}

/** Writes a practice's demo prescriptions and, last, its settings (which mark it loaded). */
export async function insertPrescriptions(
  tx: Tx,
  rows: DemoPrescriptionRows,
  settings: Insertable<PrescriptionSettingsTable>,
): Promise<void> {
  const chunks = <T>(xs: T[]) =>
    Array.from({ length: Math.ceil(xs.length / 500) }, (_, i) => xs.slice(i * 500, i * 500 + 500));
  for (const part of chunks(rows.templates)) await tx.insertInto('repeat_templates').values(part).execute();
  // A template's "created" change has nothing before it: SQL null, not a JSON null.
  const changes = rows.changes.map((c) => ({ ...c, before: sql<string>`null` }));
  for (const part of chunks(changes)) await tx.insertInto('repeat_template_changes').values(part).execute();
  for (const part of chunks(rows.requests))
    await tx.insertInto('prescription_requests').values(part).execute();
  for (const part of chunks(rows.items))
    await tx.insertInto('prescription_request_items').values(part).execute();
  for (const part of chunks(rows.issues)) await tx.insertInto('prescription_issues').values(part).execute();
  await tx.insertInto('prescription_settings').values(settings).execute();
}

/** A demo patient's nominated pharmacy, with its history row; nothing if one is already chosen. */
export async function nominateOnce(
  db: Db,
  n: { patientId: string; pharmacyOds: string; at: Date },
): Promise<void> {
  await db.transaction().execute(async (tx) => {
    const patient = await tx
      .selectFrom('patients')
      .select('practice_ods')
      .where('id', '=', n.patientId)
      .executeTakeFirstOrThrow();
    const made = await tx
      .insertInto('pharmacy_nominations')
      .values({
        patient_id: n.patientId,
        practice_ods: patient.practice_ods,
        pharmacy_ods: n.pharmacyOds,
        nominated_at: n.at,
        nominated_by_account: null,
        nominated_by_staff: null,
      })
      .onConflict((oc) => oc.column('patient_id').doNothing())
      .executeTakeFirst();
    if (Number(made.numInsertedOrUpdatedRows ?? 0) === 0) return;
    await tx
      .insertInto('pharmacy_nomination_history')
      .values({
        practice_ods: patient.practice_ods,
        patient_id: n.patientId,
        pharmacy_ods: n.pharmacyOds,
        previous_ods: null,
        changed_at: n.at,
        changed_by_account: null,
        changed_by_staff: null,
      })
      .execute();
  });
}
