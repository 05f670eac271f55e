import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatSummary } from './cli.ts';

test('the import summary counts files and resources with the right plural', () => {
  const summary = (files: number, resources: number) =>
    formatSummary({
      files,
      resources,
      seconds: 1,
      patients: { created: 1, updated: 0, rejected: 0 },
      entries: { created: {}, updated: {} },
      skipped: {},
      errors: [],
    }).split('\n')[0];
  assert.equal(summary(1, 1), 'Read 1 file, 1 resource in 1.0 s (1 resources/s)');
  assert.equal(summary(2, 0), 'Read 2 files, 0 resources in 1.0 s (0 resources/s)');
});
