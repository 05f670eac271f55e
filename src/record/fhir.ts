// Temporary, until the lead points routes.ts at fhir/import/parse.ts at merge (issue #9).
export { parseBundle } from './fhir/import/parse.ts';
