// Reading the practice geography files, pure: NHS Digital's practice → PCN → CCG → STP → region
// map, its registered list sizes per practice, and OHID Fingertips' deprivation score (IMD 2019)
// per practice (../shared/data/ods-gp-practices/README.md). Every bad line is a problem naming
// it; the caller imports all of a file or none.
import { csvRows, type CsvRow, type RowProblem } from '../../platform/csv.ts';
import { daysInMonth } from '../../platform/dates.ts';
import { publishedDay, type AreaName } from '../pomi/rules.ts';

export type GeographyKind = 'map' | 'list-sizes' | 'imd';
/** The Fingertips indicator this reader takes: "Deprivation score (IMD 2019)". */
export const IMD_INDICATOR = '93553';

export type ProfileRow = {
  line: number;
  practiceOds: string;
  pcnCode?: string;
  listSize?: number;
  imdScore?: number;
};

export type GeographyFile = {
  kind: GeographyKind;
  /** The day the figures are of: the extract date (map, list sizes); for IMD, 1 January of its year. */
  on: string | null;
  /** The IMD edition's year (Fingertips' time period). */
  year: number | null;
  profiles: ProfileRow[];
  /** Names the map gives: regions, STPs (as sub-regions), CCGs, PCNs and practices. */
  areas: (Omit<AreaName, 'kind'> & { kind: AreaName['kind'] | 'pcn' })[];
  problems: RowProblem[];
};

/** What a practice file is, from its first line: epraccur has no header row. */
export function practiceFileKind(text: string): GeographyKind | 'epraccur' {
  const first = (text.split('\n', 1)[0] ?? '').toUpperCase();
  const has = (...names: string[]) => names.every((n) => first.includes(n));
  if (has('PRACTICE_CODE', 'PCN_CODE')) return 'map';
  if (has('NUMBER_OF_PATIENTS', 'CODE')) return 'list-sizes';
  if (has('INDICATOR ID', 'AREA CODE', 'VALUE')) return 'imd';
  return 'epraccur';
}

/** `01-Sep-20`, `01JAN2021` or `2021-01-01` as YYYY-MM-DD; null when it is not a real day. */
export function extractDay(raw: string): string | null {
  const parts = publishedDay(raw);
  if (!parts) return null;
  const [y, m, d] = parts;
  if (y < 2000 || y > 2100 || m < 1 || m > 12 || d < 1 || d > daysInMonth(y, m)) return null;
  return `${String(y)}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

const ODS = /^[A-Z0-9]{3,10}$/;
const AREA = /^[A-Z0-9]{2,10}$/;

function show(v: string): string {
  return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v);
}

/** Column positions by header name, case-insensitive; every required name must be there. */
function columns(
  header: CsvRow,
  required: readonly string[],
): { at: (row: CsvRow, name: string) => string } | RowProblem {
  const index = new Map(header.cells.map((c, i) => [c.trim().toUpperCase(), i] as const));
  const missing = required.filter((n) => !index.has(n.toUpperCase()));
  if (missing.length) return { line: header.line, message: `the header has no ${missing.join(', ')} column` };
  return {
    at: (row, name) => {
      const i = index.get(name.toUpperCase());
      return i === undefined ? '' : (row.cells[i] ?? '').trim();
    },
  };
}

/** One value per file: every row must give the same one (an extract date, an IMD year). */
function same(
  seen: { value: string | null },
  value: string,
  line: number,
  what: string,
  problems: RowProblem[],
) {
  if (seen.value === null) seen.value = value;
  else if (seen.value !== value)
    problems.push({
      line,
      message: `${what} ${show(value)} differs from ${show(seen.value)} on earlier lines`,
    });
}

function empty(kind: GeographyKind): GeographyFile {
  return { kind, on: null, year: null, profiles: [], areas: [], problems: [] };
}

function once(seen: Map<string, number>, code: string, line: number, problems: RowProblem[]): boolean {
  const before = seen.get(code);
  if (before !== undefined) {
    problems.push({ line, message: `practice ${code} is already on line ${String(before)}` });
    return false;
  }
  seen.set(code, line);
  return true;
}

const MAP_COLUMNS = [
  'EXTRACT_DATE',
  'PRACTICE_CODE',
  'PRACTICE_NAME',
  'PCN_CODE',
  'PCN_NAME',
  'CCG_CODE',
  'CCG_NAME',
  'STP_CODE',
  'STP_NAME',
  'COMM_REGION_CODE',
  'COMM_REGION_NAME',
] as const;

function readMap(rows: CsvRow[]): GeographyFile {
  const file = empty('map');
  const [header, ...body] = rows;
  if (!header) return file;
  const cols = columns(header, MAP_COLUMNS);
  if ('message' in cols) return { ...file, problems: [cols] };
  const areas = new Map<string, GeographyFile['areas'][number]>();
  const name = (
    kind: GeographyFile['areas'][number]['kind'],
    code: string,
    n: string,
    parent: string | null,
  ) => {
    if (n) areas.set(`${kind}|${code}`, { kind, code, name: n, parent });
  };
  const seen = new Map<string, number>();
  const day = { value: null as string | null };
  for (const row of body) {
    const v = (c: (typeof MAP_COLUMNS)[number]) => cols.at(row, c);
    const bad: string[] = [];
    const practice = v('PRACTICE_CODE').toUpperCase();
    if (!ODS.test(practice)) bad.push(`PRACTICE_CODE ${show(v('PRACTICE_CODE'))} is not an ODS code`);
    const pcn = v('PCN_CODE').toUpperCase();
    const codes = {
      // "U", "Unallocated": the practice is in no PCN.
      pcn: pcn === 'U' ? '' : pcn,
      ccg: v('CCG_CODE').toUpperCase(),
      stp: v('STP_CODE').toUpperCase(),
      region: v('COMM_REGION_CODE').toUpperCase(),
    };
    for (const [k, c] of Object.entries(codes))
      if (c && !AREA.test(c)) bad.push(`${k.toUpperCase()} code ${show(c)} is not an area code`);
    const on = extractDay(v('EXTRACT_DATE'));
    if (!on) bad.push(`EXTRACT_DATE ${show(v('EXTRACT_DATE'))} is not a date like 01-Sep-20`);
    if (bad.length) {
      file.problems.push({ line: row.line, message: bad.join('; ') });
      continue;
    }
    same(day, on ?? '', row.line, 'EXTRACT_DATE', file.problems);
    if (!once(seen, practice, row.line, file.problems)) continue;
    if (codes.region) name('region', codes.region, v('COMM_REGION_NAME'), null);
    if (codes.stp) name('subregion', codes.stp, v('STP_NAME'), codes.region || null);
    if (codes.ccg) name('ccg', codes.ccg, v('CCG_NAME'), codes.stp || null);
    if (codes.pcn) name('pcn', codes.pcn, v('PCN_NAME'), codes.ccg || null);
    name('practice', practice, v('PRACTICE_NAME'), codes.ccg || null);
    file.profiles.push({
      line: row.line,
      practiceOds: practice,
      ...(codes.pcn ? { pcnCode: codes.pcn } : {}),
    });
  }
  return { ...file, on: day.value, areas: [...areas.values()] };
}

function readListSizes(rows: CsvRow[]): GeographyFile {
  const file = empty('list-sizes');
  const [header, ...body] = rows;
  if (!header) return file;
  const cols = columns(header, ['EXTRACT_DATE', 'CODE', 'NUMBER_OF_PATIENTS']);
  if ('message' in cols) return { ...file, problems: [cols] };
  const seen = new Map<string, number>();
  const day = { value: null as string | null };
  for (const row of body) {
    // The same publication also comes by sex and age band: only the all-patients rows are list sizes.
    const sex = cols.at(row, 'SEX').toUpperCase();
    const age = cols.at(row, 'AGE').toUpperCase();
    if ((sex && sex !== 'ALL') || (age && age !== 'ALL')) continue;
    const bad: string[] = [];
    const practice = cols.at(row, 'CODE').toUpperCase();
    if (!ODS.test(practice)) bad.push(`CODE ${show(cols.at(row, 'CODE'))} is not an ODS code`);
    const raw = cols.at(row, 'NUMBER_OF_PATIENTS');
    if (!/^\d{1,7}$/.test(raw)) bad.push(`NUMBER_OF_PATIENTS ${show(raw)} is not a whole number`);
    const on = extractDay(cols.at(row, 'EXTRACT_DATE'));
    if (!on) bad.push(`EXTRACT_DATE ${show(cols.at(row, 'EXTRACT_DATE'))} is not a date like 01JAN2021`);
    if (bad.length) {
      file.problems.push({ line: row.line, message: bad.join('; ') });
      continue;
    }
    same(day, on ?? '', row.line, 'EXTRACT_DATE', file.problems);
    if (once(seen, practice, row.line, file.problems))
      file.profiles.push({ line: row.line, practiceOds: practice, listSize: Number(raw) });
  }
  return { ...file, on: day.value };
}

function readImd(rows: CsvRow[]): GeographyFile {
  const file = empty('imd');
  const [header, ...body] = rows;
  if (!header) return file;
  const cols = columns(header, ['Indicator ID', 'Area Code', 'Area Type', 'Time period', 'Value']);
  if ('message' in cols) return { ...file, problems: [cols] };
  const seen = new Map<string, number>();
  const year = { value: null as string | null };
  for (const row of body) {
    const indicator = cols.at(row, 'Indicator ID');
    if (indicator !== IMD_INDICATOR) {
      file.problems.push({
        line: row.line,
        message: `indicator ${show(indicator)} is not ${IMD_INDICATOR}, the deprivation score (IMD)`,
      });
      continue;
    }
    // England's own rows (and any other area type) sit beside the practices'.
    if (!/^GPS?$/i.test(cols.at(row, 'Area Type'))) continue;
    const bad: string[] = [];
    const practice = cols.at(row, 'Area Code').toUpperCase();
    if (!ODS.test(practice)) bad.push(`Area Code ${show(cols.at(row, 'Area Code'))} is not an ODS code`);
    const period = cols.at(row, 'Time period');
    if (!/^\d{4}$/.test(period)) bad.push(`Time period ${show(period)} is not a year`);
    const raw = cols.at(row, 'Value');
    const score = Number(raw);
    if (raw !== '' && !(/^\d+(\.\d+)?$/.test(raw) && score <= 100))
      bad.push(`Value ${show(raw)} is not a deprivation score from 0 to 100`);
    if (bad.length) {
      file.problems.push({ line: row.line, message: bad.join('; ') });
      continue;
    }
    same(year, period, row.line, 'Time period', file.problems);
    // A blank value is not published for the practice (too few patients to score): no score.
    if (once(seen, practice, row.line, file.problems) && raw !== '')
      file.profiles.push({
        line: row.line,
        practiceOds: practice,
        imdScore: Math.round(score * 1000) / 1000,
      });
  }
  const y = year.value === null ? null : Number(year.value);
  return { ...file, year: y, on: y === null ? null : `${String(y)}-01-01` };
}

/** Reads a map, list-size or IMD file; throws UnreadableCsv when it is not CSV at all. */
export function parseGeography(text: string, kind: GeographyKind): GeographyFile {
  const rows = csvRows(text);
  if (kind === 'map') return readMap(rows);
  if (kind === 'list-sizes') return readListSizes(rows);
  return readImd(rows);
}

/** Deprivation fifths: 1 is the most deprived fifth of practices (the highest scores). */
export function imdQuintile(score: number | null, cuts: readonly number[]): number | null {
  if (score === null || cuts.length !== 4) return null;
  // cuts are the 80th, 60th, 40th and 20th percentiles, highest first.
  const i = cuts.findIndex((c) => score >= c);
  return i === -1 ? 5 : i + 1;
}
