import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DMD, SNOMED } from '../../model.ts';
import { toFhirBundle } from './bundle.ts';
import {
  byId,
  CONSULTATION,
  detailedRecord,
  entry,
  fullRecord,
  NOW,
  patient,
  uuid,
} from './test-fixtures.ts';

// --- One resource per entry --------------------------------------------------------------------

test('problem → Condition (status, problem-list-item, code, onset, recordedDate, note, encounter)', () => {
  const bundle = toFhirBundle(patient, fullRecord(), NOW);
  assert.deepEqual(byId(bundle, 2), {
    resourceType: 'Condition',
    id: uuid(2),
    meta: { profile: ['https://fhir.hl7.org.uk/StructureDefinition/UKCore-Condition'] },
    clinicalStatus: {
      coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: 'active' }],
    },
    category: [
      {
        coding: [
          {
            system: 'http://terminology.hl7.org/CodeSystem/condition-category',
            code: 'problem-list-item',
            display: 'Problem List Item',
          },
        ],
      },
    ],
    code: { coding: [{ system: SNOMED, code: '100002', display: 'Hypertension' }], text: 'Hypertension' },
    subject: { reference: `urn:uuid:${patient.id}` },
    encounter: { reference: `urn:uuid:${CONSULTATION}` },
    onsetDateTime: '2019-05',
    recordedDate: '2024-01-10T09:30:00.000Z',
    note: [{ text: 'Home readings high' }],
  });
  const past = byId(bundle, 3);
  assert.deepEqual(past.clinicalStatus, {
    coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: 'inactive' }],
  });
  assert.equal(past.abatementDateTime, '2010-06-01');
  assert.equal('note' in past, false);
  assert.equal('encounter' in past, false);
});

test('medication → MedicationRequest (status, intent, course of therapy, dosage, quantity, repeats)', () => {
  const bundle = toFhirBundle(patient, fullRecord(), NOW);
  const repeat = byId(bundle, 4);
  assert.equal(repeat.resourceType, 'MedicationRequest');
  assert.equal(repeat.status, 'active');
  assert.equal(repeat.intent, 'order');
  assert.deepEqual(repeat.courseOfTherapyType, {
    coding: [
      {
        system: 'http://terminology.hl7.org/CodeSystem/medicationrequest-course-of-therapy',
        code: 'continuous',
        display: 'Continuous long term therapy',
      },
    ],
  });
  assert.deepEqual(repeat.medicationCodeableConcept, {
    coding: [{ system: DMD, code: '39732411000001106', display: 'Ramipril 5mg capsules' }],
    text: 'Ramipril 5mg capsules',
  });
  assert.deepEqual(repeat.dosageInstruction, [{ text: 'One a day' }]);
  assert.deepEqual(repeat.dispenseRequest, {
    numberOfRepeatsAllowed: 6,
    quantity: { value: 28, unit: 'capsule' },
  });
  assert.equal(repeat.authoredOn, '2024-01-10');
  assert.deepEqual(repeat.extension, [
    {
      url: 'https://fhir.hl7.org.uk/StructureDefinition/Extension-UKCore-MedicationRepeatInformation',
      extension: [
        { url: 'numberOfPrescriptionsIssued', valueUnsignedInt: 2 },
        { url: 'authorisationExpiryDate', valueDateTime: '2025-01-10' },
      ],
    },
  ]);
  const acute = byId(bundle, 5);
  assert.equal(acute.status, 'completed');
  assert.equal((acute.courseOfTherapyType as { coding: { code: string }[] }).coding[0]?.code, 'acute');
  for (const absent of ['dosageInstruction', 'dispenseRequest', 'extension', 'note']) {
    assert.equal(absent in acute, false, absent);
  }
});

test('allergy → AllergyIntolerance; immunisation → Immunization', () => {
  const bundle = toFhirBundle(patient, fullRecord(), NOW);
  const allergy = byId(bundle, 6);
  assert.equal(allergy.resourceType, 'AllergyIntolerance');
  assert.deepEqual(allergy.clinicalStatus, {
    coding: [{ system: 'http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical', code: 'active' }],
  });
  assert.equal(allergy.type, 'allergy');
  assert.deepEqual(allergy.category, ['medication']);
  assert.equal(allergy.criticality, 'high');
  assert.deepEqual(allergy.patient, { reference: `urn:uuid:${patient.id}` });
  assert.deepEqual(allergy.reaction, [{ manifestation: [{ text: 'Urticarial rash' }, { text: 'Wheeze' }] }]);
  assert.equal(allergy.recordedDate, '2024-01-10T09:30:00.000Z');

  const vaccine = byId(bundle, 7);
  assert.equal(vaccine.resourceType, 'Immunization');
  assert.equal(vaccine.status, 'completed');
  assert.equal(vaccine.occurrenceDateTime, '2024-01-10');
  assert.equal(vaccine.recorded, '2024-01-10T09:30:00.000Z');
  assert.deepEqual(vaccine.site, { text: 'Left upper arm' });
  assert.deepEqual(vaccine.protocolApplied, [{ doseNumberPositiveInt: 2 }]);

  const [notDone] = toFhirBundle(
    patient,
    [
      entry(
        7,
        'immunisation',
        'Flu',
        { kind: 'immunisation', doseNumber: 'booster', site: null, status: 'not-done' },
        { clinicalDate: null },
      ),
    ],
    NOW,
  ).entry.slice(2);
  const r = notDone?.resource as unknown as Record<string, unknown>;
  assert.equal(r.status, 'not-done');
  assert.equal(r.occurrenceString, 'unknown');
  assert.equal('occurrenceDateTime' in r, false);
  assert.deepEqual(r.protocolApplied, [{ doseNumberString: 'booster' }]);
});

test('result → laboratory Observation; value → vital-signs or exam Observation with components', () => {
  const bundle = toFhirBundle(patient, fullRecord(), NOW);
  const lab = byId(bundle, 8);
  assert.equal(lab.resourceType, 'Observation');
  assert.equal(lab.status, 'final');
  assert.deepEqual(lab.category, [
    {
      coding: [
        {
          system: 'http://terminology.hl7.org/CodeSystem/observation-category',
          code: 'laboratory',
          display: 'Laboratory',
        },
      ],
    },
  ]);
  assert.deepEqual(lab.valueQuantity, { value: 47, unit: 'g/L' });
  assert.deepEqual(lab.referenceRange, [
    { low: { value: 35, unit: 'g/L' }, high: { value: 50, unit: 'g/L' } },
  ]);
  assert.deepEqual(lab.interpretation, [
    { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation', code: 'N' }] },
  ]);
  assert.equal(lab.effectiveDateTime, '2024-01-10');
  assert.equal(lab.issued, '2024-01-10T09:30:00.000Z');
  // Its consultation is not exported: no encounter reference, and the report id is not leaked.
  assert.equal('encounter' in lab, false);
  assert.doesNotMatch(JSON.stringify(bundle), /secret-report/);

  const bp = byId(bundle, 9);
  assert.equal((bp.category as { coding: { code: string }[] }[])[0]?.coding[0]?.code, 'vital-signs');
  assert.equal('valueQuantity' in bp, false);
  assert.deepEqual(bp.component, [
    {
      code: { text: 'Systolic blood pressure' },
      valueQuantity: { value: 142, unit: 'mm[Hg]' },
      interpretation: [
        {
          coding: [
            { system: 'http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation', code: 'H' },
          ],
        },
      ],
    },
    { code: { text: 'Diastolic blood pressure' }, valueQuantity: { value: 94, unit: 'mm[Hg]' } },
  ]);
  const smoking = byId(bundle, 10);
  assert.equal((smoking.category as { coding: { code: string }[] }[])[0]?.coding[0]?.code, 'exam');
  assert.equal(smoking.valueString, 'Never smoked');
});

test('procedure → Procedure; referral → ServiceRequest', () => {
  const bundle = toFhirBundle(patient, fullRecord(), NOW);
  const procedure = byId(bundle, 11);
  assert.equal(procedure.resourceType, 'Procedure');
  assert.equal(procedure.status, 'completed');
  assert.equal(procedure.performedDateTime, '2024-01-10');
  assert.deepEqual(procedure.performer, [{ actor: { display: 'Dr Jane Jones' } }]);

  const referral = byId(bundle, 12);
  assert.equal(referral.resourceType, 'ServiceRequest');
  assert.equal(referral.status, 'active');
  assert.equal(referral.intent, 'order');
  assert.equal(referral.priority, 'routine');
  assert.deepEqual(referral.category, [
    { coding: [{ system: SNOMED, code: '3457005', display: 'Patient referral' }] },
  ]);
  assert.deepEqual(referral.performer, [{ display: 'Leeds Dermatology' }]);
  assert.equal(referral.authoredOn, '2024-01-10');
  assert.deepEqual(referral.encounter, { reference: `urn:uuid:${CONSULTATION}` });

  const unknown = toFhirBundle(
    patient,
    [entry(11, 'procedure', 'X', { kind: 'procedure', status: 'weird', performer: null })],
    NOW,
  ).entry[2]?.resource as unknown as Record<string, unknown>;
  assert.equal(unknown.status, 'unknown');
  assert.equal('performer' in unknown, false);
});

test('consultation → Encounter (finished, AMB, period, participant, narrative text)', () => {
  const bundle = toFhirBundle(patient, fullRecord(), NOW);
  assert.deepEqual(byId(bundle, 1), {
    resourceType: 'Encounter',
    id: CONSULTATION,
    meta: { profile: ['https://fhir.hl7.org.uk/StructureDefinition/UKCore-Encounter'] },
    text: {
      status: 'additional',
      div: '<div xmlns="http://www.w3.org/1999/xhtml">Came in with &lt;cough&gt; &amp; cold.<br/>Advised rest.</div>',
    },
    status: 'finished',
    class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'AMB' },
    type: [
      { coding: [{ system: SNOMED, code: '100001', display: 'Surgery consultation' }], text: 'Face to face' },
    ],
    subject: { reference: `urn:uuid:${patient.id}` },
    participant: [{ individual: { display: 'Dr Jane Jones' } }],
    period: { start: '2024-01-10' },
    location: [{ location: { display: 'Main surgery' } }],
  });
});

test('document → DocumentReference: text/plain base64 content at full access, title only without it', () => {
  const full = byId(toFhirBundle(patient, fullRecord(), NOW), 13);
  assert.equal(full.resourceType, 'DocumentReference');
  assert.equal(full.status, 'current');
  assert.equal(full.description, 'Letter from dermatology');
  assert.equal(full.date, '2024-02-01T10:00:00Z');
  assert.deepEqual(full.type, { text: 'Clinical letter' });
  assert.deepEqual(full.author, [{ display: 'Dr Skin' }]);
  assert.deepEqual(full.content, [
    {
      attachment: {
        contentType: 'text/plain',
        data: Buffer.from('Dear Dr Jones, seen today — benign.', 'utf8').toString('base64'),
        title: 'Letter from dermatology',
        creation: '2024-02-01T10:00:00Z',
      },
    },
  ]);
  const detailed = byId(toFhirBundle(patient, detailedRecord(), NOW), 13);
  assert.deepEqual(detailed.content, [{ attachment: { title: 'Letter from dermatology' } }]);
});

test('administrative → Condition without a problem-list category (re-imports as administrative)', () => {
  const admin = byId(toFhirBundle(patient, fullRecord(), NOW), 14);
  assert.equal(admin.resourceType, 'Condition');
  assert.equal('category' in admin, false);
  assert.equal('clinicalStatus' in admin, false);
  assert.deepEqual((admin.code as { coding: unknown[] }).coding, [
    {
      system: SNOMED,
      code: '1364751000000106',
      display: 'Enhanced review not indicated before granting access to own health record',
    },
  ]);
});
