// The GP record as GP Online holds it: one entry type for every heading, aligned with FHIR R4 /
// UK Core. Every output that shows entries gets them through rules.ts, never from here directly.
import type { RecordLevel } from '../platform/db/schema.ts';

export type EntryKind =
  | 'problem' // Condition: problems and diagnoses
  | 'medication' // MedicationRequest / MedicationStatement
  | 'allergy' // AllergyIntolerance: allergies and adverse reactions
  | 'immunisation' // Immunization
  | 'result' // Observation (laboratory) and DiagnosticReport
  | 'value' // Observation (vital signs and other values: blood pressure, weight, ...)
  | 'procedure' // Procedure
  | 'referral' // ServiceRequest (referral)
  | 'consultation' // Encounter: date, clinician, coded entries, free text
  | 'document' // DocumentReference: letters and attachments
  | 'administrative'; // coded administrative entries (for example the 104/106/103 codes)

export const ENTRY_KINDS: readonly EntryKind[] = [
  'problem',
  'medication',
  'allergy',
  'immunisation',
  'result',
  'value',
  'procedure',
  'referral',
  'consultation',
  'document',
  'administrative',
];

/** A code from SNOMED CT, dm+d or another system (the first coding is the preferred one). */
export type Coding = { system: string; code: string; display: string | null };

export const SNOMED = 'http://snomed.info/sct';
export const DMD = 'https://dmd.nhs.uk';

export type ProblemDetails = {
  kind: 'problem';
  clinicalStatus: 'active' | 'past';
  significance: 'major' | 'minor' | null;
  onset: string | null;
  abatement: string | null;
};
export type MedicationDetails = {
  kind: 'medication';
  prescriptionType: 'acute' | 'repeat' | 'repeat-dispensing' | 'delayed';
  status: 'current' | 'past';
  dosage: string | null;
  quantity: number | null;
  quantityUnit: string | null;
  /** Repeat information (UK Core MedicationRepeatInformation). */
  issuesAuthorised: number | null;
  issuesDone: number | null;
  reviewDate: string | null;
  lastIssued: string | null;
};
export type AllergyDetails = {
  kind: 'allergy';
  category: string | null;
  type: 'allergy' | 'intolerance' | null;
  criticality: string | null;
  reactions: string[];
  active: boolean;
};
export type ImmunisationDetails = {
  kind: 'immunisation';
  doseNumber: string | null;
  site: string | null;
  status: string | null;
};
export type Measurement = {
  value: number | null;
  valueText: string | null;
  /**
   * True when valueText is a coded value (a concept's display, yes or no). Free text
   * (valueString, a concept with text only) is false or absent, and is shown at full access only.
   */
  valueCoded?: boolean;
  unit: string | null;
  low: number | null;
  high: number | null;
  /** H, L, N, A … as sent, or computed from the range. */
  interpretation: string | null;
};
export type ResultDetails = {
  kind: 'result';
  measurement: Measurement | null;
  components: Component[];
  reportId: string | null;
  category: string | null;
};
export type ValueDetails = {
  kind: 'value';
  measurement: Measurement | null;
  components: Component[];
};
/** A part of a measurement (systolic, diastolic…); a name typed as text (nameCoded false) is free text. */
export type Component = Measurement & { name: string; nameCoded?: boolean };
export type ProcedureDetails = { kind: 'procedure'; status: string | null; performer: string | null };
export type ReferralDetails = {
  kind: 'referral';
  status: string | null;
  priority: string | null;
  recipient: string | null;
};
export type ConsultationDetails = {
  kind: 'consultation';
  clinician: string | null;
  location: string | null;
  consultationType: string | null;
};
export type DocumentDetails = {
  kind: 'document';
  author: string | null;
  contentType: string | null;
  content: string | null;
  documentType: string | null;
};
export type AdministrativeDetails = { kind: 'administrative' };

export type EntryDetails =
  | ProblemDetails
  | MedicationDetails
  | AllergyDetails
  | ImmunisationDetails
  | ResultDetails
  | ValueDetails
  | ProcedureDetails
  | ReferralDetails
  | ConsultationDetails
  | DocumentDetails
  | AdministrativeDetails;

/** An entry before it is stored: what an import or a clinician produces. */
export type EntryDraft = {
  kind: EntryKind;
  /** Where it came from, so a re-import updates instead of duplicating: e.g. { system: 'fhir', id: 'Condition/abc' }. */
  source: { system: string; id: string } | null;
  /** When it happened (ISO date or date-time), if known. */
  clinicalDate: string | null;
  /** When it was entered into the GP record (ISO date-time): prospective/historic access is decided on this. */
  recordedAt: string;
  coding: Coding[];
  /** Plain title shown to people (the code's display, or the medicine name). */
  title: string;
  /** Free text written with the entry: shown only at full access. */
  text: string | null;
  /** Source id of the consultation this entry was made in, if any. */
  consultationSource: string | null;
  /** A consultation still in draft (never shown online). */
  draft: boolean;
  /** A result not yet filed by a clinician (never shown online). */
  unfiled: boolean;
  /** A document not yet reviewed (never shown online). */
  unreviewed: boolean;
  details: EntryDetails;
};

/** A stored entry. */
export type RecordEntry = Omit<EntryDraft, 'consultationSource'> & {
  id: string;
  patientId: string;
  practiceOds: string;
  consultationId: string | null;
  /** Clinician's per-entry decision; false hides it online (third-party, serious harm, other). */
  visibleOnline: boolean;
  importedAt: string;
};

export type RecordAccess = {
  level: RecordLevel;
  /**
   * Prospective access, one start date (Europe/London day) for each level's information:
   * medicines and allergies from prospectiveFrom, the rest of the coded record from detailedFrom,
   * free text and documents from fullFrom. A level raised later starts its own date then, so
   * information first shown by the higher level is never shown from a lower level's older date.
   */
  prospectiveFrom: string | null;
  detailedFrom: string | null;
  fullFrom: string | null;
  /**
   * Older entries (recorded before a level's start date) are visible too, for the levels held
   * when it was granted (historicLevel), and only entries that had arrived by the whole-record
   * review (reviewedAt, ISO): anything imported since has not been checked.
   */
  historicAccess: boolean;
  historicLevel: RecordLevel | null;
  reviewedAt: string | null;
  /** The whole record is withheld: nothing but demographics is shown. */
  withheld: boolean;
};
