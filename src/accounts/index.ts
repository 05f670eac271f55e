// What other features may use of accounts: its routes, the rules of online services, and the
// queries another feature runs on patients and accounts inside its own transaction.
export { patientAccountRoutes, type PatientAccountOptions } from './patient-routes.ts';
export { practiceRoutes } from './practice-routes.ts';
export { accountSelfServiceRoutes } from './self-service-routes.ts';
export { canUse, NO_SERVICES, RECORD_LEVEL_RANK, type ServiceSettings } from './rules.ts';
export { patientById, patientByNhsNumber, settingsFor } from './store.ts';
export { accountForPatient } from './account-store.ts';
export {
  changeServices,
  lockedUnlinkedAccounts,
  unlockUnlinkedAccount,
  verifyIdentity,
} from './practice-service.ts';
export { enableFullAccessBySystem, grantHistoricAccessTx, settingsOf } from './system-service.ts';
export { addPatient, registerPatientTx } from './register.ts';
export { addPatientWithAccount } from './cli.ts';
// The sign-in journey's pieces live in platform/auth now; these names stay for callers.
export { safeNext, signInRateLimit } from '../platform/auth/signin-routes.ts';
export { permissions as accountPermissions } from './permissions.ts';
export { voidPendingAccountChanges } from './pending-changes.ts';
