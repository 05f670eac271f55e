// The programme summary's shape, pure: a month named YYYY-MM, and area totals as numbers.
import { daysInMonth } from '../platform/dates.ts';

/** `2018-04` → `2018-04-30` (the POMI period end); null when it is not a month. */
export function monthEnd(month: string): string | null {
  const m = /^(\d{4})-(\d{2})$/.exec(month);
  if (!m) return null;
  const [y, mo] = [Number(m[1]), Number(m[2])];
  if (mo < 1 || mo > 12 || y < 2000 || y > 2100) return null;
  const day = daysInMonth(y, mo);
  return `${m[1] ?? ''}-${m[2] ?? ''}-${String(day)}`;
}

/** `2018-04-30` → `2018-04`. */
export function monthOf(periodEnd: string): string {
  return periodEnd.slice(0, 7);
}

/** Postgres sums arrive as text (bigint) or null when nothing was reported. */
type Sum = string | null;
type Measure<P extends string> = Record<`${P}_offering` | `${P}_reporting`, string> &
  Record<`${P}_enabled` | `${P}_enabled_list` | `${P}_use` | `${P}_use_list`, Sum>;
export type TotalsRow = {
  period_end: string;
  practices: string;
  list_size: Sum;
  total_enabled: Sum;
  total_enabled_list: Sum;
  total_use: Sum;
  total_use_list: Sum;
} & Measure<'appts'> &
  Measure<'presc'> &
  Measure<'dcr'>;

/** A service's totals; each share's denominator is what reported its numerator. */
export type ServiceTotals = {
  practicesOffering: number;
  /** Practices that reported a system status for it (the share of practices' denominator). */
  practicesReporting: number;
  patientsEnabled: number | null;
  /** List size of the practices that reported patients enabled. */
  enabledListSize: number | null;
  transactions: number | null;
  /** List size of the practices that reported transactions. */
  transactionsListSize: number | null;
};
export type AreaTotals = {
  month: string;
  /** Where the month's figures come from: POMI returns, or offering histories where POMI has none. */
  basis: 'pomi' | 'history';
  practices: number;
  listSize: number | null;
  patientsEnabledAny: number | null;
  enabledAnyListSize: number | null;
  transactions: number | null;
  transactionsListSize: number | null;
  services: { appointments: ServiceTotals; prescriptions: ServiceTotals; detailedCodedRecord: ServiceTotals };
};

const num = (v: Sum): number | null => (v === null ? null : Number(v));

function service(r: TotalsRow, p: 'appts' | 'presc' | 'dcr'): ServiceTotals {
  return {
    practicesOffering: Number(r[`${p}_offering`]),
    practicesReporting: Number(r[`${p}_reporting`]),
    patientsEnabled: num(r[`${p}_enabled`]),
    enabledListSize: num(r[`${p}_enabled_list`]),
    transactions: num(r[`${p}_use`]),
    transactionsListSize: num(r[`${p}_use_list`]),
  };
}

export function areaTotals(r: TotalsRow): AreaTotals {
  return {
    month: monthOf(r.period_end),
    basis: 'pomi',
    practices: Number(r.practices),
    listSize: num(r.list_size),
    patientsEnabledAny: num(r.total_enabled),
    enabledAnyListSize: num(r.total_enabled_list),
    transactions: num(r.total_use),
    transactionsListSize: num(r.total_use_list),
    services: {
      appointments: service(r, 'appts'),
      prescriptions: service(r, 'presc'),
      detailedCodedRecord: service(r, 'dcr'),
    },
  };
}
