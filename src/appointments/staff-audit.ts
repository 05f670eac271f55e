// One audit row for a staff change to appointments, in the change's transaction.
import { recordAudit } from '../platform/audit/audit.ts';
import { auditActor } from '../platform/auth/actor.ts';
import type { PracticeStaff } from '../platform/auth/permissions.ts';
import type { Ctx } from '../platform/context.ts';
import type { Tx } from '../platform/db/index.ts';

export type Audit = {
  action: string;
  subject: string;
  patientId?: string | null;
  details?: Record<string, unknown>;
};

export async function audited(tx: Tx, ctx: Ctx, staff: PracticeStaff, a: Audit): Promise<void> {
  await recordAudit(
    tx,
    {
      actor: auditActor(staff),
      action: a.action,
      outcome: 'success',
      practiceOds: staff.practiceOds,
      patientId: a.patientId ?? null,
      subject: a.subject,
      details: a.details,
      request: ctx.meta,
    },
    ctx.clock.now(),
  );
}
