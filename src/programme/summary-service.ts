// The programme summary: an area's practices and, per online service, how many offer it, how
// many patients are enabled and how many transactions they made, in a month. Aggregates only.
import type { Actor } from '../platform/auth/actor.ts';
import { assertStaff } from '../platform/auth/permissions.ts';
import { auditAlone } from '../platform/audit/use-case.ts';
import type { Ctx } from '../platform/context.ts';
import { AppError } from '../platform/http/errors.ts';
import { permissions } from './permissions.ts';
import * as pomi from './pomi/store.ts';
import { areaTotals, monthEnd, type AreaTotals } from './summary-rules.ts';

/** England's ONS code: the summary's area when none is named. */
export const ENGLAND = 'E92000001';

export type AreaKind = 'england' | 'region' | 'subregion' | 'ccg' | 'practice';
export type Summary = AreaTotals & { area: { code: string; kind: AreaKind } };

const KIND: Record<NonNullable<pomi.AreaMatch>['column'], AreaKind> = {
  region_code: 'region',
  subregion_code: 'subregion',
  ccg_code: 'ccg',
  practice_ods: 'practice',
};

export async function programmeSummary(
  ctx: Ctx,
  actor: Actor | null,
  query: { area?: string | undefined; month?: string | undefined },
): Promise<Summary> {
  const staff = assertStaff(actor, permissions.viewProgramme);
  const code = query.area?.trim().toUpperCase() || ENGLAND;
  const area = code === ENGLAND ? null : await pomi.areaOf(ctx.db, code);
  if (area === undefined)
    throw new AppError('not-found', `No imported figures name the area ${code}.`, { reason: 'unknown-area' });
  let end: string | null;
  if (query.month === undefined) {
    end = (await pomi.months(ctx.db)).at(-1) ?? null;
    if (end === null)
      throw new AppError('not-found', 'No figures have been imported yet.', { reason: 'no-figures' });
  } else {
    end = monthEnd(query.month);
    if (end === null)
      throw AppError.invalid([{ field: 'month', message: 'Enter the month as YYYY-MM, like 2019-03' }]);
  }
  const [row] = await pomi.monthlyTotals(ctx.db, area, end);
  if (!row)
    throw new AppError('not-found', `No figures for ${end.slice(0, 7)} in ${code}.`, {
      reason: 'no-figures',
    });
  await auditAlone(ctx, staff, {
    action: 'programme.summary.view',
    practiceOds: null,
    details: { area: code, month: end.slice(0, 7) },
  });
  return { area: { code, kind: area ? KIND[area.column] : 'england' }, ...areaTotals(row) };
}
