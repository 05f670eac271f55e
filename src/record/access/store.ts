// SQL the access rooms need: a patient's settings and withhold in one read, the online-access
// codes in the record, and who the automatic-access runs consider.
import { sql } from 'kysely';
import type { Db, Tx } from '../../platform/db/index.ts';
import type { PatientAt } from '../store.ts';

type Q = Db | Tx;

/**
 * What the access rule needs about a patient, in one read: the online-services settings the
 * accounts feature keeps, and whether the practice withholds the record.
 */
export async function accessRow(db: Q, { practiceOds, patientId }: PatientAt) {
  return db
    .selectFrom('patients as p')
    .leftJoin('online_services as s', (j) =>
      j.onRef('s.patient_id', '=', 'p.id').onRef('s.practice_ods', '=', 'p.practice_ods'),
    )
    .leftJoin('record_controls as c', (j) =>
      j.onRef('c.patient_id', '=', 'p.id').onRef('c.practice_ods', '=', 'p.practice_ods'),
    )
    .leftJoin('record_versions as v', (j) =>
      j.onRef('v.patient_id', '=', 'p.id').onRef('v.practice_ods', '=', 'p.practice_ods'),
    )
    .select([
      'v.version',
      's.appointments',
      's.repeat_prescriptions',
      's.record_level',
      's.prospective_from',
      's.detailed_from',
      's.full_from',
      's.historic_access',
      's.historic_level',
      's.record_level_by_hand',
      's.pharmacy_view',
      's.pharmacy_update',
      'c.withheld',
      'c.whole_record_reviewed_at',
    ])
    .where('p.practice_ods', '=', practiceOds)
    .where('p.id', '=', patientId)
    .executeTakeFirst();
}

/** The online-access codes (104/106/103) in the record, newest first. */
export async function accessCodes(
  db: Q,
  of: PatientAt,
  codes: readonly string[],
): Promise<{ code: string; recordedAt: string; draft: boolean }[]> {
  const rows = await sql<{ code: string; recorded_at: Date; draft: boolean }>`
    select c->>'code' as code, e.recorded_at, e.draft
    from record_entries e, jsonb_array_elements(e.coding) c
    where e.practice_ods = ${of.practiceOds} and e.patient_id = ${of.patientId}
      and c->>'code' in (${sql.join(codes)})
    order by e.recorded_at desc`.execute(db);
  return rows.rows.map((r) => ({
    code: r.code,
    recordedAt: new Date(r.recorded_at).toISOString(),
    draft: r.draft,
  }));
}

/** A patient's date of birth (the patient must be at the practice). */
export async function birthDateOf(tx: Tx, of: PatientAt): Promise<string> {
  const p = await tx
    .selectFrom('patients')
    .select(['birth_date'])
    .where('practice_ods', '=', of.practiceOds)
    .where('id', '=', of.patientId)
    .executeTakeFirstOrThrow();
  return p.birth_date;
}

/** Patients with a linked online account at a practice. */
export async function linkedPatientIds(db: Q, practiceOds: string): Promise<string[]> {
  const rows = await db
    .selectFrom('online_accounts')
    .select('patient_id')
    .where('practice_ods', '=', practiceOds)
    .where('patient_id', 'is not', null)
    .execute();
  return rows.flatMap((r) => (r.patient_id ? [r.patient_id] : []));
}

/** Patients with a linked online account born between two days (inclusive), at any practice. */
export async function linkedPatientsBornBetween(
  db: Q,
  from: string,
  to: string,
): Promise<{ patientId: string; practiceOds: string; birthDate: string }[]> {
  const rows = await db
    .selectFrom('patients as p')
    .innerJoin('online_accounts as a', 'a.patient_id', 'p.id')
    .select(['p.id', 'p.practice_ods', 'p.birth_date'])
    .where('p.birth_date', '>=', from)
    .where('p.birth_date', '<=', to)
    .execute();
  return rows.map((r) => ({ patientId: r.id, practiceOds: r.practice_ods, birthDate: r.birth_date }));
}
