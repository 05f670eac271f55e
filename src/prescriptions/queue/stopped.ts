// A repeat suspended or ended: its request still waiting for a prescriber is rejected in the
// same transaction, and the patient told why, so nothing waits on a medicine that is stopped.
import { audit } from '../../platform/audit/use-case.ts';
import type { PracticeStaff } from '../../platform/auth/permissions.ts';
import type { Ctx } from '../../platform/context.ts';
import type { Tx } from '../../platform/db/index.ts';
import { tellPatient } from './messages.ts';
import * as store from './store.ts';

/** What the patient reads when a waiting request is rejected because its repeat stopped. */
export function stoppedReason(stop: 'suspended' | 'ended', reason: string): string {
  return `Your GP practice has ${stop === 'suspended' ? 'paused' : 'stopped'} this medicine: ${reason}`;
}

/** The longest prefix stoppedReason adds, so the practice's reason can be kept within 500. */
export const STOPPED_PREFIX_LENGTH = Math.max(
  stoppedReason('suspended', '').length,
  stoppedReason('ended', '').length,
);

/**
 * Rejects the repeat's waiting items; the caller holds the repeat's lock (a change of the repeat
 * locks the repeat first, then its items, as approving does). The ids rejected.
 */
export async function rejectWaiting(
  tx: Tx,
  ctx: Ctx,
  staff: PracticeStaff,
  w: { templateId: string; stop: 'suspended' | 'ended'; reason: string },
): Promise<string[]> {
  const now = ctx.clock.now();
  const reason = stoppedReason(w.stop, w.reason);
  const items = await store.waitingItemsForUpdate(tx, staff.practiceOds, w.templateId);
  for (const item of items) {
    const moved = await store.moveItem(tx, {
      id: item.id,
      from: 'requested',
      to: 'rejected',
      now,
      decidedBy: staff.staffId,
      rejectReason: reason,
    });
    if (!moved) throw new Error('a locked item moved');
    await tellPatient(tx, ctx, {
      practiceOds: staff.practiceOds,
      patientId: item.patient_id,
      itemId: item.id,
      templateId: w.templateId,
      kind: 'prescription-rejected',
      medicine: item.drug_name,
      fields: { reason },
    });
    await audit(tx, ctx, staff, {
      action: 'prescription.reject',
      subject: `prescription-item:${item.id}`,
      patientId: item.patient_id,
      details: { reason, repeat: w.stop },
    });
  }
  return items.map((i) => i.id);
}
