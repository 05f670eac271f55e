// Recording offering histories by hand (a facilitator's survey of their practices, or a demo
// scenario): dated changes with the names of the areas that hold the practices, all or none.
import { SYSTEM_ACTOR, type Actor } from '../../platform/auth/actor.ts';
import { assertStaff } from '../../platform/auth/permissions.ts';
import { audit } from '../../platform/audit/use-case.ts';
import type { Ctx } from '../../platform/context.ts';
import { englandDay, isIsoDate } from '../../platform/dates.ts';
import { AppError } from '../../platform/http/errors.ts';
import { forgetImportVersion } from '../figures.ts';
import { permissions } from '../permissions.ts';
import * as pomi from '../pomi/store.ts';
import type { AreaName } from '../pomi/rules.ts';
import * as store from './store.ts';

type Caller = Actor | null | { kind: 'system' };

const PRACTICE_CODE = /^[A-Z0-9]{3,10}$/;
/** Online services began in the 2000s; an earlier day is a typing mistake (and a century of months). */
export const EARLIEST = '2000-01-01';

export async function recordOfferings(
  ctx: Ctx,
  caller: Caller,
  input: { areas: readonly AreaName[]; changes: readonly store.NewOffering[]; reason: string },
): Promise<{ changes: number; practices: number }> {
  const staff = caller?.kind === 'system' ? null : assertStaff(caller, permissions.recordOfferings);
  const today = englandDay(ctx.clock.now());
  const problems = input.changes.flatMap((c, i) => {
    const field = `changes[${String(i)}]`;
    if (!PRACTICE_CODE.test(c.practiceOds))
      return [{ field, message: `${c.practiceOds} is not a practice code` }];
    if (!isIsoDate(c.effectiveOn)) return [{ field, message: `${c.effectiveOn} is not a date` }];
    if (c.effectiveOn > today) return [{ field, message: `${c.effectiveOn} is after today` }];
    if (c.effectiveOn < EARLIEST) return [{ field, message: `${c.effectiveOn} is before ${EARLIEST}` }];
    return [];
  });
  if (problems.length) throw AppError.invalid(problems.slice(0, 20), 'Nothing was recorded');
  const now = ctx.clock.now();
  const codes = new Set(input.changes.map((c) => c.practiceOds));
  const practices = codes.size;
  await ctx.db.transaction().execute(async (tx) => {
    await pomi.upsertAreas(tx, input.areas, now);
    await store.upsertOfferings(tx, 'manual', input.changes, now, staff?.staffId ?? null);
    await audit(tx, ctx, staff ?? SYSTEM_ACTOR, {
      action: 'programme.offerings.record',
      practiceOds: practices === 1 ? ([...codes][0] ?? null) : null,
      details: {
        reason: input.reason,
        changes: input.changes.length,
        practices,
        areas: input.areas.length,
        // An entry for the same practice, service and day replaces the last: the audit keeps each.
        ...(input.changes.length <= 20
          ? { entries: input.changes.map((c) => [c.practiceOds, c.service, c.offered, c.effectiveOn]) }
          : {}),
      },
    });
  });
  forgetImportVersion(ctx.db);
  return { changes: input.changes.length, practices };
}
