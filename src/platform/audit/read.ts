// Every read of patient data is audited: one event, appended on its own (a read has no transaction).
import type { Actor } from '../auth/actor.ts';
import type { Ctx } from '../context.ts';
import { auditAlone } from './use-case.ts';

export async function auditRead(
  ctx: Ctx,
  actor: Actor | null,
  of: { practiceOds: string; patientId: string },
  action: string,
  subject: string,
): Promise<void> {
  await auditAlone(ctx, actor, { action, practiceOds: of.practiceOds, patientId: of.patientId, subject });
}
