// A version number per patient record, raised by the database whenever any of the patient's
// record entries is added, changed or removed (imports, redaction, review). Readers use it to
// know that what they rendered earlier is still what the record holds, whoever made the change
// and in whichever process. Statement-level triggers with transition tables: one upsert per
// statement and patient, so a 5,000-entry import raises it once per batch, not per row.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table record_versions (
      practice_ods text not null,
      patient_id uuid not null,
      version bigint not null default 1,
      primary key (practice_ods, patient_id)
    )
  `.execute(db);
  await sql`
    create function bump_record_versions() returns trigger language plpgsql as $$
    begin
      if tg_op = 'DELETE' then
        insert into record_versions (practice_ods, patient_id)
          select distinct practice_ods, patient_id from changed_old
          on conflict (practice_ods, patient_id) do update set version = record_versions.version + 1;
      else
        insert into record_versions (practice_ods, patient_id)
          select distinct practice_ods, patient_id from changed_new
          on conflict (practice_ods, patient_id) do update set version = record_versions.version + 1;
      end if;
      return null;
    end $$
  `.execute(db);
  const triggers = [
    ['insert', 'new table as changed_new'],
    ['update', 'new table as changed_new'],
    ['delete', 'old table as changed_old'],
  ] as const;
  for (const [op, transition] of triggers)
    await sql`
      create trigger ${sql.raw(`record_entries_version_${op}`)} after ${sql.raw(op)} on record_entries
        referencing ${sql.raw(transition)}
        for each statement execute function bump_record_versions()
    `.execute(db);
}
