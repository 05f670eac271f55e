// The practice's record pages, pure: one builder per page, so a form shown again after an error
// gets exactly the context its page had.
import type { RecordAccess } from '../model.ts';
import type { VisibleEntry } from '../access/rules.ts';
import { groupBySection, LEVEL_TEXT, SECTION_ORDER, withFlags, type Section } from '../read/present.ts';
import type { ReviewQueue } from './review.ts';
import { countOf } from '../../platform/words.ts';
import { REDACTION_REASONS } from './rules.ts';
import type { StaffRecord } from './service.ts';

/** The heading the staff record page opens at: the one asked for, else consultations (a repeated field is none). */
export function staffSection(slug: string | string[] | undefined): Section | undefined {
  return SECTION_ORDER.find((s) => s.slug === (slug ?? 'consultations')) ?? SECTION_ORDER[0];
}

/** The staff record page; `extra` adds the flash message or the field to focus on a form error. */
export function staffRecordPage(
  rec: StaffRecord,
  section: Section | undefined,
  extra: { flash?: string | string[]; firstField?: string } = {},
) {
  return {
    title: `GP record: ${rec.patient.given_name} ${rec.patient.family_name}`,
    rec: { ...rec, entries: rec.entries.map(withFlags) },
    section,
    sections: SECTION_ORDER,
    reasons: REDACTION_REASONS,
    ...extra,
    backHref: `/staff/patients/${rec.patient.id}`,
  };
}

/** "View as patient": the patient's view grouped under the record's headings. */
export function asPatientPage(view: { access: RecordAccess; entries: VisibleEntry[] }, patientId: string) {
  return {
    title: 'The record as the patient sees it',
    view,
    grouped: groupBySection(view.entries),
    levelText: LEVEL_TEXT[view.access.level],
    backHref: `/staff/patients/${patientId}/record`,
  };
}

/**
 * The review queue page. Each result to file carries its values flagged (value with unit, the
 * normal range, above, below or outside it), so a clinician sees an abnormal one before filing.
 */
export function reviewPage(
  queue: ReviewQueue,
  extra: { flash?: string | string[]; firstField?: string } = {},
) {
  return {
    title: 'Record review',
    queue: { ...queue, results: queue.results.map(withFlags) },
    reasons: REDACTION_REASONS,
    ...extra,
  };
}

/** The bulk-enable page, with how many patients it switched on in words ("1 patient now has"). */
export function bulkPage(result: { enabled: number; excluded: Record<string, number> } | null) {
  return {
    title: 'Switch on record access for eligible patients',
    result,
    enabledText: result
      ? `${countOf(result.enabled, 'patient now has', 'patients now have')} prospective full access`
      : null,
  };
}
