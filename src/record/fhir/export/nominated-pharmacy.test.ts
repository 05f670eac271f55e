import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import { toFhirBundle } from './bundle.ts';
import { NOMINATED_PHARMACY_URL, nominatedPharmacyExtension } from './nominated-pharmacy.ts';
import { NOW, patient, resources } from './test-fixtures.ts';

test('the UK Core nominated-pharmacy extension: its URL, a Reference by ODS code with the name shown', () => {
  assert.deepEqual(nominatedPharmacyExtension({ odsCode: 'FDE01', name: 'BAMBER BRIDGE DEMO PHARMACY' }), {
    url: 'https://fhir.hl7.org.uk/StructureDefinition/Extension-UKCore-NominatedPharmacy',
    valueReference: {
      identifier: { system: 'https://fhir.nhs.uk/Id/ods-organization-code', value: 'FDE01' },
      display: 'BAMBER BRIDGE DEMO PHARMACY',
    },
  });
  assert.deepEqual(nominatedPharmacyExtension({ odsCode: 'FA123', name: ' ' }).valueReference, {
    identifier: { system: 'https://fhir.nhs.uk/Id/ods-organization-code', value: 'FA123' },
  });
});

test('the Patient carries it when there is a nomination, and has no extension when there is none', () => {
  const [p] = resources(
    toFhirBundle({ ...patient, nominatedPharmacy: { odsCode: 'FDE01', name: 'X' } }, [], NOW),
  );
  assert.ok(p?.resourceType === 'Patient');
  assert.deepEqual(
    p.extension?.map((e) => [e.url, e.valueReference?.identifier?.value]),
    [[NOMINATED_PHARMACY_URL, 'FDE01']],
  );
  for (const none of [patient, { ...patient, nominatedPharmacy: null }]) {
    const [q] = resources(toFhirBundle(none, [], NOW));
    assert.ok(q && !('extension' in q));
  }
  const bundle = toFhirBundle({ ...patient, nominatedPharmacy: { odsCode: 'FDE01', name: 'X' } }, [], NOW);
  assert.equal(bundle.entry.length, 2, 'no Organization is added for the pharmacy');
});

test('real data: the Patient with the extension validates against the FHIR R4 JSON schema', (t) => {
  const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..');
  const schemaPath = join(root, '..', 'shared', 'data', 'fhir-r4-schema', 'fhir.schema.json');
  if (!existsSync(schemaPath)) {
    if (process.env.CI === 'true') assert.fail(`${schemaPath} is missing on CI`);
    t.diagnostic('real-data tier skipped: ../shared/data not found');
    return;
  }
  const schema = JSON.parse(readFileSync(schemaPath, 'utf8')) as Record<string, unknown>;
  delete schema.id;
  const require = createRequire(import.meta.url);
  const ajv = new Ajv({ strict: false, allErrors: true });
  ajv.addMetaSchema(require('ajv/dist/refs/json-schema-draft-06.json') as Record<string, unknown>);
  ajv.addSchema(schema, 'fhir.schema.json');
  const validate = ajv.compile({ $ref: 'fhir.schema.json#/definitions/Patient' });
  const [p] = resources(
    toFhirBundle({ ...patient, nominatedPharmacy: { odsCode: 'FDE01', name: 'X' } }, [], NOW),
  );
  assert.ok(validate(p), JSON.stringify(validate.errors));
  // The schema does check extensions (so a pass means something).
  assert.equal(validate({ ...p, extension: [{ url: 5 }] }), false);
});
