// The dashboard's arithmetic, pure: shares, rates, the report's "from → to" sentences, the chart's
// points and the CSV's rows, all from an area's monthly totals.
import { nextMonth } from '../../platform/dates.ts';
import type { AreaTotals, ServiceTotals } from '../summary-rules.ts';

export const SERVICES = [
  { key: 'appointments', name: 'Online appointment booking' },
  { key: 'prescriptions', name: 'Online repeat prescriptions' },
  { key: 'detailedCodedRecord', name: 'Online record access (detailed coded record)' },
] as const;
export type ServiceKey = (typeof SERVICES)[number]['key'];

const MONTH_NAMES = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

/** `2013-04` → `April 2013`. */
export function monthName(month: string): string {
  return `${MONTH_NAMES[Number(month.slice(5, 7)) - 1] ?? ''} ${month.slice(0, 4)}`;
}

/** A share as a percentage with one decimal place ("37.0%"); null when there is no denominator. */
export function percent(part: number | null, whole: number | null): string | null {
  if (part === null || whole === null || whole === 0) return null;
  return `${(Math.round((part / whole) * 1000) / 10).toFixed(1)}%`;
}

/** Per 1,000 patients, one decimal place; null when either side was not reported. */
export function per1000(count: number | null, patients: number | null): string | null {
  if (count === null || patients === null || patients === 0) return null;
  return (Math.round((count / patients) * 10000) / 10).toFixed(1);
}

/** The report's way of putting a change: "July 2012 → April 2013: 60 → 75 practices". */
export function comparison(from: AreaTotals, to: AreaTotals, key: ServiceKey): string {
  const [f, t] = [from.services[key], to.services[key]];
  const a = f.practicesOffering;
  const b = t.practicesOffering;
  const counts = `${monthName(from.month)} → ${monthName(to.month)}: ${a.toLocaleString('en-GB')} → ${b.toLocaleString('en-GB')} ${b === 1 ? 'practice' : 'practices'}`;
  // The share too, since the number of practices changes as well (mergers, closures).
  const [sa, sb] = [percent(a, f.practicesReporting), percent(b, t.practicesReporting)];
  return sa && sb ? `${counts} (${sa} → ${sb} of practices)` : counts;
}

/**
 * The months to compare: those asked for if there are figures for them (the other end the first
 * or last month); when neither is, the first and last of the latest unbroken stretch of two or more months from one source (like with like: a 2013
 * survey is not compared with this month's practices on GP Online), else the first and last.
 */
export function comparedMonths(
  totals: readonly AreaTotals[],
  asked: { from?: string | undefined; to?: string | undefined },
): { from: AreaTotals; to: AreaTotals } | null {
  const first = totals[0];
  const last = totals.at(-1);
  if (!first || !last) return null;
  const stretches: AreaTotals[][] = [];
  for (const t of totals) {
    const run = stretches.at(-1);
    const before = run?.at(-1);
    if (run && before && before.basis === t.basis && nextMonth(before.month) === t.month) run.push(t);
    else stretches.push([t]);
  }
  const find = (m: string | undefined) => (m ? totals.find((t) => t.month === m) : undefined);
  const [from, to] = [find(asked.from), find(asked.to)];
  const latest = stretches.filter((s) => s.length > 1).at(-1);
  if (!from && !to && latest) return { from: latest[0] ?? first, to: latest.at(-1) ?? last };
  return { from: from ?? first, to: to ?? last };
}

/**
 * `run` numbers each unbroken stretch of months from one source: a line breaks where the source
 * changes or a month is missing, so no line is drawn across a gap.
 */
export type ChartPoint = { month: string; service: string; share: number; run: number };

/** Share of the area's practices offering each service, month by month (0 to 100). */
export function offeringPoints(totals: readonly AreaTotals[]): ChartPoint[] {
  let run = 0;
  let before: AreaTotals | null = null;
  const points: ChartPoint[] = [];
  for (const t of totals) {
    if (t.practices === 0) continue;
    if (before && (before.basis !== t.basis || nextMonth(before.month) !== t.month)) run++;
    before = t;
    for (const s of SERVICES) {
      const v = t.services[s.key];
      points.push({
        month: t.month,
        service: s.name,
        share: Math.round((v.practicesOffering / Math.max(1, v.practicesReporting)) * 1000) / 10,
        run,
      });
    }
  }
  return points;
}

export type MonthRow = {
  month: string;
  label: string;
  source: string;
  practices: string;
  services: {
    key: ServiceKey;
    offering: string;
    share: string | null;
    enabledShare: string | null;
    per1000: string | null;
  }[];
};

/** One table row a month: practices offering each service, patients enabled as a share of list, use. */
export function monthRows(totals: readonly AreaTotals[]): MonthRow[] {
  return totals.map((t) => ({
    month: t.month,
    label: monthName(t.month),
    source: t.basis === 'pomi' ? 'POMI' : 'Offering histories',
    practices: t.practices.toLocaleString('en-GB'),
    services: SERVICES.map((s) => {
      const v: ServiceTotals = t.services[s.key];
      return {
        key: s.key,
        offering: v.practicesOffering.toLocaleString('en-GB'),
        share: percent(v.practicesOffering, v.practicesReporting),
        enabledShare: percent(v.patientsEnabled, v.enabledListSize),
        per1000: per1000(v.transactions, v.transactionsListSize),
      };
    }),
  }));
}

/** The CSV download: a header and one row a month, the same figures as the table. */
export function csvRecords(area: string, totals: readonly AreaTotals[]): (string | number | null)[][] {
  const head = ['area', 'month', 'practices', 'patient_list_size'];
  for (const s of ['appointments', 'repeat_prescriptions', 'detailed_coded_record'])
    head.push(
      `${s}_practices_offering`,
      `${s}_practices_reporting`,
      `${s}_patients_enabled`,
      `${s}_transactions`,
    );
  head.push('patients_enabled_any', 'transactions', 'source');
  const rows = totals.map((t) => [
    area,
    t.month,
    t.practices,
    t.listSize,
    ...SERVICES.flatMap((s) => [
      t.services[s.key].practicesOffering,
      t.services[s.key].practicesReporting,
      t.services[s.key].patientsEnabled,
      t.services[s.key].transactions,
    ]),
    t.patientsEnabledAny,
    t.transactions,
    t.basis === 'pomi' ? 'pomi' : 'offering-history',
  ]);
  return [head, ...rows];
}
