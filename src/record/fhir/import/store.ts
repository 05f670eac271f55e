// The importer's own queries: practices and patients it matches an import against, and entries by
// source id. Entries themselves are written by the record's store (upsertEntries).
import type { Db, Tx } from '../../../platform/db/index.ts';

type Q = Db | Tx;
type PatientRef = { id: string; practice_ods: string };
type Source = { system: string; id: string };

export async function practiceExists(q: Q, practiceOds: string): Promise<boolean> {
  const r = await q
    .selectFrom('practices')
    .select('ods_code')
    .where('ods_code', '=', practiceOds)
    .executeTakeFirst();
  return r !== undefined;
}

/** The practice's patient imported before from the same source record. */
export async function patientBySource(
  q: Q,
  practiceOds: string,
  source: Source,
): Promise<PatientRef | undefined> {
  return q
    .selectFrom('patients')
    .select(['id', 'practice_ods'])
    .where('practice_ods', '=', practiceOds)
    .where('source_system', '=', source.system)
    .where('source_id', '=', source.id)
    .executeTakeFirst();
}

/** The patient with this NHS number, at any practice. */
export async function patientByNhsNumber(q: Q, nhsNumber: string): Promise<PatientRef | undefined> {
  return q
    .selectFrom('patients')
    .select(['id', 'practice_ods'])
    .where('nhs_number', '=', nhsNumber)
    .executeTakeFirst();
}

export async function isPatientAt(q: Q, at: { practiceOds: string; patientId: string }): Promise<boolean> {
  const r = await q
    .selectFrom('patients')
    .select('id')
    .where('practice_ods', '=', at.practiceOds)
    .where('id', '=', at.patientId)
    .executeTakeFirst();
  return r !== undefined;
}

export async function entryIdBySource(
  q: Q,
  of: { practiceOds: string; patientId: string; source: Source },
): Promise<string | null> {
  const r = await q
    .selectFrom('record_entries')
    .select('id')
    .where('practice_ods', '=', of.practiceOds)
    .where('patient_id', '=', of.patientId)
    .where('source_system', '=', of.source.system)
    .where('source_id', '=', of.source.id)
    .executeTakeFirst();
  return r?.id ?? null;
}
