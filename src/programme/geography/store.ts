// SQL of practice geography: each practice's PCN, list size and deprivation score, and the names
// of the areas the practice map gives.
import { sql } from 'kysely';
import type { Db, Tx } from '../../platform/db/index.ts';
import type { GeographyKind, ProfileRow } from './rules.ts';

/** Each file kind writes its own columns and leaves the others as they were. */
const SETS: Record<GeographyKind, ReturnType<typeof sql>> = {
  map: sql`pcn_code = excluded.pcn_code, pcn_on = excluded.pcn_on`,
  'list-sizes': sql`list_size = excluded.list_size, list_size_on = excluded.list_size_on`,
  imd: sql`imd_score = excluded.imd_score, imd_year = excluded.imd_year`,
};

export async function upsertProfiles(
  tx: Tx,
  kind: GeographyKind,
  rows: readonly ProfileRow[],
  file: { on: string | null; year: number | null },
  at: Date,
): Promise<void> {
  for (let i = 0; i < rows.length; i += 4000) {
    const json = JSON.stringify(
      rows.slice(i, i + 4000).map((r) => ({
        practice_ods: r.practiceOds,
        pcn_code: r.pcnCode ?? null,
        list_size: r.listSize ?? null,
        imd_score: r.imdScore ?? null,
      })),
    );
    const on = kind === 'imd' ? null : file.on;
    await sql`
      insert into practice_profiles
        (practice_ods, pcn_code, pcn_on, list_size, list_size_on, imd_score, imd_year, updated_at)
      select practice_ods, pcn_code, ${kind === 'map' ? on : null}::date, list_size,
        ${kind === 'list-sizes' ? on : null}::date, imd_score, ${kind === 'imd' ? file.year : null}::int,
        ${at}::timestamptz
      from jsonb_to_recordset(${json}::jsonb) as x(practice_ods text, pcn_code text, list_size int,
        imd_score numeric)
      on conflict (practice_ods) do update set ${SETS[kind]}, updated_at = excluded.updated_at
    `.execute(tx);
  }
}

/** Changes whenever a geography file lands: part of the figures' cache key. */
export async function geographyVersion(db: Db): Promise<string> {
  const r = await db
    .selectFrom('practice_profiles')
    .select([sql<string>`count(*)`.as('n'), sql<string | null>`max(updated_at)::text`.as('at')])
    .executeTakeFirstOrThrow();
  return `${r.n}:${r.at ?? ''}`;
}

/** Whether a code is a PCN: named by the map, or the PCN of some practice. */
export async function isPcn(db: Db, code: string): Promise<boolean> {
  const hit = await sql<{ one: number }>`
    select 1 as one where exists (select 1 from areas where kind = 'pcn' and code = ${code})
      or exists (select 1 from practice_profiles where pcn_code = ${code})
  `.execute(db);
  return hit.rows.length > 0;
}

export type ProfileView = {
  practice_ods: string;
  pcn_code: string | null;
  pcn_name: string | null;
  list_size: number | null;
  list_size_on: string | null;
  imd_score: string | null;
  imd_year: number | null;
};

/** These practices' profiles with their PCN's name, by practice. */
export async function profiles(db: Db, practices: readonly string[]): Promise<Map<string, ProfileView>> {
  if (practices.length === 0) return new Map();
  const rows = await db
    .selectFrom('practice_profiles as p')
    .leftJoin('areas as a', (j) => j.onRef('a.code', '=', 'p.pcn_code').on('a.kind', '=', 'pcn'))
    .select([
      'p.practice_ods',
      'p.pcn_code',
      'a.name as pcn_name',
      'p.list_size',
      sql<string | null>`p.list_size_on::text`.as('list_size_on'),
      'p.imd_score',
      'p.imd_year',
    ])
    .where('p.practice_ods', 'in', [...practices])
    .execute();
  return new Map(rows.map((r) => [r.practice_ods, r]));
}

/** The 80th, 60th, 40th and 20th percentiles of practices' deprivation scores: fifths' edges. */
export async function imdCuts(db: Db): Promise<number[]> {
  const r = await sql<{ cuts: number[] | null }>`
    select percentile_cont(array[0.8, 0.6, 0.4, 0.2]::float8[]) within group (order by imd_score::float8) as cuts
    from practice_profiles where imd_score is not null
  `.execute(db);
  return (r.rows[0]?.cuts ?? []).map(Number);
}

/** The level above an area in the names table, named (a PCN's CCG, as the map gives it). */
export async function parentOf(db: Db, kind: 'pcn', code: string) {
  return db
    .selectFrom('areas as a')
    .innerJoin('areas as p', 'p.code', 'a.parent_code')
    .select(['p.code', 'p.kind', 'p.name'])
    .where('a.kind', '=', kind)
    .where('a.code', '=', code)
    .where('p.kind', '=', 'ccg')
    .executeTakeFirst();
}
