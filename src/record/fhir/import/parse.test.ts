import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parseBundle, parseNdjson, parseResources, type ParseResult } from './parse.ts';
import type { EntryDraft } from '../../model.ts';

const PID = 'p1';
const subject = { reference: `Patient/${PID}` };
const patient = (extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  resourceType: 'Patient',
  id: PID,
  identifier: [{ system: 'https://fhir.nhs.uk/Id/nhs-number', value: '991 200 3888' }],
  name: [
    { use: 'maiden', family: 'Old', given: ['X'] },
    { use: 'official', family: 'Smith', given: ['Richard', 'John'] },
  ],
  gender: 'male',
  birthDate: '1970-09-11',
  address: [
    { line: ['4 Sandmoor Drive'], city: 'LEEDS', district: 'West Yorkshire', postalCode: 'LS17 7DF' },
  ],
  ...extra,
});
const snomed = (code: string, display: string) => ({
  coding: [{ system: 'http://snomed.info/sct', code, display }],
});

/** Parse a patient plus the given resources; return the result and the patient's entries. */
function parse(...resources: Record<string, unknown>[]): { result: ParseResult; entries: EntryDraft[] } {
  const result = parseResources([patient(), ...resources]);
  return { result, entries: result.patients[0]?.entries ?? [] };
}

function only(...resources: Record<string, unknown>[]): EntryDraft {
  const { result, entries } = parse(...resources);
  assert.deepEqual(result.problems, []);
  assert.deepEqual(result.patients[0]?.problems, []);
  assert.equal(entries.length, 1);
  return entries[0]!;
}

const condition = (extra: Record<string, unknown> = {}) => ({
  resourceType: 'Condition',
  id: 'c1',
  subject,
  code: snomed('38341003', 'Hypertension'),
  recordedDate: '2020-01-02',
  ...extra,
});

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

test('recordedAt falls back to meta.lastUpdated, then the clinical date; a bad clinical date is a problem', () => {
  const meta = only(condition({ recordedDate: undefined, meta: { lastUpdated: '2021-03-04T05:06:07Z' } }));
  assert.equal(meta.recordedAt, '2021-03-04T05:06:07Z');
  const onset = only(condition({ recordedDate: undefined, onsetDateTime: '2018-07' }));
  assert.equal(onset.recordedAt, '2018-07-01T00:00:00Z');
  const { result } = parse(condition({ onsetDateTime: '2018-07-01T10:00' }));
  assert.equal(result.patients[0]?.problems[0]?.field, 'Condition.onsetDateTime');
});

test('a resource whose subject is not a Patient in the input is a top-level problem', () => {
  const result = parseResources([
    condition({ subject: { reference: 'Patient/elsewhere' } }),
    condition({ id: 'c2', subject: undefined }),
  ]);
  assert.equal(result.patients.length, 0);
  assert.deepEqual(result.problems[0], {
    resource: 'Condition/c1',
    field: 'Condition.subject',
    message: 'Condition.subject Patient/elsewhere is not a Patient in this import',
  });
  assert.equal(result.problems[1]?.message, 'Condition.subject is missing');
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

// --- Medication -----------------------------------------------------------------------------

const medicationRequest = (extra: Record<string, unknown> = {}) => ({
  resourceType: 'MedicationRequest',
  id: 'm1',
  subject,
  status: 'active',
  intent: 'order',
  authoredOn: '2022-09-10T15:00:00.000Z',
  medicationCodeableConcept: {
    coding: [
      { system: 'https://dmd.nhs.uk', code: '39732311000001104', display: 'Amoxicillin 250mg capsules' },
    ],
  },
  ...extra,
});

test('MedicationRequest → medication with repeat information and dispense quantity', () => {
  const e = only(
    medicationRequest({
      courseOfTherapyType: { coding: [{ code: 'continuous' }] },
      dosageInstruction: [{ text: 'One three times a day' }],
      dispenseRequest: { quantity: { value: 21, unit: 'capsule' }, numberOfRepeatsAllowed: 6 },
      extension: [
        {
          url: 'https://fhir.hl7.org.uk/StructureDefinition/Extension-UKCore-MedicationRepeatInformation',
          extension: [
            { url: 'numberOfPrescriptionsIssued', valueUnsignedInt: 2 },
            { url: 'authorisationExpiryDate', valueDateTime: '2023-09-10T00:00:00Z' },
          ],
        },
      ],
    }),
  );
  assert.equal(e.kind, 'medication');
  assert.equal(e.title, 'Amoxicillin 250mg capsules');
  assert.equal(e.clinicalDate, '2022-09-10T15:00:00.000Z');
  assert.deepEqual(e.details, {
    kind: 'medication',
    prescriptionType: 'repeat',
    status: 'current',
    dosage: 'One three times a day',
    quantity: 21,
    quantityUnit: 'capsule',
    issuesAuthorised: 6,
    issuesDone: 2,
    reviewDate: '2023-09-10T00:00:00Z',
    lastIssued: null,
  });
});

test('MedicationRequest: prescription type from extension, course of therapy or default; status', () => {
  const type = (extra: Record<string, unknown>) => {
    const e = only(medicationRequest(extra));
    return e.details.kind === 'medication' ? [e.details.prescriptionType, e.details.status] : null;
  };
  const ext = (code: string) => ({
    extension: [
      {
        url: 'https://fhir.nhs.uk/STU3/StructureDefinition/Extension-CareConnect-GPC-PrescriptionType-1',
        valueCodeableConcept: { coding: [{ code }] },
      },
    ],
  });
  assert.deepEqual(type(ext('repeat-dispensing')), ['repeat-dispensing', 'current']);
  assert.deepEqual(type({ ...ext('delayed-prescribing'), status: 'on-hold' }), ['delayed', 'current']);
  assert.deepEqual(type({ courseOfTherapyType: { coding: [{ code: 'acute' }] }, status: 'stopped' }), [
    'acute',
    'past',
  ]);
  assert.deepEqual(
    type({ courseOfTherapyType: { coding: [{ code: 'continuous-repeating-dispensing' }] }, intent: 'plan' }),
    ['repeat-dispensing', 'current'],
  );
  assert.deepEqual(type({ status: 'completed' }), ['acute', 'past']);
});

test('MedicationRequest: medicine from a contained or bundled Medication; dosage built from timing', () => {
  const contained = only(
    medicationRequest({
      medicationCodeableConcept: undefined,
      contained: [
        {
          resourceType: 'Medication',
          id: 'med',
          code: { coding: [{ system: 'https://dmd.nhs.uk', code: '1', display: 'Timoptol' }] },
        },
      ],
      medicationReference: { reference: '#med' },
      dosageInstruction: [
        {
          timing: { repeat: { frequency: 2, period: 1, periodUnit: 'd' } },
          doseAndRate: [{ doseQuantity: { value: 1, unit: 'drop' } }],
        },
      ],
    }),
  );
  assert.equal(contained.title, 'Timoptol');
  assert.equal(contained.details.kind === 'medication' && contained.details.dosage, '1 drop, twice a day');
  const bundle = parseBundle({
    resourceType: 'Bundle',
    type: 'collection',
    entry: [
      { fullUrl: 'urn:uuid:p', resource: patient() },
      {
        fullUrl: 'urn:uuid:m',
        resource: { resourceType: 'Medication', id: 'm', code: { text: 'Aspirin 75mg' } },
      },
      {
        resource: medicationRequest({
          subject: { reference: 'urn:uuid:p' },
          medicationCodeableConcept: undefined,
          medicationReference: { reference: 'urn:uuid:m' },
        }),
      },
    ],
  });
  assert.equal(bundle.patients[0]?.entries[0]?.title, 'Aspirin 75mg');
  assert.deepEqual(bundle.skipped, { Medication: 1 });
  const missing = parse(medicationRequest({ medicationCodeableConcept: undefined }));
  assert.equal(missing.result.patients[0]?.problems[0]?.field, 'MedicationRequest.medication[x]');
});

test('MedicationStatement → medication (active → current, last issue date)', () => {
  const e = only({
    resourceType: 'MedicationStatement',
    id: 's1',
    subject,
    status: 'active',
    medicationCodeableConcept: { text: 'Amoxicillin' },
    effectivePeriod: { start: '2021-02-15T13:50:00+00:00' },
    dateAsserted: '2021-02-16',
    dosage: [{ text: '2 capsules 4 times a day.' }],
    context: { reference: 'Encounter/e9' },
    extension: [
      {
        url: 'https://fhir.hl7.org.uk/StructureDefinition/Extension-UKCore-MedicationStatementLastIssueDate',
        valueDateTime: '2021-03-01T00:00:00Z',
      },
    ],
  });
  assert.equal(e.recordedAt, '2021-02-16T00:00:00Z');
  assert.equal(e.consultationSource, 'Encounter/e9');
  assert.equal(e.details.kind === 'medication' && e.details.status, 'current');
  assert.equal(e.details.kind === 'medication' && e.details.lastIssued, '2021-03-01T00:00:00Z');
});

// --- Observation, DiagnosticReport ----------------------------------------------------------

const observation = (extra: Record<string, unknown> = {}) => ({
  resourceType: 'Observation',
  id: 'o1',
  subject,
  status: 'final',
  code: { coding: [{ system: 'http://loinc.org', code: '2345-7', display: 'Glucose' }] },
  effectiveDateTime: '2020-01-01T09:00:00Z',
  issued: '2020-01-02T09:00:00.123Z',
  ...extra,
});

test('Observation (laboratory) → result with measurement, range, interpretation and report link', () => {
  const { result, entries } = parse(
    observation({
      category: [{ coding: [{ code: 'laboratory' }] }],
      valueQuantity: { value: 6.1, unit: 'mmol/L' },
      referenceRange: [{ low: { value: 3.5 }, high: { value: 5.5 } }],
      interpretation: [{ coding: [{ code: 'H' }] }],
    }),
    {
      resourceType: 'DiagnosticReport',
      id: 'r1',
      subject,
      status: 'partial',
      category: [{ coding: [{ code: 'LAB', display: 'Laboratory' }] }],
      code: { text: 'Glucose panel' },
      issued: '2020-01-02T10:00:00Z',
      result: [{ reference: 'Observation/o1' }],
      conclusion: 'Raised.',
      presentedForm: [{ contentType: 'text/plain', data: Buffer.from('Full report').toString('base64') }],
    },
  );
  assert.deepEqual(result.patients[0]?.problems, []);
  const [obs, report] = entries;
  assert.equal(obs?.kind, 'result');
  assert.equal(obs.recordedAt, '2020-01-02T09:00:00.123Z');
  assert.deepEqual(obs.details, {
    kind: 'result',
    measurement: {
      value: 6.1,
      valueText: null,
      unit: 'mmol/L',
      low: 3.5,
      high: 5.5,
      interpretation: 'H',
    },
    components: [],
    reportId: 'DiagnosticReport/r1',
    category: 'laboratory',
  });
  assert.equal(report?.kind, 'result');
  assert.equal(report.title, 'Glucose panel');
  assert.equal(report.text, 'Raised.\n\nFull report');
  assert.equal(report.unfiled, true);
  assert.deepEqual(report.details, {
    kind: 'result',
    measurement: null,
    components: [],
    reportId: null,
    category: 'Laboratory',
  });
  assert.deepEqual(result.patients[0].resourceCounts, { Patient: 1, Observation: 1, DiagnosticReport: 1 });
});

test('Observation (vital signs) → value with components; preliminary → unfiled; text values', () => {
  const bp = only(
    observation({
      status: 'preliminary',
      category: [{ coding: [{ code: 'vital-signs' }] }],
      code: { text: 'Blood pressure' },
      component: [
        { code: { text: 'Systolic blood pressure' }, valueQuantity: { value: 142, unit: 'mm[Hg]' } },
        {
          code: snomed('1091811000000102', 'Diastolic arterial pressure'),
          valueQuantity: { value: 94, code: 'mm[Hg]' },
        },
      ],
    }),
  );
  assert.equal(bp.kind, 'value');
  assert.equal(bp.unfiled, true);
  assert.equal(bp.details.kind === 'value' && bp.details.measurement, null);
  assert.deepEqual(
    bp.details.kind === 'value' ? bp.details.components.map((c) => [c.name, c.value, c.unit]) : null,
    [
      ['Systolic blood pressure', 142, 'mm[Hg]'],
      ['Diastolic arterial pressure', 94, 'mm[Hg]'],
    ],
  );
  const smoker = only(
    observation({
      category: [{ coding: [{ code: 'social-history' }] }],
      valueCodeableConcept: { text: 'Never smoked' },
    }),
  );
  assert.equal(smoker.details.kind === 'value' && smoker.details.measurement?.valueText, 'Never smoked');
  // HAZ-02: a concept with text only is typed text; a coded display and yes/no are coded values.
  const valueOf = (o: Record<string, unknown>) => {
    const d = only(observation({ category: [{ coding: [{ code: 'social-history' }] }], ...o })).details;
    return d.kind === 'value' ? d.measurement : null;
  };
  assert.equal(smoker.details.kind === 'value' && smoker.details.measurement?.valueCoded, false);
  const coded = valueOf({
    valueCodeableConcept: {
      coding: [{ system: 'http://snomed.info/sct', code: '266919005', display: 'Never smoked tobacco' }],
      text: 'never, but her husband does',
    },
  });
  assert.ok(coded);
  assert.equal(coded.valueText, 'Never smoked tobacco');
  assert.equal(coded.valueCoded, true);
  assert.deepEqual(
    [valueOf({ valueBoolean: true })?.valueText, valueOf({ valueBoolean: true })?.valueCoded],
    ['Yes', true],
  );
  assert.equal(valueOf({ valueString: 'lives with an abusive partner' })?.valueCoded, false);
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

test('Encounter → consultation: clinician, location, type, draft status, title fallbacks', () => {
  const encounter = (extra: Record<string, unknown>) => ({
    resourceType: 'Encounter',
    id: 'e1',
    subject,
    status: 'finished',
    period: { start: '2020-02-02T10:00:00Z' },
    ...extra,
  });
  const e = only(
    encounter({
      type: [snomed('185347001', 'Encounter for problem')],
      participant: [{ individual: { reference: 'Practitioner/dr' } }],
      serviceProvider: { reference: 'Organization/o' },
    }),
    { resourceType: 'Practitioner', id: 'dr', name: [{ text: 'Dr Jane Doe' }] },
    { resourceType: 'Organization', id: 'o', name: 'The Surgery' },
  );
  assert.equal(e.title, 'Encounter for problem');
  assert.equal(e.recordedAt, '2020-02-02T10:00:00Z');
  assert.deepEqual(e.details, {
    kind: 'consultation',
    clinician: 'Dr Jane Doe',
    location: 'The Surgery',
    consultationType: 'Encounter for problem',
  });
  const draft = only(encounter({ status: 'in-progress', class: { code: 'AMB', display: 'ambulatory' } }));
  assert.equal(draft.draft, true);
  assert.equal(draft.title, 'ambulatory');
  assert.equal(only(encounter({ status: 'unknown', class: { code: 'AMB' } })).title, 'Consultation');
});

test('DocumentReference → document: decoded text, author, preliminary → unreviewed', () => {
  const e = only(
    {
      resourceType: 'DocumentReference',
      id: 'd1',
      subject,
      docStatus: 'preliminary',
      type: snomed('371531000', 'Report of clinical encounter'),
      date: '2025-01-24T14:30:00Z',
      author: [{ reference: 'Organization/o' }],
      context: { encounter: [{ reference: 'Encounter/e5' }] },
      content: [
        {
          attachment: {
            contentType: 'text/plain; charset=utf-8',
            data: Buffer.from('Dear Dr…').toString('base64'),
          },
        },
      ],
    },
    { resourceType: 'Organization', id: 'o', name: 'Leeds Teaching Hospitals' },
  );
  assert.equal(e.kind, 'document');
  assert.equal(e.title, 'Report of clinical encounter');
  assert.equal(e.unreviewed, true);
  assert.equal(e.consultationSource, 'Encounter/e5');
  assert.deepEqual(e.details, {
    kind: 'document',
    author: 'Leeds Teaching Hospitals',
    contentType: 'text/plain; charset=utf-8',
    content: 'Dear Dr…',
    documentType: 'Report of clinical encounter',
  });
});

// --- Bundles, references, NDJSON ------------------------------------------------------------

test('parseBundle resolves urn:uuid references and groups entries by patient', () => {
  const bundle = {
    resourceType: 'Bundle',
    type: 'transaction',
    entry: [
      { fullUrl: 'urn:uuid:aaa', resource: patient({ id: 'a' }) },
      { fullUrl: 'urn:uuid:bbb', resource: patient({ id: 'b' }) },
      {
        fullUrl: 'urn:uuid:enc',
        resource: {
          resourceType: 'Encounter',
          id: 'enc',
          subject: { reference: 'urn:uuid:bbb' },
          period: { start: '2020-01-01' },
        },
      },
      {
        resource: condition({
          subject: { reference: 'urn:uuid:bbb' },
          encounter: { reference: 'urn:uuid:enc' },
        }),
      },
      { resource: { resourceType: 'Claim', id: 'cl' } },
      { request: { method: 'GET', url: 'Patient' } },
    ],
  };
  const result = parseBundle(bundle);
  assert.equal(result.resources, 5);
  assert.deepEqual(result.skipped, { Claim: 1 });
  assert.deepEqual(result.problems, [
    { resource: 'entry[5]', field: 'Bundle.entry.resource', message: 'Bundle entry has no resource' },
  ]);
  assert.deepEqual(
    result.patients.map((p) => [p.patient.source.id, p.entries.length]),
    [
      ['Patient/a', 0],
      ['Patient/b', 2],
    ],
  );
  assert.equal(result.patients[1]?.entries[1]?.consultationSource, 'Encounter/enc');
});

test('parseBundle: wrong Bundle.type or not a Bundle is a problem naming Bundle.type', () => {
  for (const input of [
    { resourceType: 'Bundle', type: 'document' },
    { resourceType: 'Patient' },
    null,
    'x',
  ]) {
    const result = parseBundle(input);
    assert.equal(result.patients.length, 0);
    assert.equal(result.problems[0]?.field, 'Bundle.type');
  }
});

test('parseResources: non-resources are problems; labels name the input', () => {
  const result = parseResources([42, { id: 'x' }], ['a.json', 'b.json']);
  assert.deepEqual(
    result.problems.map((p) => [p.resource, p.field]),
    [
      ['a.json', 'resourceType'],
      ['b.json', 'resourceType'],
    ],
  );
  assert.equal(result.resources, 2);
});

test('parseNdjson: bad lines are problems naming the line; blank lines ignored', () => {
  const text = `${JSON.stringify(patient())}\n\n{not json\r\n${JSON.stringify(condition())}\n`;
  const parsed = parseNdjson(text, 'x.ndjson');
  assert.equal(parsed.resources.length, 2);
  assert.deepEqual(parsed.labels, ['x.ndjson line 1', 'x.ndjson line 4']);
  assert.equal(parsed.problems[0]?.resource, 'x.ndjson line 3');
  const result = parseResources(parsed.resources, parsed.labels);
  assert.equal(result.patients[0]?.entries.length, 1);
});

// --- Real data ------------------------------------------------------------------------------

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..');
const dataDir = join(repoRoot, '..', 'shared', 'data');

function dataAvailable(t: TestContext): boolean {
  if (existsSync(dataDir)) return true;
  assert.notEqual(process.env.CI, 'true', `real data missing in CI: ${dataDir}`);
  t.diagnostic('real-data tier skipped: ../shared/data not found');
  return false;
}

function tally(results: ParseResult[]) {
  const kinds: Record<string, number> = {};
  const skipped: Record<string, number> = {};
  const problems = results.flatMap((r) => [...r.problems, ...r.patients.flatMap((p) => p.problems)]);
  for (const r of results) {
    for (const [k, v] of Object.entries(r.skipped)) skipped[k] = (skipped[k] ?? 0) + v;
    for (const e of r.patients.flatMap((p) => p.entries)) kinds[e.kind] = (kinds[e.kind] ?? 0) + 1;
  }
  return { kinds, skipped, problems, patients: results.reduce((n, r) => n + r.patients.length, 0) };
}

test('real data: 24 Synthea transaction bundles', (t) => {
  if (!dataAvailable(t)) return;
  const dir = join(dataDir, 'synthea-fhir-r4-patients');
  const bundles = readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as unknown);
  const started = performance.now();
  const results = bundles.map((b) => parseBundle(b));
  const ms = performance.now() - started;
  const resources = results.reduce((n, r) => n + r.resources, 0);
  t.diagnostic(
    `speed: ${resources} resources in ${ms.toFixed(1)} ms = ${Math.round((resources / ms) * 1000)} resources/s`,
  );
  const { kinds, skipped, problems, patients } = tally(results);
  assert.deepEqual(problems, []);
  assert.equal(patients, 24);
  assert.equal(resources, 6093);
  assert.deepEqual(kinds, {
    consultation: 570,
    allergy: 122,
    problem: 146,
    medication: 183,
    value: 1227,
    procedure: 249,
    immunisation: 345,
    result: 1713,
  });
  assert.deepEqual(skipped, {
    Organization: 44,
    Practitioner: 44,
    CarePlan: 75,
    Claim: 753,
    ExplanationOfBenefit: 570,
    Goal: 25,
    ImagingStudy: 3,
  });
  const entries = results.flatMap((r) => r.patients.flatMap((p) => p.entries));
  const linked = entries.filter((e) => e.details.kind === 'result' && e.details.reportId !== null);
  assert.equal(linked.length, 1411); // lab Observations listed in a DiagnosticReport.result
  // Every entry but the consultations themselves and the allergies (Synthea gives those no encounter) is linked.
  const unlinked = entries.filter((e) => e.kind !== 'consultation' && e.consultationSource === null);
  assert.deepEqual([...new Set(unlinked.map((e) => e.kind))], ['allergy']);
  assert.equal(unlinked.length, 122);
  assert.ok(
    entries
      .filter((e) => e.kind === 'consultation')
      .every((e) => e.details.kind === 'consultation' && e.details.clinician !== null),
  );
});

test('real data: Synthea bulk NDJSON (6 files together)', (t) => {
  if (!dataAvailable(t)) return;
  const dir = join(dataDir, 'synthea-bulk-ndjson-10-patients');
  const resources: unknown[] = [];
  const labels: string[] = [];
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.ndjson'))) {
    const parsed = parseNdjson(readFileSync(join(dir, file), 'utf8'), file);
    assert.deepEqual(parsed.problems, []);
    resources.push(...parsed.resources);
    labels.push(...parsed.labels);
  }
  const result = parseResources(resources, labels);
  const { kinds, skipped, problems, patients } = tally([result]);
  assert.equal(result.resources, 3700);
  assert.equal(patients, 13); // 10 alive + 3 deceased earlier "lives" of a Synthea seed
  assert.deepEqual(problems, []);
  assert.deepEqual(skipped, {});
  assert.deepEqual(kinds, {
    problem: 555,
    consultation: 1215,
    immunisation: 161,
    medication: 1745,
    allergy: 11,
  });
});

test('real data: UK Core examples of every type together', (t) => {
  if (!dataAvailable(t)) return;
  const dir = join(dataDir, 'uk-core-examples');
  const files = readdirSync(dir).filter((f) => f.endsWith('.json'));
  const result = parseResources(
    files.map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as unknown),
    files,
  );
  assert.equal(result.resources, 225); // 215 files, Bundles opened (5 Bundles → 15 entries with a resource)
  const byPatient = Object.fromEntries(result.patients.map((p) => [p.patient.source.id, p.entries.length]));
  assert.deepEqual(byPatient, {
    'Patient/UKCore-Patient-BabyPatient-Example': 1,
    'Patient/UKCore-Patient-RichardSmith-Example': 58,
  });
  const richard = result.patients.find((p) => p.patient.source.id.includes('RichardSmith'));
  assert.equal(richard?.patient.nhsNumber, '9912003888');
  const baby = result.patients.find((p) => p.patient.source.id.includes('BabyPatient'));
  assert.equal(baby?.patient.nhsNumber, null); // 9912003890 fails modulus 11
  assert.equal(baby.problems[0]?.field, 'Patient.identifier');
  const { kinds, problems } = tally([result]);
  assert.deepEqual(kinds, {
    immunisation: 13,
    allergy: 4,
    value: 20,
    result: 4,
    document: 2,
    consultation: 1,
    medication: 9,
    procedure: 1,
    referral: 5,
  });
  assert.equal(result.skipped['AllergyIntolerance (entered-in-error)'], 1);
  const unknownSubject = result.problems.filter((p) => p.message.includes('is not a Patient in this import'));
  assert.equal(unknownSubject.length, 10);
  assert.ok(unknownSubject.some((p) => p.message.includes('urn:uuid:')));
  assert.equal(problems.length, 65 + richard.problems.length + baby.problems.length);
  assert.ok(richard.entries.some((e) => e.coding.some((c) => c.system === 'https://dmd.nhs.uk')));
});

test('HAZ-02 typed text in coded places goes with the entry’s text: a consultation type, a vaccination site, a reaction', () => {
  const consultation = only({
    resourceType: 'Encounter',
    id: 'e9',
    subject,
    status: 'finished',
    period: { start: '2020-02-02T10:00:00Z' },
    type: [{ text: 'Home visit — daughter present, asked us not to tell her dad' }],
  });
  assert.ok(consultation.details.kind === 'consultation');
  assert.equal(consultation.details.consultationType, null);
  assert.equal(consultation.text, 'Type: Home visit — daughter present, asked us not to tell her dad');
  const vaccine = only({
    resourceType: 'Immunization',
    id: 'i9',
    patient: subject,
    status: 'completed',
    vaccineCode: snomed('39114911000001105', 'Vaccine'),
    occurrenceDateTime: '2021-01-01T10:00:00Z',
    site: { text: 'left arm, mother held him' },
  });
  assert.ok(vaccine.details.kind === 'immunisation');
  assert.equal(vaccine.details.site, null);
  assert.equal(vaccine.text, 'Site: left arm, mother held him');
  const coded = only({
    resourceType: 'Immunization',
    id: 'i10',
    patient: subject,
    status: 'completed',
    vaccineCode: snomed('39114911000001105', 'Vaccine'),
    occurrenceDateTime: '2021-01-01T10:00:00Z',
    site: {
      coding: [{ system: 'http://snomed.info/sct', code: '368208006', display: 'Left upper arm' }],
      text: 'typed',
    },
  });
  assert.equal(coded.details.kind === 'immunisation' ? coded.details.site : undefined, 'Left upper arm');
  const allergy = only({
    resourceType: 'AllergyIntolerance',
    id: 'a9',
    patient: subject,
    code: snomed('372687004', 'Amoxicillin'),
    recordedDate: '2019-12-10T13:00:00+00:00',
    reaction: [
      {
        manifestation: [
          {
            coding: [{ system: 'http://snomed.info/sct', code: '271807003' }],
            text: 'rash after her partner hit her',
          },
        ],
      },
    ],
  });
  assert.ok(allergy.details.kind === 'allergy');
  assert.deepEqual(allergy.details.reactions, []);
  assert.equal(allergy.text, 'Reaction: rash after her partner hit her');
});
