// The front doors, health checks and information pages.
export { homeRoutes } from './public-routes.ts';
