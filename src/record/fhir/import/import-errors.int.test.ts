// Import errors are clear answers, never a 500 or a stack trace: a Bundle whose entry is not an
// array is a 400, a rejected patient shows in the counts, an oversized body is a 413, and the
// command line names a path it cannot read in one line.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { apiToken, testApp, type TestApp } from '../../../../test/support/harness.ts';
import { DEMO_PASSWORD, DEMO_STAFF } from '../../../demo/data.ts';
import { loadDemo } from '../../../demo/load.ts';

let t: TestApp;
let token = '';
const manager = DEMO_STAFF.find((s) => s.role === 'practice-manager')!;

before(async () => {
  t = await testApp();
  await loadDemo(t.db.db, t.clock);
  token = await apiToken(t.app, manager.email, DEMO_PASSWORD, manager.totpSecret, t.clock);
});
after(async () => {
  await t.close();
});

const importBundle = (payload: unknown, type = 'application/json') =>
  t.app.inject({
    method: 'POST',
    url: '/api/v1/practice/import',
    payload: typeof payload === 'string' ? payload : JSON.stringify(payload),
    headers: { authorization: `Bearer ${token}`, 'content-type': type },
  });

const patient = (extra: object) => ({
  resourceType: 'Patient',
  id: 'import-errors-1',
  identifier: [{ system: 'https://fhir.nhs.uk/Id/nhs-number', value: '9990001049' }],
  name: [{ family: 'Errors', given: ['Import'] }],
  birthDate: '1980-01-01',
  gender: 'female',
  ...extra,
});

test('HAZ-17 a Bundle whose entry is not an array is a 400 naming /entry', async () => {
  for (const entry of [{}, 'x', 5, true, null]) {
    const r = await importBundle({ resourceType: 'Bundle', type: 'collection', entry });
    assert.equal(r.statusCode, 400, `entry ${JSON.stringify(entry)}: ${r.body}`);
    assert.deepEqual(
      r.json<{ errors: { pointer: string }[] }>().errors.map((e) => e.pointer),
      ['/entry'],
    );
  }
  const fhirJson = await importBundle(
    { resourceType: 'Bundle', type: 'collection', entry: {} },
    'application/fhir+json',
  );
  assert.equal(fhirJson.statusCode, 400, fhirJson.body);
});

test('HAZ-17 a Bundle with a patient that cannot be read says so in its counts', async () => {
  const r = await importBundle({
    resourceType: 'Bundle',
    type: 'collection',
    entry: [{ resource: patient({ birthDate: '99999-01-01' }) }],
  });
  assert.equal(r.statusCode, 422, r.body);
  const summary = r.json<{ patients: { created: number; updated: number; rejected: number } }>();
  assert.deepEqual(summary.patients, { created: 0, updated: 0, rejected: 1 });
});

test('HAZ-17 an oversized body is a 413, as JSON or FHIR JSON', async () => {
  const big = `{"resourceType":"Bundle","type":"collection","entry":["${'x'.repeat(21 * 1024 * 1024)}"]}`;
  for (const type of ['application/json', 'application/fhir+json']) {
    const r = await importBundle(big, type);
    assert.equal(r.statusCode, 413, `${type}: ${r.body.slice(0, 200)}`);
    assert.match(String(r.headers['content-type']), /problem\+json/);
  }
  // Over the 5 MB limit of any other API route.
  const other = await t.app.inject({
    method: 'POST',
    url: '/api/v1/appointments',
    payload: `{"slotId":"${'x'.repeat(6 * 1024 * 1024)}"}`,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
  });
  assert.equal(other.statusCode, 413, other.body.slice(0, 200));
});

test('HAZ-17 import-fhir on a path that does not exist prints one clear line, no stack trace', () => {
  const main = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'main.ts');
  const dataDir = mkdtempSync(join(tmpdir(), 'gpo-import-cli-'));
  try {
    const env: Record<string, string | undefined> = { ...process.env, GP_ONLINE_DATA_DIR: dataDir };
    delete env.DATABASE_URL;
    const r = spawnSync(
      process.execPath,
      [main, 'import-fhir', '/nonexistent/gpo-import', '--practice', 'P81082'],
      { env, encoding: 'utf8', timeout: 120_000 },
    );
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stderr, /Cannot read \/nonexistent\/gpo-import: there is no such file or folder/);
    assert.doesNotMatch(r.stderr, /^\s+at /m, 'no stack trace');
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});
