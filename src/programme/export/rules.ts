// A practice's POMI return from its live data on GP Online, pure: the published long format
// (`30APR2018` dates, one row per practice, month and field, CRLF), so a practice on the
// platform reports like any other and our own `import-pomi` reads it back.
import { monthEnd } from '../summary-rules.ts';
import { MONTHS, SYS_ENABLED, type PomiField } from '../pomi/rules.ts';

export const LONG_HEADER = [
  'report_period_end',
  'region_code',
  'region_name',
  'subregion_code',
  'subregion_name',
  'ccg_code',
  'ccg_name',
  'practice_code',
  'practice_name',
  'system_supplier',
  'field',
  'value',
] as const;

/** The order NHS Digital's own extract writes a practice-month's fields in (the sample file). */
export const PUBLISHED_ORDER: readonly PomiField[] = [
  'Sys_Presc_Enbld',
  'Pat_DetCodeRec_Enbld',
  'Pat_Appts_Enbld',
  'patient_list_size',
  'Pat_DetCodeRec_Use',
  'Pat_Presc_Use',
  'Sys_Appts_Enbld',
  'New_Pat_Enbld',
  'Sys_DetCodeRec_Enbld',
  'Pat_Presc_Enbld',
  'Total_Use',
  'Total_Pat_Enbld',
  'Pat_Appts_Use',
];

/** How the return names the clinical system, as POMI names EMIS or TPP. */
export const SUPPLIER = 'GP ONLINE';

type Named = { code: string; name: string } | null;

/** One practice's month, counted from live data (see the store for what each count is). */
export type LiveMonth = {
  month: string;
  practice: { code: string; name: string };
  region: Named;
  subregion: Named;
  ccg: Named;
  listSize: number;
  enabledAny: number;
  newlyEnabled: number;
  appointments: { offered: boolean | null; enabled: number; use: number };
  prescriptions: { offered: boolean | null; enabled: number; use: number };
  detailedRecord: { offered: boolean | null; enabled: number; use: number };
};

/** `2018-04` → `30APR2018`, the month's last day as the long format writes it. */
export function pomiPeriodEnd(month: string): string {
  const end = monthEnd(month);
  if (!end) throw new Error(`not a month: ${month}`);
  return `${end.slice(8, 10)}${MONTHS[Number(end.slice(5, 7)) - 1] ?? ''}${end.slice(0, 4)}`;
}

/** 2 enabled, 1 available but not enabled (GP Online always has the function), blank not known. */
const sys = (offered: boolean | null) => (offered === null ? '' : offered ? String(SYS_ENABLED) : '1');

export function fieldValues(m: LiveMonth): Record<PomiField, string> {
  const n = (v: number) => String(v);
  return {
    patient_list_size: n(m.listSize),
    Total_Pat_Enbld: n(m.enabledAny),
    New_Pat_Enbld: n(m.newlyEnabled),
    Sys_Appts_Enbld: sys(m.appointments.offered),
    Pat_Appts_Enbld: n(m.appointments.enabled),
    Pat_Appts_Use: n(m.appointments.use),
    Sys_Presc_Enbld: sys(m.prescriptions.offered),
    Pat_Presc_Enbld: n(m.prescriptions.enabled),
    Pat_Presc_Use: n(m.prescriptions.use),
    Sys_DetCodeRec_Enbld: sys(m.detailedRecord.offered),
    Pat_DetCodeRec_Enbld: n(m.detailedRecord.enabled),
    Pat_DetCodeRec_Use: n(m.detailedRecord.use),
    Total_Use: n(m.appointments.use + m.prescriptions.use + m.detailedRecord.use),
  };
}

/** The return's records, header first, for one practice and one or more months. */
export function longRecords(months: readonly LiveMonth[]): string[][] {
  const rows: string[][] = [[...LONG_HEADER]];
  for (const m of months) {
    const v = fieldValues(m);
    const place = [
      pomiPeriodEnd(m.month),
      m.region?.code ?? '',
      m.region?.name ?? '',
      m.subregion?.code ?? '',
      m.subregion?.name ?? '',
      m.ccg?.code ?? '',
      m.ccg?.name ?? '',
      m.practice.code,
      m.practice.name,
      SUPPLIER,
    ];
    for (const f of PUBLISHED_ORDER) rows.push([...place, f, v[f]]);
  }
  return rows;
}
