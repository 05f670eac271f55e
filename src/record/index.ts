// What other features may use of the GP record: its routes, automatic access, import and the
// practice actions the demo and the CLI run.
export { recordApiRoutes } from './http/api-routes.ts';
export { patientRecordRoutes } from './http/patient-routes.ts';
export { practiceRecordRoutes } from './http/practice-routes.ts';
export { applyBirthdayAccess, automaticAccessOnLink } from './access/automatic-access.ts';
export { formatSummary, importFhirPath } from './fhir/import/cli.ts';
export { setEntryVisibility } from './practice/service.ts';
// Medicines for repeat templates (issue #11, helper T).
export { currentMedication, currentMedications, type RecordMedication } from './practice/medications.ts';

// What a prescriber needs beside a request (issue #11, helper Q).
export {
  prescribingContext,
  prescribingContexts,
  type PrescribingContext,
} from './practice/prescribing-context.ts';

export { markRecordReviewed } from './practice/review.ts';
export { entryIdBySource, importEntries } from './fhir/import/service.ts';
export {
  DMD,
  SNOMED,
  type Coding,
  type EntryDraft,
  type Measurement,
  type MedicationDetails,
} from './model.ts';
export { permissions as recordPermissions } from './permissions.ts';
// A medicine's quantity in its own dose form ("28 tablets", "1 inhaler"): HAZ-19.
export { quantityText } from './read/words.ts';
