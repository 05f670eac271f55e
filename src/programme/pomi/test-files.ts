// Small POMI files for tests, in both layouts, shaped like the published ones.
const LONG_HEADER =
  'report_period_end,region_code,region_name,subregion_code,subregion_name,ccg_code,ccg_name,practice_code,practice_name,system_supplier,field,value';

/** Long-format rows (CRLF, as published): [month, practice, field, value]. */
export function longFile(rows: readonly (readonly [string, string, string, string])[]): string {
  const lines = rows.map(
    ([month, practice, field, value]) =>
      `${month},Y54,NORTH OF ENGLAND COMMISSIONING REGION,Q72,NHS ENGLAND NORTH (YORKSHIRE AND HUMBER),02N,"NHS Airedale, Wharfedale and Craven CCG",${practice},A PRACTICE,TPP,${field},${value}`,
  );
  return [LONG_HEADER, ...lines].join('\r\n') + '\r\n';
}

export const WIDE_HEADER =
  'report_period_end,region_code,subregion_code,ccg_code,practice_code,system_supplier,patient_list_size,Total_Pat_Enbld,New_Pat_Enbld,Sys_Appts_Enbld,Pat_Appts_Enbld,Pat_Appts_Use,Sys_Presc_Enbld,Pat_Presc_Enbld,Pat_Presc_Use,Sys_DetCodeRec_Enbld,Pat_DetCodeRec_Enbld,Pat_DetCodeRec_Use,Total_Use';

/** One wide row: geography, then the 13 fields in the published order (blank = not reported). */
export function wideRow(
  month: string,
  practice: string,
  values: readonly (number | '')[],
  geo: { region?: string; subregion?: string; ccg?: string } = {},
): string {
  return [
    month,
    geo.region ?? 'Y54',
    geo.subregion ?? 'Q72',
    geo.ccg ?? '02N',
    practice,
    'EMIS',
    ...values,
  ].join(',');
}

export function wideFile(rows: readonly string[]): string {
  return [WIDE_HEADER, ...rows].join('\n') + '\n';
}
