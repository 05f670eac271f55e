// How the patient's repeats, orders and items read on pages and as JSON: plain words, England's
// days ("Tuesday 8 December 2026"), NHS style. Pure.
import { quantityText as countedQuantity } from '../../record/index.ts';
import { formatInTimeZone } from 'date-fns-tz';
import { englandDay } from '../../platform/dates.ts';
import type { ItemStatus } from '../../platform/db/schema.ts';
import { CANCELLABLE, expectedReadyOn, issuesLeft, type NotOrderable, type Orderability } from '../rules.ts';
import type { OrderRefusal } from './rules.ts';
import type { ItemRow, PharmacyRow, RepeatRow, RequestRow } from './store.ts';

/** 'YYYY-MM-DD' as people read it: "Tuesday 8 December 2026". */
export function spokenDay(day: string): string {
  return formatInTimeZone(new Date(`${day}T12:00:00Z`), 'UTC', 'EEEE d MMMM yyyy');
}

/** "28 tablets", "1 inhaler", "2.5 ml". */
/** "28 tablets", "1 inhaler": counted in the dose form (the record's rule, HAZ-19). */
export function quantityText(quantity: string, unit: string): string {
  return countedQuantity(Number(quantity), unit) ?? '';
}

const REVIEW_LINK = { href: '/patient/appointments', text: 'Book a review appointment' };

/**
 * Why a repeat cannot be ordered now, in words a patient can act on, with a link when there is one.
 * A review or an end may be today or still to come (it comes before the early-order window opens):
 * then it "is due on" or "ends on"; the repeat's last day is still a day of it.
 */
export function notOrderableText(
  n: NotOrderable,
  o: { bookingOn: boolean; today: string },
): { text: string; link: { href: string; text: string } | null } {
  const plain = (text: string) => ({ text, link: null });
  switch (n.reason) {
    case 'acute':
      return plain('This was a one-off prescription. Contact your GP practice if you need it again.');
    case 'repeat-dispensing':
      return plain('This is on repeat dispensing: your pharmacy gives you each supply without a new order.');
    case 'not-online':
      return plain('This cannot be ordered online. Contact your GP practice to order it.');
    case 'suspended':
      return plain('Your GP practice has paused this medicine. Contact the practice if you need it.');
    case 'ended':
      return plain('This medicine has been stopped.');
    case 'ordering-off':
      return plain(
        'Your GP practice is not taking repeat prescription orders online. Contact the practice to order.',
      );
    case 'already-requested':
      // Only a requested item is open (migration 016): an approved one no longer blocks the next order.
      return plain('You have already ordered this. Your GP practice has not dealt with the order yet.');
    case 'no-issues-left':
      return plain('You have had every issue your GP authorised. Contact your GP practice to ask for more.');
    case 'expired':
      return plain(
        `This repeat prescription ${n.on >= o.today ? 'ends' : 'ended'} on ${spokenDay(n.on)}. Contact your GP practice to ask for it again.`,
      );
    case 'review-due': {
      const due = `Your medication review ${n.on >= o.today ? 'is' : 'was'} due on ${spokenDay(n.on)}.`;
      return o.bookingOn
        ? { text: `${due} You need a review before you can order this again.`, link: REVIEW_LINK }
        : plain(`${due} Contact your GP practice to book a review before you order this again.`);
    }
    case 'too-early':
      return plain(
        `It is too early to order this. You can order it from ${spokenDay(n.from)} (it is due on ${spokenDay(n.dueOn)}).`,
      );
  }
}

/** A refusal of one item of an order, in words. */
export function refusalText(
  r: OrderRefusal,
  o: { bookingOn: boolean; today: string; medicine: string | null },
): string {
  const name = o.medicine ?? 'This medicine';
  if (r.reason === 'no-such-repeat') return 'This is not one of your repeat prescriptions';
  if (r.reason === 'early-reason-required') return `${name} is early: say why you need it before it is due`;
  return `${name}: ${notOrderableText(r, o).text}`;
}

const TAG: Record<'orderable' | 'early' | 'no', { text: string; classes: string }> = {
  orderable: { text: 'Can be ordered', classes: 'nhsuk-tag--green' },
  early: { text: 'Can be ordered early', classes: 'nhsuk-tag--yellow' },
  no: { text: 'Cannot be ordered now', classes: 'nhsuk-tag--grey' },
};

/** One repeat on the patient's repeats page. */
export function repeatView(
  r: RepeatRow,
  o: { orderability: Orderability; bookingOn: boolean; today: string },
) {
  const j = o.orderability;
  const why = j.orderable ? null : notOrderableText(j, o);
  return {
    id: r.id,
    medicine: r.drug_name,
    dosage: r.dosage,
    quantity: quantityText(r.quantity, r.quantity_unit),
    acute: r.prescription_type === 'acute',
    orderable: j.orderable,
    early: j.orderable && j.early,
    tag: j.orderable ? (j.early ? TAG.early : TAG.orderable) : TAG.no,
    message:
      why?.text ?? (j.orderable && j.early ? `This is early: it is due on ${spokenDay(j.dueOn)}.` : null),
    link: why?.link ?? null,
    issuesLeft: r.prescription_type === 'acute' ? null : String(issuesLeft(factsLike(r))),
    reviewDate: r.review_date ? spokenDay(r.review_date) : null,
    lastIssued: r.last_issued_at ? spokenDay(englandDay(r.last_issued_at)) : null,
  };
}

const factsLike = (r: RepeatRow) => ({ issuesAuthorised: r.issues_authorised, issuesMade: r.issues_made });

const ITEM_STATUS: Record<ItemStatus, { text: string; classes: string }> = {
  requested: { text: 'Requested', classes: 'nhsuk-tag--blue' },
  approved: { text: 'Approved', classes: 'nhsuk-tag--aqua-green' },
  rejected: { text: 'Rejected', classes: 'nhsuk-tag--red' },
  cancelled: { text: 'Cancelled', classes: 'nhsuk-tag--grey' },
  issued: { text: 'Issued', classes: 'nhsuk-tag--green' },
  sent: { text: 'Sent to the pharmacy', classes: 'nhsuk-tag--green' },
  ready: { text: 'Ready to collect', classes: 'nhsuk-tag--green' },
  collected: { text: 'Collected', classes: 'nhsuk-tag--grey' },
};

export function itemStatusText(s: ItemStatus): string {
  return ITEM_STATUS[s].text;
}

/** Items still on their way: the expected ready day means something while one is. */
const ON_THE_WAY: readonly ItemStatus[] = ['requested', 'approved', 'issued', 'sent'];

/** The day an order should be ready, from the day it was made and the practice's turnaround. */
export function readyDay(requestedAt: Date, turnaroundDays: number): string {
  return expectedReadyOn(englandDay(requestedAt), { turnaroundDays });
}

export type RequestWithItems = RequestRow & { items: ItemRow[] };

/**
 * Whether an order still on its way should have been ready before today: the patient is told to
 * contact the practice rather than left waiting on a day that has gone.
 */
export function readyDayPassed(r: RequestWithItems, o: { turnaroundDays: number; today: string }): boolean {
  return (
    r.items.some((i) => ON_THE_WAY.includes(i.status)) && readyDay(r.requested_at, o.turnaroundDays) < o.today
  );
}

/** One order on the history and confirmation pages. */
export function requestView(r: RequestWithItems, o: { turnaroundDays: number; today: string }) {
  const waiting = r.items.some((i) => ON_THE_WAY.includes(i.status));
  const ready = spokenDay(readyDay(r.requested_at, o.turnaroundDays));
  const passed = readyDayPassed(r, o);
  return {
    id: r.id,
    orderedOn: spokenDay(englandDay(r.requested_at)),
    expectedReady: waiting && !passed ? ready : null,
    readyPassed: passed
      ? `It was expected to be ready on ${ready}: contact your GP practice if it is not`
      : null,
    note: r.note,
    earlyReason: r.early_reason,
    pharmacy: r.pharmacy_name,
    items: r.items.map((i) => ({
      id: i.id,
      medicine: i.drug_name,
      dosage: i.dosage,
      quantity: quantityText(i.quantity, i.quantity_unit),
      status: ITEM_STATUS[i.status],
      rejectReason: i.status === 'rejected' ? i.reject_reason : null,
      cancelHref: CANCELLABLE.includes(i.status)
        ? `/patient/prescriptions/requests/${r.id}/items/${i.id}/cancel`
        : null,
    })),
  };
}

export function pharmacyView(p: PharmacyRow | undefined) {
  if (!p) return null;
  return { name: p.name, address: [...p.address_lines, p.postcode ?? ''].filter(Boolean).join(', ') };
}

// --- JSON ---

export function repeatJson(r: RepeatRow, j: Orderability) {
  const why = j.orderable ? null : j;
  return {
    id: r.id,
    medicine: r.drug_name,
    dosage: r.dosage,
    quantity: Number(r.quantity),
    quantity_unit: r.quantity_unit,
    type: r.prescription_type,
    orderable: j.orderable,
    early: j.orderable && j.early,
    early_reason_required: j.orderable && j.early && j.reasonRequired,
    not_orderable_reason: why?.reason ?? null,
    available_from: why?.reason === 'too-early' ? why.from : null,
    due_on: j.orderable && j.early ? j.dueOn : why?.reason === 'too-early' ? why.dueOn : null,
    issues_left: issuesLeft(factsLike(r)),
    review_date: r.review_date,
    repeat_until: r.repeat_until,
    last_issued_on: r.last_issued_at ? englandDay(r.last_issued_at) : null,
    open_item:
      r.open_item_id && r.open_request_id && r.open_status
        ? { request_id: r.open_request_id, item_id: r.open_item_id, status: r.open_status }
        : null,
  };
}

export function requestJson(r: RequestWithItems, o: { turnaroundDays: number; today: string }) {
  return {
    id: r.id,
    requested_at: r.requested_at.toISOString(),
    expected_ready_on: readyDay(r.requested_at, o.turnaroundDays),
    ready_day_passed: readyDayPassed(r, o),
    note: r.note,
    early_reason: r.early_reason,
    pharmacy: r.pharmacy_ods ? { ods_code: r.pharmacy_ods, name: r.pharmacy_name ?? '' } : null,
    items: r.items.map((i) => ({
      id: i.id,
      repeat_id: i.template_id,
      medicine: i.drug_name,
      dosage: i.dosage,
      quantity: Number(i.quantity),
      quantity_unit: i.quantity_unit,
      early: i.early,
      status: i.status,
      status_at: i.status_at.toISOString(),
      reject_reason: i.status === 'rejected' ? i.reject_reason : null,
      can_cancel: CANCELLABLE.includes(i.status),
    })),
  };
}
