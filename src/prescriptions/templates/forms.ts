// Reading the repeat forms: text fields into numbers, dates and yes/no, so the rules can name
// what is wrong (an empty or unreadable number is NaN, never a default). Pure.
import { AppError } from '../../platform/http/errors.ts';
import type { FormBody } from '../../platform/views/forms.ts';
import type { PrescriptionType } from '../../platform/db/schema.ts';
import type { PrescriptionSettings } from '../rules.ts';

export function numberOf(v: string | undefined): number {
  return v === undefined || v.trim() === '' ? Number.NaN : Number(v);
}

export function dayOrNull(v: string | undefined): string | null {
  return v === undefined || v === '' ? null : v;
}

export function isPrescriptionType(v: string | undefined): v is PrescriptionType {
  return v === 'repeat' || v === 'repeat-dispensing' || v === 'acute';
}

export function settingsFromForm(v: FormBody): PrescriptionSettings {
  return {
    onlineOrdering: v.onlineOrdering === 'yes',
    turnaroundDays: numberOf(v.turnaroundDays),
    orderWindowDays: numberOf(v.orderWindowDays),
    earlyReasonRequired: v.earlyReasonRequired === 'yes',
  };
}

/**
 * Runs a use case for one of several forms on a page: its problems are named at that form's own
 * fields (`rename`), and a problem with the whole form at `first`.
 */
export async function atFields<T>(
  rename: Record<string, string>,
  first: string,
  run: () => Promise<T>,
): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (err instanceof AppError && err.code === 'invalid' && err.fields.length)
      throw AppError.invalid(
        err.fields.map((f) => ({
          field: f.field === 'form' ? first : (rename[f.field] ?? f.field),
          message: f.message,
        })),
      );
    throw err;
  }
}
