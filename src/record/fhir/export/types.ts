// Minimal FHIR R4 types: only the elements the GP record export writes.

export const PROCEDURE_STATUS = [
  'preparation',
  'in-progress',
  'not-done',
  'on-hold',
  'stopped',
  'completed',
  'unknown',
] as const;
export const SERVICE_REQUEST_STATUS = [
  'draft',
  'active',
  'on-hold',
  'revoked',
  'completed',
  'unknown',
] as const;
export const PRIORITIES = ['routine', 'urgent', 'asap', 'stat'] as const;

/** Administrative sex as FHIR has it. */
export type FhirGender = 'female' | 'male' | 'other' | 'unknown';

export type FhirCoding = { system?: string; code: string; display?: string };
export type FhirCodeableConcept = { coding?: FhirCoding[]; text?: string };
export type FhirIdentifier = { system: string; value: string };
export type FhirReference = { reference?: string; identifier?: FhirIdentifier; display?: string };
export type FhirQuantity = { value: number; unit?: string };
export type FhirAnnotation = { text: string };
export type FhirNarrative = { status: 'additional'; div: string };
export type FhirMeta = { profile: string[] };
export type FhirRange = { low?: FhirQuantity; high?: FhirQuantity };
export type FhirExtension = {
  url: string;
  extension?: FhirExtension[];
  valueUnsignedInt?: number;
  valueDateTime?: string;
};

/** Elements every exported resource has. */
type Base = { id: string; meta: FhirMeta; text?: FhirNarrative };

export type FhirPatient = Base & {
  resourceType: 'Patient';
  identifier: FhirIdentifier[];
  name: { use: 'official'; family?: string; given?: string[] }[];
  gender: FhirGender;
  birthDate: string;
  address?: { line?: string[]; postalCode?: string }[];
  generalPractitioner: FhirReference[];
};
export type FhirOrganization = Base & {
  resourceType: 'Organization';
  identifier: FhirIdentifier[];
  name: string;
};
export type FhirCondition = Base & {
  resourceType: 'Condition';
  clinicalStatus?: FhirCodeableConcept;
  category?: FhirCodeableConcept[];
  code: FhirCodeableConcept;
  subject: FhirReference;
  encounter?: FhirReference;
  onsetDateTime?: string;
  abatementDateTime?: string;
  recordedDate: string;
  note?: FhirAnnotation[];
};
export type FhirMedicationRequest = Base & {
  resourceType: 'MedicationRequest';
  extension?: FhirExtension[];
  status: 'active' | 'completed';
  intent: 'order';
  medicationCodeableConcept: FhirCodeableConcept;
  subject: FhirReference;
  encounter?: FhirReference;
  authoredOn?: string;
  courseOfTherapyType: FhirCodeableConcept;
  note?: FhirAnnotation[];
  dosageInstruction?: { text: string }[];
  dispenseRequest?: { numberOfRepeatsAllowed?: number; quantity?: FhirQuantity };
};
export type FhirAllergyIntolerance = Base & {
  resourceType: 'AllergyIntolerance';
  clinicalStatus: FhirCodeableConcept;
  type?: 'allergy' | 'intolerance';
  category?: ('food' | 'medication' | 'environment' | 'biologic')[];
  criticality?: 'low' | 'high' | 'unable-to-assess';
  code: FhirCodeableConcept;
  patient: FhirReference;
  encounter?: FhirReference;
  onsetDateTime?: string;
  recordedDate: string;
  note?: FhirAnnotation[];
  reaction?: { manifestation: FhirCodeableConcept[] }[];
};
export type FhirImmunization = Base & {
  resourceType: 'Immunization';
  status: 'completed' | 'not-done';
  vaccineCode: FhirCodeableConcept;
  patient: FhirReference;
  encounter?: FhirReference;
  occurrenceDateTime?: string;
  occurrenceString?: string;
  recorded: string;
  site?: FhirCodeableConcept;
  note?: FhirAnnotation[];
  protocolApplied?: { doseNumberPositiveInt?: number; doseNumberString?: string }[];
};
export type ObservationValue = {
  valueQuantity?: FhirQuantity;
  valueString?: string;
  interpretation?: FhirCodeableConcept[];
  referenceRange?: FhirRange[];
};
export type FhirObservation = Base &
  ObservationValue & {
    resourceType: 'Observation';
    status: 'final';
    category?: FhirCodeableConcept[];
    code: FhirCodeableConcept;
    subject: FhirReference;
    encounter?: FhirReference;
    effectiveDateTime?: string;
    issued?: string;
    note?: FhirAnnotation[];
    component?: (ObservationValue & { code: FhirCodeableConcept })[];
  };
export type FhirProcedure = Base & {
  resourceType: 'Procedure';
  status: (typeof PROCEDURE_STATUS)[number];
  code: FhirCodeableConcept;
  subject: FhirReference;
  encounter?: FhirReference;
  performedDateTime?: string;
  performer?: { actor: FhirReference }[];
  note?: FhirAnnotation[];
};
export type FhirServiceRequest = Base & {
  resourceType: 'ServiceRequest';
  status: (typeof SERVICE_REQUEST_STATUS)[number];
  intent: 'order';
  category: FhirCodeableConcept[];
  priority?: (typeof PRIORITIES)[number];
  code: FhirCodeableConcept;
  subject: FhirReference;
  encounter?: FhirReference;
  authoredOn?: string;
  performer?: FhirReference[];
  note?: FhirAnnotation[];
};
export type FhirEncounter = Base & {
  resourceType: 'Encounter';
  status: 'finished';
  class: FhirCoding;
  type?: FhirCodeableConcept[];
  subject: FhirReference;
  participant?: { individual: FhirReference }[];
  period?: { start: string };
  location?: { location: FhirReference }[];
};
export type FhirDocumentReference = Base & {
  resourceType: 'DocumentReference';
  status: 'current';
  type?: FhirCodeableConcept;
  subject: FhirReference;
  date?: string;
  author?: FhirReference[];
  description: string;
  content: { attachment: { contentType?: string; data?: string; title: string; creation?: string } }[];
  context?: { encounter: FhirReference[] };
};

export type FhirResource =
  | FhirPatient
  | FhirOrganization
  | FhirCondition
  | FhirMedicationRequest
  | FhirAllergyIntolerance
  | FhirImmunization
  | FhirObservation
  | FhirProcedure
  | FhirServiceRequest
  | FhirEncounter
  | FhirDocumentReference;

export type FhirBundle = {
  resourceType: 'Bundle';
  type: 'collection';
  timestamp: string;
  entry: { fullUrl: string; resource: FhirResource }[];
};
