// SQL of a practice's POMI return from live data: counts over the features' own tables for one
// practice and one month (`from` to `to`, England's month boundaries), never patient rows.
import { sql } from 'kysely';
import type { Db } from '../../platform/db/index.ts';
import type { OfferingEntryRow } from '../history/store.ts';

type Counts = {
  list_size: number;
  any_end: number;
  any_start_to_end: number;
  appts: number;
  presc: number;
  dcr: number;
  appts_use: number;
  presc_use: number;
  dcr_use: number;
};

/**
 * A patient's services at an instant are those of their latest settings history row before it
 * (every change writes one). "New" is enabled for any service at the end and not at the start.
 */
export async function liveCounts(db: Db, practice: string, from: Date, to: Date): Promise<Counts> {
  const r = await sql<Counts>`
    with at_end as (
      select distinct on (patient_id) patient_id, settings
      from online_services_history where practice_ods = ${practice} and changed_at < ${to}
      order by patient_id, version desc
    ), at_start as (
      select distinct on (patient_id) patient_id, settings
      from online_services_history where practice_ods = ${practice} and changed_at < ${from}
      order by patient_id, version desc
    ), enabled_end as (
      select patient_id, settings from at_end
      where (settings->>'appointments')::boolean or (settings->>'repeatPrescriptions')::boolean
        or settings->>'recordLevel' <> 'none'
    ), enabled_start as (
      select patient_id from at_start
      where (settings->>'appointments')::boolean or (settings->>'repeatPrescriptions')::boolean
        or settings->>'recordLevel' <> 'none'
    )
    select
      (select count(*)::int from patients where practice_ods = ${practice} and created_at < ${to}) as list_size,
      (select count(*)::int from enabled_end) as any_end,
      (select count(*)::int from enabled_end e
        where not exists (select 1 from enabled_start s where s.patient_id = e.patient_id)) as any_start_to_end,
      (select count(*)::int from at_end where (settings->>'appointments')::boolean) as appts,
      (select count(*)::int from at_end where (settings->>'repeatPrescriptions')::boolean) as presc,
      (select count(*)::int from at_end where settings->>'recordLevel' in ('detailed', 'full')) as dcr,
      (select count(*)::int from appointments where practice_ods = ${practice} and booked_online
          and booked_at >= ${from} and booked_at < ${to})
        + (select count(*)::int from appointments where practice_ods = ${practice}
          and status = 'cancelled' and cancelled_by_type = 'patient'
          and status_changed_at >= ${from} and status_changed_at < ${to}) as appts_use,
      (select count(*)::int from prescription_requests where practice_ods = ${practice}
        and channel in ('web', 'api') and requested_at >= ${from} and requested_at < ${to}) as presc_use,
      (select count(*)::int from audit_events where practice_ods = ${practice} and action = 'record.view'
        and actor_type = 'patient' and outcome = 'success' and at >= ${from} and at < ${to}) as dcr_use
  `.execute(db);
  const row = r.rows[0];
  if (!row) throw new Error('no counts');
  return row;
}

/** The practice's name and the areas above it as the names table has them. */
export async function practicePlace(db: Db, practice: string) {
  const r = await sql<{
    name: string;
    ccg_code: string | null;
    ccg_name: string | null;
    subregion_code: string | null;
    subregion_name: string | null;
    region_code: string | null;
    region_name: string | null;
  }>`
    select pr.name, coalesce(c.code, pr.commissioner_code) as ccg_code, c.name as ccg_name,
      s.code as subregion_code, s.name as subregion_name, g.code as region_code, g.name as region_name
    from practices pr
    left join areas p on p.kind = 'practice' and p.code = pr.ods_code
    left join areas c on c.kind = 'ccg' and c.code = p.parent_code
    left join areas s on s.kind = 'subregion' and s.code = c.parent_code
    left join areas g on g.kind = 'region' and g.code = s.parent_code
    where pr.ods_code = ${practice}
  `.execute(db);
  return r.rows[0];
}

/** The practice's offering entries not from POMI up to `day` (its own settings, a facilitator's). */
export async function offeringEntries(db: Db, practice: string, day: string): Promise<OfferingEntryRow[]> {
  const r = await sql<OfferingEntryRow>`
    select practice_ods, service, offered, effective_on::text as effective_on, source, recorded_at
    from service_offerings
    where practice_ods = ${practice} and source <> 'pomi' and effective_on <= ${day}::date
  `.execute(db);
  return r.rows;
}

/** When the practice first has data on GP Online: its first patient or settings change. */
export async function firstData(db: Db, practice: string): Promise<Date | null> {
  const r = await sql<{ at: Date | null }>`
    select least(
      (select min(created_at) from patients where practice_ods = ${practice}),
      (select min(changed_at) from online_services_history where practice_ods = ${practice})
    ) as at`.execute(db);
  return r.rows[0]?.at ?? null;
}
