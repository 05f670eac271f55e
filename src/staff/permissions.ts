// Who may manage staff users: declared once.
import { definePermissions } from '../platform/auth/permissions.ts';

export const permissions = definePermissions({
  // Adding users, and every staff account: administrators.
  manageUsers: { staff: ['admin'], ownPractice: false },
  // Disabling, re-enabling, unlocking and resetting the authenticator of their own practice's
  // staff: practice managers (never an administrator: rules.ts manageRefusal).
  manageTeam: { staff: ['admin', 'practice-manager'], ownPractice: false },
});
