// One implementation for every form: collect field errors, then re-render the page with status 400,
// the submitted values and an nhsuk error summary linking to each field.
import type { FastifyReply } from 'fastify';
import { AppError, type FieldError } from '../http/errors.ts';

export type FormBody = Record<string, string | undefined>;

/** Reads an urlencoded body into trimmed strings; repeated fields keep their last value. */
export function formBody(body: unknown): FormBody {
  const out: FormBody = {};
  if (body && typeof body === 'object') {
    for (const [k, v] of Object.entries(body as Record<string, unknown>)) {
      const value = Array.isArray(v) ? (v.at(-1) as unknown) : v;
      if (typeof value === 'string') out[k] = value.trim();
    }
  }
  return out;
}

/** Joins an nhsuk date input (fields name[day], name[month], name[year]) into YYYY-MM-DD, or '' when incomplete. */
export function dateFromParts(values: Record<string, string | undefined>, name: string): string {
  const d = values[`${name}[day]`] ?? '';
  const m = values[`${name}[month]`] ?? '';
  const y = values[`${name}[year]`] ?? '';
  if (!/^\d{1,2}$/.test(d) || !/^\d{1,2}$/.test(m) || !/^\d{4}$/.test(y)) return '';
  return `${y}-${m.padStart(2, '0')}-${d.padStart(2, '0')}`;
}

/** Checkbox groups arrive as a string or an array of strings. */
export function formList(body: unknown, name: string): string[] {
  const v = (body as Record<string, unknown> | null)?.[name];
  if (Array.isArray(v)) return v.filter((x): x is string => typeof x === 'string');
  return typeof v === 'string' && v !== '' ? [v] : [];
}

export class FormErrors {
  readonly list: FieldError[] = [];
  add(field: string, message: string): this {
    if (!this.list.some((e) => e.field === field)) this.list.push({ field, message });
    return this;
  }
  get any(): boolean {
    return this.list.length > 0;
  }
  throwIfAny(): void {
    if (this.any) throw AppError.invalid(this.list);
  }
}

export function errorContext(fields: FieldError[]): {
  errors: Record<string, { text: string }>;
  errorList: { text: string; href: string }[];
} {
  const errors: Record<string, { text: string }> = {};
  for (const f of fields) errors[f.field] = { text: f.message };
  return { errors, errorList: fields.map((f) => ({ text: f.message, href: `#${f.field}` })) };
}

/**
 * Runs a form handler; an `invalid` AppError re-renders the form with 400, the values and errors.
 * Other errors go to the one error handler.
 */
export async function handleForm(
  reply: FastifyReply,
  template: string,
  context: Record<string, unknown> | (() => Promise<Record<string, unknown>>),
  values: FormBody,
  run: () => Promise<unknown>,
): Promise<unknown> {
  try {
    return await run();
  } catch (err) {
    if (
      err instanceof AppError &&
      (err.code === 'invalid' ||
        (err.code === 'unauthenticated' &&
          (err.reason === 'sign-in-failed' || err.reason === 'account-locked')))
    ) {
      // The page's data is loaded only when the form must be shown again.
      const ctxValues = typeof context === 'function' ? await context() : context;
      const fields = err.fields.length
        ? err.fields
        : [
            {
              field: typeof ctxValues.firstField === 'string' ? ctxValues.firstField : 'form',
              message: err.message,
            },
          ];
      const ctx = errorContext(fields);
      return reply.status(err.code === 'invalid' ? 400 : 401).page(template, {
        ...ctxValues,
        values,
        errors: fields,
        errorMap: ctx.errors,
        errorList: ctx.errorList,
      });
    }
    throw err;
  }
}
