// A practice's POMI return from its live data on GP Online, for a month from its first patient
// to this one (this month counts up to now), audited: the counts are the practice's own.
import type { Actor } from '../../platform/auth/actor.ts';
import { assertOwnPracticeStaff } from '../../platform/auth/permissions.ts';
import { auditAlone } from '../../platform/audit/use-case.ts';
import type { Ctx } from '../../platform/context.ts';
import { englandDay, nextMonth, startOfEnglandDay } from '../../platform/dates.ts';
import { AppError } from '../../platform/http/errors.ts';
import type { OfferedService } from '../../platform/db/schema.ts';
import { offeredOn } from '../history/rules.ts';
import { entryOf } from '../history/store.ts';
import { permissions } from '../permissions.ts';
import { monthEnd } from '../summary-rules.ts';
import { longRecords, type LiveMonth } from './rules.ts';
import * as store from './store.ts';

export type PomiReturn = {
  month: string;
  /** Months the practice can report, newest first. */
  months: string[];
  current: string;
  live: LiveMonth;
  records: string[][];
};

export async function practicePomiReturn(
  ctx: Ctx,
  actor: Actor | null,
  asked: string | undefined,
): Promise<PomiReturn> {
  const staff = assertOwnPracticeStaff(actor, permissions.exportPomi);
  const practice = staff.practiceOds;
  const now = ctx.clock.now();
  const today = englandDay(now);
  const current = today.slice(0, 7);
  const first = await store.firstData(ctx.db, practice);
  const months: string[] = [];
  for (let m = first ? englandDay(first).slice(0, 7) : current; m <= current; m = nextMonth(m))
    months.unshift(m);
  const month = asked ?? current;
  if (!months.includes(month))
    throw AppError.invalid([
      {
        field: 'month',
        message: `Choose a month from ${months.at(-1) ?? current} to ${current}: the practice has no data on GP Online for ${month}`,
      },
    ]);
  const from = startOfEnglandDay(`${month}-01`);
  const next = startOfEnglandDay(`${nextMonth(month)}-01`);
  // This month counts up to and including now (the bound is exclusive).
  const to = next <= now ? next : new Date(now.getTime() + 1);
  const lastDay = month === current ? today : (monthEnd(month) ?? today);
  const [counts, place, entries] = await Promise.all([
    store.liveCounts(ctx.db, practice, from, to),
    store.practicePlace(ctx.db, practice),
    store.offeringEntries(ctx.db, practice, lastDay),
  ]);
  if (!place) throw new AppError('not-found', 'Your practice is not on GP Online.');
  const offered = (s: OfferedService) =>
    offeredOn(entries.filter((e) => e.service === s).map(entryOf), lastDay);
  const named = (code: string | null, name: string | null) => (code ? { code, name: name ?? '' } : null);
  const live: LiveMonth = {
    month,
    practice: { code: practice, name: place.name },
    region: named(place.region_code, place.region_name),
    subregion: named(place.subregion_code, place.subregion_name),
    ccg: named(place.ccg_code, place.ccg_name),
    listSize: counts.list_size,
    enabledAny: counts.any_end,
    newlyEnabled: counts.any_start_to_end,
    appointments: { offered: offered('appointments'), enabled: counts.appts, use: counts.appts_use },
    prescriptions: { offered: offered('prescriptions'), enabled: counts.presc, use: counts.presc_use },
    detailedRecord: { offered: offered('detailed-coded-record'), enabled: counts.dcr, use: counts.dcr_use },
  };
  await auditAlone(ctx, staff, { action: 'programme.pomi.export', details: { month } });
  return { month, months, current, live, records: longRecords([live]) };
}
