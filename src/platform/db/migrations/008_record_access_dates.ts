// Record access, made safe to switch on (issue #8): each level's own prospective start date, so a
// raised level never shows new kinds of information from an older date, and whether staff set the
// level by hand (automatic access leaves it).
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table online_services
      add column detailed_from date,
      add column full_from date,
      add column record_level_by_hand boolean not null default false;
    update online_services set
      detailed_from = case when record_level in ('detailed', 'full') then prospective_from end,
      full_from = case when record_level = 'full' then prospective_from end;
    update online_services s set record_level_by_hand = true
      where exists (
        select 1 from online_services_history h
        where h.patient_id = s.patient_id and h.practice_ods = s.practice_ods
          and h.changed ? 'recordLevel'
          and coalesce(h.reason, '') not like 'Automatic prospective access%');
  `.execute(db);
}
