// SQL of what a prescriber needs beside a request: recent abnormal results and active allergies,
// for one patient or a page of patients in one query (the record_entries_patient_kind index).
import { sql } from 'kysely';
import type { Db, Tx } from '../../platform/db/index.ts';
import type { EntryDetails } from '../model.ts';

/** Interpretations that mean a result is outside its range (as sent by the laboratory). */
export const ABNORMAL_FLAGS = ['H', 'L', 'HH', 'LL', 'HU', 'LU', 'A', 'AA', '>', '<'] as const;

export type ContextRow = {
  patientId: string;
  kind: 'result' | 'allergy';
  title: string;
  clinicalDate: string | null;
  sortKey: string;
  details: EntryDetails;
};

/**
 * Results since `sinceDay` that are flagged or out of range, and allergies not marked inactive,
 * for the patients given at the practice, newest first.
 */
export async function prescribingRows(
  db: Db | Tx,
  q: { practiceOds: string; patientIds: readonly string[]; sinceDay: string },
): Promise<ContextRow[]> {
  if (q.patientIds.length === 0) return [];
  const m = sql`details -> 'measurement'`;
  const rows = await db
    .selectFrom('record_entries')
    .select(['patient_id', 'kind', 'title', 'clinical_date', 'sort_key', 'details'])
    .where('practice_ods', '=', q.practiceOds)
    .where('patient_id', 'in', [...q.patientIds])
    .where('kind', 'in', ['result', 'allergy'])
    .where((eb) =>
      eb.or([
        eb.and([
          eb('kind', '=', 'result'),
          eb('sort_key', '>=', q.sinceDay),
          eb.or([
            sql<boolean>`upper(${m} ->> 'interpretation') in (${sql.join(ABNORMAL_FLAGS)})`,
            sql<boolean>`jsonb_typeof(${m} -> 'value') = 'number' and (
              (jsonb_typeof(${m} -> 'high') = 'number' and (${m} ->> 'value')::numeric > (${m} ->> 'high')::numeric)
              or (jsonb_typeof(${m} -> 'low') = 'number' and (${m} ->> 'value')::numeric < (${m} ->> 'low')::numeric))`,
          ]),
        ]),
        eb.and([eb('kind', '=', 'allergy'), sql<boolean>`coalesce(details ->> 'active', 'true') <> 'false'`]),
      ]),
    )
    .orderBy('patient_id')
    .orderBy('sort_key', 'desc')
    .execute();
  return rows.map((r) => ({
    patientId: r.patient_id,
    kind: r.kind === 'allergy' ? 'allergy' : 'result',
    title: r.title,
    clinicalDate: r.clinical_date,
    sortKey: r.sort_key,
    details: r.details as EntryDetails,
  }));
}
