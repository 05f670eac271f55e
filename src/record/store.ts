// SQL for the record's entries, which every room reads and the import writes. The rooms' own
// queries are in access/store.ts, read/store.ts and practice/store.ts.
import { sql, type Selectable } from 'kysely';
import type { Db, Tx } from '../platform/db/index.ts';
import type { RecordEntriesTable } from '../platform/db/schema.ts';
import type { EntryDraft, EntryKind, RecordEntry } from './model.ts';

type Q = Db | Tx;
/** Whose record: every query on it names the practice too. */
export type PatientAt = { practiceOds: string; patientId: string };

export function toEntry(r: Selectable<RecordEntriesTable>): RecordEntry {
  return {
    id: r.id,
    patientId: r.patient_id,
    practiceOds: r.practice_ods,
    kind: r.kind as EntryKind,
    source: r.source_system && r.source_id ? { system: r.source_system, id: r.source_id } : null,
    clinicalDate: r.clinical_date,
    recordedAt: r.recorded_at.toISOString(),
    coding: r.coding as RecordEntry['coding'],
    title: r.title,
    text: r.text,
    consultationId: r.consultation_id,
    draft: r.draft,
    unfiled: r.unfiled,
    unreviewed: r.unreviewed,
    visibleOnline: r.visible_online,
    importedAt: r.imported_at.toISOString(),
    details: r.details as RecordEntry['details'],
  };
}

/** The newest-first order key: the clinical date as given, else the recorded time (both ISO, so they sort as text). */
export function sortKey(d: Pick<EntryDraft, 'clinicalDate' | 'recordedAt'>): string {
  return d.clinicalDate ?? d.recordedAt;
}

/** Every entry of a patient (staff views and exports; callers filter with the rule). */
export async function allEntries(
  db: Q,
  { practiceOds, patientId }: PatientAt,
  kinds?: readonly EntryKind[],
): Promise<RecordEntry[]> {
  if (kinds?.length === 0) return [];
  let q = db
    .selectFrom('record_entries')
    .selectAll()
    .where('practice_ods', '=', practiceOds)
    .where('patient_id', '=', patientId);
  if (kinds) q = q.where('kind', 'in', kinds);
  const rows = await q.orderBy('recorded_at', 'desc').orderBy('id').execute();
  return rows.map(toEntry);
}

export async function entryById(
  db: Q,
  { practiceOds, entryId: id }: { practiceOds: string; entryId: string },
): Promise<RecordEntry | undefined> {
  const r = await db
    .selectFrom('record_entries')
    .selectAll()
    .where('practice_ods', '=', practiceOds)
    .where('id', '=', id)
    .executeTakeFirst();
  return r ? toEntry(r) : undefined;
}

export type UpsertCounts = { created: Record<string, number>; updated: Record<string, number> };

/**
 * Inserts or updates entries by their source id, in batches. A clinician's visibility decision
 * survives a re-import: visible_online is never overwritten.
 */
export async function upsertEntries(
  tx: Tx,
  u: { practiceOds: string; patientId: string; drafts: readonly EntryDraft[]; ids: () => string; now: Date },
): Promise<UpsertCounts> {
  const { practiceOds, patientId, drafts, ids, now } = u;
  const counts: UpsertCounts = { created: {}, updated: {} };
  for (let i = 0; i < drafts.length; i += 400) {
    const batch = drafts.slice(i, i + 400);
    const rows = await tx
      .insertInto('record_entries')
      .values(
        batch.map((d) => ({
          id: ids(),
          practice_ods: practiceOds,
          patient_id: patientId,
          kind: d.kind,
          source_system: d.source?.system ?? null,
          source_id: d.source?.id ?? null,
          clinical_date: d.clinicalDate,
          recorded_at: d.recordedAt,
          sort_key: sortKey(d),
          coding: JSON.stringify(d.coding),
          title: d.title,
          text: d.text,
          consultation_id: null,
          draft: d.draft,
          unfiled: d.unfiled,
          unreviewed: d.unreviewed,
          visible_online: true,
          details: JSON.stringify(d.details),
          imported_at: now,
          updated_at: now,
        })),
      )
      .onConflict((oc) =>
        oc
          .columns(['practice_ods', 'patient_id', 'source_system', 'source_id'])
          .where('source_id', 'is not', null)
          .doUpdateSet((eb) => ({
            kind: eb.ref('excluded.kind'),
            clinical_date: eb.ref('excluded.clinical_date'),
            sort_key: eb.ref('excluded.sort_key'),
            recorded_at: eb.ref('excluded.recorded_at'),
            coding: eb.ref('excluded.coding'),
            title: eb.ref('excluded.title'),
            text: eb.ref('excluded.text'),
            draft: eb.ref('excluded.draft'),
            unfiled: eb.ref('excluded.unfiled'),
            unreviewed: eb.ref('excluded.unreviewed'),
            details: eb.ref('excluded.details'),
            updated_at: eb.ref('excluded.updated_at'),
          })),
      )
      .returning(['kind', sql<boolean>`(xmax = 0)`.as('inserted')])
      .execute();
    for (const r of rows) {
      const bucket = r.inserted ? counts.created : counts.updated;
      bucket[r.kind] = (bucket[r.kind] ?? 0) + 1;
    }
  }
  // Link entries to the consultation they were made in, by the consultation's source id.
  const links = drafts
    .filter((d) => d.consultationSource && d.source)
    .map((d) => ({ entry: d.source?.id ?? '', consultation: d.consultationSource ?? '' }));
  for (let i = 0; i < links.length; i += 1000) {
    const batch = links.slice(i, i + 1000);
    await sql`
      update record_entries e set consultation_id = c.id
      from record_entries c, jsonb_to_recordset(${JSON.stringify(batch)}::jsonb) as l(entry text, consultation text)
      where e.practice_ods = ${practiceOds} and e.patient_id = ${patientId} and e.source_id = l.entry
        and c.practice_ods = ${practiceOds} and c.patient_id = ${patientId} and c.source_id = l.consultation and c.kind = 'consultation'
        and e.consultation_id is distinct from c.id`.execute(tx);
  }
  return counts;
}

/** Entries made in some consultations. */
export async function entriesInConsultations(
  db: Q,
  { practiceOds, patientId }: PatientAt,
  consultationIds: readonly string[],
): Promise<RecordEntry[]> {
  if (consultationIds.length === 0) return [];
  const rows = await db
    .selectFrom('record_entries')
    .selectAll()
    .where('practice_ods', '=', practiceOds)
    .where('patient_id', '=', patientId)
    .where('consultation_id', 'in', consultationIds)
    .orderBy('recorded_at')
    .execute();
  return rows.map(toEntry);
}

/** Rows changed by one import above which the planner's statistics are refreshed at once. */
const ANALYZE_AFTER_ROWS = 200;

/**
 * Refreshes record_entries' planner statistics after a large import. Without them a freshly
 * loaded record is read with the wrong plan (a 25-year record page took 30 ms instead of 4);
 * PGlite runs no autovacuum at all, and PostgreSQL's may come minutes later. Runs after commit.
 */
export async function refreshStatisticsAfter(db: Db, counts: readonly UpsertCounts[]): Promise<void> {
  let rows = 0;
  for (const c of counts)
    for (const n of [...Object.values(c.created), ...Object.values(c.updated)]) rows += n;
  if (rows >= ANALYZE_AFTER_ROWS) await sql`analyze record_entries`.execute(db);
}
