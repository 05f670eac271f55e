import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import { toFhirBundle } from './bundle.ts';
import { detailedRecord, fullRecord, NOW, patient, resources } from './test-fixtures.ts';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..');

// --- Real data: the official FHIR R4 JSON schema -----------------------------------------------

test('real data: every exported resource and the Bundle validate against the FHIR R4 JSON schema', (t) => {
  const schemaPath = join(repoRoot, '..', 'shared', 'data', 'fhir-r4-schema', 'fhir.schema.json');
  if (!existsSync(schemaPath)) {
    if (process.env.CI === 'true') assert.fail(`${schemaPath} is missing on CI`);
    t.diagnostic('real-data tier skipped: ../shared/data not found');
    return;
  }
  const schema = JSON.parse(readFileSync(schemaPath, 'utf8')) as Record<string, unknown>;
  delete schema.id; // draft-04 style "id": Ajv 8 wants $id; the schema is added under its file name instead
  const require = createRequire(import.meta.url);
  const ajv = new Ajv({ strict: false, allErrors: true });
  ajv.addMetaSchema(require('ajv/dist/refs/json-schema-draft-06.json') as Record<string, unknown>);
  ajv.addSchema(schema, 'fhir.schema.json');
  const validators = new Map<string, ReturnType<typeof ajv.compile>>();
  const validate = (type: string, value: unknown): string[] => {
    let v = validators.get(type);
    if (v === undefined) {
      v = ajv.compile({ $ref: `fhir.schema.json#/definitions/${type}` });
      validators.set(type, v);
    }
    return v(value) ? [] : (v.errors ?? []).map((e) => `${type}${e.instancePath} ${e.message ?? ''}`);
  };
  for (const entries of [fullRecord(), detailedRecord()]) {
    const bundle = toFhirBundle(patient, entries, NOW);
    const errors = resources(bundle).flatMap((r) => validate(r.resourceType, r));
    assert.deepEqual(errors, []);
    assert.deepEqual(validate('Bundle', bundle), []);
  }
  // The schema does catch mistakes (so a pass means something).
  assert.notDeepEqual(validate('Encounter', { resourceType: 'Encounter', status: 'done', class: {} }), []);
});
