// Staff sign-in, the staff front door and user administration.
export { adminRoutes, adminNav } from './practice-routes.ts';
export { addStaffUser } from './service.ts';
