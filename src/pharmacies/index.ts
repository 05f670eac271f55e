// Pharmacies as ODS organisations and patients' nominated pharmacy: what other features and the
// composition root may use.
export { pharmacyPatientRoutes } from './patient-routes.ts';
export { pharmacyApiRoutes } from './api-routes.ts';
export { importPharmacies, nominatedPharmacyForExport, type ImportSummary } from './service.ts';
export { DEMO_PHARMACIES, DEMO_PHARMACIES_NEAR, loadDemoPharmacies } from './demo.ts';
export type { PharmacyRecord } from './rules.ts';
export { permissions as pharmacyPermissions } from './permissions.ts';
