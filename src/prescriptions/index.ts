// What other features may use of repeat prescriptions: its routes and its permission table.
export { permissions as prescriptionPermissions } from './permissions.ts';

// --- the patient's repeats, orders and history (ordering/) ---
export { orderingApiRoutes } from './ordering/api-routes.ts';
export { orderingPatientRoutes } from './ordering/patient-routes.ts';

// --- the practice's queue and decisions (queue/) ---
export { prescriptionQueueRoutes } from './queue/routes.ts';

// --- repeat templates and the practice's settings (templates/) ---
export { templateApiRoutes } from './templates/api-routes.ts';
export { templatePracticeRoutes } from './templates/practice-routes.ts';

// --- for the patient home (wired in app.ts): the practice may switch online ordering off ---
export { practiceServicesOff } from './settings-service.ts';
