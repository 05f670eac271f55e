import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseResources } from './parse.ts';
import { condition, patient } from './test-fixtures.ts';

// --- Patient --------------------------------------------------------------------------------

test('Patient maps NHS number, official name, sex, address and GP ODS code through a reference', () => {
  const org = {
    resourceType: 'Organization',
    id: 'gp',
    identifier: [{ system: 'https://fhir.nhs.uk/Id/ods-organization-code', value: 'B82005' }],
  };
  const result = parseResources([patient({ generalPractitioner: [{ reference: 'Organization/gp' }] }), org]);
  assert.deepEqual(result.patients[0]?.patient, {
    source: { system: 'fhir', id: 'Patient/p1' },
    nhsNumber: '9912003888',
    givenName: 'Richard John',
    familyName: 'Smith',
    birthDate: '1970-09-11',
    sex: 'male',
    addressLines: ['4 Sandmoor Drive', 'LEEDS', 'West Yorkshire'],
    postcode: 'LS17 7DF',
    generalPractitionerOds: 'B82005',
  });
  assert.deepEqual(result.skipped, { Organization: 1 });
  assert.deepEqual(result.patients[0].resourceCounts, { Patient: 1 });
});

test('Patient: usual name, unknown gender, ODS identifier on the reference, no NHS number', () => {
  const result = parseResources([
    patient({
      identifier: [],
      name: [{ family: 'A' }, { use: 'usual', family: 'Jones', given: ['Ann'] }],
      gender: 'unknown',
      address: undefined,
      generalPractitioner: [
        { identifier: { system: 'https://fhir.nhs.uk/Id/ods-organization-code', value: 'Y12345' } },
      ],
    }),
  ]);
  const p = result.patients[0]?.patient;
  assert.equal(p?.nhsNumber, null);
  assert.equal(p.givenName, 'Ann');
  assert.equal(p.sex, 'unknown');
  assert.deepEqual(p.addressLines, []);
  assert.equal(p.postcode, null);
  assert.equal(p.generalPractitionerOds, 'Y12345');
});

test('Patient: invalid NHS number is a problem on Patient.identifier, the patient still maps', () => {
  const result = parseResources([
    patient({ identifier: [{ system: 'https://fhir.nhs.uk/Id/nhs-number', value: '9912003890' }] }),
  ]);
  assert.equal(result.patients[0]?.patient.nhsNumber, null);
  assert.equal(result.patients[0].problems[0]?.field, 'Patient.identifier');
});

test('Patient: missing or invalid birthDate is a top-level problem and its entries are not mapped', () => {
  for (const birthDate of [undefined, '1970-02-30', '1970']) {
    const result = parseResources([patient({ birthDate }), condition()]);
    assert.equal(result.patients.length, 0);
    assert.equal(result.problems[0]?.field, 'Patient.birthDate');
    assert.equal(result.problems[1]?.resource, 'Condition/c1');
    assert.match(result.problems[1].message, /could not be imported/);
  }
});
