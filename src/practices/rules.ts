// Pure rules for GP practice reference data: reading the NHS ODS "epraccur" extract (the list of
// GP practices and other prescribing settings) into practice records. No I/O.
//
// epraccur is a headerless, quoted CSV with 27 columns (1-based):
//   1 Organisation Code, 2 Name, 3 National Grouping, 4 High Level Health Geography,
//   5-9 Address Lines 1-5, 10 Postcode, 11 Open Date (YYYYMMDD), 12 Close Date,
//   13 Status Code (A/C/D/P), 14 Organisation Sub-Type, 15 Commissioner, 16 Join Parent Date,
//   17 Left Parent Date, 18 Telephone, 19-21 null, 22 Amended Record Indicator, 23 null,
//   24 Provider/Purchaser, 25 null, 26 Prescribing Setting (4 = GP practice), 27 null.
// Both published layouts we hold (Dec 2019, CRLF line ends; Dec 2023, LF line ends) are read the
// same way. Column 15 is the CCG in the 2019 file and the sub-ICB location in the 2023 file.
//
// A file with a header row is also accepted when its header names the columns we need, e.g. the
// derived `gp_practices_active_england_*.csv` subset (practice_code, practice_name, ...,
// sub_icb_location_code, open_date as YYYY-MM-DD, status_code, phone, prescribing_setting).
// A header we cannot read by name is rejected with a thrown Error.
import { CsvError, parse } from 'csv-parse/sync';

export type PracticeStatus = 'active' | 'closed' | 'dormant' | 'proposed';

export type PracticeRecord = {
  odsCode: string;
  name: string;
  addressLines: string[];
  postcode: string | null;
  commissionerCode: string | null;
  status: PracticeStatus;
  prescribingSetting: number | null;
  /** YYYY-MM-DD */
  openDate: string | null;
  /** YYYY-MM-DD */
  closeDate: string | null;
  phone: string | null;
};

/** One rejected row: its 1-based line in the file and what was wrong, naming the column(s). */
export type EpraccurProblem = { line: number; message: string };

/**
 * `practices`: the good rows, in file order. `problems`: one entry per rejected row (plus any
 * CSV syntax errors), in line order. `skipped`: good rows left out by `gpPracticesOnly`.
 */
export type EpraccurResult = { practices: PracticeRecord[]; problems: EpraccurProblem[]; skipped: number };

/** Prescribing setting code for a GP practice (epraccur column 26). */
export const GP_PRACTICE_SETTING = 4;

export const EPRACCUR_COLUMN_COUNT = 27;

const STATUS_CODES: Record<string, PracticeStatus> = {
  A: 'active',
  C: 'closed',
  D: 'dormant',
  P: 'proposed',
};

/** An ODS organisation code: 3 to 8 letters or digits, compared trimmed and upper-cased. */
export function isOdsCode(s: string): boolean {
  return /^[A-Z0-9]{3,8}$/.test(s.trim().toUpperCase());
}

/** The status for an epraccur status code (A, C, D, P; case and spaces ignored), or null. */
export function practiceStatusFromCode(code: string): PracticeStatus | null {
  return STATUS_CODES[code.trim().toUpperCase()] ?? null;
}

/**
 * An ODS date (YYYYMMDD, or already ISO YYYY-MM-DD) as YYYY-MM-DD; null when blank; undefined
 * when it is not a real calendar date.
 */
export function odsDateToIso(s: string): string | null | undefined {
  const t = s.trim();
  if (t === '') return null;
  const m = /^(\d{4})(\d{2})(\d{2})$/.exec(t) ?? /^(\d{4})-(\d{2})-(\d{2})$/.exec(t);
  if (!m) return undefined;
  const [, y, mo, d] = m as unknown as [string, string, string, string];
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  if (year < 1800 || month < 1 || month > 12 || day < 1) return undefined;
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (day > daysInMonth) return undefined;
  return `${y}-${mo}-${d}`;
}

// --- Layouts -----------------------------------------------------------------------------------

type Column = { index: number; label: string };

type Layout = {
  /** Every row must have exactly this many cells. */
  columnCount: number;
  odsCode: Column;
  name: Column;
  addressLines: Column[];
  postcode: Column | null;
  openDate: Column | null;
  closeDate: Column | null;
  status: Column;
  commissioner: Column | null;
  phone: Column | null;
  prescribingSetting: Column | null;
  dateFormat: string;
};

function epraccurColumn(n: number, name: string): Column {
  return { index: n - 1, label: `column ${n} (${name})` };
}

const EPRACCUR_LAYOUT: Layout = {
  columnCount: EPRACCUR_COLUMN_COUNT,
  odsCode: epraccurColumn(1, 'Organisation Code'),
  name: epraccurColumn(2, 'Name'),
  addressLines: [5, 6, 7, 8, 9].map((n) => epraccurColumn(n, `Address Line ${n - 4}`)),
  postcode: epraccurColumn(10, 'Postcode'),
  openDate: epraccurColumn(11, 'Open Date'),
  closeDate: epraccurColumn(12, 'Close Date'),
  status: epraccurColumn(13, 'Status Code'),
  commissioner: epraccurColumn(15, 'Commissioner'),
  phone: epraccurColumn(18, 'Telephone'),
  prescribingSetting: epraccurColumn(26, 'Prescribing Setting'),
  dateFormat: 'YYYYMMDD',
};

/** Accepted header names (normalised: trimmed, lower-case, spaces and dashes as `_`) per field. */
const HEADER_NAMES = {
  odsCode: ['practice_code', 'organisation_code', 'ods_code'],
  name: ['practice_name', 'name'],
  postcode: ['postcode'],
  openDate: ['open_date'],
  closeDate: ['close_date'],
  status: ['status_code'],
  commissioner: ['sub_icb_location_code', 'commissioner', 'commissioner_code', 'ccg_code'],
  phone: ['phone', 'telephone', 'contact_telephone_number'],
  prescribingSetting: ['prescribing_setting'],
} as const;

function normaliseHeaderName(s: string): string {
  return s
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_');
}

/**
 * Whether the first row is a header: its first cell is not an ODS code as written (a header has
 * lower case, spaces, `_` or a long word there). A 27-cell row with a known status code in column
 * 13 is always a data row, even with a bad code (that is then a problem, not a rejected file).
 */
function looksLikeHeader(cells: string[]): boolean {
  const status = cells[EPRACCUR_LAYOUT.status.index] ?? '';
  if (cells.length === EPRACCUR_COLUMN_COUNT && practiceStatusFromCode(status) !== null) return false;
  return !/^[A-Z0-9]{3,8}$/.test((cells[0] ?? '').trim());
}

function headerLayout(header: string[], line: number): Layout {
  const names = header.map(normaliseHeaderName);
  const find = (aliases: readonly string[]): Column | null => {
    for (const alias of aliases) {
      const index = names.indexOf(alias);
      if (index >= 0) return { index, label: `column ${index + 1} ("${header[index]?.trim() ?? alias}")` };
    }
    return null;
  };
  const odsCode = find(HEADER_NAMES.odsCode);
  const name = find(HEADER_NAMES.name);
  const status = find(HEADER_NAMES.status);
  if (!odsCode || !name || !status) {
    const missing = [
      odsCode ? null : 'practice_code',
      name ? null : 'practice_name',
      status ? null : 'status_code',
    ].filter((x) => x !== null);
    throw new Error(
      `The file has a header row (line ${line} starts "${(header[0] ?? '').trim()}"), so it is not an ` +
        `ODS epraccur file (epraccur has no header row), and the header lacks the column(s) ` +
        `${missing.join(', ')} needed to read it by name.`,
    );
  }
  const addressLines: Column[] = [];
  for (let n = 1; n <= 5; n++) {
    const col = find([`address_line_${n}`]);
    if (col) addressLines.push(col);
  }
  return {
    columnCount: header.length,
    odsCode,
    name,
    addressLines,
    postcode: find(HEADER_NAMES.postcode),
    openDate: find(HEADER_NAMES.openDate),
    closeDate: find(HEADER_NAMES.closeDate),
    status,
    commissioner: find(HEADER_NAMES.commissioner),
    phone: find(HEADER_NAMES.phone),
    prescribingSetting: find(HEADER_NAMES.prescribingSetting),
    dateFormat: 'YYYY-MM-DD or YYYYMMDD',
  };
}

// --- Reading -----------------------------------------------------------------------------------

type RawRow = { line: number; cells: string[] };

function countNewlines(s: string): number {
  let n = 0;
  for (const ch of s) if (ch === '\n') n++;
  return n;
}

function csvErrorText(err: CsvError): string {
  switch (err.code) {
    case 'INVALID_OPENING_QUOTE':
      return 'a quote (") inside an unquoted cell';
    case 'CSV_INVALID_CLOSING_QUOTE':
      return 'a quote (") inside a quoted cell that is not doubled';
    case 'CSV_QUOTE_NOT_CLOSED':
      return 'a quoted cell is never closed';
    default:
      return err.message.replace(/ at line \d+/g, '');
  }
}

/** Each syntax error re-reads the rest of the text, so give up on text that is not CSV at all. */
const MAX_SYNTAX_ERRORS = 100;

/**
 * CSV records with the 1-based line each starts on. A record the CSV reader cannot read becomes
 * a problem on the line it starts, and reading starts again on the next line, so one stray quote
 * cannot swallow the rest of the file (up to MAX_SYNTAX_ERRORS of them).
 */
function readRows(csvText: string): { rows: RawRow[]; problems: EpraccurProblem[] } {
  const rows: RawRow[] = [];
  const problems: EpraccurProblem[] = [];
  const text = csvText.startsWith('\uFEFF') ? csvText.slice(1) : csvText;
  const lines = text.split('\n');
  let offset = 0; // where this attempt starts in `text`
  let lineBase = 0; // lines before `offset`
  let syntaxErrors = 0;
  for (;;) {
    let lastEnd = lineBase; // the line the last good record ended on
    try {
      parse(text.slice(offset), {
        relax_column_count: true,
        skip_empty_lines: true,
        on_record: (record: string[], context) => {
          // context.lines is the line the record ends on; quoted cells may span lines.
          const spanned = record.reduce((n, c) => n + countNewlines(c), 0);
          lastEnd = lineBase + context.lines;
          rows.push({ line: lastEnd - spanned, cells: record });
          return null;
        },
      });
      return { rows, problems };
    } catch (err) {
      if (!(err instanceof CsvError)) throw err;
      // The bad record starts on the first non-blank line after the last good one.
      let bad = lastEnd + 1;
      while (bad < lines.length && (lines[bad - 1] ?? '').trim() === '') bad++;
      problems.push({ line: bad, message: `CSV syntax error: ${csvErrorText(err)}` });
      if (bad >= lines.length) return { rows, problems };
      if (++syntaxErrors >= MAX_SYNTAX_ERRORS) {
        problems.push({
          line: bad + 1,
          message: `CSV syntax error: ${MAX_SYNTAX_ERRORS} unreadable records, so the file was not read from here on`,
        });
        return { rows, problems };
      }
      for (let i = lineBase; i < bad; i++) offset += (lines[i] ?? '').length + 1;
      lineBase = bad;
    }
  }
}

function cell(row: RawRow, col: Column): string {
  return (row.cells[col.index] ?? '').trim();
}

function optionalCell(row: RawRow, col: Column | null): string | null {
  if (!col) return null;
  const v = cell(row, col);
  return v === '' ? null : v;
}

function showValue(v: string): string {
  return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v);
}

/** A practice record from one row, or the list of what is wrong with it. */
function readPractice(row: RawRow, layout: Layout): PracticeRecord | string[] {
  if (row.cells.length !== layout.columnCount) {
    return [`expected ${layout.columnCount} columns, found ${row.cells.length}`];
  }
  const issues: string[] = [];

  const rawCode = cell(row, layout.odsCode);
  if (!isOdsCode(rawCode)) {
    issues.push(`${layout.odsCode.label}: ${showValue(rawCode)} is not an ODS code (3-8 letters or digits)`);
  }
  const name = cell(row, layout.name);
  if (name === '') issues.push(`${layout.name.label} is empty`);

  const date = (col: Column | null): string | null => {
    if (!col) return null;
    const raw = cell(row, col);
    const iso = odsDateToIso(raw);
    if (iso === undefined) {
      issues.push(`${col.label}: ${showValue(raw)} is not a valid ${layout.dateFormat} date`);
      return null;
    }
    return iso;
  };
  const openDate = date(layout.openDate);
  const closeDate = date(layout.closeDate);

  const rawStatus = cell(row, layout.status);
  const status = practiceStatusFromCode(rawStatus);
  if (!status) {
    issues.push(`${layout.status.label}: unknown status ${showValue(rawStatus)} (expected A, C, D or P)`);
  }

  let prescribingSetting: number | null = null;
  const rawSetting = optionalCell(row, layout.prescribingSetting);
  if (rawSetting !== null && layout.prescribingSetting) {
    if (/^\d{1,3}$/.test(rawSetting)) prescribingSetting = Number(rawSetting);
    else issues.push(`${layout.prescribingSetting.label}: ${showValue(rawSetting)} is not a whole number`);
  }

  if (issues.length > 0 || !status) return issues;
  return {
    odsCode: rawCode.toUpperCase(),
    name,
    addressLines: layout.addressLines.map((col) => cell(row, col)).filter((v) => v !== ''),
    postcode: optionalCell(row, layout.postcode),
    commissionerCode: optionalCell(row, layout.commissioner)?.toUpperCase() ?? null,
    status,
    prescribingSetting,
    openDate,
    closeDate,
    phone: optionalCell(row, layout.phone),
  };
}

/**
 * Parse an ODS epraccur extract. Bad rows (wrong column count, invalid code, empty name, bad
 * date, unknown status, non-numeric prescribing setting, repeated code) are reported in `problems`
 * and left out; the rest of the file is still read. Names and addresses are kept as given
 * (upper case in ODS files), only trimmed. Blank lines are ignored.
 *
 * `gpPracticesOnly` keeps only prescribing setting 4 (GP practice); other good rows are counted
 * in `skipped`. Rows are validated before filtering, so problems cover the whole file.
 *
 * Throws when the first row is a header that does not name the columns needed (see file top).
 */
export function parseEpraccur(csvText: string, options: { gpPracticesOnly?: boolean } = {}): EpraccurResult {
  const gpPracticesOnly = options.gpPracticesOnly ?? false;
  const { rows, problems } = readRows(csvText);
  const practices: PracticeRecord[] = [];
  let skipped = 0;

  const dataRows = rows.filter((r) => r.cells.some((c) => c.trim() !== ''));
  let layout = EPRACCUR_LAYOUT;
  const first = dataRows[0];
  if (first && looksLikeHeader(first.cells)) {
    layout = headerLayout(first.cells, first.line);
    dataRows.shift();
  }

  const firstLineOfCode = new Map<string, number>();
  for (const row of dataRows) {
    const result = readPractice(row, layout);
    if (Array.isArray(result)) {
      problems.push({ line: row.line, message: result.join('; ') });
      continue;
    }
    const seen = firstLineOfCode.get(result.odsCode);
    if (seen !== undefined) {
      problems.push({
        line: row.line,
        message: `${layout.odsCode.label}: ${result.odsCode} repeats the row on line ${seen}`,
      });
      continue;
    }
    firstLineOfCode.set(result.odsCode, row.line);
    if (gpPracticesOnly && result.prescribingSetting !== GP_PRACTICE_SETTING) {
      skipped++;
      continue;
    }
    practices.push(result);
  }

  problems.sort((a, b) => a.line - b.line);
  return { practices, problems, skipped };
}
