// Record access, made safe to switch on (issue #8):
// - each level's own prospective start date, so a raised level never shows new kinds of
//   information from an older date (existing rows keep what they showed: the new dates start
//   at prospective_from);
// - the level historic access was granted at, so a raised level does not open older free text;
// - whether staff set the level by hand (automatic access leaves it);
// - the whole-record review that historic access needs, apart from clearing new imports.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table online_services
      add column detailed_from date,
      add column full_from date,
      add column historic_level text check (historic_level in ('summary', 'detailed', 'full')),
      add column record_level_by_hand boolean not null default false;
    update online_services set
      detailed_from = case when record_level in ('detailed', 'full') then prospective_from end,
      full_from = case when record_level = 'full' then prospective_from end,
      historic_level = case when historic_access and record_level <> 'none' then record_level end;
    update online_services s set record_level_by_hand = true
      where exists (
        select 1 from online_services_history h
        where h.patient_id = s.patient_id and h.practice_ods = s.practice_ods
          and h.changed ? 'recordLevel'
          and coalesce(h.reason, '') not like 'Automatic prospective access%');

    alter table record_controls
      add column whole_record_reviewed_at timestamptz,
      add column whole_record_reviewed_by uuid references staff_users (id);
    -- Historic access granted before this migration followed a clinician's decision on the
    -- request; it stands as a review at the time of the grant.
    insert into record_controls (patient_id, practice_ods, withheld, whole_record_reviewed_at, whole_record_reviewed_by)
      select s.patient_id, s.practice_ods, false, coalesce(h.changed_at, s.updated_at), h.changed_by
      from online_services s
      left join lateral (
        select changed_at, changed_by from online_services_history h
        where h.patient_id = s.patient_id and h.practice_ods = s.practice_ods and h.changed ? 'historicAccess'
        order by h.version desc limit 1) h on true
      where s.historic_access
    on conflict (patient_id) do update set
      whole_record_reviewed_at = excluded.whole_record_reviewed_at,
      whole_record_reviewed_by = excluded.whole_record_reviewed_by;
  `.execute(db);
}
