import assert from 'node:assert/strict';
import { test } from 'node:test';
import { only, snomed, subject } from './test-fixtures.ts';

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
