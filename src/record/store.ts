// SQL for the GP record. Queries prefilter with the AccessPlan from rules.ts (so a page reads only
// what it may show); the pure rule still filters every result afterwards.
import { sql, type Selectable } from 'kysely';
import { randomUUID } from 'node:crypto';
import type { Db, Tx } from '../platform/db/index.ts';
import type { RecordEntriesTable } from '../platform/db/schema.ts';
import type { EntryDraft, EntryKind, RecordEntry } from './model.ts';
import type { AccessPlan, Tier } from './rules.ts';

type Q = Db | Tx;

function toEntry(r: Selectable<RecordEntriesTable>): RecordEntry {
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

const SUMMARY_SQL = sql<boolean>`(e.kind = 'allergy' or (e.kind = 'medication' and e.details->>'status' = 'current'))`;

/** Entries of some headings that may be shown under the plan, newest first. */
export async function visibleCandidates(
  db: Q,
  practiceOds: string,
  patientId: string,
  plan: AccessPlan,
  options: {
    kinds: readonly EntryKind[];
    limit: number;
    offset?: number;
    code?: string;
    summaryOnly?: boolean;
  },
): Promise<{ entries: RecordEntry[]; consultations: RecordEntry[] }> {
  const kinds = options.kinds.filter((k) => plan.kinds.includes(k));
  if (plan.none || kinds.length === 0) return { entries: [], consultations: [] };
  // Each level's information has its own start (the plan gives each tier's opening instant).
  const opens = (alias: string, tier: Tier) => {
    const from = plan.from[tier];
    return from
      ? sql<boolean>`${sql.ref(`${alias}.recorded_at`)} >= ${from}::timestamptz`
      : sql<boolean>`false`;
  };
  // Historic access adds a tier's older entries that had arrived by the whole-record review.
  const tierWindow = (alias: string, tier: Tier) =>
    plan.historic[tier] && plan.reviewedAt
      ? sql<boolean>`(${opens(alias, tier)} or ${sql.ref(`${alias}.imported_at`)} <= ${plan.reviewedAt}::timestamptz)`
      : opens(alias, tier);
  const window = (alias: string) =>
    sql<boolean>`(case ${sql.ref(`${alias}.kind`)} when 'medication' then ${tierWindow(alias, 'summary')}
          when 'allergy' then ${tierWindow(alias, 'summary')} when 'document' then ${tierWindow(alias, 'full')}
          else ${tierWindow(alias, 'detailed')} end)`;
  const consultationsShown = plan.kinds.includes('consultation');
  // The consultation an entry was made in is joined by primary key (an EXISTS here became a scan
  // of every consultation in the table).
  const rows = await db
    .selectFrom('record_entries as e')
    .leftJoin('record_entries as c', (j) =>
      j
        .onRef('c.id', '=', 'e.consultation_id')
        .onRef('c.practice_ods', '=', 'e.practice_ods')
        .onRef('c.patient_id', '=', 'e.patient_id'),
    )
    .selectAll('e')
    // The consultation's dates and flags come with each entry, for the access rule to judge them together.
    .select([
      'c.id as c_id',
      'c.kind as c_kind',
      'c.clinical_date as c_clinical_date',
      'c.recorded_at as c_recorded_at',
      'c.draft as c_draft',
      'c.unfiled as c_unfiled',
      'c.unreviewed as c_unreviewed',
      'c.visible_online as c_visible_online',
      'c.imported_at as c_imported_at',
    ])
    .where('e.practice_ods', '=', practiceOds)
    .where('e.patient_id', '=', patientId)
    .where('e.kind', 'in', kinds)
    .where('e.draft', '=', false)
    .where('e.unfiled', '=', false)
    .where('e.unreviewed', '=', false)
    .where('e.visible_online', '=', true)
    .$if(options.code !== undefined, (q) =>
      q.where(sql<boolean>`e.coding @> ${JSON.stringify([{ code: options.code }])}::jsonb`),
    )
    .where(options.summaryOnly ? SUMMARY_SQL : sql<boolean>`(${SUMMARY_SQL} or ${window('e')})`)
    .where(
      sql<boolean>`(e.consultation_id is null or ${SUMMARY_SQL} or ${
        consultationsShown
          ? sql<boolean>`(c.kind = 'consultation' and not c.draft and c.visible_online and ${window('c')})`
          : sql<boolean>`false`
      })`,
    )
    .orderBy('e.sort_key', 'desc')
    .orderBy('e.recorded_at', 'desc')
    .orderBy('e.id')
    .limit(options.limit)
    .offset(options.offset ?? 0)
    .execute();
  const consultations = new Map<string, RecordEntry>();
  for (const r of rows) {
    if (
      !r.c_id ||
      r.c_kind !== 'consultation' ||
      consultations.has(r.c_id) ||
      r.c_recorded_at === null ||
      r.c_imported_at === null
    )
      continue;
    consultations.set(r.c_id, {
      id: r.c_id,
      patientId,
      practiceOds,
      kind: 'consultation',
      source: null,
      clinicalDate: r.c_clinical_date,
      recordedAt: r.c_recorded_at.toISOString(),
      coding: [],
      title: '',
      text: null,
      consultationId: null,
      draft: r.c_draft ?? true,
      unfiled: r.c_unfiled ?? true,
      unreviewed: r.c_unreviewed ?? true,
      visibleOnline: r.c_visible_online ?? false,
      importedAt: r.c_imported_at.toISOString(),
      details: { kind: 'consultation', clinician: null, location: null, consultationType: null },
    });
  }
  return { entries: rows.map(toEntry), consultations: [...consultations.values()] };
}

/** Every entry of a patient (staff views and exports; callers filter with the rule). */
export async function allEntries(
  db: Q,
  practiceOds: string,
  patientId: string,
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

export async function entryById(db: Q, practiceOds: string, id: string): Promise<RecordEntry | undefined> {
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
  practiceOds: string,
  patientId: string,
  drafts: readonly EntryDraft[],
  ids: () => string,
  now: Date,
): Promise<UpsertCounts> {
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

export async function controlsFor(db: Q, practiceOds: string, patientId: string) {
  return db
    .selectFrom('record_controls as c')
    .leftJoin('staff_users as s', 's.id', 'c.whole_record_reviewed_by')
    .selectAll('c')
    .select('s.name as whole_record_reviewed_by_name')
    .where('c.practice_ods', '=', practiceOds)
    .where('c.patient_id', '=', patientId)
    .executeTakeFirst();
}

/** The online-access codes (104/106/103) in the record, newest first. */
export async function accessCodes(
  db: Q,
  practiceOds: string,
  patientId: string,
  codes: readonly string[],
): Promise<{ code: string; recordedAt: string; draft: boolean }[]> {
  const rows = await sql<{ code: string; recorded_at: Date; draft: boolean }>`
    select c->>'code' as code, e.recorded_at, e.draft
    from record_entries e, jsonb_array_elements(e.coding) c
    where e.practice_ods = ${practiceOds} and e.patient_id = ${patientId}
      and c->>'code' in (${sql.join(codes)})
    order by e.recorded_at desc`.execute(db);
  return rows.rows.map((r) => ({
    code: r.code,
    recordedAt: new Date(r.recorded_at).toISOString(),
    draft: r.draft,
  }));
}

/** Entries made in some consultations. */
export async function entriesInConsultations(
  db: Q,
  practiceOds: string,
  patientId: string,
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

export type PendingItem = {
  id: string;
  patientId: string;
  kind: EntryKind;
  title: string;
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

/**
 * What the access rule needs about a patient, in one read: the online-services settings the
 * accounts feature keeps, and whether the practice withholds the record.
 */
export async function accessRow(db: Q, practiceOds: string, patientId: string) {
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

/** A clinician's decision about one entry's online visibility, kept beside the entry's current state. */
export async function insertVisibilityDecision(
  tx: Tx,
  d: {
    practiceOds: string;
    patientId: string;
    entryId: string;
    visible: boolean;
    reason: 'third-party' | 'serious-harm' | 'other' | null;
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
