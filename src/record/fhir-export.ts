// GP record → FHIR R4 / UK Core Bundle (type 'collection'): the inverse of the importer (fhir.ts).
// Pure: no I/O, no clock. It exports ONLY what it is given — the patient, their practice and the
// VisibleEntry list that visibleRecord() produced — and never points at anything it does not export.
import { createHash } from 'node:crypto';
import { NHS_NUMBER_SYSTEM, ODS_SYSTEM } from './fhir-patient.ts';
import { isFhirDateTime } from './fhir-util.ts';
import { SNOMED, type Coding, type Measurement } from './model.ts';
import type { VisibleEntry } from './rules.ts';

export type ExportPatient = {
  id: string;
  nhsNumber: string;
  givenName: string;
  familyName: string;
  birthDate: string;
  sex: 'female' | 'male' | 'other' | 'unknown';
  addressLines: string[];
  postcode: string | null;
  practice: { odsCode: string; name: string };
};

// --- Minimal FHIR R4 types (only the elements this export writes) ---------------------------------

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
  gender: ExportPatient['sex'];
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
type ObservationValue = {
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

// --- Constants ---------------------------------------------------------------------------------

const UK_CORE = 'https://fhir.hl7.org.uk/StructureDefinition/';
const CONDITION_CLINICAL = 'http://terminology.hl7.org/CodeSystem/condition-clinical';
const CONDITION_CATEGORY = 'http://terminology.hl7.org/CodeSystem/condition-category';
const ALLERGY_CLINICAL = 'http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical';
const OBSERVATION_CATEGORY = 'http://terminology.hl7.org/CodeSystem/observation-category';
const INTERPRETATION = 'http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation';
const COURSE_OF_THERAPY = 'http://terminology.hl7.org/CodeSystem/medicationrequest-course-of-therapy';
const UK_COURSE_OF_THERAPY = 'https://fhir.hl7.org.uk/CodeSystem/UKCore-MedicationRequestCourseOfTherapy';
const ACT_CODE = 'http://terminology.hl7.org/CodeSystem/v3-ActCode';
const REPEAT_INFORMATION = `${UK_CORE}Extension-UKCore-MedicationRepeatInformation`;
/** RFC 4122 URL namespace, for the practice Organization's name-based (v5) UUID. */
const URL_NAMESPACE = '6ba7b811-9dad-11d1-80b4-00c04fd430c8';

const PROCEDURE_STATUS = [
  'preparation',
  'in-progress',
  'not-done',
  'on-hold',
  'stopped',
  'completed',
  'unknown',
] as const;
const SERVICE_REQUEST_STATUS = ['draft', 'active', 'on-hold', 'revoked', 'completed', 'unknown'] as const;
const PRIORITIES = ['routine', 'urgent', 'asap', 'stat'] as const;
const ALLERGY_CATEGORIES = ['food', 'medication', 'environment', 'biologic'] as const;
const CRITICALITIES = ['low', 'high', 'unable-to-assess'] as const;
/** HL7 v3 ObservationInterpretation codes a GP system sends; anything else is kept as text only. */
const INTERPRETATION_CODES = new Set([
  'H',
  'L',
  'N',
  'A',
  'HH',
  'LL',
  'AA',
  'HU',
  'LU',
  '<',
  '>',
  'POS',
  'NEG',
]);

/** SNOMED CT and LOINC codes of the FHIR vital signs (blood pressure, weight, height, BMI, …). */
const VITAL_SIGN_CODES = new Set([
  // SNOMED CT (UK Core vital-signs examples and GP "O/E" codes)
  '75367002', // Blood pressure
  '163020007', // O/E - blood pressure reading
  '72313002', // Systolic arterial pressure
  '271649006', // Systolic blood pressure
  '1091811000000102', // Diastolic arterial pressure
  '271650006', // Diastolic blood pressure
  '27113001', // Body weight
  '363808001', // Measured body weight
  '50373000', // Body height
  '248333004', // Standing height
  '60621009', // Body mass index
  '364075005', // Heart rate
  '78564009', // Pulse rate
  '86290005', // Respiratory rate
  '386725007', // Body temperature
  '103228002', // Haemoglobin saturation with oxygen
  '431314004', // Peripheral oxygen saturation
  '363812007', // Head circumference
  // LOINC (FHIR vital signs profile)
  '85353-1',
  '85354-9',
  '8480-6',
  '8462-4',
  '29463-7',
  '8302-2',
  '39156-5',
  '8867-4',
  '9279-2',
  '8310-5',
  '59408-5',
  '2708-6',
  '9843-4',
]);
const VITAL_SIGN_WORDS =
  /\b(blood pressure|systolic|diastolic|body weight|weight|height|body mass index|bmi|pulse|heart rate|respiratory rate|temperature|oxygen saturation|head circumference)\b/i;

// --- Bundle ------------------------------------------------------------------------------------

export function toFhirBundle(
  patient: ExportPatient,
  entries: readonly VisibleEntry[],
  now: Date,
): FhirBundle {
  const organizationId = practiceUuid(patient.practice.odsCode);
  const subject: FhirReference = { reference: urn(patient.id) };
  const consultations = new Set(entries.filter((e) => e.kind === 'consultation').map((e) => e.id));
  const ctx: Ctx = { subject, consultations };
  const resources: FhirResource[] = [
    patientResource(patient, organizationId),
    organizationResource(patient.practice, organizationId),
    ...entries.map((e) => entryResource(e, ctx)),
  ];
  return {
    resourceType: 'Bundle',
    type: 'collection',
    timestamp: now.toISOString(),
    entry: resources.map((resource) => ({ fullUrl: urn(resource.id), resource })),
  };
}

type Ctx = { subject: FhirReference; consultations: ReadonlySet<string> };

function urn(id: string): string {
  return `urn:uuid:${id}`;
}

/** A stable UUID (v5, SHA-1) for the practice, named by its ODS code: the same practice, the same id. */
export function practiceUuid(odsCode: string): string {
  const namespace = Buffer.from(URL_NAMESPACE.replaceAll('-', ''), 'hex');
  const hash = createHash('sha1')
    .update(namespace)
    .update(`${ODS_SYSTEM}|${odsCode}`)
    .digest()
    .subarray(0, 16);
  hash[6] = ((hash[6] ?? 0) & 0x0f) | 0x50;
  hash[8] = ((hash[8] ?? 0) & 0x3f) | 0x80;
  const hex = hash.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function meta(profile: string): FhirMeta {
  return { profile: [`${UK_CORE}UKCore-${profile}`] };
}

function patientResource(p: ExportPatient, organizationId: string): FhirPatient {
  const given = p.givenName.split(/\s+/).filter((g) => g !== '');
  const line = p.addressLines.filter((l) => l.trim() !== '');
  const address = {
    ...(line.length > 0 ? { line } : {}),
    ...(p.postcode === null || p.postcode === '' ? {} : { postalCode: p.postcode }),
  };
  return {
    resourceType: 'Patient',
    id: p.id,
    meta: meta('Patient'),
    identifier: [{ system: NHS_NUMBER_SYSTEM, value: p.nhsNumber }],
    name: [
      {
        use: 'official',
        ...(p.familyName === '' ? {} : { family: p.familyName }),
        ...(given.length > 0 ? { given } : {}),
      },
    ],
    gender: p.sex,
    birthDate: p.birthDate,
    ...(Object.keys(address).length > 0 ? { address: [address] } : {}),
    generalPractitioner: [
      {
        reference: urn(organizationId),
        identifier: { system: ODS_SYSTEM, value: p.practice.odsCode },
        display: p.practice.name,
      },
    ],
  };
}

function organizationResource(practice: ExportPatient['practice'], id: string): FhirOrganization {
  return {
    resourceType: 'Organization',
    id,
    meta: meta('Organization'),
    identifier: [{ system: ODS_SYSTEM, value: practice.odsCode }],
    name: practice.name,
  };
}

// --- Entries -----------------------------------------------------------------------------------

function entryResource(e: VisibleEntry, ctx: Ctx): FhirResource {
  const d = e.details;
  switch (d.kind) {
    case 'problem':
      return {
        resourceType: 'Condition',
        id: e.id,
        meta: meta('Condition'),
        clinicalStatus: statusConcept(
          CONDITION_CLINICAL,
          d.clinicalStatus === 'active' ? 'active' : 'inactive',
        ),
        category: [statusConcept(CONDITION_CATEGORY, 'problem-list-item', 'Problem List Item')],
        code: concept(e),
        subject: ctx.subject,
        ...encounterOf(e, ctx),
        ...dateField('onsetDateTime', d.onset ?? e.clinicalDate),
        ...dateField('abatementDateTime', d.abatement),
        recordedDate: e.recordedAt,
        ...noteOf(e),
      };
    case 'administrative':
      // The inverse of the importer: online-access codes (104/106/103) arrive as Condition and must
      // come back as 'administrative' on re-import, or a 104 stops blocking automatic access.
      return {
        resourceType: 'Condition',
        id: e.id,
        meta: meta('Condition'),
        code: concept(e),
        subject: ctx.subject,
        ...encounterOf(e, ctx),
        ...dateField('onsetDateTime', e.clinicalDate),
        recordedDate: e.recordedAt,
        ...noteOf(e),
      };
    case 'medication':
      return {
        resourceType: 'MedicationRequest',
        id: e.id,
        meta: meta('MedicationRequest'),
        ...repeatInformation(d.issuesDone, d.reviewDate),
        status: d.status === 'current' ? 'active' : 'completed',
        intent: 'order',
        medicationCodeableConcept: concept(e),
        subject: ctx.subject,
        ...encounterOf(e, ctx),
        ...dateField('authoredOn', e.clinicalDate ?? e.recordedAt),
        courseOfTherapyType: courseOfTherapy(d.prescriptionType),
        ...noteOf(e),
        ...(d.dosage === null ? {} : { dosageInstruction: [{ text: d.dosage }] }),
        ...dispenseRequest(d.issuesAuthorised, d.quantity, d.quantityUnit),
      };
    case 'allergy':
      return {
        resourceType: 'AllergyIntolerance',
        id: e.id,
        meta: meta('AllergyIntolerance'),
        clinicalStatus: statusConcept(ALLERGY_CLINICAL, d.active ? 'active' : 'inactive'),
        ...(d.type === null ? {} : { type: d.type }),
        ...oneOf('category', d.category, ALLERGY_CATEGORIES, (c) => [c]),
        ...oneOf('criticality', d.criticality, CRITICALITIES, (c) => c),
        code: concept(e),
        patient: ctx.subject,
        ...encounterOf(e, ctx),
        ...dateField('onsetDateTime', e.clinicalDate),
        recordedDate: e.recordedAt,
        ...noteOf(e),
        ...(d.reactions.length === 0
          ? {}
          : { reaction: [{ manifestation: d.reactions.map((text) => ({ text })) }] }),
      };
    case 'immunisation':
      return {
        resourceType: 'Immunization',
        id: e.id,
        meta: meta('Immunization'),
        status: d.status === 'not-done' ? 'not-done' : 'completed',
        vaccineCode: concept(e),
        patient: ctx.subject,
        ...encounterOf(e, ctx),
        // occurrence[x] is required; when the date is not known, say so rather than guess one.
        ...(e.clinicalDate !== null && isFhirDateTime(e.clinicalDate)
          ? { occurrenceDateTime: e.clinicalDate }
          : { occurrenceString: 'unknown' }),
        recorded: e.recordedAt,
        ...(d.site === null ? {} : { site: { text: d.site } }),
        ...noteOf(e),
        ...(d.doseNumber === null ? {} : { protocolApplied: [doseNumber(d.doseNumber)] }),
      };
    case 'result':
    case 'value': {
      const category =
        d.kind === 'result'
          ? [
              statusConcept(OBSERVATION_CATEGORY, 'laboratory', 'Laboratory'),
              ...(d.category === null || d.category.toLowerCase() === 'laboratory'
                ? []
                : [{ text: d.category }]),
            ]
          : [
              isVitalSign(e)
                ? statusConcept(OBSERVATION_CATEGORY, 'vital-signs', 'Vital Signs')
                : statusConcept(OBSERVATION_CATEGORY, 'exam', 'Exam'),
            ];
      return {
        resourceType: 'Observation',
        id: e.id,
        meta: meta('Observation'),
        status: 'final',
        category,
        code: concept(e),
        subject: ctx.subject,
        ...encounterOf(e, ctx),
        ...dateField('effectiveDateTime', e.clinicalDate),
        ...(isInstant(e.recordedAt) ? { issued: e.recordedAt } : {}),
        ...(d.measurement === null ? {} : observationValue(d.measurement)),
        ...noteOf(e),
        ...(d.components.length === 0
          ? {}
          : { component: d.components.map((c) => ({ code: { text: c.name }, ...observationValue(c) })) }),
      };
    }
    case 'procedure':
      return {
        resourceType: 'Procedure',
        id: e.id,
        meta: meta('Procedure'),
        status: member(d.status, PROCEDURE_STATUS) ?? 'unknown',
        code: concept(e),
        subject: ctx.subject,
        ...encounterOf(e, ctx),
        ...dateField('performedDateTime', e.clinicalDate),
        ...(d.performer === null ? {} : { performer: [{ actor: { display: d.performer } }] }),
        ...noteOf(e),
      };
    case 'referral':
      return {
        resourceType: 'ServiceRequest',
        id: e.id,
        meta: meta('ServiceRequest'),
        status: member(d.status, SERVICE_REQUEST_STATUS) ?? 'unknown',
        intent: 'order',
        category: [{ coding: [{ system: SNOMED, code: '3457005', display: 'Patient referral' }] }],
        ...oneOf('priority', d.priority, PRIORITIES, (p) => p),
        code: concept(e),
        subject: ctx.subject,
        ...encounterOf(e, ctx),
        ...dateField('authoredOn', e.clinicalDate),
        ...(d.recipient === null ? {} : { performer: [{ display: d.recipient }] }),
        ...noteOf(e),
      };
    case 'consultation':
      return {
        resourceType: 'Encounter',
        id: e.id,
        meta: meta('Encounter'),
        // Encounter has no note: the consultation's free text is its narrative.
        ...narrativeOf(e.text),
        status: 'finished',
        class: { system: ACT_CODE, code: 'AMB' },
        type: [concept(e, d.consultationType)],
        subject: ctx.subject,
        ...(d.clinician === null ? {} : { participant: [{ individual: { display: d.clinician } }] }),
        ...(e.clinicalDate !== null && isFhirDateTime(e.clinicalDate)
          ? { period: { start: e.clinicalDate } }
          : {}),
        ...(d.location === null ? {} : { location: [{ location: { display: d.location } }] }),
      };
    case 'document': {
      const contentType =
        d.contentType?.toLowerCase().startsWith('text/') === true ? d.contentType : 'text/plain';
      const encounter = encounterOf(e, ctx).encounter;
      return {
        resourceType: 'DocumentReference',
        id: e.id,
        meta: meta('DocumentReference'),
        ...narrativeOf(e.text),
        status: 'current',
        ...(e.coding.length === 0 && d.documentType === null ? {} : { type: concept(e, d.documentType) }),
        subject: ctx.subject,
        ...(e.clinicalDate !== null && isInstant(e.clinicalDate) ? { date: e.clinicalDate } : {}),
        ...(d.author === null ? {} : { author: [{ display: d.author }] }),
        description: e.title,
        content: [
          {
            attachment:
              d.content === null
                ? { title: e.title }
                : {
                    contentType,
                    data: Buffer.from(d.content, 'utf8').toString('base64'),
                    title: e.title,
                    ...dateField('creation', e.clinicalDate),
                  },
          },
        ],
        ...(encounter === undefined ? {} : { context: { encounter: [encounter] } }),
      };
    }
  }
}

/** The entry's coding plus its title as text (the text people saw). */
function concept(e: VisibleEntry, text: string | null = e.title): FhirCodeableConcept {
  const coding = e.coding.map(fhirCoding);
  return { ...(coding.length > 0 ? { coding } : {}), text: text ?? e.title };
}

function fhirCoding(c: Coding): FhirCoding {
  return {
    ...(c.system === '' ? {} : { system: c.system }),
    code: c.code,
    ...(c.display === null ? {} : { display: c.display }),
  };
}

function statusConcept(system: string, code: string, display?: string): FhirCodeableConcept {
  return { coding: [{ system, code, ...(display === undefined ? {} : { display }) }] };
}

/** encounter → the consultation, only when that consultation is exported in the same Bundle. */
function encounterOf(e: VisibleEntry, ctx: Ctx): { encounter?: FhirReference } {
  return e.consultationId !== null && ctx.consultations.has(e.consultationId)
    ? { encounter: { reference: urn(e.consultationId) } }
    : {};
}

function noteOf(e: VisibleEntry): { note?: FhirAnnotation[] } {
  return e.text === null || e.text === '' ? {} : { note: [{ text: e.text }] };
}

function narrativeOf(text: string | null): { text?: FhirNarrative } {
  if (text === null || text === '') return {};
  const body = text.split(/\r?\n/).map(escapeXml).join('<br/>');
  return { text: { status: 'additional', div: `<div xmlns="http://www.w3.org/1999/xhtml">${body}</div>` } };
}

function escapeXml(s: string): string {
  return s.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

/** `{ [name]: value }` when value is a valid FHIR date/dateTime, else nothing. */
function dateField<K extends string>(name: K, value: string | null): Partial<Record<K, string>> {
  return value === null || !isFhirDateTime(value) ? {} : ({ [name]: value } as Record<K, string>);
}

const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

function isInstant(value: string): boolean {
  return INSTANT.test(value) && isFhirDateTime(value);
}

function member<T extends string>(value: string | null, allowed: readonly T[]): T | undefined {
  return allowed.find((a) => a === value);
}

/** `{ [name]: wrap(value) }` when value is one of the codes of a required binding, else nothing. */
function oneOf<K extends string, T extends string, V>(
  name: K,
  value: string | null,
  allowed: readonly T[],
  wrap: (v: T) => V,
): Partial<Record<K, V>> {
  const code = member(value, allowed);
  return code === undefined ? {} : ({ [name]: wrap(code) } as Record<K, V>);
}

function courseOfTherapy(type: 'acute' | 'repeat' | 'repeat-dispensing' | 'delayed'): FhirCodeableConcept {
  if (type === 'repeat-dispensing') {
    return statusConcept(
      UK_COURSE_OF_THERAPY,
      'continuous-repeating-dispensing',
      'Continuous long term (repeat dispensing)',
    );
  }
  return type === 'repeat'
    ? statusConcept(COURSE_OF_THERAPY, 'continuous', 'Continuous long term therapy')
    : statusConcept(COURSE_OF_THERAPY, 'acute', 'Short course (acute) therapy');
}

function repeatInformation(
  issuesDone: number | null,
  reviewDate: string | null,
): { extension?: FhirExtension[] } {
  const parts: FhirExtension[] = [];
  if (issuesDone !== null && Number.isInteger(issuesDone) && issuesDone >= 0) {
    parts.push({ url: 'numberOfPrescriptionsIssued', valueUnsignedInt: issuesDone });
  }
  if (reviewDate !== null && isFhirDateTime(reviewDate)) {
    parts.push({ url: 'authorisationExpiryDate', valueDateTime: reviewDate });
  }
  return parts.length === 0 ? {} : { extension: [{ url: REPEAT_INFORMATION, extension: parts }] };
}

function dispenseRequest(
  repeats: number | null,
  quantity: number | null,
  unit: string | null,
): Pick<FhirMedicationRequest, 'dispenseRequest'> {
  const request = {
    ...(repeats !== null && Number.isInteger(repeats) && repeats >= 0
      ? { numberOfRepeatsAllowed: repeats }
      : {}),
    ...(quantity === null ? {} : { quantity: quantityOf(quantity, unit) }),
  };
  return Object.keys(request).length === 0 ? {} : { dispenseRequest: request };
}

function quantityOf(value: number, unit: string | null): FhirQuantity {
  return { value, ...(unit === null ? {} : { unit }) };
}

function doseNumber(dose: string): { doseNumberPositiveInt: number } | { doseNumberString: string } {
  return /^[1-9]\d{0,8}$/.test(dose) ? { doseNumberPositiveInt: Number(dose) } : { doseNumberString: dose };
}

function observationValue(m: Measurement): ObservationValue {
  const value: ObservationValue =
    m.value !== null
      ? { valueQuantity: quantityOf(m.value, m.unit) }
      : m.valueText !== null
        ? { valueString: m.valueText }
        : {};
  if (m.interpretation !== null) {
    value.interpretation = [
      INTERPRETATION_CODES.has(m.interpretation)
        ? statusConcept(INTERPRETATION, m.interpretation)
        : { text: m.interpretation },
    ];
  }
  if (m.low !== null || m.high !== null) {
    value.referenceRange = [
      {
        ...(m.low === null ? {} : { low: quantityOf(m.low, m.unit) }),
        ...(m.high === null ? {} : { high: quantityOf(m.high, m.unit) }),
      },
    ];
  }
  return value;
}

function isVitalSign(e: VisibleEntry): boolean {
  return e.coding.some((c) => VITAL_SIGN_CODES.has(c.code)) || VITAL_SIGN_WORDS.test(e.title);
}
