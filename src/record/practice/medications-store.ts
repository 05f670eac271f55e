// SQL of the record's medication entries, for repeat templates made from them.
import type { Db, Tx } from '../../platform/db/index.ts';
import type { PatientAt } from '../store.ts';

type Q = Db | Tx;

/** A patient's medication entries that are not drafts (current or past is in the details). */
export async function medicationRows(db: Q, { practiceOds, patientId }: PatientAt) {
  return db
    .selectFrom('record_entries')
    .select(['id', 'title', 'coding', 'details', 'clinical_date'])
    .where('practice_ods', '=', practiceOds)
    .where('patient_id', '=', patientId)
    .where('kind', '=', 'medication')
    .where('draft', '=', false)
    .orderBy('title')
    .orderBy('id')
    .execute();
}

export async function medicationRow(db: Q, of: PatientAt & { entryId: string }) {
  return db
    .selectFrom('record_entries')
    .select(['id', 'title', 'coding', 'details', 'clinical_date'])
    .where('practice_ods', '=', of.practiceOds)
    .where('patient_id', '=', of.patientId)
    .where('id', '=', of.entryId)
    .where('kind', '=', 'medication')
    .where('draft', '=', false)
    .executeTakeFirst();
}
