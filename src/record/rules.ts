// The FHIR export files import VisibleEntry from here until they move to fhir/ (issue #9); the
// access rule itself is access/rules.ts. This file goes when they import it from there.
export type { VisibleEntry } from './access/rules.ts';
