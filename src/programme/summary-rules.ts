// The programme summary's shape, pure: a month named YYYY-MM, and area totals as numbers.

/** `2018-04` → `2018-04-30` (the POMI period end); null when it is not a month. */
export function monthEnd(month: string): string | null {
  const m = /^(\d{4})-(\d{2})$/.exec(month);
  if (!m) return null;
  const [y, mo] = [Number(m[1]), Number(m[2])];
  if (mo < 1 || mo > 12 || y < 2000 || y > 2100) return null;
  const day = new Date(Date.UTC(y, mo, 0)).getUTCDate();
  return `${m[1] ?? ''}-${m[2] ?? ''}-${String(day)}`;
}

/** `2018-04-30` → `2018-04`. */
export function monthOf(periodEnd: string): string {
  return periodEnd.slice(0, 7);
}

/** Postgres sums arrive as text (bigint) or null when nothing was reported. */
type Sum = string | null;
export type TotalsRow = {
  period_end: string;
  practices: string;
  list_size: Sum;
  appts_offering: string;
  appts_enabled: Sum;
  appts_use: Sum;
  presc_offering: string;
  presc_enabled: Sum;
  presc_use: Sum;
  dcr_offering: string;
  dcr_enabled: Sum;
  dcr_use: Sum;
  total_enabled: Sum;
  total_use: Sum;
};

export type ServiceTotals = {
  practicesOffering: number;
  patientsEnabled: number | null;
  transactions: number | null;
};
export type AreaTotals = {
  month: string;
  practices: number;
  listSize: number | null;
  patientsEnabledAny: number | null;
  transactions: number | null;
  services: { appointments: ServiceTotals; prescriptions: ServiceTotals; detailedCodedRecord: ServiceTotals };
};

const num = (v: Sum): number | null => (v === null ? null : Number(v));

export function areaTotals(r: TotalsRow): AreaTotals {
  const service = (offering: string, enabled: Sum, use: Sum): ServiceTotals => ({
    practicesOffering: Number(offering),
    patientsEnabled: num(enabled),
    transactions: num(use),
  });
  return {
    month: monthOf(r.period_end),
    practices: Number(r.practices),
    listSize: num(r.list_size),
    patientsEnabledAny: num(r.total_enabled),
    transactions: num(r.total_use),
    services: {
      appointments: service(r.appts_offering, r.appts_enabled, r.appts_use),
      prescriptions: service(r.presc_offering, r.presc_enabled, r.presc_use),
      detailedCodedRecord: service(r.dcr_offering, r.dcr_enabled, r.dcr_use),
    },
  };
}
