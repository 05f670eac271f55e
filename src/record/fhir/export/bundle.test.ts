import assert from 'node:assert/strict';
import { test } from 'node:test';
import { toFhirBundle } from './bundle.ts';
import {
  CONSULTATION,
  detailedRecord,
  fullRecord,
  HIDDEN_CONSULTATION,
  NOW,
  patient,
  referencesIn,
  resources,
  uuid,
} from './test-fixtures.ts';

// --- Bundle, Patient, Organization ------------------------------------------------------------

test('a collection Bundle: timestamp now, one entry per resource, fullUrl urn:uuid:<id>', () => {
  const entries = fullRecord();
  const bundle = toFhirBundle(patient, entries, NOW);
  assert.equal(bundle.resourceType, 'Bundle');
  assert.equal(bundle.type, 'collection');
  assert.equal(bundle.timestamp, '2025-03-04T05:06:07.000Z');
  assert.equal(bundle.entry.length, entries.length + 2);
  for (const e of bundle.entry) assert.equal(e.fullUrl, `urn:uuid:${e.resource.id}`);
  assert.deepEqual(
    bundle.entry.slice(2).map((e) => e.resource.id),
    entries.map((e) => e.id),
  );
  assert.equal(new Set(bundle.entry.map((e) => e.fullUrl)).size, bundle.entry.length);
});

test('UK Core Patient and practice Organization, linked by reference and ODS identifier', () => {
  const bundle = toFhirBundle(patient, [], NOW);
  assert.equal(bundle.entry.length, 2);
  const [p, org] = resources(bundle);
  assert.ok(p?.resourceType === 'Patient' && org?.resourceType === 'Organization');
  assert.deepEqual(p, {
    resourceType: 'Patient',
    id: patient.id,
    meta: { profile: ['https://fhir.hl7.org.uk/StructureDefinition/UKCore-Patient'] },
    identifier: [{ system: 'https://fhir.nhs.uk/Id/nhs-number', value: '9912003888' }],
    name: [{ use: 'official', family: 'Smith', given: ['Richard', 'John'] }],
    gender: 'male',
    birthDate: '1970-09-11',
    address: [{ line: ['4 Sandmoor Drive', 'LEEDS'], postalCode: 'LS17 7DF' }],
    generalPractitioner: [
      {
        reference: `urn:uuid:${org.id}`,
        identifier: { system: 'https://fhir.nhs.uk/Id/ods-organization-code', value: 'B82005' },
        display: 'White Rose Surgery',
      },
    ],
  });
  assert.deepEqual(org, {
    resourceType: 'Organization',
    id: org.id,
    meta: { profile: ['https://fhir.hl7.org.uk/StructureDefinition/UKCore-Organization'] },
    identifier: [{ system: 'https://fhir.nhs.uk/Id/ods-organization-code', value: 'B82005' }],
    name: 'White Rose Surgery',
  });
  assert.match(org.id, /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  // Stable: the same practice always gets the same id; another practice another.
  const again = toFhirBundle(patient, [], new Date(0));
  assert.equal(again.entry[1]?.resource.id, org.id);
  const other = toFhirBundle({ ...patient, practice: { odsCode: 'A81001', name: 'X' } }, [], NOW);
  assert.notEqual(other.entry[1]?.resource.id, org.id);
});

test('Patient leaves out an empty address and an empty name part', () => {
  const bundle = toFhirBundle(
    { ...patient, givenName: '', addressLines: [], postcode: null, sex: 'unknown' },
    [],
    NOW,
  );
  const p = bundle.entry[0]?.resource as unknown as Record<string, unknown>;
  assert.equal('address' in p, false);
  assert.deepEqual(p.name, [{ use: 'official', family: 'Smith' }]);
  assert.equal(p.gender, 'unknown');
});

// --- Only what it is given ---------------------------------------------------------------------

test('nothing outside the given entries appears; references point only at exported resources', () => {
  const all = fullRecord();
  const given = all.filter((e) => e.id !== uuid(3) && e.id !== uuid(6));
  const bundle = toFhirBundle(patient, given, NOW);
  const json = JSON.stringify(bundle);
  assert.doesNotMatch(json, new RegExp(uuid(3)));
  assert.doesNotMatch(json, new RegExp(uuid(6)));
  assert.doesNotMatch(json, /Asthma|Penicillin|Urticarial/);
  assert.doesNotMatch(json, new RegExp(HIDDEN_CONSULTATION));
  const fullUrls = new Set(bundle.entry.map((e) => e.fullUrl));
  const refs = referencesIn(bundle);
  assert.ok(refs.length > given.length);
  for (const ref of refs) assert.ok(fullUrls.has(ref), `${ref} is exported`);

  // Without the consultation, nothing points at it.
  const noConsultation = toFhirBundle(
    patient,
    all.filter((e) => e.kind !== 'consultation'),
    NOW,
  );
  assert.doesNotMatch(JSON.stringify(noConsultation), new RegExp(CONSULTATION));
  for (const ref of referencesIn(noConsultation)) {
    assert.ok(noConsultation.entry.some((e) => e.fullUrl === ref));
  }
  // Nothing given: only the patient and the practice.
  assert.deepEqual(
    toFhirBundle(patient, [], NOW).entry.map((e) => e.resource.resourceType),
    ['Patient', 'Organization'],
  );
});

test('free text and document content are absent when null', () => {
  const bundle = toFhirBundle(patient, detailedRecord(), NOW);
  const json = JSON.stringify(bundle);
  for (const secret of ['Home readings high', 'cough', 'Advised rest', 'Normal"', 'Dear Dr Jones']) {
    assert.equal(json.includes(secret), false, secret);
  }
  assert.equal(json.includes(Buffer.from('Dear Dr Jones', 'utf8').toString('base64').slice(0, 12)), false);
  for (const r of resources(bundle)) {
    assert.equal('note' in r, false, `${r.resourceType} note`);
    assert.equal('text' in r, false, `${r.resourceType} text`);
  }
  assert.equal(json.includes('"data"'), false);
});

test('pure: the same input gives the same Bundle and the input is not changed', () => {
  const entries = fullRecord();
  const before = structuredClone(entries);
  assert.deepEqual(toFhirBundle(patient, entries, NOW), toFhirBundle(patient, entries, NOW));
  assert.deepEqual(entries, before);
});
