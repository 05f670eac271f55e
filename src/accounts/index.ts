// What other features may use of accounts: its routes, the rules of online services, and the
// queries another feature runs on patients and accounts inside its own transaction.
export { patientAccountRoutes, type PatientAccountOptions } from './routes-patient.ts';
export { practiceRoutes } from './routes-practice.ts';
export { canUse, NO_SERVICES, RECORD_LEVEL_RANK, type ServiceSettings } from './rules.ts';
export { accountForPatient, patientById, patientByNhsNumber, settingsFor } from './store.ts';
export {
  changeServices,
  enableFullAccessBySystem,
  grantHistoricAccessTx,
  settingsOf,
  verifyIdentity,
} from './practice-service.ts';
export { addPatient, registerPatientTx } from './register.ts';
export { addPatientWithAccount } from './cli.ts';
export { signInRateLimit } from './http-shared.ts';
export { safeNext } from './routes-patient.ts';
