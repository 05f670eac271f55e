// SQL for the practice's work on a record: patients at the practice, online visibility and
// withholding, the review queue, whole-record reviews and requests for older records.
import { sql } from 'kysely';
import { randomUUID } from 'node:crypto';
import type { Db, Tx } from '../../platform/db/index.ts';
import type { EntryDetails, EntryKind } from '../model.ts';
import type { PatientAt } from '../store.ts';
import type { RedactionReason } from './rules.ts';

type Q = Db | Tx;

/** A patient registered at the practice (the staff pages' header). */
export async function patientAt(db: Q, { practiceOds, patientId }: PatientAt) {
  return db
    .selectFrom('patients')
    .select(['id', 'given_name', 'family_name', 'nhs_number', 'birth_date'])
    .where('practice_ods', '=', practiceOds)
    .where('id', '=', patientId)
    .executeTakeFirst();
}

export async function controlsFor(db: Q, { practiceOds, patientId }: PatientAt) {
  return db
    .selectFrom('record_controls as c')
    .leftJoin('staff_users as s', 's.id', 'c.whole_record_reviewed_by')
    .selectAll('c')
    .select('s.name as whole_record_reviewed_by_name')
    .where('c.practice_ods', '=', practiceOds)
    .where('c.patient_id', '=', patientId)
    .executeTakeFirst();
}

export type PendingItem = {
  id: string;
  patientId: string;
  kind: EntryKind;
  title: string;
  clinicalDate: string | null;
  /** The value, unit, range and interpretation of a result, so it is seen before it is filed. */
  details: EntryDetails;
  recordedAt: Date;
  importedAt: Date;
  unfiled: boolean;
  unreviewed: boolean;
  givenName: string;
  familyName: string;
  nhsNumber: string;
};

/** Results to file and documents to review at a practice, oldest first. */
export async function pendingItems(db: Q, practiceOds: string, limit = 200): Promise<PendingItem[]> {
  const rows = await db
    .selectFrom('record_entries as e')
    .innerJoin('patients as p', 'p.id', 'e.patient_id')
    .select([
      'e.id',
      'e.patient_id',
      'e.kind',
      'e.title',
      'e.clinical_date',
      'e.details',
      'e.recorded_at',
      'e.imported_at',
      'e.unfiled',
      'e.unreviewed',
      'p.given_name',
      'p.family_name',
      'p.nhs_number',
    ])
    .where('e.practice_ods', '=', practiceOds)
    .where((eb) => eb.or([eb('e.unfiled', '=', true), eb('e.unreviewed', '=', true)]))
    .orderBy('e.imported_at')
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    patientId: r.patient_id,
    kind: r.kind as EntryKind,
    title: r.title,
    clinicalDate: r.clinical_date,
    details: r.details as EntryDetails,
    recordedAt: r.recorded_at,
    importedAt: r.imported_at,
    unfiled: r.unfiled,
    unreviewed: r.unreviewed,
    givenName: r.given_name,
    familyName: r.family_name,
    nhsNumber: r.nhs_number,
  }));
}

/** Patients with entries imported since their record was last reviewed, with how many. */
export async function unreviewedImports(db: Q, practiceOds: string, limit = 100) {
  return db
    .selectFrom('record_entries as e')
    .innerJoin('patients as p', 'p.id', 'e.patient_id')
    .leftJoin('record_controls as c', 'c.patient_id', 'e.patient_id')
    .select([
      'p.id',
      'p.given_name',
      'p.family_name',
      'p.nhs_number',
      (eb) => eb.fn.countAll<string>().as('entries'),
      (eb) => eb.fn.max('e.imported_at').as('latest'),
    ])
    .where('e.practice_ods', '=', practiceOds)
    .where((eb) =>
      eb.or([eb('c.last_reviewed_at', 'is', null), eb('e.imported_at', '>', eb.ref('c.last_reviewed_at'))]),
    )
    .groupBy(['p.id', 'p.given_name', 'p.family_name', 'p.nhs_number'])
    .orderBy(sql`max(e.imported_at)`, 'desc')
    .limit(limit)
    .execute();
}

/** A clinician's decision about one entry's online visibility, kept beside the entry's current state. */
export async function insertVisibilityDecision(
  tx: Tx,
  d: {
    practiceOds: string;
    patientId: string;
    entryId: string;
    visible: boolean;
    reason: RedactionReason | null;
    note: string | null;
    by: string;
  },
  now: Date,
): Promise<void> {
  await tx
    .insertInto('record_visibility_decisions')
    .values({
      id: randomUUID(),
      practice_ods: d.practiceOds,
      patient_id: d.patientId,
      entry_id: d.entryId,
      visible: d.visible,
      reason: d.reason,
      note: d.note,
      decided_by: d.by,
      decided_at: now,
    })
    .execute();
}

/** Shows or hides one entry online; `filed` also files a result or marks a document reviewed. */
export async function setEntryOnline(
  tx: Tx,
  entry: { practiceOds: string; entryId: string; visible: boolean; filed?: boolean },
  now: Date,
): Promise<void> {
  const filed = entry.filed ? { unfiled: false, unreviewed: false } : {};
  await tx
    .updateTable('record_entries')
    .set({ ...filed, visible_online: entry.visible, updated_at: now })
    .where('practice_ods', '=', entry.practiceOds)
    .where('id', '=', entry.entryId)
    .execute();
}

/** Withholds or releases the whole record online. */
export async function setWithheld(
  tx: Tx,
  w: { practiceOds: string; patientId: string; withheld: boolean; reason: string | null; by: string },
  now: Date,
): Promise<void> {
  const change = { withheld: w.withheld, withheld_reason: w.reason, withheld_by: w.by, withheld_at: now };
  await tx
    .insertInto('record_controls')
    .values({ patient_id: w.patientId, practice_ods: w.practiceOds, ...change })
    .onConflict((oc) => oc.column('patient_id').doUpdateSet(change))
    .execute();
}

/** Records a review: of the new imports, or of the whole record (which covers the imports too). */
export async function markReviewed(
  tx: Tx,
  r: { practiceOds: string; patientId: string; by: string; wholeRecord: boolean },
  now: Date,
): Promise<void> {
  const reviewed = {
    last_reviewed_at: now,
    last_reviewed_by: r.by,
    ...(r.wholeRecord ? { whole_record_reviewed_at: now, whole_record_reviewed_by: r.by } : {}),
  };
  await tx
    .insertInto('record_controls')
    .values({ patient_id: r.patientId, practice_ods: r.practiceOds, withheld: false, ...reviewed })
    .onConflict((oc) => oc.column('patient_id').doUpdateSet(reviewed))
    .execute();
}

// --- Requests for older records (historic access) ----------------------------------------------

/** A patient's latest requests, newest first. */
export async function historicRequestsOf(db: Q, { practiceOds, patientId }: PatientAt) {
  return db
    .selectFrom('historic_access_requests')
    .select(['status', 'requested_at', 'decided_at', 'decision_note'])
    .where('practice_ods', '=', practiceOds)
    .where('patient_id', '=', patientId)
    .orderBy('requested_at', 'desc')
    .limit(5)
    .execute();
}

/** A new request; a second open request breaks a unique index (23505). */
export async function insertHistoricRequest(
  tx: Tx,
  r: { practiceOds: string; patientId: string; accountId: string; note: string | null },
  now: Date,
): Promise<void> {
  await tx
    .insertInto('historic_access_requests')
    .values({
      id: randomUUID(),
      practice_ods: r.practiceOds,
      patient_id: r.patientId,
      account_id: r.accountId,
      requested_at: now,
      note: r.note,
    })
    .execute();
}

/** The patient's open request, locked until the decision commits. */
export async function openHistoricRequestForUpdate(
  tx: Tx,
  { practiceOds, patientId }: PatientAt,
): Promise<{ id: string } | undefined> {
  return tx
    .selectFrom('historic_access_requests')
    .select('id')
    .where('practice_ods', '=', practiceOds)
    .where('patient_id', '=', patientId)
    .where('status', '=', 'pending')
    .forUpdate()
    .executeTakeFirst();
}

export async function decideHistoricRequest(
  tx: Tx,
  d: { id: string; decision: 'granted' | 'refused'; by: string; note: string | null },
  now: Date,
): Promise<void> {
  await tx
    .updateTable('historic_access_requests')
    .set({ status: d.decision, decided_by: d.by, decided_at: now, decision_note: d.note })
    .where('id', '=', d.id)
    .execute();
}

/** Open requests at a practice, oldest first, with the patient's name. */
export async function openHistoricRequests(db: Q, practiceOds: string) {
  return db
    .selectFrom('historic_access_requests as r')
    .innerJoin('patients as p', 'p.id', 'r.patient_id')
    .select(['r.patient_id', 'r.requested_at', 'r.note', 'p.given_name', 'p.family_name', 'p.nhs_number'])
    .where('r.practice_ods', '=', practiceOds)
    .where('r.status', '=', 'pending')
    .orderBy('r.requested_at')
    .execute();
}
