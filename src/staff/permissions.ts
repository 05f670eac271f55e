// Who may manage staff users: declared once.
import { definePermissions } from '../platform/auth/permissions.ts';

export const permissions = definePermissions({
  manageUsers: { staff: ['admin'], ownPractice: false },
});
