// Who may do what with repeat prescriptions: declared once.
import { definePermissions } from '../platform/auth/permissions.ts';

export const permissions = definePermissions({
  // Patients order their own repeats, cancel their own open items, see their own history.
  orderOwn: { patient: true },
  // Whoever works the prescription queue sees it, with the context a prescriber needs.
  viewQueue: { staff: ['receptionist', 'clinician', 'practice-manager'], ownPractice: true },
  // Approving or rejecting is a prescribing decision: clinicians only.
  decide: { staff: ['clinician'], ownPractice: true },
  // Recording that an approved item was issued, sent to the pharmacy, ready or collected.
  recordDispensing: { staff: ['receptionist', 'clinician', 'practice-manager'], ownPractice: true },
  // Repeat templates are a prescriber's authorisation: clinicians create, change, suspend, end.
  viewTemplates: { staff: ['receptionist', 'clinician', 'practice-manager'], ownPractice: true },
  manageTemplates: { staff: ['clinician'], ownPractice: true },
  // Turnaround, order window, early reasons, online ordering on or off: the practice's policy.
  changeSettings: { staff: ['practice-manager'], ownPractice: true },
});
