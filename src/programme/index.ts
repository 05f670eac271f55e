// The programme teams' pages.
export { programmeRoutes } from './programme-routes.ts';
