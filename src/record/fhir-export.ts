// Temporary, until the lead points export.ts at fhir/export/bundle.ts at merge (issue #9).
export { toFhirBundle } from './fhir/export/bundle.ts';
