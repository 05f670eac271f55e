// The geography below and beside POMI's: each practice's primary care network (PCN), registered
// list size and deprivation score, from NHS Digital's practice map and list-size files and OHID
// Fingertips. Each file fills its own columns, dated, so a later file of one kind leaves the others.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table areas drop constraint areas_kind_check;
    alter table areas add constraint areas_kind_check
      check (kind in ('region', 'subregion', 'ccg', 'pcn', 'practice'));

    create table practice_profiles (
      practice_ods text primary key check (practice_ods ~ '^[A-Z0-9]{3,10}$'),
      pcn_code text check (pcn_code ~ '^[A-Z0-9]{2,10}$'),
      pcn_on date,
      list_size integer check (list_size >= 0),
      list_size_on date,
      imd_score numeric(7, 3) check (imd_score >= 0 and imd_score <= 100),
      imd_year integer check (imd_year between 2000 and 2100),
      updated_at timestamptz not null
    );
    create index practice_profiles_pcn on practice_profiles (pcn_code);
  `.execute(db);
}
