// Reading CSV into rows with the line each ends on, for importers that name bad lines.
import { CsvError, parse } from 'csv-parse/sync';
import { AppError } from './http/errors.ts';

/** One line-numbered problem in an imported file (1-based, as an editor counts). */
export type RowProblem = { line: number; message: string };
export type CsvRow = { line: number; cells: string[] };

/** Text that is not CSV at all (a stray quote): no later line can be trusted. */
export class UnreadableCsv extends Error {
  readonly problem: RowProblem;
  constructor(problem: RowProblem) {
    super(`line ${String(problem.line)}: ${problem.message}`);
    this.problem = problem;
  }
}

/** Every non-empty row with its line; a leading byte-order mark and CRLF line ends are fine. */
export function csvRows(csvText: string): CsvRow[] {
  const text = csvText.startsWith('\uFEFF') ? csvText.slice(1) : csvText;
  const rows: CsvRow[] = [];
  try {
    parse(text, {
      relax_column_count: true,
      skip_empty_lines: true,
      on_record: (record: string[], context) => {
        rows.push({ line: context.lines, cells: record });
        return null;
      },
    });
  } catch (err) {
    if (!(err instanceof CsvError)) throw err;
    const line = typeof err.lines === 'number' ? err.lines : 0;
    throw new UnreadableCsv({
      line,
      message: `CSV syntax error: ${err.message.replace(/ at line \d+/g, '')}`,
    });
  }
  return rows;
}

/** How many bad lines a refused file names. */
const PROBLEMS_NAMED = 20;

/** Refuses a whole file, naming its first bad lines: importers write all of a file or none. */
export function refuseFile(problems: readonly RowProblem[]): never {
  const named = problems
    .slice(0, PROBLEMS_NAMED)
    .map((p) => ({ field: `line ${String(p.line)}`, message: p.message }));
  const more = problems.length > PROBLEMS_NAMED ? ` (the first ${String(PROBLEMS_NAMED)} are listed)` : '';
  throw AppError.invalid(
    named,
    `Nothing was imported: ${String(problems.length)} ${problems.length === 1 ? 'line has a problem' : 'lines have problems'}${more}`,
  );
}
