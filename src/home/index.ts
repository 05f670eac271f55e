// The front doors, health checks, information pages and the API documentation.
export { homeRoutes } from './public-routes.ts';
export { apiDocsRoutes } from './api-docs.ts';
