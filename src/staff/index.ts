// Staff sign-in, the staff front door, staff administration and the staff header.
export { adminRoutes } from './practice-routes.ts';
export { addStaffUser } from './service.ts';
export { mayFor, registerStaffHeader, staffHeader, type StaffMay } from './navigation.ts';
export { roleLabel } from './rules.ts';
