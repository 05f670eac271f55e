// FHIR Patient (UK Core) → PatientDraft: NHS number, name, sex, birth date, address, registered GP (ODS).
import type { RefIndex } from './references.ts';
import { arr, obj, str, type ImportProblem, type Json } from './util.ts';
import { isValidNhsNumber, normaliseNhsNumber } from '../../../platform/nhs-number.ts';
import { isIsoDate } from '../../../platform/dates.ts';

export const NHS_NUMBER_SYSTEM = 'https://fhir.nhs.uk/Id/nhs-number';
export const ODS_SYSTEM = 'https://fhir.nhs.uk/Id/ods-organization-code';

/** What a FHIR Patient says of a person, read on import and written on export. */
export type Demographics = {
  givenName: string;
  familyName: string;
  birthDate: string;
  sex: 'female' | 'male' | 'other' | 'unknown';
  addressLines: string[];
  postcode: string | null;
};

export type PatientDraft = Demographics & {
  source: { system: 'fhir'; id: string };
  nhsNumber: string | null;
  generalPractitionerOds: string | null;
};

/** A patient draft, or null when it cannot be one (no id or no valid birth date); problems either way. */
export function mapPatient(
  r: Json,
  label: string,
  index: RefIndex,
): { patient: PatientDraft | null; problems: ImportProblem[] } {
  const problems: ImportProblem[] = [];
  const problem = (field: string, message: string): void => {
    problems.push({ resource: label, field, message });
  };
  const id = str(r.id);
  if (id === null) problem('Patient.id', 'Patient.id is missing');
  const birthDate = str(r.birthDate);
  if (birthDate === null) problem('Patient.birthDate', 'Patient.birthDate is missing');
  else if (!isIsoDate(birthDate))
    problem('Patient.birthDate', `Patient.birthDate "${birthDate}" is not a full date`);
  const nhsNumber = nhsNumberOf(r, problem);
  const { givenName, familyName } = nameOf(r);
  if (givenName === '' && familyName === '')
    problem('Patient.name', 'Patient.name has no given or family name');
  if (id === null || birthDate === null || !isIsoDate(birthDate)) return { patient: null, problems };
  const address = obj(arr(r.address)[0]);
  return {
    patient: {
      source: { system: 'fhir', id: `Patient/${id}` },
      nhsNumber,
      givenName,
      familyName,
      birthDate,
      sex: sexOf(r.gender),
      addressLines: addressLines(address),
      postcode: str(address?.postalCode),
      generalPractitionerOds: gpOds(r, index),
    },
    problems,
  };
}

function nhsNumberOf(r: Json, problem: (field: string, message: string) => void): string | null {
  for (const i of arr(r.identifier)) {
    const identifier = obj(i);
    if (identifier?.system !== NHS_NUMBER_SYSTEM) continue;
    const value = str(identifier.value);
    if (value !== null && isValidNhsNumber(value)) return normaliseNhsNumber(value);
    problem('Patient.identifier', `NHS number "${value ?? ''}" fails the modulus 11 check`);
    return null;
  }
  return null;
}

function nameOf(r: Json): { givenName: string; familyName: string } {
  const names = arr(r.name).map(obj);
  const name = names.find((n) => n?.use === 'official') ?? names.find((n) => n?.use === 'usual') ?? names[0];
  const given = arr(name?.given)
    .map(str)
    .filter((g) => g !== null);
  return { givenName: given.join(' '), familyName: str(name?.family) ?? '' };
}

function sexOf(gender: unknown): PatientDraft['sex'] {
  return gender === 'female' || gender === 'male' || gender === 'other' ? gender : 'unknown';
}

function addressLines(address: Json | undefined): string[] {
  if (address === undefined) return [];
  return [...arr(address.line), address.city, address.district].map(str).filter((l) => l !== null);
}

function odsOf(holder: Json | undefined): string | null {
  for (const i of [holder?.identifier, ...arr(holder?.identifier)]) {
    const identifier = obj(i);
    if (identifier?.system === ODS_SYSTEM) return str(identifier.value);
  }
  return null;
}

/** generalPractitioner: an ODS identifier on the Reference, else the referenced Organization's. */
function gpOds(r: Json, index: RefIndex): string | null {
  for (const g of arr(r.generalPractitioner)) {
    const ref = obj(g);
    const direct = odsOf(ref);
    if (direct !== null) return direct;
    const target = index.resolve(ref, r);
    if (target?.resourceType === 'Organization') {
      const ods = odsOf(target);
      if (ods !== null) return ods;
    }
  }
  return null;
}
