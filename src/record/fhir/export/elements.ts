// The data types and parts the exported resources are built from: concepts, references, notes,
// dates, quantities, repeat information and observation values. Pure.
import type {
  Annotation,
  CodeableConcept,
  Coding,
  Encounter,
  Extension,
  Meta,
  MedicationRequestDispenseRequest,
  Observation,
  Patient,
  Quantity,
  Reference,
} from '@medplum/fhirtypes';
import type { Coding as EntryCoding, MedicationDetails, Measurement } from '../../model.ts';
import type { VisibleEntry } from '../../access/rules.ts';
import { isFhirDateTime } from '../import/util.ts';
import {
  COURSE_OF_THERAPY,
  INTERPRETATION,
  INTERPRETATION_CODES,
  REPEAT_INFORMATION,
  UK_CORE,
  UK_COURSE_OF_THERAPY,
  VITAL_SIGN_CODES,
  VITAL_SIGN_WORDS,
} from './codes.ts';

/** What every entry's resource needs: the patient it is about and the consultations exported with it. */
export type Ctx = { subject: Reference<Patient>; consultations: ReadonlySet<string> };

/** value[x], interpretation and referenceRange, as an Observation and its components have them. */
export type ObservationValue = Pick<
  Observation,
  'valueQuantity' | 'valueString' | 'interpretation' | 'referenceRange'
>;

export function urn(id: string): string {
  return `urn:uuid:${id}`;
}

export function meta(profile: string): Meta & { profile: string[] } {
  return { profile: [`${UK_CORE}UKCore-${profile}`] };
}

/** The entry's coding plus its title as text (the text people saw). */
export function concept(e: VisibleEntry, text: string | null = e.title): CodeableConcept {
  const coding = e.coding.map(fhirCoding);
  return { ...(coding.length > 0 ? { coding } : {}), text: text ?? e.title };
}

function fhirCoding(c: EntryCoding): Coding {
  return {
    ...(c.system === '' ? {} : { system: c.system }),
    code: c.code,
    ...(c.display === null ? {} : { display: c.display }),
  };
}

/** A concept of one coding (a status, a category), written system, code, display. */
export function codedConcept(c: { system: string; code: string; display?: string }): CodeableConcept {
  return {
    coding: [{ system: c.system, code: c.code, ...(c.display === undefined ? {} : { display: c.display }) }],
  };
}

/** encounter → the consultation, only when that consultation is exported in the same Bundle. */
export function encounterOf(e: VisibleEntry, ctx: Ctx): { encounter?: Reference<Encounter> } {
  return e.consultationId !== null && ctx.consultations.has(e.consultationId)
    ? { encounter: { reference: urn(e.consultationId) } }
    : {};
}

export function noteOf(e: VisibleEntry): { note?: Annotation[] } {
  return e.text === null || e.text === '' ? {} : { note: [{ text: e.text }] };
}

/** `{ [name]: value }` when value is a valid FHIR date/dateTime, else nothing. */
export function dateField<K extends string>(name: K, value: string | null): Partial<Record<K, string>> {
  return value === null || !isFhirDateTime(value) ? {} : ({ [name]: value } as Record<K, string>);
}

const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

export function isInstant(value: string): boolean {
  return INSTANT.test(value) && isFhirDateTime(value);
}

export function member<T extends string>(value: string | null, allowed: readonly T[]): T | undefined {
  return allowed.find((a) => a === value);
}

/** `{ [name]: wrap(code) }` when value is one of the codes of a required binding, else nothing. */
export function oneOf<K extends string, T extends string, V>(
  name: K,
  binding: { value: string | null; allowed: readonly T[]; wrap: (v: T) => V },
): Partial<Record<K, V>> {
  const code = member(binding.value, binding.allowed);
  return code === undefined ? {} : ({ [name]: binding.wrap(code) } as Record<K, V>);
}

export function courseOfTherapy(type: MedicationDetails['prescriptionType']): CodeableConcept {
  if (type === 'repeat-dispensing') {
    return codedConcept({
      system: UK_COURSE_OF_THERAPY,
      code: 'continuous-repeating-dispensing',
      display: 'Continuous long term (repeat dispensing)',
    });
  }
  return type === 'repeat'
    ? codedConcept({ system: COURSE_OF_THERAPY, code: 'continuous', display: 'Continuous long term therapy' })
    : codedConcept({ system: COURSE_OF_THERAPY, code: 'acute', display: 'Short course (acute) therapy' });
}

export function repeatInformation(d: MedicationDetails): { extension?: Extension[] } {
  const parts: Extension[] = [];
  if (d.issuesDone !== null && Number.isInteger(d.issuesDone) && d.issuesDone >= 0) {
    parts.push({ url: 'numberOfPrescriptionsIssued', valueUnsignedInt: d.issuesDone });
  }
  if (d.reviewDate !== null && isFhirDateTime(d.reviewDate)) {
    parts.push({ url: 'authorisationExpiryDate', valueDateTime: d.reviewDate });
  }
  return parts.length === 0 ? {} : { extension: [{ url: REPEAT_INFORMATION, extension: parts }] };
}

export function dispenseRequest(d: MedicationDetails): {
  dispenseRequest?: MedicationRequestDispenseRequest;
} {
  const repeats = d.issuesAuthorised;
  const request = {
    ...(repeats !== null && Number.isInteger(repeats) && repeats >= 0
      ? { numberOfRepeatsAllowed: repeats }
      : {}),
    ...(d.quantity === null ? {} : { quantity: quantityOf(d.quantity, d.quantityUnit) }),
  };
  return Object.keys(request).length === 0 ? {} : { dispenseRequest: request };
}

function quantityOf(value: number, unit: string | null): Quantity {
  return { value, ...(unit === null ? {} : { unit }) };
}

export function doseNumber(dose: string): { doseNumberPositiveInt: number } | { doseNumberString: string } {
  return /^[1-9]\d{0,8}$/.test(dose) ? { doseNumberPositiveInt: Number(dose) } : { doseNumberString: dose };
}

export function observationValue(m: Measurement): ObservationValue {
  const value: ObservationValue =
    m.value !== null
      ? { valueQuantity: quantityOf(m.value, m.unit) }
      : m.valueText !== null
        ? { valueString: m.valueText }
        : {};
  if (m.interpretation !== null) {
    value.interpretation = [
      INTERPRETATION_CODES.has(m.interpretation)
        ? codedConcept({ system: INTERPRETATION, code: m.interpretation })
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

export function isVitalSign(e: VisibleEntry): boolean {
  return e.coding.some((c) => VITAL_SIGN_CODES.has(c.code)) || VITAL_SIGN_WORDS.test(e.title);
}
