// GP record → FHIR R4 / UK Core Bundle (type 'collection'): the inverse of the importer (../import).
// Pure: no I/O, no clock. It exports ONLY what it is given — the patient, their practice and the
// VisibleEntry list that visibleRecord() produced — and never points at anything it does not export.
import { createHash } from 'node:crypto';
import type { Bundle, BundleEntry, Organization, Patient, Reference } from '@medplum/fhirtypes';
import type { VisibleEntry } from '../../access/rules.ts';
import { NHS_NUMBER_SYSTEM, ODS_SYSTEM, type Demographics } from '../import/patient.ts';
import { meta, urn, type Ctx } from './elements.ts';
import { entryResource, type EntryResource } from './entries.ts';
import { nominatedPharmacyExtension, type NominatedPharmacy } from './nominated-pharmacy.ts';

/** RFC 4122 URL namespace, for the practice Organization's name-based (v5) UUID. */
const URL_NAMESPACE = '6ba7b811-9dad-11d1-80b4-00c04fd430c8';

/** Every resource the export writes, each with its id (the Bundle's fullUrl is made from it). */
export type ExportResource = ((Patient | Organization) & { id: string }) | EntryResource;
export type ExportBundle = Omit<Bundle<ExportResource>, 'entry'> & {
  type: 'collection';
  timestamp: string;
  entry: (BundleEntry<ExportResource> & { fullUrl: string; resource: ExportResource })[];
};

export type ExportPatient = Demographics & {
  id: string;
  nhsNumber: string;
  practice: { odsCode: string; name: string };
  /** The patient's nominated pharmacy, when there is one they may see (UK Core extension). */
  nominatedPharmacy?: NominatedPharmacy | null;
};

// --- Bundle ------------------------------------------------------------------------------------

export function toFhirBundle(
  patient: ExportPatient,
  entries: readonly VisibleEntry[],
  now: Date,
): ExportBundle {
  const organizationId = practiceUuid(patient.practice.odsCode);
  const subject: Reference<Patient> = { reference: urn(patient.id) };
  const consultations = new Set(entries.filter((e) => e.kind === 'consultation').map((e) => e.id));
  const ctx: Ctx = { subject, consultations };
  const resources: ExportResource[] = [
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

function patientResource(p: ExportPatient, organizationId: string): Patient & { id: string } {
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
    ...(p.nominatedPharmacy ? { extension: [nominatedPharmacyExtension(p.nominatedPharmacy)] } : {}),
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

function organizationResource(
  practice: ExportPatient['practice'],
  id: string,
): Organization & { id: string } {
  return {
    resourceType: 'Organization',
    id,
    meta: meta('Organization'),
    identifier: [{ system: ODS_SYSTEM, value: practice.odsCode }],
    name: practice.name,
  };
}
