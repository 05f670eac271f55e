// What other features may use of the GP record: its routes, automatic access, import and the
// practice actions the demo and the CLI run.
export { recordRoutes } from './routes.ts';
export { recordExtraRoutes } from './routes-extra.ts';
export { applyBirthdayAccess, automaticAccessOnLink } from './automatic-access.ts';
export { formatSummary, importFhirPath } from './fhir/import/cli.ts';
export { setEntryVisibility } from './staff-service.ts';
export { markRecordReviewed } from './review.ts';
export { entryIdBySource, importEntries } from './fhir/import/service.ts';
export { DMD, SNOMED, type Coding, type EntryDraft } from './model.ts';
