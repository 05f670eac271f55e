// Practices as ODS organisations: adding, importing and listing them.
export { addPractice, importPractices, listPractices } from './service.ts';
export type { PracticeRecord } from './rules.ts';
export { permissions as practicePermissions } from './service.ts';
