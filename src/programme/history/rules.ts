// Offering histories, pure: which practices offered which service at the end of a month, from
// dated changes kept with their source. Months without POMI are counted from the changes people
// record (facilitators) and the platform's settings, never from POMI's carried forward.
import { nextMonth } from '../../platform/dates.ts';
import type { OfferedService, OfferingSource } from '../../platform/db/schema.ts';
import { monthEnd, type AreaTotals, type ServiceTotals } from '../summary-rules.ts';

export type OfferingEntry = {
  practiceOds: string;
  /** The area one level below the one asked about that holds the practice (null: none known). */
  child: string | null;
  service: OfferedService;
  offered: boolean;
  /** YYYY-MM-DD: the day the practice switched it on or off (or was found to have it). */
  effectiveOn: string;
  source: OfferingSource;
  recordedAt: Date;
  /**
   * YYYY-MM-DD: the day the practice was last found on GP Online; its platform entries count up
   * to that month (null or absent: no limit known).
   */
  platformUntil?: string | null;
};

/**
 * On the same day, a facilitator's entry outranks the platform's settings, and both outrank
 * POMI: a person who checked knows better than a monthly extract.
 */
const RANK: Record<OfferingSource, number> = { manual: 3, platform: 2, pomi: 1 };

/** True when `a` decides the state over `b` (later day, then higher source, then recorded later). */
function overrides(a: OfferingEntry, b: OfferingEntry): boolean {
  if (a.effectiveOn !== b.effectiveOn) return a.effectiveOn > b.effectiveOn;
  if (a.source !== b.source) return RANK[a.source] > RANK[b.source];
  return a.recordedAt.getTime() > b.recordedAt.getTime();
}

/** Whether the practice offered the service at the end of `day`; null when nothing says. */
export function offeredOn(entries: readonly OfferingEntry[], day: string): boolean | null {
  let best: OfferingEntry | null = null;
  for (const e of entries) if (e.effectiveOn <= day && (!best || overrides(e, best))) best = e;
  return best ? best.offered : null;
}

/** Change months this close together are one run, with the months between them filled in. */
const RUN_GAP = 3;

const monthIndex = (m: string) => Number(m.slice(0, 4)) * 12 + Number(m.slice(5, 7)) - 1;

export type Run = { start: string; end: string };

/**
 * The runs of months facilitators' entries cover, YYYY-MM: entries up to RUN_GAP months apart
 * are one run, the months between filled in. A single entry years later is a run of its own.
 */
export function manualRuns(entries: readonly OfferingEntry[]): Run[] {
  const own = [
    ...new Set(entries.filter((e) => e.source === 'manual').map((e) => e.effectiveOn.slice(0, 7))),
  ].sort();
  const runs: Run[] = [];
  for (const month of own) {
    const last = runs.at(-1);
    if (last && monthIndex(month) - monthIndex(last.end) <= RUN_GAP) last.end = month;
    else runs.push({ start: month, end: month });
  }
  return runs;
}

function monthsOf(run: Run): string[] {
  const out: string[] = [];
  for (let m = run.start; m <= run.end; m = nextMonth(m)) out.push(m);
  return out;
}

/**
 * The months an area's histories cover, YYYY-MM, leaving out months POMI gives: the months of
 * facilitators' runs, and every month from a practice's first platform entry to `current` (the
 * daily check confirms a practice on GP Online every day, so its state is known every month).
 */
export function historyMonths(
  entries: readonly OfferingEntry[],
  pomiMonths: ReadonlySet<string>,
  current: string,
): string[] {
  const months = new Set(manualRuns(entries).flatMap(monthsOf));
  const platform = entries.filter((e) => e.source === 'platform');
  const firstPlatform = platform.reduce<string | null>(
    (min, e) => (min === null || e.effectiveOn < min ? e.effectiveOn : min),
    null,
  );
  // Up to this month, or the last month any of them was found on GP Online.
  const lastSeen = platform.reduce<string>((max, e) => {
    const until = e.platformUntil ? e.platformUntil.slice(0, 7) : current;
    return until > max ? until : max;
  }, '');
  const end = lastSeen < current ? lastSeen : current;
  if (firstPlatform) for (const m of monthsOf({ start: firstPlatform.slice(0, 7), end })) months.add(m);
  return [...months].filter((m) => !pomiMonths.has(m)).sort();
}

/**
 * Whether a practice is counted in `month`: one on GP Online from its first platform entry to
 * the month it was last found there; one known from facilitators only while their run lasts (a
 * 2013 survey says nothing of 2026).
 */
function counted(list: readonly OfferingEntry[], month: string, run: Run | undefined): boolean {
  return list.some(
    (e) =>
      onPlatform(e, month) ||
      (run !== undefined && e.source === 'manual' && e.effectiveOn.slice(0, 7) >= run.start),
  );
}

/** A platform entry, in a month the practice was still found on GP Online. */
function onPlatform(e: OfferingEntry, month: string): boolean {
  return e.source === 'platform' && (!e.platformUntil || month <= e.platformUntil.slice(0, 7));
}

/** The three services the dashboard follows, as the histories name them. */
const FOLLOWED = {
  appointments: 'appointments',
  prescriptions: 'prescriptions',
  detailedCodedRecord: 'detailed-coded-record',
} as const satisfies Record<keyof AreaTotals['services'], OfferedService>;

function unrecorded(offering: number, reporting: number): ServiceTotals {
  return {
    practicesOffering: offering,
    practicesReporting: reporting,
    patientsEnabled: null,
    enabledListSize: null,
    transactions: null,
    transactionsListSize: null,
  };
}

/**
 * An area's totals at the end of `month` from its practices' histories. A practice counts as
 * `counted` says (the runs are the whole area's, also for its parts); a service's share is over
 * the practices with a recorded state for it. Histories say nothing of list sizes, patients or use: those stay null.
 */
export function historyTotals(
  entries: readonly OfferingEntry[],
  month: string,
  runs: readonly Run[] = manualRuns(entries),
): AreaTotals {
  const day = monthEnd(month) ?? `${month}-31`;
  const run = runs.find((r) => r.start <= month && month <= r.end);
  const byPractice = new Map<string, OfferingEntry[]>();
  for (const e of entries) {
    if (e.effectiveOn > day) continue;
    const list = byPractice.get(e.practiceOds);
    if (list) list.push(e);
    else byPractice.set(e.practiceOds, [e]);
  }
  for (const [ods, list] of byPractice) {
    if (!counted(list, month, run)) byPractice.delete(ods);
    // Known from facilitators only: what they found before this run is not carried into it.
    else if (run && !list.some((e) => onPlatform(e, month)))
      byPractice.set(
        ods,
        list.filter((e) => e.effectiveOn.slice(0, 7) >= run.start),
      );
  }
  const service = (s: OfferedService): ServiceTotals => {
    let offering = 0;
    let reporting = 0;
    for (const list of byPractice.values()) {
      const state = offeredOn(
        list.filter((e) => e.service === s),
        day,
      );
      if (state === null) continue;
      reporting++;
      if (state) offering++;
    }
    return unrecorded(offering, reporting);
  };
  return {
    month,
    basis: 'history',
    practices: byPractice.size,
    listSize: null,
    patientsEnabledAny: null,
    enabledAnyListSize: null,
    transactions: null,
    transactionsListSize: null,
    services: {
      appointments: service(FOLLOWED.appointments),
      prescriptions: service(FOLLOWED.prescriptions),
      detailedCodedRecord: service(FOLLOWED.detailedCodedRecord),
    },
  };
}

/** The month's totals for each area one level down, by code (practices with no known child left out). */
export function childHistoryTotals(
  entries: readonly OfferingEntry[],
  month: string,
): { code: string; totals: AreaTotals }[] {
  const runs = manualRuns(entries);
  const byChild = new Map<string, OfferingEntry[]>();
  for (const e of entries) {
    if (e.child === null) continue;
    const list = byChild.get(e.child);
    if (list) list.push(e);
    else byChild.set(e.child, [e]);
  }
  return [...byChild]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([code, list]) => ({ code, totals: historyTotals(list, month, runs) }))
    .filter((c) => c.totals.practices > 0);
}
