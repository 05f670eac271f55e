// /api/docs: the OpenAPI document rendered as an NHS.UK page on the server (axe in
// test/e2e/truth.test.ts), with the raw document still at /api/docs/json and /api/docs/yaml.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { testApp, type TestApp } from '../../test/support/harness.ts';
import { apiDocsView, typeWords } from './api-docs.ts';

let t: TestApp;
before(async () => {
  t = await testApp();
});
after(async () => {
  await t.close();
});

test('the page lists every operation with its parameters and responses, and links the raw document', async () => {
  const json = await t.app.inject({ url: '/api/docs/json' });
  assert.equal(json.statusCode, 200);
  const doc = json.json<{ openapi: string; paths: Record<string, Record<string, unknown>> }>();
  assert.match(doc.openapi, /^3\./);
  assert.ok(doc.paths['/api/v1/me'], 'the API is described');
  assert.ok(
    !Object.keys(doc.paths).some((p) => p.startsWith('/api/docs')),
    'the docs do not describe themselves',
  );
  const yaml = await t.app.inject({ url: '/api/docs/yaml' });
  assert.equal(yaml.statusCode, 200);
  assert.match(yaml.body, /^openapi: /m);

  const page = await t.app.inject({ url: '/api/docs' });
  assert.equal(page.statusCode, 200);
  assert.match(page.headers['content-type'] ?? '', /text\/html/);
  assert.match(page.body, /<h1>GP Online API<\/h1>/);
  assert.match(page.body, /href="\/api\/docs\/json"/);
  for (const [path, methods] of Object.entries(doc.paths))
    for (const m of Object.keys(methods))
      assert.ok(page.body.includes(`${m.toUpperCase()} ${path}`), `${m} ${path}`);
  assert.match(page.body, /<code>q<\/code>/, 'a query parameter');
  assert.match(page.body, /Not Found/, 'response meanings');
  // One h1, then h2 sections and h3 operations: no heading levels skipped.
  assert.equal(page.body.match(/<h1[\s>]/g)?.length, 1);
  assert.doesNotMatch(page.body, /<h4|<h5/);
});

test('schema types in words', () => {
  assert.equal(typeWords({ type: 'string', format: 'date-time' }), 'string (date-time)');
  assert.equal(typeWords({ enum: ['patient', 'staff'] }), 'one of: patient, staff');
  assert.equal(typeWords({ type: 'array', items: { $ref: 'slot#' } }), 'list of slot');
  assert.equal(typeWords({ type: 'string', nullable: true }), 'string, can be null');
  assert.equal(typeWords(undefined), 'any');
  const view = apiDocsView({
    info: { title: 'T', version: '1' },
    paths: {
      '/x/{id}': { get: { tags: ['things'], responses: { '204': { description: 'Default Response' } } } },
    },
  });
  const [group] = view.groups;
  assert.ok(group);
  assert.equal(group.heading, 'Things');
  const [op] = group.operations;
  assert.ok(op);
  assert.equal(op.heading, 'GET /x/{id}');
  assert.deepEqual(op.responses, [{ status: '204', meaning: 'No Content', description: '', fields: '' }]);
});
