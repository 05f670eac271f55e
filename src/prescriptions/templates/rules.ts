// Rules of repeat templates: what a template must hold, which changes are allowed, and the moves
// between active, suspended and ended. Pure: today is a parameter.
import type { FieldError } from '../../platform/http/errors.ts';
import { isIsoDate } from '../../platform/dates.ts';
import type { PrescriptionType, TemplateStatus } from '../../platform/db/schema.ts';
import type { PrescriptionSettings } from '../rules.ts';

export const MAX_REASON_LENGTH = 500;
export const MAX_ISSUES = 99;
export const MAX_DAYS_PER_ISSUE = 366;
export const MAX_QUANTITY = 100_000;

export type TemplateFields = {
  prescriptionType: PrescriptionType;
  dosage: string;
  quantity: number;
  quantityUnit: string;
  daysPerIssue: number;
  issuesAuthorised: number;
  /** England days ('YYYY-MM-DD'). */
  reviewDate: string | null;
  repeatUntil: string | null;
  onlineOrderable: boolean;
};

/** The fields a change may touch (issues authorised only move by re-authorising). */
export type ChangeFields = Pick<
  TemplateFields,
  'dosage' | 'quantity' | 'quantityUnit' | 'daysPerIssue' | 'reviewDate' | 'repeatUntil' | 'onlineOrderable'
>;
export const CHANGE_FIELDS: readonly (keyof ChangeFields)[] = [
  'dosage',
  'quantity',
  'quantityUnit',
  'daysPerIssue',
  'reviewDate',
  'repeatUntil',
  'onlineOrderable',
];

export type StatusAction = 'suspend' | 'resume' | 'end';
export const STATUS_ACTIONS: readonly StatusAction[] = ['suspend', 'resume', 'end'];

const isWhole = (n: number, min: number, max: number) => Number.isInteger(n) && n >= min && n <= max;

/** Everything wrong with a template's fields, each named at its field. */
export function templateProblems(t: TemplateFields, today: string): FieldError[] {
  const p: FieldError[] = [];
  if (!t.dosage.trim()) p.push({ field: 'dosage', message: 'Enter the dose and directions' });
  else if (t.dosage.length > 500)
    p.push({ field: 'dosage', message: 'The dose and directions must be 500 characters or fewer' });
  if (!Number.isFinite(t.quantity) || t.quantity <= 0 || t.quantity > MAX_QUANTITY)
    p.push({
      field: 'quantity',
      message: `The quantity must be a number more than 0 and at most ${String(MAX_QUANTITY)}`,
    });
  if (!t.quantityUnit.trim())
    p.push({ field: 'quantityUnit', message: 'Enter the unit, for example tablet' });
  else if (t.quantityUnit.length > 100)
    p.push({ field: 'quantityUnit', message: 'The unit must be 100 characters or fewer' });
  if (!isWhole(t.daysPerIssue, 1, MAX_DAYS_PER_ISSUE))
    p.push({
      field: 'daysPerIssue',
      message: `Days each issue lasts must be a whole number from 1 to ${String(MAX_DAYS_PER_ISSUE)}`,
    });
  const least = t.prescriptionType === 'acute' ? 0 : 1;
  if (!isWhole(t.issuesAuthorised, least, MAX_ISSUES))
    p.push({
      field: 'issuesAuthorised',
      message: `Issues authorised must be a whole number from ${String(least)} to ${String(MAX_ISSUES)}`,
    });
  // A review date of today would make the repeat "review due" the moment it is saved.
  if (t.reviewDate !== null && !isIsoDate(t.reviewDate))
    p.push({ field: 'reviewDate', message: 'Enter the review date as a real date' });
  else if (t.reviewDate !== null && t.reviewDate <= today)
    p.push({ field: 'reviewDate', message: 'The review date must be after today' });
  // A repeat can be ordered up to and including its repeat-until day.
  if (t.repeatUntil !== null && !isIsoDate(t.repeatUntil))
    p.push({ field: 'repeatUntil', message: 'Enter the repeat until date as a real date' });
  else if (t.repeatUntil !== null && t.repeatUntil < today)
    p.push({ field: 'repeatUntil', message: 'The repeat until date must be today or later' });
  if (t.prescriptionType === 'acute' && t.onlineOrderable)
    p.push({ field: 'onlineOrderable', message: 'An acute medicine cannot be ordered online' });
  return p;
}

export function reasonProblem(
  reason: string | null | undefined,
  field = 'reason',
  max = MAX_REASON_LENGTH,
): FieldError | null {
  const r = reason?.trim() ?? '';
  if (!r) return { field, message: 'Enter the reason' };
  if (r.length > max) return { field, message: `The reason must be ${String(max)} characters or fewer` };
  return null;
}

/** The fields that a change really changes (quantities compared as numbers). */
export function changedFields(before: ChangeFields, after: ChangeFields): (keyof ChangeFields)[] {
  return CHANGE_FIELDS.filter((k) => before[k] !== after[k]);
}

/** What is wrong with changing a template from `current` to `next` for `reason`. */
export function changeProblems(
  current: TemplateFields & { status: TemplateStatus },
  next: ChangeFields,
  reason: string | null | undefined,
  today: string,
): FieldError[] {
  if (current.status === 'ended')
    return [{ field: 'form', message: 'This repeat has ended: it cannot be changed' }];
  // A date left as it was is not the change's problem, even if it has passed since.
  const kept = new Set<string>(['issuesAuthorised']);
  if (next.reviewDate === current.reviewDate) kept.add('reviewDate');
  if (next.repeatUntil === current.repeatUntil) kept.add('repeatUntil');
  const p = templateProblems({ ...current, ...next }, today).filter((e) => !kept.has(e.field));
  const r = reasonProblem(reason);
  if (r) p.push(r);
  if (!p.length && changedFields(current, next).length === 0)
    p.push({ field: 'dosage', message: 'Nothing was changed: change at least one detail' });
  return p;
}

/** What is wrong with re-authorising: a new number of issues from 0 made, and why. */
export function reauthoriseProblems(
  current: { status: TemplateStatus; prescriptionType: PrescriptionType; reviewDate: string | null },
  next: { issuesAuthorised: number; reviewDate: string | null; reason: string | null | undefined },
  today: string,
): FieldError[] {
  if (current.status === 'ended')
    return [{ field: 'form', message: 'This repeat has ended: create a new one from the record instead' }];
  const p: FieldError[] = [];
  if (!isWhole(next.issuesAuthorised, 1, MAX_ISSUES))
    p.push({
      field: 'issuesAuthorised',
      message: `Issues authorised must be a whole number from 1 to ${String(MAX_ISSUES)}`,
    });
  if (next.reviewDate !== null && !isIsoDate(next.reviewDate))
    p.push({ field: 'reviewDate', message: 'Enter the review date as a real date' });
  else if (next.reviewDate !== null && next.reviewDate <= today)
    p.push({ field: 'reviewDate', message: 'The review date must be after today' });
  // Keeping a review date that has passed would leave the repeat "review due" as it was.
  else if (next.reviewDate === null && current.reviewDate !== null && current.reviewDate <= today)
    p.push({ field: 'reviewDate', message: 'The review date has passed: enter the next one' });
  const r = reasonProblem(next.reason);
  if (r) p.push(r);
  return p;
}

/** Where a status action leads from a status, or null when it cannot be done from there. */
export function statusAfter(from: TemplateStatus, action: StatusAction): TemplateStatus | null {
  if (action === 'suspend') return from === 'active' ? 'suspended' : null;
  if (action === 'resume') return from === 'suspended' ? 'active' : null;
  return from === 'ended' ? null : 'ended';
}

export const ACTION_OF: Record<StatusAction, 'suspended' | 'resumed' | 'ended'> = {
  suspend: 'suspended',
  resume: 'resumed',
  end: 'ended',
};

/** A record medicine's prescription type as a template's ("delayed" prescribing is acute). */
export function templateTypeOf(recordType: string): PrescriptionType {
  if (recordType === 'repeat' || recordType === 'repeat-dispensing') return recordType;
  return 'acute';
}

export type SettingsInput = PrescriptionSettings;

/** The practice's settings within the bounds the database keeps (migration 014). */
export function settingsProblems(s: SettingsInput): FieldError[] {
  const p: FieldError[] = [];
  if (!isWhole(s.turnaroundDays, 1, 10))
    p.push({
      field: 'turnaroundDays',
      message: 'The turnaround must be a whole number of working days from 1 to 10',
    });
  if (!isWhole(s.orderWindowDays, 0, 28))
    p.push({ field: 'orderWindowDays', message: 'The days before due must be a whole number from 0 to 28' });
  return p;
}

/** A well-formed id (a malformed one is simply not found, never a database error). */
export function isId(id: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id);
}
