// Staff sign-in, the staff front door and user administration.
export { adminRoutes, adminNav } from './routes.ts';
export { addStaffUser } from './service.ts';
