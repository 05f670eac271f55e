// SQL of POMI: the returns as imported, the offering changes they imply, and area totals.
import { sql } from 'kysely';
import type { Db, Tx } from '../../platform/db/index.ts';
import type { AreaKind, PomiFormat } from '../../platform/db/schema.ts';
import type { TotalsRow } from '../summary-rules.ts';
import { FIELD_NAMES, POMI_FIELDS, type AreaName, type PomiReturn } from './rules.ts';

const COLUMNS = FIELD_NAMES.map((f) => POMI_FIELDS[f]);

/** One import at a time: two re-deriving the same practices' history would collide. */
export async function lockImports(tx: Tx): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtext('gp-online:pomi-import'))`.execute(tx);
}

export async function insertImport(
  tx: Tx,
  row: {
    id: string;
    fileName: string;
    format: PomiFormat;
    practiceMonths: number;
    firstMonth: string | null;
    lastMonth: string | null;
    at: Date;
    by: string | null;
  },
): Promise<void> {
  await tx
    .insertInto('pomi_imports')
    .values({
      id: row.id,
      file_name: row.fileName,
      format: row.format,
      practice_months: row.practiceMonths,
      first_month: row.firstMonth,
      last_month: row.lastMonth,
      imported_at: row.at,
      imported_by: row.by,
    })
    .execute();
}

/**
 * Writes one batch, replacing any earlier return for the same practice and month (a revised
 * publication wins whole). The batch travels as one JSON parameter: thousands of rows a statement.
 * Returns how many practice-months were new.
 */
export async function upsertReturns(tx: Tx, batch: readonly PomiReturn[], importId: string): Promise<number> {
  const json = JSON.stringify(
    batch.map((r) => ({
      practice_ods: r.practiceOds,
      period_end: r.periodEnd,
      region_code: r.regionCode,
      subregion_code: r.subregionCode,
      ccg_code: r.ccgCode,
      system_supplier: r.supplier,
      ...r.values,
      other_fields: r.other,
    })),
  );
  const counts = sql.join(COLUMNS.map((c) => sql`${sql.ref(c)} integer`));
  const names = sql.join(COLUMNS.map((c) => sql.ref(c)));
  const updates = sql.join(
    [
      'region_code',
      'subregion_code',
      'ccg_code',
      'system_supplier',
      ...COLUMNS,
      'other_fields',
      'import_id',
    ].map((c) => sql`${sql.ref(c)} = excluded.${sql.ref(c)}`),
  );
  const result = await sql<{ inserted: boolean }>`
    insert into pomi_returns
      (practice_ods, period_end, region_code, subregion_code, ccg_code, system_supplier, ${names},
       other_fields, import_id)
    select practice_ods, period_end, region_code, subregion_code, ccg_code, system_supplier, ${names},
      other_fields, ${importId}::uuid
    from jsonb_to_recordset(${json}::jsonb) as x(
      practice_ods text, period_end date, region_code text, subregion_code text, ccg_code text,
      system_supplier text, ${counts}, other_fields jsonb)
    on conflict (practice_ods, period_end) do update set ${updates}
    returning (xmax = 0) as inserted
  `.execute(tx);
  return result.rows.filter((r) => r.inserted).length;
}

/**
 * Adds or renames areas (and practices) by kind and code; with `renames`, an area already named
 * is renamed (and moved) only if it is of one of those kinds.
 */
export async function upsertAreas(
  tx: Tx,
  areas: readonly (Omit<AreaName, 'kind'> & { kind: AreaName['kind'] | 'pcn' })[],
  at: Date,
  renames: readonly AreaKind[] | null = null,
): Promise<void> {
  for (let i = 0; i < areas.length; i += 4000) {
    const json = JSON.stringify(areas.slice(i, i + 4000));
    await sql`
      insert into areas (code, kind, name, parent_code, updated_at)
      select code, kind, name, parent, ${at}::timestamptz
      from jsonb_to_recordset(${json}::jsonb) as x(code text, kind text, name text, parent text)
      on conflict (kind, code) do update
        set name = excluded.name, parent_code = excluded.parent_code, updated_at = excluded.updated_at
        where ${renames ? sql`areas.kind = any(${[...renames]}::text[])` : sql`true`}
    `.execute(tx);
  }
}

/** The names of these areas of one kind, by code. */
export async function areaNames(
  db: Db,
  kind: AreaKind,
  codes: readonly string[],
): Promise<Map<string, string>> {
  if (codes.length === 0) return new Map();
  const rows = await db
    .selectFrom('areas')
    .select(['code', 'name'])
    .where('kind', '=', kind)
    .where('code', 'in', [...codes])
    .execute();
  return new Map(rows.map((r) => [r.code, r.name]));
}

/**
 * Re-derives the POMI-sourced offering history of these practices from all their returns: a
 * change on the first month a system status is reported and on each month "enabled" (2) starts
 * or stops. A blank status is not reported and changes nothing.
 */
export async function rederiveOfferings(tx: Tx, practices: readonly string[], at: Date): Promise<void> {
  const codes = sql`${[...practices]}::text[]`;
  await sql`delete from service_offerings where source = 'pomi' and practice_ods = any(${codes})`.execute(tx);
  await sql`
    insert into service_offerings
      (practice_ods, service, offered, effective_on, source, detail, recorded_at, import_id)
    select practice_ods, service, offered, period_end, 'pomi',
      jsonb_build_object('field', field, 'value', flag), ${at}::timestamptz, import_id
    from (
      select r.practice_ods, s.service, s.field, s.flag, s.flag = 2 as offered, r.period_end, r.import_id,
        lag(s.flag = 2) over (partition by r.practice_ods, s.service order by r.period_end) as before
      from pomi_returns r
      cross join lateral (values
        ('appointments', 'Sys_Appts_Enbld', r.sys_appts_enbld),
        ('prescriptions', 'Sys_Presc_Enbld', r.sys_presc_enbld),
        ('detailed-coded-record', 'Sys_DetCodeRec_Enbld', r.sys_detcoderec_enbld)
      ) as s(service, field, flag)
      where r.practice_ods = any(${codes}) and s.flag is not null
    ) d
    where before is distinct from offered
  `.execute(tx);
}

/** Which column an area code is matched on; null is England. */
export type AreaMatch = {
  /** `pcn_code`: the practices the map puts in the PCN (POMI's returns carry no PCN). */
  column: 'region_code' | 'subregion_code' | 'ccg_code' | 'pcn_code' | 'practice_ods';
  code: string;
} | null;

/** The kind of area a code names in the returns, if any return carries it. */
export async function areaOf(db: Db, code: string): Promise<AreaMatch | undefined> {
  for (const column of ['region_code', 'subregion_code', 'ccg_code', 'practice_ods'] as const) {
    const hit = await db
      .selectFrom('pomi_returns')
      .select('period_end')
      .where(column, '=', code)
      .limit(1)
      .executeTakeFirst();
    if (hit) return { column, code };
  }
  return undefined;
}

/** Each service's status, enabled and use columns, under the prefix its totals carry. */
const MEASURES = [
  ['appts', 'sys_appts_enbld', 'pat_appts_enbld', 'pat_appts_use'],
  ['presc', 'sys_presc_enbld', 'pat_presc_enbld', 'pat_presc_use'],
  ['dcr', 'sys_detcoderec_enbld', 'pat_detcoderec_enbld', 'pat_detcoderec_use'],
] as const;

/**
 * Sums over the area's returns. Every share has its own denominator: practices that reported a
 * status, and the list size of practices that reported the count, so a blank never reads as 0.
 */
function totals(db: Db, area: AreaMatch) {
  const listWhere = (column: string, as: string) =>
    sql<string | null>`sum(patient_list_size) filter (where ${sql.ref(column)} is not null)`.as(as);
  let q = db
    .selectFrom('pomi_returns')
    .select([
      sql<string>`count(*)`.as('practices'),
      sql<string | null>`sum(patient_list_size)`.as('list_size'),
      ...MEASURES.flatMap(([p, sys, enabled, use]) => [
        sql<string>`count(*) filter (where ${sql.ref(sys)} = 2)`.as(`${p}_offering`),
        sql<string>`count(${sql.ref(sys)})`.as(`${p}_reporting`),
        sql<string | null>`sum(${sql.ref(enabled)})`.as(`${p}_enabled`),
        listWhere(enabled, `${p}_enabled_list`),
        sql<string | null>`sum(${sql.ref(use)})`.as(`${p}_use`),
        listWhere(use, `${p}_use_list`),
      ]),
      sql<string | null>`sum(total_pat_enbld)`.as('total_enabled'),
      listWhere('total_pat_enbld', 'total_enabled_list'),
      sql<string | null>`sum(total_use)`.as('total_use'),
      listWhere('total_use', 'total_use_list'),
    ]);
  if (area?.column === 'pcn_code')
    q = q.where('practice_ods', 'in', (eb) =>
      eb.selectFrom('practice_profiles').select('practice_ods').where('pcn_code', '=', area.code),
    );
  else if (area) q = q.where(area.column, '=', area.code);
  return q;
}

/** Totals over the area's returns, per month (all months when `month` is null). */
export async function monthlyTotals(db: Db, area: AreaMatch, month: string | null) {
  let q = totals(db, area).select('period_end').groupBy('period_end').orderBy('period_end');
  if (month) q = q.where('period_end', '=', month);
  return q.$castTo<TotalsRow>().execute();
}

/** The level below each kind of area: England → regions → sub-regions → CCGs → practices. */
const CHILD = {
  england: 'region_code',
  region_code: 'subregion_code',
  subregion_code: 'ccg_code',
  ccg_code: 'practice_ods',
  pcn_code: 'practice_ods',
} as const;

/** The month's totals for each area one level down (none below a practice). */
export async function childTotals(db: Db, area: AreaMatch, month: string) {
  const parent = area ? area.column : 'england';
  if (parent === 'practice_ods') return [];
  const child = CHILD[parent];
  return totals(db, area)
    .select([
      sql<string>`${sql.ref(child)}`.as('code'),
      sql<string>`${month}::date`.as('period_end'),
      // One return a practice and month: its supplier (none for a group of practices).
      sql<string | null>`case when count(*) = 1 then max(system_supplier) end`.as('supplier'),
    ])
    .where('period_end', '=', month)
    .where(child, 'is not', null)
    .groupBy(child)
    .orderBy(child)
    .$castTo<TotalsRow & { code: string; supplier: string | null }>()
    .execute();
}

/** Changes whenever an import lands: what cached figures are keyed by. */
export async function importVersion(db: Db): Promise<string> {
  const r = await db
    .selectFrom('pomi_imports')
    .select([
      sql<string>`count(*)`.as('n'),
      sql<string | null>`max(imported_at)::text`.as('at'),
      sql<string | null>`max(id::text)`.as('id'),
    ])
    .executeTakeFirstOrThrow();
  return `${r.n}:${r.at ?? ''}:${r.id ?? ''}`;
}

/** The latest imports, newest first, with who ran them. */
export async function recentImports(db: Db, limit: number) {
  return db
    .selectFrom('pomi_imports as i')
    .leftJoin('staff_users as u', 'u.id', 'i.imported_by')
    .select([
      'i.id',
      'i.file_name',
      'i.format',
      'i.practice_months',
      'i.first_month',
      'i.last_month',
      'i.imported_at',
      'u.name as imported_by_name',
    ])
    .orderBy('i.imported_at', 'desc')
    .limit(limit)
    .execute();
}
