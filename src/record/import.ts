// Temporary, until the lead points routes.ts at fhir/import/service.ts at merge (issue #9).
export { importParsed } from './fhir/import/service.ts';
