// SQL of repeat templates, their change history and their issues (read only here: an issue is
// written by the queue and never rewritten by a change to its template).
import { sql, type Insertable, type Selectable, type Updateable } from 'kysely';
import type { Db, Tx } from '../../platform/db/index.ts';
import type { RepeatTemplatesTable, RepeatTemplateChangesTable } from '../../platform/db/schema.ts';

type Q = Db | Tx;
export type Of = { practiceOds: string; patientId: string };
export type TemplateRow = Selectable<RepeatTemplatesTable>;

/** A patient registered at the practice, for the page's header. */
export async function patientAt(db: Q, { practiceOds, patientId }: Of) {
  return db
    .selectFrom('patients')
    .select(['id', 'given_name', 'family_name', 'nhs_number', 'birth_date'])
    .where('practice_ods', '=', practiceOds)
    .where('id', '=', patientId)
    .executeTakeFirst();
}

export async function templatesFor(db: Q, { practiceOds, patientId }: Of): Promise<TemplateRow[]> {
  return db
    .selectFrom('repeat_templates')
    .selectAll()
    .where('practice_ods', '=', practiceOds)
    .where('patient_id', '=', patientId)
    .orderBy('status')
    .orderBy('drug_name')
    .orderBy('id')
    .execute();
}

/** One template of the patient at the practice; locked for the change when `lock` is set. */
export async function templateById(
  db: Q,
  of: Of & { templateId: string; lock?: boolean },
): Promise<TemplateRow | undefined> {
  const q = db
    .selectFrom('repeat_templates')
    .selectAll()
    .where('practice_ods', '=', of.practiceOds)
    .where('patient_id', '=', of.patientId)
    .where('id', '=', of.templateId);
  return (of.lock ? q.forUpdate() : q).executeTakeFirst();
}

/** A template by its id alone within the practice (the API names repeats without their patient). */
export async function patientOfTemplate(db: Q, practiceOds: string, templateId: string) {
  const r = await db
    .selectFrom('repeat_templates')
    .select('patient_id')
    .where('practice_ods', '=', practiceOds)
    .where('id', '=', templateId)
    .executeTakeFirst();
  return r?.patient_id;
}

export async function insertTemplate(tx: Tx, row: Insertable<RepeatTemplatesTable>): Promise<TemplateRow> {
  return tx.insertInto('repeat_templates').values(row).returningAll().executeTakeFirstOrThrow();
}

/** Writes the change only if the template is still at `version`; the new row, or undefined. */
export async function updateTemplate(
  tx: Tx,
  u: { practiceOds: string; id: string; version: number; set: Updateable<RepeatTemplatesTable> },
): Promise<TemplateRow | undefined> {
  return tx
    .updateTable('repeat_templates')
    .set({ ...u.set, version: u.version + 1 })
    .where('practice_ods', '=', u.practiceOds)
    .where('id', '=', u.id)
    .where('version', '=', u.version)
    .returningAll()
    .executeTakeFirst();
}

type ChangeInsert = Omit<Insertable<RepeatTemplateChangesTable>, 'before' | 'after'> & {
  before: Record<string, unknown> | null;
  after: Record<string, unknown>;
};

/** One history row; a creation has no "before" (SQL null, not JSON null). */
export async function insertChange(tx: Tx, row: ChangeInsert): Promise<void> {
  await tx
    .insertInto('repeat_template_changes')
    .values({
      ...row,
      before: row.before === null ? sql<string>`null` : JSON.stringify(row.before),
      after: JSON.stringify(row.after),
    })
    .execute();
}

export type ChangeRow = Selectable<RepeatTemplateChangesTable> & { changed_by_name: string | null };

/** The change history of the patient's templates (or one of them), newest first. */
export async function changesFor(db: Q, of: Of & { templateId?: string }): Promise<ChangeRow[]> {
  let q = db
    .selectFrom('repeat_template_changes as c')
    .innerJoin('repeat_templates as t', 't.id', 'c.template_id')
    .leftJoin('staff_users as s', 's.id', 'c.changed_by')
    .selectAll('c')
    .select('s.name as changed_by_name')
    .where('c.practice_ods', '=', of.practiceOds)
    .where('t.patient_id', '=', of.patientId);
  if (of.templateId) q = q.where('c.template_id', '=', of.templateId);
  return q.orderBy('c.changed_at', 'desc').orderBy('c.id', 'desc').execute();
}

/** The issues made of the patient's templates (or one of them), newest first. */
export async function issuesFor(db: Q, of: Of & { templateId?: string; limit: number }) {
  let q = db
    .selectFrom('prescription_issues')
    .select([
      'id',
      'template_id',
      'issued_at',
      'prescriber_name',
      'drug_name',
      'dosage',
      'quantity',
      'quantity_unit',
      'days_supply',
      'pharmacy_ods',
    ])
    .where('practice_ods', '=', of.practiceOds)
    .where('patient_id', '=', of.patientId);
  if (of.templateId) q = q.where('template_id', '=', of.templateId);
  return q.orderBy('issued_at', 'desc').orderBy('id').limit(of.limit).execute();
}
export type IssueRow = Awaited<ReturnType<typeof issuesFor>>[number];
