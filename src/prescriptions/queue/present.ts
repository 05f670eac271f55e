// The practice's prescription queue as view models and JSON: one row per item with the patient,
// the medicine, what a prescriber needs (last issued, issues left, review date, abnormal results,
// allergies), early orders and notes, and requests older than the practice turnaround. Pure.
import { quantityText as countedQuantity } from '../../record/index.ts';
import type { ItemStatus } from '../../platform/db/schema.ts';
import { englandDay } from '../../platform/dates.ts';
import { countOf } from '../../platform/words.ts';
import type { PrescribingContext } from '../../record/index.ts';
import { canMove, isOverdue, issuesLeft, OPEN, type PrescriptionSettings } from '../rules.ts';
import { canApprove, changedSince, repeatEnded, reviewDue } from './rules.ts';
import type { QueueRow } from './store.ts';

export const STEP_LABEL: Record<ItemStatus, string> = {
  requested: 'Requested',
  approved: 'Approved',
  rejected: 'Rejected',
  cancelled: 'Cancelled',
  issued: 'Issued',
  sent: 'Sent to the pharmacy',
  ready: 'Ready to collect',
  collected: 'Collected',
};

const STATUS_COLOUR: Record<ItemStatus, string> = {
  requested: 'nhsuk-tag--blue',
  approved: 'nhsuk-tag--green',
  rejected: 'nhsuk-tag--red',
  cancelled: 'nhsuk-tag--grey',
  issued: 'nhsuk-tag--aqua-green',
  sent: 'nhsuk-tag--aqua-green',
  ready: 'nhsuk-tag--purple',
  collected: 'nhsuk-tag--grey',
};

export const ITEM_STATUSES = Object.keys(STEP_LABEL) as ItemStatus[];

export function isItemStatus(s: string): s is ItemStatus {
  return Object.hasOwn(STEP_LABEL, s);
}

const dayFmt = new Intl.DateTimeFormat('en-GB', {
  weekday: 'long',
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  timeZone: 'UTC',
});

/** "Tuesday 8 December 2026" for an England day. */
export function spokenDay(day: string): string {
  return dayFmt.format(new Date(`${day}T12:00:00Z`)).replace(',', '');
}

/** The day a patient is told it will be ready: the expected day, or today if that has passed. */
export function readyDay(expected: string, today: string): string {
  return expected < today ? today : expected;
}

/** What the queue says after an action, by the code in `?done=`; another code says nothing. */
export function queueDone(q: { done?: string | undefined; n?: string | undefined }): string | null {
  const n = q.n && /^[0-9]{1,4}$/.test(q.n) ? Number(q.n) : null;
  switch (q.done) {
    case 'approved':
      return n === null ? 'Approved.' : `${countOf(n, 'request')} approved.`;
    case 'rejected':
      return 'Rejected. The patient will see your reason.';
    case 'issued':
    case 'sent':
    case 'ready':
    case 'collected':
      return `Marked as ${STEP_LABEL[q.done].toLowerCase()}.`;
    default:
      return null;
  }
}

type Ctx = PrescribingContext;

/** "28 tablets", "1 inhaler": counted in the dose form (the record's rule, HAZ-19). */
const quantityText = (n: string, unit: string) => countedQuantity(Number(n), unit) ?? '';

/** The repeat was changed after the patient asked: the prescriber sees both. */
export function changedSinceRequest(r: QueueRow): boolean {
  return changedSince(r, {
    drug_name: r.issue_drug_name,
    dosage: r.issue_dosage,
    quantity: r.issue_quantity,
    quantity_unit: r.issue_quantity_unit,
  });
}

/** Why approving this request would fail, in words, or null when it can be approved. */
function approveBlock(r: QueueRow, today: string): string | null {
  if (r.status !== 'requested') return null;
  if (r.template_status !== 'active') return `The repeat is ${r.template_status}: it cannot be approved.`;
  if (r.repeat_until !== null && repeatEnded(r.repeat_until, today))
    return `The repeat ended on ${spokenDay(r.repeat_until)}: change its end date to approve this.`;
  if (issuesLeft({ issuesAuthorised: r.issues_authorised, issuesMade: r.issues_made }) === 0)
    return 'All authorised issues have been made: re-authorise the repeat to approve this.';
  return null;
}

/** One item as the queue shows it. */
export function queueItem(
  r: QueueRow,
  c: Ctx | undefined,
  o: { today: string; settings: PrescriptionSettings },
) {
  const requestedOn = englandDay(r.requested_at);
  const left = issuesLeft({ issuesAuthorised: r.issues_authorised, issuesMade: r.issues_made });
  const open = OPEN.includes(r.status);
  const approvable = canApprove(
    {
      status: r.status,
      templateStatus: r.template_status,
      issuesAuthorised: r.issues_authorised,
      issuesMade: r.issues_made,
      repeatUntil: r.repeat_until,
    },
    o.today,
  );
  const due = reviewDue(r.review_date, o.today);
  return {
    id: r.id,
    patientId: r.patient_id,
    patient: `${r.family_name.toUpperCase()}, ${r.given_name}`,
    nhsNumber: r.nhs_number,
    birthDate: r.birth_date,
    // What approving issues: the repeat as it is now, which a change since the request may differ from.
    medicine: r.issue_drug_name,
    dosage: r.issue_dosage,
    quantity: quantityText(r.issue_quantity, r.issue_quantity_unit),
    asRequested: changedSinceRequest(r)
      ? `${r.drug_name}, ${r.dosage}, ${quantityText(r.quantity, r.quantity_unit)}`
      : null,
    status: { text: STEP_LABEL[r.status], colour: STATUS_COLOUR[r.status] },
    requestedAt: r.requested_at,
    overdue: open && isOverdue(requestedOn, o.today, o.settings),
    prescriber: r.prescriber_name,
    lastIssued: r.last_issued_at,
    issuesLeft: `${String(left)} of ${String(r.issues_authorised)}`,
    noIssuesLeft: left === 0,
    reviewDate: r.review_date,
    reviewDue: due,
    repeatStopped: r.template_status !== 'active',
    repeatEndedOn: r.repeat_until !== null && repeatEnded(r.repeat_until, o.today) ? r.repeat_until : null,
    templateStatus: r.template_status,
    early: r.early,
    earlyReason: r.early_reason,
    note: r.note,
    abnormalResults: c?.abnormalResults ?? [],
    moreResults: c ? Math.max(0, c.abnormalCount - c.abnormalResults.length) : 0,
    allergies: (c?.allergies ?? []).map((a) => ({
      text: a.reactions.length ? `${a.title} (${a.reactions.join(', ')})` : a.title,
    })),
    mayApprove: approvable,
    // "Approve selected" only for what needs no second look: a review due or a changed repeat
    // is approved on its own page.
    mayApproveSelected: approvable && !due && !changedSinceRequest(r),
    mayReject: r.status === 'requested',
    cannotApprove: approveBlock(r, o.today),
    /** The id of its checkbox: the first one offered is "items", for the error summary's link. */
    checkboxId: 'items',
    steps: STEP_CHOICES.filter((s) => canMove(r.status, s)),
  };
}

const STEP_CHOICES: readonly ItemStatus[] = ['issued', 'sent', 'ready', 'collected'];

type Choice = { id: string; name: string };

/** The queue page: filters, rows, paging and what the signed-in person may do. */
export function queuePage(q: {
  rows: QueueRow[];
  context: Map<string, Ctx>;
  total: number;
  page: number;
  pages: number;
  today: string;
  settings: PrescriptionSettings;
  prescribers: Choice[];
  status: ItemStatus;
  prescriber: string | undefined;
  may: { decide: boolean; dispense: boolean };
  flash: string | null;
}) {
  let offered = 0;
  const items = q.rows.map((r) => {
    const i = queueItem(r, q.context.get(r.patient_id), q);
    if (i.mayApproveSelected) offered += 1;
    return { ...i, checkboxId: offered <= 1 ? 'items' : `items-${String(offered)}` };
  });
  const filter = (page: number) => {
    const p = new URLSearchParams({ status: q.status });
    if (q.prescriber) p.set('prescriber', q.prescriber);
    if (page > 1) p.set('page', String(page));
    return `/staff/prescriptions?${p.toString()}`;
  };
  return {
    title: 'Prescription requests',
    flash: q.flash,
    items,
    overdue: items.filter((i) => i.overdue).length,
    summary: `${countOf(q.total, 'item')} ${STEP_LABEL[q.status].toLowerCase()}`,
    turnaround: countOf(q.settings.turnaroundDays, 'working day'),
    statuses: ITEM_STATUSES.map((s) => ({ value: s, text: STEP_LABEL[s], selected: s === q.status })),
    prescribers: [
      { value: '', text: 'All prescribers', selected: !q.prescriber },
      { value: 'none', text: 'No prescriber named', selected: q.prescriber === 'none' },
      ...q.prescribers.map((p) => ({ value: p.id, text: p.name, selected: p.id === q.prescriber })),
    ],
    page: q.page,
    pages: q.pages,
    previous: q.page > 1 ? filter(q.page - 1) : null,
    next: q.page < q.pages ? filter(q.page + 1) : null,
    mayDecide: q.may.decide && q.status === 'requested',
    mayDispense: q.may.dispense,
    back: filter(q.page),
  };
}

/** The queue as the practice API answers it. */
export function queueJson(q: {
  rows: QueueRow[];
  context: Map<string, Ctx>;
  total: number;
  page: number;
  pages: number;
  today: string;
  settings: PrescriptionSettings;
}) {
  return {
    page: q.page,
    pages: q.pages,
    total: q.total,
    items: q.rows.map((r) => {
      const c = q.context.get(r.patient_id);
      return {
        id: r.id,
        request_id: r.request_id,
        patient: { id: r.patient_id, name: `${r.given_name} ${r.family_name}`, nhs_number: r.nhs_number },
        repeat_id: r.template_id,
        medicine: r.issue_drug_name,
        dosage: r.issue_dosage,
        quantity: Number(r.issue_quantity),
        quantity_unit: r.issue_quantity_unit,
        changed_since_request: changedSinceRequest(r),
        status: r.status,
        requested_at: r.requested_at.toISOString(),
        overdue: OPEN.includes(r.status) && isOverdue(englandDay(r.requested_at), q.today, q.settings),
        prescriber: r.prescriber_id ? { id: r.prescriber_id, name: r.prescriber_name ?? '' } : null,
        early: r.early,
        early_reason: r.early_reason,
        note: r.note,
        last_issued_at: r.last_issued_at ? r.last_issued_at.toISOString() : null,
        issues_authorised: r.issues_authorised,
        issues_made: r.issues_made,
        review_date: r.review_date,
        repeat_until: r.repeat_until,
        abnormal_results: c?.abnormalResults ?? [],
        allergies: c?.allergies ?? [],
      };
    }),
  };
}
