// The Patient's nominated pharmacy as the UK Core extension. Pure.
//
// Extension-UKCore-NominatedPharmacy (context: Patient) holds a Reference to the pharmacy's
// Organization; PDS and the EPS guides carry it as the ODS code only:
//   { "url": "https://fhir.hl7.org.uk/StructureDefinition/Extension-UKCore-NominatedPharmacy",
//     "valueReference": { "identifier": { "system": "https://fhir.nhs.uk/Id/ods-organization-code",
//                                          "value": "Y12345" } } }
// (NHS Digital, Digital Medicines guide "PDS Dispensing Contractors and Nomination", and the PDS
// FHIR API's page on the extension, in NHSDigital/IOPS-FHIR-Simplifier-Backup). No example of it is
// in ../shared/data/uk-core-examples. The pharmacy's name goes in `display`, which a Reference may
// carry; no Organization resource is added, so nothing points inside the Bundle at it.
import type { Extension } from '@medplum/fhirtypes';
import { ODS_SYSTEM } from '../import/patient.ts';

export const NOMINATED_PHARMACY_URL =
  'https://fhir.hl7.org.uk/StructureDefinition/Extension-UKCore-NominatedPharmacy';

export type NominatedPharmacy = { odsCode: string; name: string };

export function nominatedPharmacyExtension(p: NominatedPharmacy): Extension {
  return {
    url: NOMINATED_PHARMACY_URL,
    valueReference: {
      identifier: { system: ODS_SYSTEM, value: p.odsCode },
      ...(p.name.trim() === '' ? {} : { display: p.name }),
    },
  };
}
