// Reading NHS Digital's POMI (Patient Online Management Information) files, pure: no I/O.
//
// Two layouts carry the same figures (domain §6.2, ../shared/data/pomi/README.md):
// - long, as published: one row per practice, month and field, with `field` and `value`
//   columns and the month as `30APR2018` (older files `30-Apr-18`);
// - wide: one row per practice and month, one column per field, months as `2018-04-30`.
// A blank value means "not reported" and stays null, never 0. Fields this reader does not know
// are kept by name. Every bad row is a problem naming its line; the caller imports all or none.
import { csvRows, type CsvRow, type RowProblem } from '../../platform/csv.ts';
import { daysInMonth } from '../../platform/dates.ts';

export type { RowProblem } from '../../platform/csv.ts';

/** Published field name → column; the Sys_* fields are system status codes, the rest counts. */
export const POMI_FIELDS = {
  patient_list_size: 'patient_list_size',
  Total_Pat_Enbld: 'total_pat_enbld',
  New_Pat_Enbld: 'new_pat_enbld',
  Sys_Appts_Enbld: 'sys_appts_enbld',
  Pat_Appts_Enbld: 'pat_appts_enbld',
  Pat_Appts_Use: 'pat_appts_use',
  Sys_Presc_Enbld: 'sys_presc_enbld',
  Pat_Presc_Enbld: 'pat_presc_enbld',
  Pat_Presc_Use: 'pat_presc_use',
  Sys_DetCodeRec_Enbld: 'sys_detcoderec_enbld',
  Pat_DetCodeRec_Enbld: 'pat_detcoderec_enbld',
  Pat_DetCodeRec_Use: 'pat_detcoderec_use',
  Total_Use: 'total_use',
} as const;
export type PomiField = keyof typeof POMI_FIELDS;
export type PomiColumn = (typeof POMI_FIELDS)[PomiField];
/** Published field names in the published order (the export writes them so). */
export const FIELD_NAMES = Object.keys(POMI_FIELDS) as PomiField[];

/** System status: 2 enabled, 1 available but not enabled, 0 no functionality, 9 unknown. */
export const SYS_CODES = [0, 1, 2, 9] as const;
export const SYS_ENABLED = 2;

export type PomiReturn = {
  line: number;
  practiceOds: string;
  /** The month's last day, YYYY-MM-DD. */
  periodEnd: string;
  regionCode: string | null;
  subregionCode: string | null;
  ccgCode: string | null;
  supplier: string | null;
  values: Record<PomiColumn, number | null>;
  /** Fields not in POMI_FIELDS, by their published name. */
  other: Record<string, number | null>;
};

/** A region, sub-region, CCG or practice as a file names it, with the code of the level above. */
export type AreaName = {
  kind: 'region' | 'subregion' | 'ccg' | 'practice';
  code: string;
  name: string;
  parent: string | null;
};

export type PomiFile = {
  /** `lookup`: the practice lookup published beside the monthly files (names, no figures). */
  format: 'long' | 'wide' | 'lookup';
  returns: PomiReturn[];
  /** Names the file gives (the long format and the lookup do; the wide files do not). */
  areas: AreaName[];
  problems: RowProblem[];
};

export const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];

/** A day as NHS Digital's files write it: `30APR2018`, `30-Apr-18` or `2018-04-30`; null if none. */
export function publishedDay(raw: string): [y: number, m: number, d: number] | null {
  const t = raw.trim().toUpperCase();
  const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(t);
  if (iso) return [Number(iso[1]), Number(iso[2]), Number(iso[3])];
  const named = /^(\d{1,2})-?([A-Z]{3})-?(\d{2}|\d{4})$/.exec(t);
  if (!named) return null;
  const year = named[3] ?? '';
  return [
    Number(year.length === 2 ? `20${year}` : year),
    MONTHS.indexOf(named[2] ?? '') + 1,
    Number(named[1]),
  ];
}

/** `30APR2018`, `30-Apr-18` or `2018-04-30` as YYYY-MM-DD if it is a month's last day; else a reason. */
export function periodEnd(raw: string): { date: string } | { problem: string } {
  const parts = publishedDay(raw);
  if (!parts) return { problem: `${show(raw)} is not a date like 30APR2018 or 2018-04-30` };
  const [y, m, d] = parts;
  if (m < 1 || m > 12 || d < 1 || d > daysInMonth(y, m))
    return { problem: `${show(raw)} is not a real date` };
  if (d !== daysInMonth(y, m)) return { problem: `${show(raw)} is not the last day of a month` };
  return { date: `${String(y)}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}` };
}

function show(v: string): string {
  return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v);
}

/** A cell as a count: null when blank, a reason when not a whole number. */
function count(raw: string, field: string): number | null | string {
  const t = raw.trim();
  if (t === '') return null;
  if (!/^-?\d{1,9}$/.test(t)) return `${field}: ${show(raw)} is not a whole number`;
  const n = Number(t);
  if (field.startsWith('Sys_') && !(SYS_CODES as readonly number[]).includes(n))
    return `${field}: ${show(raw)} is not a system status (0, 1, 2 or 9)`;
  return n;
}

const KNOWN = new Map(FIELD_NAMES.map((f) => [f.toLowerCase(), f]));
/** A published field name in its canonical spelling (`PATIENT_LIST_SIZE` → `patient_list_size`). */
function canonical(field: string): string {
  return KNOWN.get(field.trim().toLowerCase()) ?? field.trim();
}

/** Columns naming the practice, month and geography; CCG-era and sub-ICB-era names both. */
type Role =
  | 'period'
  | 'region'
  | 'subregion'
  | 'ccg'
  | 'practice'
  | 'supplier'
  | 'regionName'
  | 'subregionName'
  | 'ccgName'
  | 'practiceName'
  | 'lastPeriod';
const IDENTITY: Record<string, Role> = {
  report_period_end: 'period',
  region_code: 'region',
  subregion_code: 'subregion',
  icb_code: 'subregion',
  ccg_code: 'ccg',
  sub_icb_location_code: 'ccg',
  practice_code: 'practice',
  system_supplier: 'supplier',
  region_name: 'regionName',
  subregion_name: 'subregionName',
  icb_name: 'subregionName',
  ccg_name: 'ccgName',
  sub_icb_location_name: 'ccgName',
  practice_name: 'practiceName',
  last_report_period_end: 'lastPeriod',
};

type Header = { index: Map<string, number>; fields: { name: string; at: number }[] };

function readHeader(cells: string[]): Header {
  const index = new Map<string, number>();
  const fields: { name: string; at: number }[] = [];
  cells.forEach((cell, at) => {
    const key = cell.trim().toLowerCase();
    const role = Object.hasOwn(IDENTITY, key) ? IDENTITY[key] : undefined;
    if (role) {
      if (!index.has(role)) index.set(role, at);
    } else if (key === 'field' || key === 'value') index.set(key, at);
    else if (key !== '') fields.push({ name: canonical(cell), at });
  });
  return { index, fields };
}

function emptyValues(): Record<PomiColumn, number | null> {
  const v = {} as Record<PomiColumn, number | null>;
  for (const f of FIELD_NAMES) v[POMI_FIELDS[f]] = null;
  return v;
}

type Identity = Omit<PomiReturn, 'values' | 'other' | 'line'>;

function identity(row: CsvRow, h: Header, problems: string[]): Identity | null {
  const at = (role: string) => {
    const i = h.index.get(role);
    const v = i === undefined ? '' : (row.cells[i] ?? '').trim();
    return v;
  };
  const code = at('practice').toUpperCase();
  if (!/^[A-Z0-9]{3,10}$/.test(code))
    problems.push(`practice_code: ${show(at('practice'))} is not an ODS code`);
  const p = periodEnd(at('period'));
  if ('problem' in p) problems.push(`report_period_end: ${p.problem}`);
  if (problems.length || 'problem' in p) return null;
  const orNull = (role: string) => at(role) || null;
  return {
    practiceOds: code,
    periodEnd: p.date,
    regionCode: orNull('region'),
    subregionCode: orNull('subregion'),
    ccgCode: orNull('ccg'),
    supplier: orNull('supplier'),
  };
}

function setField(r: PomiReturn, field: string, value: number | null): void {
  const column = Object.hasOwn(POMI_FIELDS, field) ? POMI_FIELDS[field as PomiField] : undefined;
  if (column) r.values[column] = value;
  else r.other[field] = value;
}

function readLong(rows: CsvRow[], h: Header, width: number): PomiFile {
  const problems: RowProblem[] = [];
  const byKey = new Map<string, PomiReturn>();
  /** Per practice-month, the line each field came on. */
  const lines = new Map<string, Map<string, number>>();
  const fieldAt = h.index.get('field') ?? 0;
  const valueAt = h.index.get('value') ?? 0;
  for (const row of rows) {
    const issues: string[] = [];
    if (row.cells.length !== width)
      issues.push(`expected ${String(width)} columns, found ${String(row.cells.length)}`);
    const id = identity(row, h, issues);
    const field = canonical(row.cells[fieldAt] ?? '');
    if (field === '') issues.push('field is empty');
    const value = count(row.cells[valueAt] ?? '', field);
    if (typeof value === 'string') issues.push(value);
    if (!id || issues.length || typeof value === 'string') {
      problems.push({ line: row.line, message: issues.join('; ') });
      continue;
    }
    const key = `${id.practiceOds}|${id.periodEnd}`;
    let r = byKey.get(key);
    let seen = lines.get(key);
    if (!r || !seen) {
      r = { ...id, line: row.line, values: emptyValues(), other: {} };
      seen = new Map();
      byKey.set(key, r);
      lines.set(key, seen);
    }
    const before = seen.get(field);
    if (before !== undefined) {
      problems.push({
        line: row.line,
        message: `${field} for ${id.practiceOds} in the month ending ${id.periodEnd} repeats line ${String(before)}`,
      });
      continue;
    }
    seen.set(field, row.line);
    setField(r, field, value);
  }
  return { format: 'long', returns: [...byKey.values()], areas: [], problems };
}

function readWide(rows: CsvRow[], h: Header, width: number): PomiFile {
  const problems: RowProblem[] = [];
  const returns: PomiReturn[] = [];
  const seen = new Map<string, number>();
  for (const row of rows) {
    const issues: string[] = [];
    if (row.cells.length !== width)
      issues.push(`expected ${String(width)} columns, found ${String(row.cells.length)}`);
    const id = identity(row, h, issues);
    const r: PomiReturn | null = id ? { ...id, line: row.line, values: emptyValues(), other: {} } : null;
    for (const f of h.fields) {
      const value = count(row.cells[f.at] ?? '', f.name);
      if (typeof value === 'string') issues.push(value);
      else if (r) setField(r, f.name, value);
    }
    if (!r || issues.length) {
      problems.push({ line: row.line, message: issues.join('; ') });
      continue;
    }
    const key = `${r.practiceOds}|${r.periodEnd}`;
    const before = seen.get(key);
    if (before !== undefined) {
      problems.push({
        line: row.line,
        message: `${r.practiceOds} in the month ending ${r.periodEnd} repeats line ${String(before)}`,
      });
      continue;
    }
    seen.set(key, row.line);
    returns.push(r);
  }
  return { format: 'wide', returns, areas: [], problems };
}

const LEVELS = [
  { kind: 'region', code: 'region', name: 'regionName', parent: null },
  { kind: 'subregion', code: 'subregion', name: 'subregionName', parent: 'region' },
  { kind: 'ccg', code: 'ccg', name: 'ccgName', parent: 'subregion' },
  { kind: 'practice', code: 'practice', name: 'practiceName', parent: 'ccg' },
] as const;

/** Every named area in the rows, once each (a later row's name wins). */
function namesIn(rows: readonly CsvRow[], h: Header): AreaName[] {
  const levels = LEVELS.filter((l) => h.index.has(l.code) && h.index.has(l.name));
  const out = new Map<string, AreaName>();
  for (const row of rows) {
    const at = (role: Role) => (row.cells[h.index.get(role) ?? -1] ?? '').trim();
    for (const l of levels) {
      const code = at(l.code).toUpperCase();
      const name = at(l.name);
      if (!/^[A-Z0-9]{2,10}$/.test(code) || name === '') continue;
      out.set(`${l.kind}|${code}`, {
        kind: l.kind,
        code,
        name,
        parent: l.parent ? at(l.parent).toUpperCase() || null : null,
      });
    }
  }
  return [...out.values()];
}

function isLookupHeader(h: Header): boolean {
  return (
    !h.index.has('period') && h.index.has('practice') && h.index.has('practiceName') && h.index.has('ccg')
  );
}

/** Whether a header row is a POMI file's, of either layout. */
export function isPomiHeader(cells: readonly string[]): boolean {
  const h = readHeader([...cells]);
  if (isLookupHeader(h)) return true;
  if (!h.index.has('period') || !h.index.has('practice')) return false;
  return (
    (h.index.has('field') && h.index.has('value')) || h.fields.some((f) => Object.hasOwn(POMI_FIELDS, f.name))
  );
}

/** Reads a POMI file of either layout, told apart by its header. Throws UnreadableCsv for non-CSV. */
export function parsePomi(csvText: string): PomiFile {
  const rows = csvRows(csvText);
  const head = rows.shift();
  if (!head)
    return { format: 'wide', returns: [], areas: [], problems: [{ line: 1, message: 'the file is empty' }] };
  const h = readHeader(head.cells);
  const long = h.index.has('field') && h.index.has('value');
  if (isLookupHeader(h)) return { format: 'lookup', returns: [], areas: namesIn(rows, h), problems: [] };
  if (!isPomiHeader(head.cells)) {
    const message =
      'the header is not a POMI file’s: it needs report_period_end and practice_code, and either field and value ' +
      '(the published long format) or a column per field such as Sys_Appts_Enbld (the wide format)';
    return {
      format: long ? 'long' : 'wide',
      returns: [],
      areas: [],
      problems: [{ line: head.line, message }],
    };
  }
  const file = long ? readLong(rows, h, head.cells.length) : readWide(rows, h, head.cells.length);
  return { ...file, areas: namesIn(rows, h) };
}
