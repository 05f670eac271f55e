// The practice's own switch, read for other features: the patient home must not offer online
// ordering at a practice that has switched it off (public practice policy: no audit).
import type { Ctx } from '../platform/context.ts';
import { settingsFor } from './settings-store.ts';

export async function practiceServicesOff(
  ctx: Ctx,
  practiceOds: string,
): Promise<readonly 'repeat-prescriptions'[]> {
  const settings = await settingsFor(ctx.db, practiceOds);
  return settings.onlineOrdering ? [] : ['repeat-prescriptions'];
}
