// An area's dashboard, for programme roles: the area's figures (cached by import). Not audited
// per view: it shows published aggregates only, never a patient (imports are audited).
import type { Actor } from '../../platform/auth/actor.ts';
import { assertStaff } from '../../platform/auth/permissions.ts';
import type { Ctx } from '../../platform/context.ts';
import { areaFigures, type AreaFigures } from '../figures.ts';
import { permissions } from '../permissions.ts';

export type Dashboard = AreaFigures;

export async function areaDashboard(
  ctx: Ctx,
  actor: Actor | null,
  query: { area?: string | undefined },
): Promise<Dashboard> {
  assertStaff(actor, permissions.viewProgramme);
  return areaFigures(ctx, query.area);
}
