// Who may do what with pharmacies: declared once.
import { definePermissions } from '../platform/auth/permissions.ts';

export const permissions = definePermissions({
  // The national list is reference data, loaded like the practices list.
  managePharmacies: { staff: ['admin'], ownPractice: false },
  // A patient's own nomination; whether their practice lets them is in the service.
  nominateOwn: { patient: true },
});
