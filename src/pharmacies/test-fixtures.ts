// Rows of an ODS edispensary.csv for the pharmacies tests.

/** One edispensary.csv row in the published layout (27 quoted cells), with cells replaced by position (1-based). */
export function row(over: Record<number, string> = {}): string {
  const cells = [
    'FA123',
    'ROWLANDS PHARMACY',
    'Y62',
    'Q83',
    '61 ARUNDEL AVENUE',
    'HAZEL GROVE',
    'STOCKPORT',
    '',
    '',
    'SK7 5LD',
    '20060601',
    '',
    'A',
    '1',
    'P79D',
    '20060601',
    '',
    '0161 4838729',
    '',
    '',
    '',
    '1',
    '',
    'Q83',
    '',
    '',
    '',
  ];
  for (const [n, v] of Object.entries(over)) cells[Number(n) - 1] = v;
  return cells.map((c) => `"${c}"`).join(',');
}

/** A whole file of rows. */
export const file = (...rows: string[]): string => rows.join('\r\n') + '\r\n';
