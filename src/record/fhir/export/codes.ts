// The code systems and value sets the export writes, and the codes it knows as vital signs.
import type { AllergyIntolerance, Procedure, ServiceRequest } from '@medplum/fhirtypes';

export const UK_CORE = 'https://fhir.hl7.org.uk/StructureDefinition/';
export const CONDITION_CLINICAL = 'http://terminology.hl7.org/CodeSystem/condition-clinical';
export const CONDITION_CATEGORY = 'http://terminology.hl7.org/CodeSystem/condition-category';
export const ALLERGY_CLINICAL = 'http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical';
export const OBSERVATION_CATEGORY = 'http://terminology.hl7.org/CodeSystem/observation-category';
export const INTERPRETATION = 'http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation';
export const COURSE_OF_THERAPY = 'http://terminology.hl7.org/CodeSystem/medicationrequest-course-of-therapy';
export const UK_COURSE_OF_THERAPY =
  'https://fhir.hl7.org.uk/CodeSystem/UKCore-MedicationRequestCourseOfTherapy';
export const ACT_CODE = 'http://terminology.hl7.org/CodeSystem/v3-ActCode';
export const REPEAT_INFORMATION = `${UK_CORE}Extension-UKCore-MedicationRepeatInformation`;

// The codes of required bindings a record entry may carry ('entered-in-error' is never exported).
export const PROCEDURE_STATUS = [
  'preparation',
  'in-progress',
  'not-done',
  'on-hold',
  'stopped',
  'completed',
  'unknown',
] as const satisfies readonly Procedure['status'][];
export const SERVICE_REQUEST_STATUS = [
  'draft',
  'active',
  'on-hold',
  'revoked',
  'completed',
  'unknown',
] as const satisfies readonly ServiceRequest['status'][];
export const PRIORITIES = ['routine', 'urgent', 'asap', 'stat'] as const satisfies readonly NonNullable<
  ServiceRequest['priority']
>[];
export const ALLERGY_CATEGORIES = [
  'food',
  'medication',
  'environment',
  'biologic',
] as const satisfies readonly NonNullable<AllergyIntolerance['category']>[number][];
export const CRITICALITIES = ['low', 'high', 'unable-to-assess'] as const satisfies readonly NonNullable<
  AllergyIntolerance['criticality']
>[];

/** HL7 v3 ObservationInterpretation codes a GP system sends; anything else is kept as text only. */
export const INTERPRETATION_CODES: ReadonlySet<string> = new Set([
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
export const VITAL_SIGN_CODES: ReadonlySet<string> = new Set([
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
export const VITAL_SIGN_WORDS =
  /\b(blood pressure|systolic|diastolic|body weight|weight|height|body mass index|bmi|pulse|heart rate|respiratory rate|temperature|oxygen saturation|head circumference)\b/i;
