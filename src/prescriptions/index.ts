// What other features may use of repeat prescriptions: its routes and its permission table.
export { permissions as prescriptionPermissions } from './permissions.ts';

// --- the patient's repeats, orders and history (ordering/) ---
export { orderingApiRoutes } from './ordering/api-routes.ts';
export { orderingPatientRoutes } from './ordering/patient-routes.ts';

// --- the practice's queue and decisions (queue/) ---

// --- repeat templates and the practice's settings (templates/) ---
