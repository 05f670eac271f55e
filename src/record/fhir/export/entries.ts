// One FHIR R4 / UK Core resource per visible record entry, for the export (fhir-export.ts).
// Pure. References point only at resources in the same export.
import { isFhirDateTime } from '../import/util.ts';
import { SNOMED, type Coding, type Measurement } from '../../model.ts';
import type { VisibleEntry } from '../../rules.ts';
import type {
  FhirAnnotation,
  FhirCodeableConcept,
  FhirCoding,
  FhirExtension,
  FhirMedicationRequest,
  FhirMeta,
  FhirNarrative,
  FhirQuantity,
  FhirReference,
  FhirResource,
  ObservationValue,
} from './types.ts';
import { PRIORITIES, PROCEDURE_STATUS, SERVICE_REQUEST_STATUS } from './types.ts';

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
export const URL_NAMESPACE = '6ba7b811-9dad-11d1-80b4-00c04fd430c8';

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

export type Ctx = { subject: FhirReference; consultations: ReadonlySet<string> };

export function urn(id: string): string {
  return `urn:uuid:${id}`;
}

export function meta(profile: string): FhirMeta {
  return { profile: [`${UK_CORE}UKCore-${profile}`] };
}

// --- Entries -----------------------------------------------------------------------------------

export function entryResource(e: VisibleEntry, ctx: Ctx): FhirResource {
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
