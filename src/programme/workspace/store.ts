// SQL of the facilitator workspace: the practices in a user's portfolio, the latest checklist
// entries and plan of each (append-only tables: the newest row is the current state), and history.
import { sql } from 'kysely';
import type { Db, Tx } from '../../platform/db/index.ts';
import type { ChecklistElement, ChecklistStatus } from '../../platform/db/schema.ts';
import type { OfferingEntryRow } from '../history/store.ts';
import { inScope, type PracticeScope } from '../store.ts';
import type { ChecklistInput, PlanInput } from './rules.ts';

/** The portfolio page lists at most this many (an administrator's is every practice). */
export const PORTFOLIO_LIMIT = 500;

/** The practices a user may work on: all (null scope), or assigned to them or their commissioner. */
export async function portfolioPractices(
  db: Db,
  scope: PracticeScope,
): Promise<{ code: string; name: string }[]> {
  let q = db.selectFrom('practices as pr').select(['pr.ods_code as code', 'pr.name']);
  if (scope) q = q.where((eb) => inScope(eb, scope));
  return q.orderBy('pr.name').limit(PORTFOLIO_LIMIT).execute();
}

/** The practice, if it is in the user's portfolio (any size of portfolio). */
export async function portfolioPractice(db: Db, scope: PracticeScope, ods: string) {
  let q = db
    .selectFrom('practices as pr')
    .select(['pr.ods_code as code', 'pr.name'])
    .where('pr.ods_code', '=', ods);
  if (scope) q = q.where((eb) => inScope(eb, scope));
  return q.executeTakeFirst();
}

export type ChecklistRow = {
  id: string;
  practice_ods: string;
  element: ChecklistElement;
  status: ChecklistStatus;
  on_date: string | null;
  owner: string | null;
  notes: string | null;
  recorded_at: Date;
  recorded_by_name: string | null;
};

const checklistColumns = sql`c.id::text as id, c.practice_ods, c.element, c.status, c.on_date::text as on_date,
  c.owner, c.notes, c.recorded_at, u.name as recorded_by_name`;

/** The latest entry of each element, for these practices. */
export async function currentChecklists(db: Db, practices: readonly string[]): Promise<ChecklistRow[]> {
  if (practices.length === 0) return [];
  const r = await sql<ChecklistRow>`
    select distinct on (c.practice_ods, c.element) ${checklistColumns}
    from checklist_entries c left join staff_users u on u.id = c.recorded_by
    where c.practice_ods = any(${[...practices]}::text[])
    order by c.practice_ods, c.element, c.recorded_at desc, c.id desc
  `.execute(db);
  return r.rows;
}

/** Every checklist entry of a practice, newest first. */
export async function checklistHistory(db: Db, practice: string): Promise<ChecklistRow[]> {
  const r = await sql<ChecklistRow>`
    select ${checklistColumns}
    from checklist_entries c left join staff_users u on u.id = c.recorded_by
    where c.practice_ods = ${practice}
    order by c.recorded_at desc, c.id desc
    limit 500
  `.execute(db);
  return r.rows;
}

export async function insertChecklistEntry(
  tx: Tx,
  row: { practice: string; element: ChecklistElement; input: ChecklistInput; at: Date; by: string },
): Promise<string> {
  const r = await tx
    .insertInto('checklist_entries')
    .values({
      practice_ods: row.practice,
      element: row.element,
      status: row.input.status,
      on_date: row.input.onDate,
      owner: row.input.owner,
      notes: row.input.notes,
      recorded_at: row.at,
      recorded_by: row.by,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return r.id;
}

export type PlanRow = {
  id: string;
  practice_ods: string;
  next_steps: string | null;
  receiving_org: string | null;
  owner: string | null;
  handover_on: string | null;
  handover: string | null;
  recorded_at: Date;
  recorded_by_name: string | null;
};

const planColumns = sql`p.id::text as id, p.practice_ods, p.next_steps, p.receiving_org, p.owner,
  p.handover_on::text as handover_on, p.handover, p.recorded_at, u.name as recorded_by_name`;

/** The latest plan of each of these practices. */
export async function currentPlans(db: Db, practices: readonly string[]): Promise<PlanRow[]> {
  if (practices.length === 0) return [];
  const r = await sql<PlanRow>`
    select distinct on (p.practice_ods) ${planColumns}
    from transition_plans p left join staff_users u on u.id = p.recorded_by
    where p.practice_ods = any(${[...practices]}::text[])
    order by p.practice_ods, p.recorded_at desc, p.id desc
  `.execute(db);
  return r.rows;
}

/** Every version of a practice's plan, newest first. */
export async function planHistory(db: Db, practice: string): Promise<PlanRow[]> {
  const r = await sql<PlanRow>`
    select ${planColumns}
    from transition_plans p left join staff_users u on u.id = p.recorded_by
    where p.practice_ods = ${practice}
    order by p.recorded_at desc, p.id desc
    limit 200
  `.execute(db);
  return r.rows;
}

export async function insertPlan(
  tx: Tx,
  row: { practice: string; input: PlanInput; at: Date; by: string },
): Promise<string> {
  const r = await tx
    .insertInto('transition_plans')
    .values({
      practice_ods: row.practice,
      next_steps: row.input.nextSteps,
      receiving_org: row.input.receivingOrg,
      owner: row.input.owner,
      handover_on: row.input.handoverOn,
      handover: row.input.handover,
      recorded_at: row.at,
      recorded_by: row.by,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return r.id;
}

export type OfferingRow = OfferingEntryRow & { note: string | null; recorded_by_name: string | null };

/** The offering changes of these practices on or before a day, oldest first. */
export async function offeringsOf(
  db: Db,
  practices: readonly string[],
  upTo: string,
): Promise<OfferingRow[]> {
  if (practices.length === 0) return [];
  const r = await sql<OfferingRow>`
    select o.practice_ods, o.service, o.offered, o.effective_on::text as effective_on, o.source,
      o.recorded_at, o.note, u.name as recorded_by_name
    from service_offerings o left join staff_users u on u.id = o.recorded_by
    where o.practice_ods = any(${[...practices]}::text[]) and o.effective_on <= ${upTo}::date
    order by o.practice_ods, o.effective_on, o.recorded_at
  `.execute(db);
  return r.rows;
}
