// What other features may use of the GP record: its routes, automatic access, import and the
// practice actions the demo and the CLI run.
import type { FastifyInstance } from 'fastify';
import { recordApiRoutes } from './http/api-routes.ts';
import { patientRecordRoutes } from './http/patient-routes.ts';
import { practiceRecordRoutes } from './http/practice-routes.ts';

/** The record's pages, for patients and for the practice. */
export async function recordRoutes(app: FastifyInstance): Promise<void> {
  await patientRecordRoutes(app);
  await practiceRecordRoutes(app);
}
/** The record's API (the name is kept from before the routes were split by audience). */
export { recordApiRoutes as recordExtraRoutes };
export { patientRecordRoutes, practiceRecordRoutes, recordApiRoutes };
export { applyBirthdayAccess, automaticAccessOnLink } from './access/automatic-access.ts';
export { formatSummary, importFhirPath } from './cli.ts';
export { setEntryVisibility } from './practice/service.ts';
export { markRecordReviewed } from './practice/review.ts';
export { entryIdBySource, importEntries } from './import.ts';
export { DMD, SNOMED, type Coding, type EntryDraft } from './model.ts';
