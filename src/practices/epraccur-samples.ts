// Inline epraccur samples shared by the practices tests.
import type { PracticeRecord } from './rules.ts';

// --- Inline samples ----------------------------------------------------------------------------

/** A real-looking 27-column epraccur row (A81001, Dec 2023), with 1-based column overrides. */
export function cells(overrides: Record<number, string> = {}): string[] {
  const base = [
    'A81001',
    'THE DENSHAM SURGERY',
    'Y63',
    'QHM',
    'THE HEALTH CENTRE',
    'LAWSON STREET',
    'STOCKTON ON TEES',
    'CLEVELAND',
    '',
    'TS18 1HU',
    '19740401',
    '',
    'A',
    'B',
    '16C',
    '20200401',
    '',
    '01642 672351',
    '',
    '',
    '',
    '0',
    '',
    '16C',
    '',
    '4',
    '',
  ];
  for (const [col, value] of Object.entries(overrides)) base[Number(col) - 1] = value;
  return base;
}

export const quoted = (cs: string[]): string => cs.map((c) => `"${c.replaceAll('"', '""')}"`).join(',');
export const row = (overrides: Record<number, string> = {}): string => quoted(cells(overrides));

export const DENSHAM: PracticeRecord = {
  odsCode: 'A81001',
  name: 'THE DENSHAM SURGERY',
  addressLines: ['THE HEALTH CENTRE', 'LAWSON STREET', 'STOCKTON ON TEES', 'CLEVELAND'],
  postcode: 'TS18 1HU',
  commissionerCode: '16C',
  status: 'active',
  prescribingSetting: 4,
  openDate: '1974-04-01',
  closeDate: null,
  phone: '01642 672351',
};
