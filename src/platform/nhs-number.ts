// NHS numbers (domain.md §8.5): the modulus-11 check, and numbers from the 999 test range.

/** The modulus-11 check digit for the first nine digits, or null when no valid number can end them. */
export function nhsCheckDigit(first9: string): number | null {
  if (!/^\d{9}$/.test(first9)) return null;
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += Number(first9[i]) * (10 - i);
  const check = 11 - (sum % 11);
  if (check === 11) return 0;
  if (check === 10) return null;
  return check;
}

export function normaliseNhsNumber(input: string): string {
  return input.replace(/[\s-]/g, '');
}

export function isValidNhsNumber(input: string): boolean {
  const n = normaliseNhsNumber(input);
  if (!/^\d{10}$/.test(n)) return false;
  return nhsCheckDigit(n.slice(0, 9)) === Number(n[9]);
}

/**
 * A valid NHS number from the 999 test range (never issued to real people), chosen by a seed so
 * the same seed always gives the same number. Seeds whose number has no valid check digit move on.
 */
export function testNhsNumber(seed: number): string {
  for (let s = Math.abs(Math.trunc(seed)) % 1_000_000; ; s = (s + 1) % 1_000_000) {
    const first9 = '999' + String(s).padStart(6, '0');
    const check = nhsCheckDigit(first9);
    if (check !== null) return first9 + String(check);
  }
}
