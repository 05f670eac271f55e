import assert from 'node:assert/strict';
import { test } from 'node:test';
import { only, snomed, subject } from './test-fixtures.ts';

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
