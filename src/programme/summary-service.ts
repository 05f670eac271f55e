// The programme summary: an area's practices and, per online service, how many offer it, how
// many patients are enabled and how many transactions they made, in a month. Aggregates only,
// so a read is not audited (as the dashboard; imports are).
import type { Actor } from '../platform/auth/actor.ts';
import { assertStaff } from '../platform/auth/permissions.ts';
import type { Ctx } from '../platform/context.ts';
import { AppError } from '../platform/http/errors.ts';
import { areaFigures, type AreaKind } from './figures.ts';
import { permissions } from './permissions.ts';
import { monthEnd, type AreaTotals } from './summary-rules.ts';

export type Summary = AreaTotals & { area: { code: string; kind: AreaKind } };

export async function programmeSummary(
  ctx: Ctx,
  actor: Actor | null,
  query: { area?: string | undefined; month?: string | undefined },
): Promise<Summary> {
  assertStaff(actor, permissions.viewProgramme);
  if (query.month !== undefined && monthEnd(query.month) === null)
    throw AppError.invalid([{ field: 'month', message: 'Enter the month as YYYY-MM, like 2019-03' }]);
  const f = await areaFigures(ctx, query.area);
  const { code } = f.area;
  if (f.totals.length === 0)
    throw new AppError('not-found', 'No figures have been imported yet.', { reason: 'no-figures' });
  const month = query.month ?? f.totals.at(-1)?.month;
  const totals = f.totals.find((t) => t.month === month);
  if (!totals)
    throw new AppError('not-found', `No figures for ${month ?? ''} in ${code}.`, { reason: 'no-figures' });
  return { area: f.area, ...totals };
}
