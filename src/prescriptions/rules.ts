// Repeat prescription rules: whether a repeat can be ordered now and, if not, why and from when;
// whether an order is early; the expected ready day in working days. Pure: the day is a parameter.
import { addDays } from '../platform/dates.ts';
import { addWorkingDays } from '../platform/working-days.ts';
import type { ItemStatus, PrescriptionType, TemplateStatus } from '../platform/db/schema.ts';

export type PrescriptionSettings = {
  /** Whether patients may order repeats online at all. */
  onlineOrdering: boolean;
  /** Working days from an order to the prescription being ready (most practices say 2). */
  turnaroundDays: number;
  /** How many days before its due day a repeat may be ordered, as an early order. */
  orderWindowDays: number;
  /** An early order needs a reason from the patient. */
  earlyReasonRequired: boolean;
};

export const DEFAULT_SETTINGS: PrescriptionSettings = {
  onlineOrdering: true,
  turnaroundDays: 2,
  orderWindowDays: 7,
  earlyReasonRequired: true,
};

/**
 * Patients are advised to order 7 to 10 days before they run out (domain §5.5): a repeat is due
 * for ordering this many days before the supply of its last issue ends.
 */
export const ORDER_LEAD_DAYS = 7;

/** The most items in one order, and the longest note or reason. */
export const MAX_ITEMS_PER_ORDER = 20;
export const MAX_NOTE_LENGTH = 500;

export type TemplateFacts = {
  prescriptionType: PrescriptionType;
  status: TemplateStatus;
  onlineOrderable: boolean;
  issuesAuthorised: number;
  issuesMade: number;
  daysPerIssue: number;
  /** England days ('YYYY-MM-DD'). */
  reviewDate: string | null;
  repeatUntil: string | null;
  lastIssuedOn: string | null;
  /**
   * An item of this repeat still waiting for a prescriber, if any. An approved item does not
   * block the next order: its issue is recorded, so the dates say when the next is due.
   */
  openItem: 'requested' | null;
};

export type NotOrderable =
  | { reason: 'acute' }
  | { reason: 'repeat-dispensing' }
  | { reason: 'not-online' }
  | { reason: 'suspended' }
  | { reason: 'ended' }
  | { reason: 'ordering-off' }
  | { reason: 'already-requested'; status: 'requested' }
  | { reason: 'no-issues-left' }
  | { reason: 'expired'; on: string }
  | { reason: 'review-due'; on: string }
  | { reason: 'too-early'; from: string; dueOn: string };

export type Orderability =
  | { orderable: true; early: false }
  | { orderable: true; early: true; dueOn: string; reasonRequired: boolean }
  | ({ orderable: false } & NotOrderable);

/** The day a repeat is next due for ordering: its last issue's supply ends ORDER_LEAD_DAYS later. */
export function dueOn(t: Pick<TemplateFacts, 'lastIssuedOn' | 'daysPerIssue'>): string | null {
  return t.lastIssuedOn === null ? null : addDays(t.lastIssuedOn, t.daysPerIssue - ORDER_LEAD_DAYS);
}

export function issuesLeft(t: Pick<TemplateFacts, 'issuesAuthorised' | 'issuesMade'>): number {
  return Math.max(0, t.issuesAuthorised - t.issuesMade);
}

/**
 * Whether a repeat can be ordered online today, and if not, the first reason a patient can act
 * on. The order matters: a medicine never orderable online says so before anything about dates,
 * and a review that is due comes before "too early" because ordering later will not help.
 */
export function orderability(t: TemplateFacts, settings: PrescriptionSettings, today: string): Orderability {
  const no = (n: NotOrderable): Orderability => ({ orderable: false, ...n });
  if (t.prescriptionType === 'acute') return no({ reason: 'acute' });
  if (t.prescriptionType === 'repeat-dispensing') return no({ reason: 'repeat-dispensing' });
  if (t.status === 'ended') return no({ reason: 'ended' });
  if (t.status === 'suspended') return no({ reason: 'suspended' });
  if (!t.onlineOrderable) return no({ reason: 'not-online' });
  if (!settings.onlineOrdering) return no({ reason: 'ordering-off' });
  if (t.openItem) return no({ reason: 'already-requested', status: t.openItem });
  if (issuesLeft(t) === 0) return no({ reason: 'no-issues-left' });
  if (t.repeatUntil !== null && t.repeatUntil < today) return no({ reason: 'expired', on: t.repeatUntil });
  if (t.reviewDate !== null && t.reviewDate <= today) return no({ reason: 'review-due', on: t.reviewDate });
  const due = dueOn(t);
  if (due === null || due <= today) return { orderable: true, early: false };
  const from = addDays(due, -settings.orderWindowDays);
  if (today < from) {
    // Never "order from X" when the review or the end of the repeat comes first.
    if (t.reviewDate !== null && t.reviewDate <= from) return no({ reason: 'review-due', on: t.reviewDate });
    if (t.repeatUntil !== null && t.repeatUntil < from) return no({ reason: 'expired', on: t.repeatUntil });
    return no({ reason: 'too-early', from, dueOn: due });
  }
  return { orderable: true, early: true, dueOn: due, reasonRequired: settings.earlyReasonRequired };
}

/** The day a prescription ordered on `orderedOn` should be ready: the practice's working days later. */
export function expectedReadyOn(
  orderedOn: string,
  settings: Pick<PrescriptionSettings, 'turnaroundDays'>,
): string {
  return addWorkingDays(orderedOn, settings.turnaroundDays);
}

/** An open item waiting longer than the practice's turnaround: the queue highlights it. */
export function isOverdue(
  requestedOn: string,
  today: string,
  settings: Pick<PrescriptionSettings, 'turnaroundDays'>,
): boolean {
  return expectedReadyOn(requestedOn, settings) < today;
}

/** Item statuses a patient can still cancel, and the one that blocks another order of the repeat. */
export const CANCELLABLE: readonly ItemStatus[] = ['requested'];
export const OPEN: readonly ItemStatus[] = ['requested'];

/** Where an item may go next: approve and reject only from requested; the dispensing steps in order. */
const NEXT: Record<ItemStatus, readonly ItemStatus[]> = {
  requested: ['approved', 'rejected', 'cancelled'],
  approved: ['issued', 'sent', 'ready'],
  issued: ['sent', 'ready', 'collected'],
  sent: ['ready', 'collected'],
  ready: ['collected'],
  rejected: [],
  cancelled: [],
  collected: [],
};

export function canMove(from: ItemStatus, to: ItemStatus): boolean {
  return NEXT[from].includes(to);
}

export type OrderProblem =
  | { problem: 'no-items' }
  | { problem: 'too-many-items'; max: number }
  | { problem: 'repeated-item'; item: string }
  | { problem: 'note-too-long'; max: number };

/** The shape of an order, before any repeat is looked at. */
export function orderShapeProblem(items: readonly string[], note: string | null): OrderProblem | null {
  if (items.length === 0) return { problem: 'no-items' };
  if (items.length > MAX_ITEMS_PER_ORDER) return { problem: 'too-many-items', max: MAX_ITEMS_PER_ORDER };
  const seen = new Set<string>();
  for (const item of items) {
    if (seen.has(item)) return { problem: 'repeated-item', item };
    seen.add(item);
  }
  if (note !== null && note.length > MAX_NOTE_LENGTH)
    return { problem: 'note-too-long', max: MAX_NOTE_LENGTH };
  return null;
}
