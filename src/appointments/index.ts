// What other features may use of appointments: its routes and schemas, and the jobs and set-up
// the server and the demo run.
export { slotSchema } from './api-schemas.ts';
export { appointmentApiRoutes } from './api-routes.ts';
export { appointmentPatientRoutes } from './booking/patient-routes.ts';
export { appointmentStaffRoutes } from './practice-routes.ts';
export { forgetIdempotencyKeys } from '../platform/db/idempotency-store.ts';
export { runTemplatesForward, writeSession } from './setup/sessions-service.ts';
export { addDays, isoWeekday, localDay } from './rules.ts';
export { permissions as appointmentPermissions } from './permissions.ts';
