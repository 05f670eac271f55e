// The programme team's first view: practices in their scope and how many patients have each online service.
import { sql } from 'kysely';
import type { Actor } from '../platform/auth/actor.ts';
import { auditActor } from '../platform/auth/actor.ts';
import { assertStaff, definePermissions } from '../platform/auth/permissions.ts';
import { recordAuditAlone } from '../platform/audit/audit.ts';
import type { Ctx } from '../platform/context.ts';

export const permissions = definePermissions({
  viewProgramme: { staff: ['facilitator', 'commissioner', 'admin'], ownPractice: false },
});

export type PracticeUptake = {
  ods_code: string;
  name: string;
  patients: number;
  linked: number;
  appointments: number;
  repeats: number;
  record: number;
};

/** Counts only (no patient-level data), for the practices the actor may see. */
export async function practiceUptake(ctx: Ctx, actor: Actor | null): Promise<PracticeUptake[]> {
  const staff = assertStaff(actor, permissions.viewProgramme);
  let q = ctx.db
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
  if (staff.role !== 'admin') {
    const staffId = staff.staffId;
    const code = staff.commissionerCode;
    q = q.where((eb) =>
      eb.or([
        eb(
          'pr.ods_code',
          'in',
          eb.selectFrom('staff_practice_scopes').select('practice_ods').where('staff_id', '=', staffId),
        ),
        ...(code ? [eb('pr.commissioner_code', '=', code)] : []),
      ]),
    );
  }
  const rows = await q
    .orderBy(sql`count(p.id)`, 'desc')
    .orderBy('pr.name')
    .limit(200)
    .execute();
  await recordAuditAlone(
    ctx.db,
    {
      actor: auditActor(staff),
      action: 'programme.view-uptake',
      outcome: 'success',
      details: { practices: rows.length },
      request: ctx.meta,
    },
    ctx.clock.now(),
  );
  return rows.map((r) => ({
    ods_code: r.ods_code,
    name: r.name,
    patients: Number(r.patients),
    linked: Number(r.linked),
    appointments: Number(r.appointments),
    repeats: Number(r.repeats),
    record: Number(r.record),
  }));
}
