import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseBundle } from './parse.ts';
import { only, parse, patient, subject } from './test-fixtures.ts';

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
