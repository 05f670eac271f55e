// The patient's messages about a request item, queued in the caller's transaction: the medicine
// named as the caller says (as issued, for approved and issued), or "a medicine" when the
// clinician hid the repeat's record entry online (HAZ-20).
import { accountForPatient } from '../../accounts/index.ts';
import { enqueue } from '../../notifications/index.ts';
import type { Ctx } from '../../platform/context.ts';
import type { Tx } from '../../platform/db/index.ts';
import type { NotificationKind } from '../../platform/db/schema.ts';
import * as store from './store.ts';

export const HIDDEN_MEDICINE = 'a medicine';

export async function tellPatient(
  tx: Tx,
  ctx: Ctx,
  m: {
    practiceOds: string;
    patientId: string;
    itemId: string;
    templateId: string;
    kind: NotificationKind;
    medicine: string;
    fields: Record<string, string>;
  },
): Promise<void> {
  const account = await accountForPatient(tx, m.patientId);
  if (!account?.email) return;
  const hidden = await store.hiddenOnline(tx, m.templateId);
  await enqueue(
    tx,
    {
      practiceOds: m.practiceOds,
      patientId: m.patientId,
      kind: m.kind,
      email: account.email,
      personalisation: {
        medicine: hidden ? HIDDEN_MEDICINE : m.medicine,
        practice: await store.practiceName(tx, m.practiceOds),
        ...m.fields,
      },
      reference: m.itemId,
    },
    ctx.clock.now(),
  );
}
