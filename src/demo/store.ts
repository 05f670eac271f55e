// SQL of the demo loader: what is there already (the loader is idempotent), and the rows no
// feature's use case writes (a demo account arrives confirmed, with its authenticator set up).
import type { Db, Tx } from '../platform/db/index.ts';
import type {
  AppointmentRulesTable,
  LocationsTable,
  OnlineAccountsTable,
  PractitionersTable,
  SlotTypesTable,
} from '../platform/db/schema.ts';
import type { Insertable } from 'kysely';

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
