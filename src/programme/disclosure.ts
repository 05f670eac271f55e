// Small counts in programme views of live data, as NHS statistics publish them: a count from 1
// to 7 is suppressed and any other rounded to the nearest 5, so no patient can be singled out
// (and a suppressed cell cannot be worked back from a total). Zero is shown: nobody to identify.
export const SUPPRESSED = '*';

export function disclosed(n: number): string {
  if (n === 0) return '0';
  if (n > 0 && n < 8) return SUPPRESSED;
  return (Math.round(n / 5) * 5).toLocaleString('en-GB');
}
