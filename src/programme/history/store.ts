// SQL of offering histories: the dated changes of an area's practices, with the area one level
// down that holds each, and entries recorded by hand or by the platform.
import { sql } from 'kysely';
import type { Db, Tx } from '../../platform/db/index.ts';
import type { OfferedService, OfferingSource } from '../../platform/db/schema.ts';
import type { AreaMatch } from '../pomi/store.ts';
import type { OfferingEntry } from './rules.ts';

/** The geography of each practice, from the names table: practice → CCG → sub-region → region. */
type Level = 'region' | 'subregion' | 'ccg' | 'pcn_code' | 'practice_ods';
const BELOW: Record<NonNullable<AreaMatch>['column'] | 'england', Level | null> = {
  england: 'region',
  region_code: 'subregion',
  subregion_code: 'ccg',
  ccg_code: 'practice_ods',
  pcn_code: 'practice_ods',
  practice_ods: null,
};
const LEVEL_OF: Record<NonNullable<AreaMatch>['column'], Level> = {
  region_code: 'region',
  subregion_code: 'subregion',
  ccg_code: 'ccg',
  pcn_code: 'pcn_code',
  practice_ods: 'practice_ods',
};

/** A `service_offerings` row as the rules read it (`child`: the area one level down, if asked). */
export type OfferingEntryRow = {
  practice_ods: string;
  child?: string | null;
  service: OfferedService;
  offered: boolean;
  effective_on: string;
  source: OfferingSource;
  recorded_at: Date;
  /** The day the practice was last found on GP Online, if ever. */
  platform_until?: string | null;
};

export function entryOf(r: OfferingEntryRow): OfferingEntry {
  return {
    practiceOds: r.practice_ods,
    child: r.child ?? null,
    service: r.service,
    offered: r.offered,
    effectiveOn: r.effective_on,
    source: r.source,
    recordedAt: r.recorded_at,
    platformUntil: r.platform_until ?? null,
  };
}

/** Every change not from POMI for the area's practices (all practices for England), oldest first. */
export async function areaEntries(db: Db, area: AreaMatch): Promise<OfferingEntry[]> {
  const parent = area ? area.column : 'england';
  const child = BELOW[parent];
  const rows = await sql<OfferingEntryRow>`
    with geo as (
      select o.practice_ods, o.service, o.offered, o.effective_on, o.source, o.recorded_at,
        c.code as ccg, s.code as subregion, s.parent_code as region, pp.pcn_code,
        pr.last_seen::text as platform_until
      from service_offerings o
      left join practice_profiles pp on pp.practice_ods = o.practice_ods
      left join platform_presence pr on pr.practice_ods = o.practice_ods
      left join areas p on p.kind = 'practice' and p.code = o.practice_ods
      left join areas c on c.kind = 'ccg' and c.code = p.parent_code
      left join areas s on s.kind = 'subregion' and s.code = c.parent_code
      -- Months without POMI are counted from what people recorded, never POMI carried forward.
      where o.source <> 'pomi'
    )
    select practice_ods, ${child ? sql.ref(child) : sql`null`} as child, service, offered,
      effective_on::text as effective_on, source, recorded_at, platform_until
    from geo
    where ${area ? sql`${sql.ref(LEVEL_OF[area.column])} = ${area.code}` : sql`true`}
    order by practice_ods, service, effective_on
  `.execute(db);
  return rows.rows.map(entryOf);
}

/** The area a code names in the names table when no POMI return carries it. */
export async function namedArea(db: Db, code: string): Promise<AreaMatch | undefined> {
  const hit = await db
    .selectFrom('areas')
    .select('kind')
    .where('code', '=', code)
    .orderBy(sql`array_position(array['region','subregion','ccg','pcn','practice'], kind)`)
    .limit(1)
    .executeTakeFirst();
  if (!hit) return undefined;
  const column = (
    {
      region: 'region_code',
      subregion: 'subregion_code',
      ccg: 'ccg_code',
      pcn: 'pcn_code',
      practice: 'practice_ods',
    } as const
  )[hit.kind];
  return { column, code };
}

export type NewOffering = {
  practiceOds: string;
  service: OfferedService;
  offered: boolean;
  effectiveOn: string;
  note: string | null;
  detail: Record<string, unknown>;
};

/** Adds changes from one source; the same practice, service and day again replaces the entry. */
export async function upsertOfferings(
  tx: Tx,
  source: Exclude<OfferingSource, 'pomi'>,
  rows: readonly NewOffering[],
  at: Date,
  by: string | null,
): Promise<void> {
  for (let i = 0; i < rows.length; i += 2000) {
    const json = JSON.stringify(
      rows.slice(i, i + 2000).map((r) => ({
        practice_ods: r.practiceOds,
        service: r.service,
        offered: r.offered,
        effective_on: r.effectiveOn,
        note: r.note,
        detail: r.detail,
      })),
    );
    await sql`
      insert into service_offerings
        (practice_ods, service, offered, effective_on, source, detail, note, recorded_at, recorded_by)
      select practice_ods, service, offered, effective_on, ${source}, detail, note, ${at}::timestamptz, ${by}::uuid
      from jsonb_to_recordset(${json}::jsonb) as x(
        practice_ods text, service text, offered boolean, effective_on date, note text, detail jsonb)
      on conflict (practice_ods, service, source, effective_on) do update
        set offered = excluded.offered, detail = excluded.detail, note = excluded.note,
          recorded_at = excluded.recorded_at, recorded_by = excluded.recorded_by
    `.execute(tx);
  }
}

/** Changes whenever an entry or a name is recorded: part of the figures' cache key. */
export async function historyVersion(db: Db): Promise<string> {
  const r = await sql<{ n: string; at: string | null; names: string | null }>`
    select (select count(*) from service_offerings where source <> 'pomi') as n,
      (select max(recorded_at)::text from service_offerings where source <> 'pomi') as at,
      (select max(updated_at)::text from areas) as names
  `.execute(db);
  const v = r.rows[0];
  return v ? `${v.n}:${v.at ?? ''}:${v.names ?? ''}` : '';
}
