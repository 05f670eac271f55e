// Pure rules for pharmacies: reading the ODS pharmacy list, postcodes for searching, what a search
// term is, and whether a pharmacy can be nominated. No I/O, no clock.
//
// The ODS publishes pharmacies (dispensing contractors, role RO182, and appliance contractors,
// RO94) in its legacy CSV product "edispensary.csv" (in edispensary.zip, under "GP and GP practice
// related data"); its reference data catalogue says appliance contractors are published alongside
// pharmacies in that file (odsdatasearchandexport.nhs.uk referenceDataCatalogue 571327279). It is
// the ODS standard layout: no header row, every cell quoted, 27 columns (1-based):
//   1 Organisation Code (F + 4, e.g. FA123), 2 Name, 3 National Grouping, 4 High Level Health
//   Geography, 5-9 Address Lines 1-5, 10 Postcode, 11 Open Date (YYYYMMDD), 12 Close Date,
//   13 Status Code (A, C, D, P), 14 Organisation Sub-Type Code, 15 Parent Organisation Code (the
//   pharmacy headquarters, epharmacyhq.csv), 16 Join Parent Date, 17 Left Parent Date,
//   18 Contact Telephone Number, 19-21 null, 22 Amended Record Indicator, 23 null,
//   24 Current Care Organisation, 25-27 null.
// Sources read: a published sample (github ayubmalik/nhsfinder data/testdata/sample-edispensary.csv,
// rows like "FA123","ROWLANDS PHARMACY","Y62","Q83",...,"SK7 5LD","20060601","","A","1","P79D",...)
// and readers of the same file that use the epraccur column names for it. Newer extracts spell
// the status in full (ACTIVE, CLOSED, ...), which is accepted too.
import { csvRows, type RowProblem } from '../platform/csv.ts';
import { daysInMonth } from '../platform/dates.ts';

export { UnreadableCsv, type RowProblem } from '../platform/csv.ts';

export type PharmacyStatus = 'active' | 'closed' | 'dormant' | 'proposed';

export type PharmacyRecord = {
  odsCode: string;
  name: string;
  addressLines: string[];
  /** As published, upper case with one space (e.g. "PR5 6JD"); null when blank. */
  postcode: string | null;
  phone: string | null;
  status: PharmacyStatus;
  /** YYYY-MM-DD */
  openDate: string | null;
  /** YYYY-MM-DD */
  closeDate: string | null;
};

export const EDISPENSARY_COLUMNS = 27;

const STATUS: Record<string, PharmacyStatus> = {
  A: 'active',
  ACTIVE: 'active',
  C: 'closed',
  CLOSED: 'closed',
  D: 'dormant',
  DORMANT: 'dormant',
  P: 'proposed',
  PROPOSED: 'proposed',
};

/** An ODS code as the pharmacies table holds it: 3 to 10 capital letters or digits. */
export function isOdsCode(s: string): boolean {
  return /^[A-Z0-9]{3,10}$/.test(s);
}

const POSTCODE = /^([A-Z]{1,2}[0-9][A-Z0-9]?) ?([0-9][A-Z]{2})$/;
const OUTWARD = /^[A-Z]{1,2}[0-9][A-Z0-9]?$/;

/** The postcode upper-cased without spaces (the table's postcode_key); null when blank. */
export function postcodeKey(postcode: string | null): string | null {
  if (postcode === null) return null;
  const k = postcode.toUpperCase().replace(/\s+/g, '');
  return k === '' ? null : k;
}

/** A UK postcode written the usual way ("pr56jd" → "PR5 6JD"); anything else trimmed as given. */
export function tidyPostcode(raw: string): string {
  const t = raw.trim().toUpperCase().replace(/\s+/g, ' ');
  const m = POSTCODE.exec(t.replace(/ /g, ''));
  return m ? `${m[1] ?? ''} ${m[2] ?? ''}` : t;
}

/** YYYYMMDD (or YYYY-MM-DD) as YYYY-MM-DD; null when blank; undefined when not a real date. */
export function odsDate(s: string): string | null | undefined {
  const t = s.trim();
  if (t === '') return null;
  const m = /^(\d{4})-?(\d{2})-?(\d{2})$/.exec(t);
  if (!m) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (y < 1800 || mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo)) return undefined;
  return `${m[1] ?? ''}-${m[2] ?? ''}-${m[3] ?? ''}`;
}

function shown(v: string): string {
  return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v);
}

function readRow(cells: string[]): PharmacyRecord | string[] {
  if (cells.length !== EDISPENSARY_COLUMNS)
    return [`expected ${String(EDISPENSARY_COLUMNS)} columns, found ${String(cells.length)}`];
  const c = (n: number) => (cells[n - 1] ?? '').trim();
  const issues: string[] = [];
  const code = c(1).toUpperCase();
  if (!isOdsCode(code))
    issues.push(`column 1 (Organisation Code): ${shown(c(1))} is not an ODS code (3-10 letters or digits)`);
  if (c(2) === '') issues.push('column 2 (Name) is empty');
  const date = (n: number, label: string) => {
    const v = odsDate(c(n));
    if (v === undefined) issues.push(`column ${String(n)} (${label}): ${shown(c(n))} is not a YYYYMMDD date`);
    return v ?? null;
  };
  const openDate = date(11, 'Open Date');
  const closeDate = date(12, 'Close Date');
  const status = STATUS[c(13).toUpperCase()];
  if (!status) issues.push(`column 13 (Status Code): unknown status ${shown(c(13))} (expected A, C, D or P)`);
  if (issues.length || !status) return issues;
  const postcode = c(10) === '' ? null : tidyPostcode(c(10));
  return {
    odsCode: code,
    name: c(2),
    addressLines: [5, 6, 7, 8, 9].map(c).filter((v) => v !== ''),
    postcode,
    phone: c(18) === '' ? null : c(18),
    status,
    openDate,
    closeDate,
  };
}

/**
 * Reads an edispensary.csv. Every bad row is a problem naming its line and column(s); a repeated
 * code is a problem on its second line. Throws a RowProblem-carrying error only for text that is
 * not CSV at all (a stray quote), since no later line can then be trusted.
 */
export function parseEdispensary(csvText: string): { pharmacies: PharmacyRecord[]; problems: RowProblem[] } {
  const rows = csvRows(csvText);
  const pharmacies: PharmacyRecord[] = [];
  const problems: RowProblem[] = [];
  const first = rows[0];
  if (first && first.cells.length > 0 && /[a-z ]/.test(first.cells[0] ?? '')) {
    problems.push({
      line: first.line,
      message: `a header row ("${(first.cells[0] ?? '').slice(0, 40)}"): edispensary.csv has none`,
    });
    rows.shift();
  }
  const seen = new Map<string, number>();
  for (const row of rows) {
    const r = readRow(row.cells);
    if (Array.isArray(r)) {
      problems.push({ line: row.line, message: r.join('; ') });
      continue;
    }
    const before = seen.get(r.odsCode);
    if (before !== undefined) {
      problems.push({
        line: row.line,
        message: `column 1 (Organisation Code): ${r.odsCode} repeats line ${String(before)}`,
      });
      continue;
    }
    seen.set(r.odsCode, row.line);
    pharmacies.push(r);
  }
  return { pharmacies, problems };
}

// --- Searching ---------------------------------------------------------------------------------

export const MAX_SEARCH = 100;

export type SearchTerm =
  | { kind: 'empty' }
  | { kind: 'too-long' }
  | { kind: 'postcode'; key: string; outward: string; code: string | null; name: string }
  | { kind: 'outward'; outward: string; code: string | null; name: string }
  | { kind: 'text'; code: string | null; name: string };

/**
 * What a patient typed: a full postcode (that postcode first, then its district), a postcode
 * district ("PR5"), or words of a name; any of them may also be an ODS code, matched exactly.
 */
export function searchTerm(raw: string): SearchTerm {
  const t = raw.trim().replace(/\s+/g, ' ');
  if (t === '') return { kind: 'empty' };
  if (t.length > MAX_SEARCH) return { kind: 'too-long' };
  const upper = t.toUpperCase();
  const code = isOdsCode(upper) ? upper : null;
  const name = t.toLowerCase();
  const full = POSTCODE.exec(upper.replace(/ /g, ''));
  if (full) {
    const outward = full[1] ?? '';
    return { kind: 'postcode', key: outward + (full[2] ?? ''), outward, code, name };
  }
  if (OUTWARD.test(upper)) return { kind: 'outward', outward: upper, code, name };
  return { kind: 'text', code, name };
}

// --- Nominating --------------------------------------------------------------------------------

/** Why a pharmacy cannot be nominated on this England day, or null when it can. */
export function nominationProblem(
  p: { status: PharmacyStatus; openDate: string | null; closeDate: string | null },
  today: string,
): string | null {
  if (p.status !== 'active' || (p.closeDate !== null && p.closeDate <= today))
    return 'This pharmacy has closed. Choose another pharmacy.';
  if (p.openDate !== null && p.openDate > today)
    return 'This pharmacy is not open yet. Choose another pharmacy.';
  return null;
}
