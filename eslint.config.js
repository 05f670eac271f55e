// Type-aware strict lint for the whole project.
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';

// England's day comes from src/platform/dates.ts: the UTC day is yesterday until 1am in summer.
const ENGLAND_DAY = {
  selector: "CallExpression[callee.property.name='slice'][callee.object.callee.property.name='toISOString']",
  message: "A day is England's: use englandDay() from src/platform/dates.ts, not toISOString().slice().",
};
// SQL lives in stores: a Kysely query begun anywhere else is a query outside a store.
const QUERY_STARTS =
  'selectFrom|insertInto|updateTable|deleteFrom|mergeInto|replaceInto|selectNoFrom|with|withRecursive';
const NO_QUERIES = [
  {
    selector: `CallExpression[callee.type='MemberExpression'][callee.property.name=/^(${QUERY_STARTS})$/][arguments.length>0]:not([callee.object.name=/^(Math|Object|Array|Reflect|Promise)$/])`,
    message: 'Queries live in a store (store.ts or *-store.ts): call a store function here.',
  },
];
const NO_SQL_IMPORT = {
  name: 'kysely',
  importNames: ['sql'],
  message: 'Raw SQL lives in a store (store.ts or *-store.ts).',
};
// Audit rows are written one way: platform/audit/use-case.ts (audit, auditAlone, auditedChange).
const NO_RAW_AUDIT = {
  group: ['**/platform/audit/audit.ts'],
  importNames: ['recordAudit', 'recordAuditAlone'],
  message: 'Write audit rows with audit(), auditAlone() or auditedChange() from platform/audit/use-case.ts.',
};
// Pages come from Nunjucks templates; TypeScript builds view models, never markup.
const HTML_TAGS =
  'a|abbr|b|body|br|button|caption|dd|div|dl|dt|em|footer|form|h[1-6]|head|header|hr|html|i|img|input|label|li|main|nav|ol|option|p|pre|script|section|select|small|span|strong|style|svg|table|tbody|td|textarea|th|thead|tr|ul';
const NO_HTML = [
  {
    selector: `Literal[value=/<\\/?(${HTML_TAGS})(\\s|>|\\/>)/]`,
    message: 'No HTML in TypeScript: render it in a template.',
  },
  {
    selector: `TemplateElement[value.raw=/<\\/?(${HTML_TAGS})(\\s|>|\\/>|$)/]`,
    message: 'No HTML in TypeScript: render it in a template.',
  },
];
// Request input is typed by the route's schema, not asserted.
const NO_REQUEST_CASTS = [
  {
    selector:
      'TSAsExpression > MemberExpression[property.name=/^(query|body|params)$/][object.name=/^(req|request)$/]',
    message: "Type req.query, req.body and req.params with the route's schema, not a cast.",
  },
];

export default defineConfig(
  {
    ignores: [
      '.dependency-cruiser.cjs',
      '.tmp/',
      'node_modules/',
      'data/',
      'public/',
      'bench/results/',
      'coverage/',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: { allowDefaultProject: ['eslint.config.js', 'bin/*.js'] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      // Fastify plugins and route handlers are async by contract even when they await nothing.
      '@typescript-eslint/require-await': 'off',
      'no-restricted-syntax': ['error', ENGLAND_DAY, ...NO_QUERIES, ...NO_HTML, ...NO_REQUEST_CASTS],
      'no-restricted-imports': ['error', { paths: [NO_SQL_IMPORT], patterns: [NO_RAW_AUDIT] }],
      'max-lines': ['error', { max: 400 }],
      'no-duplicate-imports': ['error', { allowSeparateTypeImports: true }],
    },
  },
  {
    // Stores, the database layer and migrations are where SQL lives.
    files: ['src/**/store.ts', 'src/**/*-store.ts', 'src/platform/db/**/*.ts'],
    rules: {
      'no-restricted-syntax': ['error', ENGLAND_DAY, ...NO_HTML, ...NO_REQUEST_CASTS],
      'no-restricted-imports': 'off',
    },
  },
  {
    files: ['**/*.test.ts', 'test/**/*.ts', 'bench/**/*.ts'],
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-floating-promises': 'off',
      'no-restricted-syntax': 'off',
      'no-restricted-imports': 'off',
    },
  },
);
