// The programme teams' pages.
export { programmeRoutes } from './routes.ts';
