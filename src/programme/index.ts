// The programme teams' pages.
export { programmeRoutes } from './programme-routes.ts';
export { permissions as programmePermissions } from './service.ts';
