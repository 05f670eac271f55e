// The programme teams' pages.
export { programmeRoutes } from './programme-routes.ts';
export { programmeApiRoutes } from './api-routes.ts';
export { dashboardRoutes as programmeDashboardRoutes } from './dashboard/routes.ts';
export { workspaceRoutes as programmeWorkspaceRoutes } from './workspace/routes.ts';
export { pomiImportRoutes as programmeImportRoutes } from './pomi/routes.ts';
export { pomiExportRoutes as programmePomiExportRoutes } from './export/routes.ts';
export { permissions as programmePermissions } from './permissions.ts';
export { importPomiFiles, importPomiFolder } from './pomi/cli.ts';
export { importPomi } from './pomi/service.ts';
export { recordOfferings } from './history/service.ts';
export { importGeography } from './geography/service.ts';
export { practiceFileKind } from './geography/rules.ts';
export { importGeographyFolder } from './geography/cli.ts';
export { recordPlatformOfferings, checkPlatformOfferings } from './platform/service.ts';
