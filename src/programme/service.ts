// The programme team's first view: practices in their scope and how many patients have each online service.
import type { Actor } from '../platform/auth/actor.ts';
import { assertStaff } from '../platform/auth/permissions.ts';
import { auditAlone } from '../platform/audit/use-case.ts';
import type { Ctx } from '../platform/context.ts';
import * as store from './store.ts';

import { permissions } from './permissions.ts';

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
  const scope =
    staff.role === 'admin' ? null : { staffId: staff.staffId, commissionerCode: staff.commissionerCode };
  const rows = await store.uptakeByPractice(ctx.db, scope);
  await auditAlone(ctx, staff, {
    action: 'programme.view-uptake',
    practiceOds: null,
    details: { practices: rows.length },
  });
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
