// The record API's answers, pure: model entries in the API's snake-case shapes (api-schemas.ts).
import type { Measurement, RecordAccess, RecordEntry } from '../model.ts';
import type { VisibleEntry } from '../access/rules.ts';
import { withFlags, type RecordSummary, type SectionPage } from '../read/present.ts';
import type { StaffRecord } from '../practice/service.ts';
import type {
  ApiAccess,
  ApiDetails,
  ApiEntry,
  ApiMeasurement,
  ApiRecordSummary,
  ApiSection,
  ApiStaffRecord,
} from './api-schemas.ts';

type Shown = Measurement & { flag?: 'high' | 'low' | null; name?: string };

const apiMeasurement = (m: Shown): ApiMeasurement => ({
  value: m.value,
  value_text: m.valueText,
  unit: m.unit,
  low: m.low,
  high: m.high,
  interpretation: m.interpretation,
  out_of_range: m.flag ?? null,
  name: m.name ?? null,
});

function apiDetails(d: RecordEntry['details']): ApiDetails {
  switch (d.kind) {
    case 'problem':
      return {
        clinical_status: d.clinicalStatus,
        significance: d.significance,
        onset: d.onset,
        abatement: d.abatement,
      };
    case 'medication':
      return {
        prescription_type: d.prescriptionType,
        status: d.status,
        dosage: d.dosage,
        quantity: d.quantity,
        quantity_unit: d.quantityUnit,
        issues_authorised: d.issuesAuthorised,
        issues_done: d.issuesDone,
        review_date: d.reviewDate,
        last_issued: d.lastIssued,
      };
    case 'allergy':
      return {
        category: d.category,
        type: d.type,
        criticality: d.criticality,
        reactions: d.reactions,
        active: d.active,
      };
    case 'immunisation':
      return { dose_number: d.doseNumber, site: d.site, status: d.status };
    case 'result':
    case 'value':
      return {
        measurement: d.measurement ? apiMeasurement(d.measurement) : null,
        components: d.components.map(apiMeasurement),
        ...(d.kind === 'result' ? { report_id: d.reportId, category: d.category } : {}),
      };
    case 'procedure':
      return { status: d.status, performer: d.performer };
    case 'referral':
      return { status: d.status, priority: d.priority, recipient: d.recipient };
    case 'consultation':
      return { clinician: d.clinician, location: d.location, consultation_type: d.consultationType };
    case 'document':
      return {
        author: d.author,
        content_type: d.contentType,
        content: d.content,
        document_type: d.documentType,
      };
    case 'administrative':
      return {};
  }
}

/** A visible entry as the API shows it, flags on its measurements. */
export function apiEntry(visible: VisibleEntry): ApiEntry {
  const e = withFlags(visible);
  return {
    id: e.id,
    heading: e.kind,
    date: e.clinicalDate,
    recorded_at: e.recordedAt,
    title: e.title,
    codes: e.coding,
    text: e.text,
    consultation_id: e.consultationId,
    details: apiDetails(e.details),
  };
}

export function apiAccess(a: RecordAccess): ApiAccess {
  return {
    level: a.level,
    prospective_from: a.prospectiveFrom,
    detailed_from: a.detailedFrom,
    full_from: a.fullFrom,
    historic_access: a.historicAccess,
    withheld: a.withheld,
  };
}

export function apiRecordSummary(summary: RecordSummary): ApiRecordSummary {
  return {
    access: apiAccess(summary.access),
    summary: {
      medicines: summary.medicines.map(apiEntry),
      allergies: summary.allergies.map(apiEntry),
    },
    sections: summary.sections.map((s) => ({
      heading: s.slug,
      title: s.title,
      href: `/api/v1/record/sections/${s.slug}`,
    })),
  };
}

export function apiSection(page: SectionPage): ApiSection {
  const n = page.page + 1;
  return {
    heading: page.section.slug,
    title: page.section.title,
    page: n,
    next: page.more ? `/api/v1/record/sections/${page.section.slug}?page=${String(n + 1)}` : null,
    entries: page.entries.map(apiEntry),
  };
}

/** The practice's view: every entry, with its visibility and source. */
export function apiStaffRecord(rec: StaffRecord): ApiStaffRecord {
  return {
    patient_id: rec.patient.id,
    nhs_number: rec.patient.nhs_number,
    access: apiAccess(rec.access),
    entries: rec.entries.map((e) => ({
      ...apiEntry(e),
      visible_online: e.visibleOnline,
      draft: e.draft,
      unfiled: e.unfiled,
      unreviewed: e.unreviewed,
      source: e.source ? `${e.source.system}:${e.source.id}` : null,
    })),
  };
}
