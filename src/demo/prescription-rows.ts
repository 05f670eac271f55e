// Rows of the demo's repeat prescriptions, one builder per table: a template, its "created"
// change, an issue, a request and its item. Pure; prescriptions.ts decides what each holds.
import type { Insertable } from 'kysely';
import type {
  ItemStatus,
  PrescriptionIssuesTable,
  PrescriptionRequestItemsTable,
  PrescriptionRequestsTable,
  PrescriptionType,
  RepeatTemplateChangesTable,
  RepeatTemplatesTable,
} from '../platform/db/schema.ts';
import { addDays, englandDay, startOfEnglandDay } from '../platform/dates.ts';

/** A medicine a template is made from: a record entry's, or the demo vocabulary's (no entry). */
export type DemoMedicine = {
  entryId: string | null;
  type: PrescriptionType;
  dmdCode: string | null;
  name: string;
  dosage: string;
  quantity: number;
  unit: string;
  issuesAuthorised: number | null;
};

export type DemoPrescriptionRows = {
  templates: Insertable<RepeatTemplatesTable>[];
  changes: Insertable<RepeatTemplateChangesTable>[];
  requests: Insertable<PrescriptionRequestsTable>[];
  items: Insertable<PrescriptionRequestItemsTable>[];
  issues: Insertable<PrescriptionIssuesTable>[];
};

export type Build = {
  practiceOds: string;
  prescriber: { id: string; name: string };
  now: Date;
  /** A new id for each row (randomUUID in the loader, a counter in tests). */
  id: () => string;
};

export const DAYS_PER_ISSUE = 28;
export const ACUTE_DAYS = 7;

export const REJECT_REASON =
  'We need the discharge letter from your hospital stay before we can issue more. We will contact you when it arrives.';

/** An instant `daysAgo` England days before today at `hour` o'clock, never later than now. */
export function at(now: Date, daysAgo: number, hour: number): Date {
  const day = addDays(englandDay(now), -daysAgo);
  const t = new Date(startOfEnglandDay(day).getTime() + hour * 3_600_000);
  return t.getTime() > now.getTime() ? new Date(now.getTime() - (daysAgo + 1) * 60_000) : t;
}

export function emptyRows(): DemoPrescriptionRows {
  return { templates: [], changes: [], requests: [], items: [], issues: [] };
}

export function mergeRows(...parts: DemoPrescriptionRows[]): DemoPrescriptionRows {
  const out = emptyRows();
  for (const p of parts) {
    out.templates.push(...p.templates);
    out.changes.push(...p.changes);
    out.requests.push(...p.requests);
    out.items.push(...p.items);
    out.issues.push(...p.issues);
  }
  return out;
}

export function template(
  b: Build,
  patientId: string,
  m: DemoMedicine,
  s: {
    authorised: number;
    made: number;
    lastIssuedAt: Date | null;
    /** The first issue: the template was authorised that day. */
    firstIssuedAt: Date | null;
    reviewDate: string | null;
    online: boolean;
  },
): Insertable<RepeatTemplatesTable> {
  const days = m.type === 'acute' ? ACUTE_DAYS : DAYS_PER_ISSUE;
  return {
    id: b.id(),
    practice_ods: b.practiceOds,
    patient_id: patientId,
    record_entry_id: m.entryId,
    prescription_type: m.type,
    dmd_code: m.dmdCode,
    drug_name: m.name,
    dosage: m.dosage,
    quantity: m.quantity,
    quantity_unit: m.unit,
    days_per_issue: days,
    issues_authorised: s.authorised,
    issues_made: s.made,
    review_date: s.reviewDate,
    repeat_until: null,
    online_orderable: s.online,
    authorised_by: b.prescriber.id,
    authoriser_name: b.prescriber.name,
    authorised_on: englandDay(s.firstIssuedAt ?? b.now),
    last_issued_at: s.lastIssuedAt,
    status: 'active',
    status_reason: null,
    version: 1,
    created_at: b.now,
    updated_at: b.now,
  };
}

/** The template's "created" change, its fields named as the templates room names them. */
export function created(
  b: Build,
  t: Insertable<RepeatTemplatesTable>,
): Insertable<RepeatTemplateChangesTable> {
  return {
    practice_ods: b.practiceOds,
    template_id: t.id,
    version: 1,
    action: 'created',
    before: JSON.stringify(null), // written as SQL null by the demo store
    after: JSON.stringify({
      prescriptionType: t.prescription_type,
      drugName: t.drug_name,
      dosage: t.dosage,
      quantity: Number(t.quantity),
      quantityUnit: t.quantity_unit,
      daysPerIssue: t.days_per_issue,
      issuesAuthorised: t.issues_authorised,
      reviewDate: t.review_date ?? null,
      repeatUntil: t.repeat_until ?? null,
      onlineOrderable: t.online_orderable,
      status: t.status ?? 'active',
    }),
    reason: 'Demo data',
    changed_by: b.prescriber.id,
    changed_at: b.now,
  };
}

export function issue(
  b: Build,
  t: Insertable<RepeatTemplatesTable>,
  issuedAt: Date,
  itemId: string | null,
): Insertable<PrescriptionIssuesTable> {
  return {
    id: b.id(),
    practice_ods: b.practiceOds,
    patient_id: t.patient_id,
    template_id: t.id,
    request_item_id: itemId,
    issued_at: issuedAt,
    issued_by: b.prescriber.id,
    prescriber_name: b.prescriber.name,
    dmd_code: t.dmd_code ?? null,
    drug_name: t.drug_name,
    dosage: t.dosage,
    quantity: t.quantity,
    quantity_unit: t.quantity_unit,
    days_supply: t.days_per_issue,
    pharmacy_ods: null,
  };
}

/** When the first of `count` issues a `days` apart, the last at `last`, was made. */
export function firstOf(last: Date, count: number, days: number): Date {
  return new Date(last.getTime() - Math.max(0, count - 1) * days * 86_400_000);
}

/** `count` issues at the practice before any online request, the last at `last`. */
export function pastIssues(
  b: Build,
  t: Insertable<RepeatTemplatesTable>,
  last: Date,
  count: number,
): Insertable<PrescriptionIssuesTable>[] {
  return Array.from({ length: count }, (_, i) => issue(b, t, firstOf(last, i + 1, t.days_per_issue), null));
}

export function request(
  b: Build,
  p: {
    patientId: string;
    accountId: string | null;
    at: Date;
    note?: string | null;
    earlyReason?: string | null;
  },
): Insertable<PrescriptionRequestsTable> {
  return {
    id: b.id(),
    practice_ods: b.practiceOds,
    patient_id: p.patientId,
    account_id: p.accountId,
    requested_at: p.at,
    note: p.note ?? null,
    early_reason: p.earlyReason ?? null,
    pharmacy_ods: null,
    channel: p.accountId ? 'web' : 'practice',
  };
}

export function item(
  b: Build,
  t: Insertable<RepeatTemplatesTable>,
  r: Insertable<PrescriptionRequestsTable>,
  o: {
    status: ItemStatus;
    early: boolean;
    requestedAt: Date;
    statusAt: Date;
    decidedAt: Date | null;
    prescriber: string | null;
  },
): Insertable<PrescriptionRequestItemsTable> {
  return {
    id: b.id(),
    request_id: r.id,
    practice_ods: b.practiceOds,
    patient_id: t.patient_id,
    template_id: t.id,
    prescriber_id: o.prescriber,
    drug_name: t.drug_name,
    dosage: t.dosage,
    quantity: t.quantity,
    quantity_unit: t.quantity_unit,
    early: o.early,
    status: o.status,
    requested_at: o.requestedAt,
    status_at: o.statusAt,
    decided_by: o.decidedAt ? b.prescriber.id : null,
    decided_at: o.decidedAt,
    reject_reason: o.status === 'rejected' ? REJECT_REASON : null,
  };
}
