import assert from 'node:assert/strict';
import { test } from 'node:test';
import { condition, only, parse, snomed, subject } from './test-fixtures.ts';

// --- Condition ------------------------------------------------------------------------------

test('Condition → problem with status, onset/abatement, coding, notes and consultation link', () => {
  const e = only(
    condition({
      clinicalStatus: { coding: [{ code: 'resolved' }] },
      onsetDateTime: '2019-05-01',
      abatementPeriod: { start: '2019-06-01' },
      encounter: { reference: 'Encounter/e1' },
      note: [{ text: 'first' }, { text: 'second' }],
    }),
  );
  assert.equal(e.kind, 'problem');
  assert.deepEqual(e.source, { system: 'fhir', id: 'Condition/c1' });
  assert.deepEqual(e.coding, [
    { system: 'http://snomed.info/sct', code: '38341003', display: 'Hypertension' },
  ]);
  assert.equal(e.title, 'Hypertension');
  assert.equal(e.text, 'first\n\nsecond');
  assert.equal(e.clinicalDate, '2019-05-01');
  assert.equal(e.recordedAt, '2020-01-02T00:00:00Z');
  assert.equal(e.consultationSource, 'Encounter/e1');
  assert.deepEqual(e.details, {
    kind: 'problem',
    clinicalStatus: 'past',
    significance: null,
    onset: '2019-05-01',
    abatement: '2019-06-01',
  });
  assert.equal(e.draft || e.unfiled || e.unreviewed, false);
});

test('Condition: clinicalStatus active/relapse/absent → active; GP Connect significance extension', () => {
  for (const code of ['active', 'relapse', 'recurrence', undefined]) {
    const status = code === undefined ? undefined : { coding: [{ code }] };
    const e = only(condition({ clinicalStatus: status }));
    assert.equal(e.details.kind === 'problem' && e.details.clinicalStatus, 'active');
  }
  const url = 'https://fhir.nhs.uk/STU3/StructureDefinition/Extension-CareConnect-GPC-ProblemSignificance-1';
  const major = only(condition({ extension: [{ url, valueCode: 'major' }] }));
  assert.equal(major.details.kind === 'problem' && major.details.significance, 'major');
});

test('Condition: entered-in-error and refuted are skipped and counted', () => {
  const { result, entries } = parse(
    condition({ verificationStatus: { coding: [{ code: 'entered-in-error' }] } }),
    condition({ id: 'c2', verificationStatus: { coding: [{ code: 'refuted' }] } }),
  );
  assert.equal(entries.length, 0);
  assert.deepEqual(result.skipped, { 'Condition (entered-in-error)': 1, 'Condition (refuted)': 1 });
});

test('Condition with an online-access code (104/106/103) → administrative', () => {
  for (const code of ['1364731000000104', '1364751000000106', '1290331000000103']) {
    const e = only(condition({ code: snomed(code, 'access code') }));
    assert.equal(e.kind, 'administrative');
    assert.deepEqual(e.details, { kind: 'administrative' });
  }
});

test('Condition: missing code, missing date, bad date and missing id are problems', () => {
  const { result } = parse(
    condition({ code: undefined }),
    condition({ id: 'c2', recordedDate: undefined }),
    condition({ id: 'c3', recordedDate: '2020-13-01' }),
    condition({ id: undefined }),
  );
  const problems = result.patients[0]?.problems ?? [];
  assert.deepEqual(problems[0], {
    resource: 'Condition/c1',
    field: 'Condition.code',
    message: 'Condition.code is missing',
  });
  assert.equal(problems[1]?.field, 'Condition.recordedDate');
  assert.match(problems[1].message, /no usable date/);
  assert.equal(problems[2]?.field, 'Condition.recordedDate');
  assert.match(problems[2].message, /not a valid FHIR date/);
  assert.deepEqual(result.problems[0], {
    resource: 'resource[4]',
    field: 'Condition.id',
    message: 'Condition.id is missing',
  });
});

// --- AllergyIntolerance, Immunization -------------------------------------------------------

test('AllergyIntolerance → allergy', () => {
  const e = only({
    resourceType: 'AllergyIntolerance',
    id: 'a1',
    patient: subject,
    code: snomed('372687004', 'Amoxicillin'),
    category: ['medication'],
    type: 'allergy',
    criticality: 'high',
    clinicalStatus: { coding: [{ code: 'inactive' }] },
    recordedDate: '2019-12-10T13:00:00+00:00',
    reaction: [{ manifestation: [snomed('247472004', 'Urticarial rash'), { text: 'Wheeze' }] }],
  });
  assert.equal(e.kind, 'allergy');
  assert.equal(e.title, 'Amoxicillin');
  assert.equal(e.recordedAt, '2019-12-10T13:00:00+00:00');
  assert.deepEqual(e.details, {
    kind: 'allergy',
    category: 'medication',
    type: 'allergy',
    criticality: 'high',
    reactions: ['Urticarial rash'],
    active: false,
  });
  // HAZ-02: a reaction typed as text is free text, kept with the entry's text (full access only).
  assert.equal(e.text, 'Reaction: Wheeze');
});

test('Immunization → immunisation, including not-done', () => {
  const e = only({
    resourceType: 'Immunization',
    id: 'i1',
    patient: subject,
    status: 'not-done',
    vaccineCode: {
      coding: [{ system: 'https://dmd.nhs.uk', code: '11278411000001109' }],
      text: 'Flu vaccine',
    },
    occurrenceDateTime: '2013-01-10',
    site: snomed('368208006', 'Left upper arm structure'),
    protocolApplied: [{ doseNumberPositiveInt: 2 }],
  });
  assert.equal(e.kind, 'immunisation');
  assert.equal(e.title, 'Flu vaccine');
  assert.equal(e.coding[0]?.system, 'https://dmd.nhs.uk');
  assert.equal(e.clinicalDate, '2013-01-10');
  assert.deepEqual(e.details, {
    kind: 'immunisation',
    doseNumber: '2',
    site: 'Left upper arm structure',
    status: 'not-done',
  });
});

// --- Procedure, ServiceRequest, Encounter, DocumentReference --------------------------------

test('Procedure → procedure with period start and performer display', () => {
  const e = only({
    resourceType: 'Procedure',
    id: 'x1',
    subject,
    status: 'completed',
    code: snomed('80146002', 'Appendicectomy'),
    performedPeriod: { start: '2012-05-29T06:12:43+00:00' },
    performer: [{ actor: { display: 'Dr Who' } }],
  });
  assert.equal(e.clinicalDate, '2012-05-29T06:12:43+00:00');
  assert.deepEqual(e.details, { kind: 'procedure', status: 'completed', performer: 'Dr Who' });
});

test('ServiceRequest → referral, recipient resolved from a Practitioner', () => {
  const e = only(
    {
      resourceType: 'ServiceRequest',
      id: 'sr',
      subject,
      status: 'active',
      priority: 'urgent',
      code: snomed('73761001', 'Colonoscopy'),
      authoredOn: '2021-10-13T16:28:00+07:00',
      performer: [{ reference: 'Practitioner/dr' }],
    },
    { resourceType: 'Practitioner', id: 'dr', name: [{ family: 'Gose', given: ['Sandra'], prefix: ['Dr'] }] },
  );
  assert.equal(e.kind, 'referral');
  assert.deepEqual(e.details, {
    kind: 'referral',
    status: 'active',
    priority: 'urgent',
    recipient: 'Dr Sandra Gose',
  });
});
