// SQL of the programme pages: counts per practice, never patient-level rows.
import { sql, type ExpressionBuilder } from 'kysely';
import type { Db } from '../platform/db/index.ts';
import type { Database } from '../platform/db/schema.ts';

/** The practices a programme user may see: all (null), or those assigned to them or their commissioner. */
export type PracticeScope = { staffId: string; commissionerCode: string | null } | null;

/** `pr.ods_code` is assigned to the user, or commissioned by their commissioner. */
export function inScope(
  eb: ExpressionBuilder<Database & { pr: Database['practices'] }, 'pr'>,
  scope: NonNullable<PracticeScope>,
) {
  const { staffId, commissionerCode } = scope;
  return eb.or([
    eb(
      'pr.ods_code',
      'in',
      eb.selectFrom('staff_practice_scopes').select('practice_ods').where('staff_id', '=', staffId),
    ),
    ...(commissionerCode ? [eb('pr.commissioner_code', '=', commissionerCode)] : []),
  ]);
}

/** Patients, linked accounts and patients with each online service, per practice in scope (largest first, at most 200). */
export async function uptakeByPractice(db: Db, scope: PracticeScope) {
  let q = db
    .selectFrom('practices as pr')
    .leftJoin('patients as p', 'p.practice_ods', 'pr.ods_code')
    .leftJoin('online_services as s', 's.patient_id', 'p.id')
    .leftJoin('online_accounts as a', 'a.patient_id', 'p.id')
    .select([
      'pr.ods_code',
      'pr.name',
      sql<string>`count(p.id)`.as('patients'),
      sql<string>`count(a.id)`.as('linked'),
      sql<string>`count(*) filter (where s.appointments)`.as('appointments'),
      sql<string>`count(*) filter (where s.repeat_prescriptions)`.as('repeats'),
      sql<string>`count(*) filter (where s.record_level <> 'none')`.as('record'),
    ])
    .groupBy(['pr.ods_code', 'pr.name']);
  if (scope) q = q.where((eb) => inScope(eb, scope));
  return q
    .orderBy(sql`count(p.id)`, 'desc')
    .orderBy('pr.name')
    .limit(200)
    .execute();
}
