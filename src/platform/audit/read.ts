// Every read of patient data is audited: one event, appended on its own (a read has no transaction).
import { auditActor, type Actor } from '../auth/actor.ts';
import type { Ctx } from '../context.ts';
import { recordAuditAlone } from './audit.ts';

export async function auditRead(
  ctx: Ctx,
  actor: Actor | null,
  of: { practiceOds: string; patientId: string },
  action: string,
  subject: string,
): Promise<void> {
  await recordAuditAlone(
    ctx.db,
    {
      actor: auditActor(actor),
      action,
      outcome: 'success',
      practiceOds: of.practiceOds,
      patientId: of.patientId,
      subject,
      request: ctx.meta,
    },
    ctx.clock.now(),
  );
}
