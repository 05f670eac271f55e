// Who may do what with appointments: declared once.
import { definePermissions } from '../platform/auth/permissions.ts';

export const permissions = definePermissions({
  // Practitioners, locations, slot types and the online booking rules are the practice's policy.
  setUp: { staff: ['practice-manager'], ownPractice: true },
  // Sessions (clinics) and templates: whoever runs the appointment book.
  manageSessions: { staff: ['receptionist', 'practice-manager'], ownPractice: true },
  viewBook: { staff: ['receptionist', 'clinician', 'practice-manager'], ownPractice: true },
  bookForPatient: { staff: ['receptionist', 'clinician', 'practice-manager'], ownPractice: true },
  recordAttendance: { staff: ['receptionist', 'clinician', 'practice-manager'], ownPractice: true },
  bookOwn: { patient: true },
});
