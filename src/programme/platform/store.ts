// SQL of platform offerings: the settings of practices on GP Online that say what they offer
// (read from the features that own them) and the latest state the platform recorded.
import { sql } from 'kysely';
import type { Db, Tx } from '../../platform/db/index.ts';
import type { OfferedService } from '../../platform/db/schema.ts';
import type { PracticeSettings } from './rules.ts';

type Row = {
  practice_ods: string;
  bookable: number;
  ordering: boolean;
  summary: boolean;
  detailed: boolean;
  full: boolean;
};

/**
 * The settings of the practices named, or of every practice on GP Online (one with an active
 * staff account) when none are named.
 */
export async function practiceSettings(
  db: Db | Tx,
  practices: readonly string[] | null,
): Promise<PracticeSettings[]> {
  const rows = await sql<Row>`
    with p as (
      ${
        practices
          ? sql`select unnest(${sql.val(practices)}::text[]) as ods`
          : sql`select distinct u.practice_ods as ods from staff_users u
              join practices x on x.ods_code = u.practice_ods and x.status = 'active'
              where u.active`
      }
    )
    select p.ods as practice_ods,
      (select count(*)::int from slot_types t
        where t.practice_ods = p.ods and t.active and t.bookable_online) as bookable,
      coalesce((select s.online_ordering from prescription_settings s where s.practice_ods = p.ods), true) as ordering,
      -- Whether any patient has each level (exists, not count: this runs on every level change).
      exists (select 1 from online_services o where o.practice_ods = p.ods and o.record_level = 'summary') as summary,
      exists (select 1 from online_services o where o.practice_ods = p.ods and o.record_level = 'detailed') as detailed,
      exists (select 1 from online_services o where o.practice_ods = p.ods and o.record_level = 'full') as full
    from p
    where exists (select 1 from practices x where x.ods_code = p.ods)
    order by p.ods
  `.execute(db);
  return rows.rows.map((r) => ({
    practiceOds: r.practice_ods,
    bookableSlotTypes: r.bookable,
    onlineOrdering: r.ordering,
    levels: { summary: r.summary, detailed: r.detailed, full: r.full },
  }));
}

/** The latest state the platform recorded for each practice and service. */
export async function latestPlatformStates(
  db: Db | Tx,
  practices: readonly string[],
): Promise<Map<string, Map<OfferedService, boolean>>> {
  const rows = await sql<{ practice_ods: string; service: OfferedService; offered: boolean }>`
    select distinct on (practice_ods, service) practice_ods, service, offered
    from service_offerings
    where source = 'platform' and practice_ods = any(${sql.val(practices)}::text[])
    order by practice_ods, service, effective_on desc
  `.execute(db);
  const out = new Map<string, Map<OfferedService, boolean>>();
  for (const r of rows.rows) {
    const m = out.get(r.practice_ods) ?? new Map<OfferedService, boolean>();
    m.set(r.service, r.offered);
    out.set(r.practice_ods, m);
  }
  return out;
}

/**
 * Holds the practices' offering histories for the rest of the transaction, so two changes at
 * once (on PostgreSQL) each see the other's settings before deciding what changed.
 */
export async function lockPractices(tx: Tx, practices: readonly string[]): Promise<void> {
  for (const ods of [...practices].sort())
    await sql`select pg_advisory_xact_lock(hashtext(${`platform-offerings:${ods}`}))`.execute(tx);
}

/** The practices were found on GP Online on `day` (their histories count up to it). */
export async function markPresent(tx: Tx, practices: readonly string[], day: string): Promise<void> {
  if (!practices.length) return;
  await sql`
    insert into platform_presence (practice_ods, first_seen, last_seen)
    select ods, ${day}::date, ${day}::date from unnest(${sql.val(practices)}::text[]) as ods
    on conflict (practice_ods) do update set last_seen = greatest(platform_presence.last_seen, excluded.last_seen)
  `.execute(tx);
}
