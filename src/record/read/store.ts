// SQL for the patient's own views. Queries prefilter with the AccessPlan from access/rules.ts (so
// a page reads only what it may show); the pure rule still filters every result afterwards.
import { sql } from 'kysely';
import type { Db, Tx } from '../../platform/db/index.ts';
import type { EntryKind, RecordEntry } from '../model.ts';
import type { AccessPlan, Tier } from '../access/rules.ts';
import { toEntry, type PatientAt } from '../store.ts';

type Q = Db | Tx;

const SUMMARY_SQL = sql<boolean>`(e.kind = 'allergy' or (e.kind = 'medication' and e.details->>'status' = 'current'))`;

/** Entries of some headings that may be shown under the plan, newest first. */
export async function visibleCandidates(
  db: Q,
  { practiceOds, patientId }: PatientAt,
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

/** Reads of a patient's data in the audit stream, newest first, with the reader's practice. */
export async function viewsOf(
  db: Q,
  patientId: string,
  page: { actions: readonly string[]; limit: number; offset: number },
) {
  return db
    .selectFrom('audit_events as a')
    .leftJoin('practices as pr', 'pr.ods_code', 'a.practice_ods')
    .select(['a.at', 'a.actor_type', 'a.actor_role', 'a.action', 'a.subject', 'pr.name as practice_name'])
    .where('a.patient_id', '=', patientId)
    .where('a.action', 'in', page.actions)
    .where('a.outcome', '=', 'success')
    .orderBy('a.at', 'desc')
    .limit(page.limit)
    .offset(page.offset)
    .execute();
}

/** The patient and their practice, as a download of the record names them. */
export async function exportPatient(db: Q, { practiceOds, patientId }: PatientAt) {
  return db
    .selectFrom('patients as p')
    .innerJoin('practices as pr', 'pr.ods_code', 'p.practice_ods')
    .select([
      'p.id',
      'p.nhs_number',
      'p.given_name',
      'p.family_name',
      'p.birth_date',
      'p.sex',
      'p.address_lines',
      'p.postcode',
      'pr.ods_code',
      'pr.name as practice_name',
    ])
    .where('p.practice_ods', '=', practiceOds)
    .where('p.id', '=', patientId)
    .executeTakeFirstOrThrow();
}
