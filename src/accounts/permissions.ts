// Who may do what with patients and their online accounts: declared once, used by every route.
import { definePermissions } from '../platform/auth/permissions.ts';

const PRACTICE_STAFF = ['receptionist', 'clinician', 'practice-manager'] as const;

export const permissions = definePermissions({
  findPatients: { staff: PRACTICE_STAFF, ownPractice: true },
  viewPatient: { staff: PRACTICE_STAFF, ownPractice: true },
  verifyIdentity: { staff: PRACTICE_STAFF, ownPractice: true },
  issueLetter: { staff: PRACTICE_STAFF, ownPractice: true },
  // Appointments, repeats and pharmacy nomination are administrative switches.
  changeServices: { staff: PRACTICE_STAFF, ownPractice: true },
  // Giving or changing record access is a clinical decision (domain.md §1.5, §2.2).
  changeRecordAccess: { staff: ['clinician', 'practice-manager'], ownPractice: true },
  addPatient: { staff: PRACTICE_STAFF, ownPractice: true },
  // An account locked by wrong security codes: the practice, having checked who is asking.
  unlockAccount: { staff: PRACTICE_STAFF, ownPractice: true },
  // An account not linked to any practice has no practice to ask: an administrator unlocks it.
  unlockUnlinkedAccount: { staff: ['admin'], ownPractice: false },
  useOwnAccount: { patient: true },
});
