// Who may do what with the GP record: declared once.
import { definePermissions } from '../platform/auth/permissions.ts';

export const permissions = definePermissions({
  // Reading, reviewing and redacting the record is clinical work.
  viewRecord: { staff: ['clinician', 'practice-manager'], ownPractice: true },
  redact: { staff: ['clinician'], ownPractice: true },
  withhold: { staff: ['clinician'], ownPractice: true },
  decideHistoric: { staff: ['clinician'], ownPractice: true },
  bulkEnable: { staff: ['clinician', 'practice-manager'], ownPractice: true },
  importRecords: { staff: ['clinician', 'practice-manager'], ownPractice: true },
  ownRecord: { patient: true },
});
