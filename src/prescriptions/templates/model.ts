// A repeat template as the practice's pages and API see it, from its stored row.
import type { PrescriptionType, TemplateAction, TemplateStatus } from '../../platform/db/schema.ts';
import type { ChangeRow, IssueRow, TemplateRow } from './store.ts';
import type { TemplateFields } from './rules.ts';

export type Repeat = TemplateFields & {
  id: string;
  patientId: string;
  recordEntryId: string | null;
  dmdCode: string | null;
  drugName: string;
  issuesMade: number;
  authoriserName: string;
  authorisedOn: string;
  lastIssuedAt: Date | null;
  status: TemplateStatus;
  statusReason: string | null;
  version: number;
};

export type RepeatChange = {
  templateId: string;
  version: number;
  action: TemplateAction;
  before: Record<string, unknown> | null;
  after: Record<string, unknown>;
  reason: string | null;
  changedBy: string | null;
  changedAt: Date;
};

export type RepeatIssue = {
  id: string;
  templateId: string;
  issuedAt: Date;
  prescriberName: string;
  drugName: string;
  dosage: string;
  quantity: number;
  quantityUnit: string;
  daysSupply: number;
  pharmacyOds: string | null;
};

export function repeatOf(r: TemplateRow): Repeat {
  return {
    id: r.id,
    patientId: r.patient_id,
    recordEntryId: r.record_entry_id,
    prescriptionType: r.prescription_type satisfies PrescriptionType,
    dmdCode: r.dmd_code,
    drugName: r.drug_name,
    dosage: r.dosage,
    quantity: Number(r.quantity),
    quantityUnit: r.quantity_unit,
    daysPerIssue: r.days_per_issue,
    issuesAuthorised: r.issues_authorised,
    issuesMade: r.issues_made,
    reviewDate: r.review_date,
    repeatUntil: r.repeat_until,
    onlineOrderable: r.online_orderable,
    authoriserName: r.authoriser_name,
    authorisedOn: r.authorised_on,
    lastIssuedAt: r.last_issued_at,
    status: r.status,
    statusReason: r.status_reason,
    version: r.version,
  };
}

export function changeOf(c: ChangeRow): RepeatChange {
  return {
    templateId: c.template_id,
    version: c.version,
    action: c.action,
    before: c.before,
    after: c.after,
    reason: c.reason,
    changedBy: c.changed_by_name,
    changedAt: c.changed_at,
  };
}

export function issueOf(i: IssueRow): RepeatIssue {
  return {
    id: i.id,
    templateId: i.template_id,
    issuedAt: i.issued_at,
    prescriberName: i.prescriber_name,
    drugName: i.drug_name,
    dosage: i.dosage,
    quantity: Number(i.quantity),
    quantityUnit: i.quantity_unit,
    daysSupply: i.days_supply,
    pharmacyOds: i.pharmacy_ods,
  };
}

/** What a change row keeps of a template: its prescribing fields, status and issues. */
export function snapshot(r: Repeat): Record<string, unknown> {
  return {
    prescriptionType: r.prescriptionType,
    dmdCode: r.dmdCode,
    drugName: r.drugName,
    dosage: r.dosage,
    quantity: r.quantity,
    quantityUnit: r.quantityUnit,
    daysPerIssue: r.daysPerIssue,
    issuesAuthorised: r.issuesAuthorised,
    issuesMade: r.issuesMade,
    reviewDate: r.reviewDate,
    repeatUntil: r.repeatUntil,
    onlineOrderable: r.onlineOrderable,
    authoriserName: r.authoriserName,
    status: r.status,
  };
}
