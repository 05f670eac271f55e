// What the patient home needs besides the patient's own summary (patient-service.ts): how to
// reach their practice, to ask for a service it has not switched on.
import type { Actor } from '../platform/auth/actor.ts';
import { assertPatient } from '../platform/auth/permissions.ts';
import type { Ctx } from '../platform/context.ts';
import * as store from './store.ts';

export type PracticeContact = { name: string; phone: string | null };

/** The linked patient's practice name and phone (public ODS details: no audit); null when unlinked. */
export async function practiceContact(ctx: Ctx, actor: Actor | null): Promise<PracticeContact | null> {
  const me = assertPatient(actor);
  if (!me.practiceOds) return null;
  const row = await store.practiceContact(ctx.db, me.practiceOds);
  return row ? { name: row.name, phone: row.phone } : null;
}
