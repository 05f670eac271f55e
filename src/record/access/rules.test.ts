import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RecordAccess, RecordEntry } from '../model.ts';
import { accessPlan, inDateWindow, visibleRecord } from './rules.ts';
import { access } from './safety-fixtures.ts';

let n = 0;
function entry(over: Partial<RecordEntry> & Pick<RecordEntry, 'kind'>): RecordEntry {
  n++;
  const details: RecordEntry['details'] =
    over.kind === 'medication'
      ? {
          kind: 'medication',
          prescriptionType: 'repeat',
          status: 'current',
          dosage: null,
          quantity: null,
          quantityUnit: null,
          issuesAuthorised: null,
          issuesDone: null,
          reviewDate: null,
          lastIssued: null,
        }
      : over.kind === 'allergy'
        ? { kind: 'allergy', category: null, type: null, criticality: null, reactions: [], active: true }
        : over.kind === 'consultation'
          ? { kind: 'consultation', clinician: 'Dr A', location: null, consultationType: null }
          : over.kind === 'document'
            ? {
                kind: 'document',
                author: null,
                contentType: 'text/plain',
                content: 'letter body',
                documentType: null,
              }
            : { kind: 'procedure', status: null, performer: null };
  return {
    id: `e${String(n)}`,
    patientId: 'p',
    practiceOds: 'P81082',
    source: null,
    clinicalDate: '2026-06-01',
    recordedAt: '2026-06-01T10:00:00Z',
    coding: [{ system: 'http://snomed.info/sct', code: String(100000 + n), display: `entry ${String(n)}` }],
    title: `entry ${String(n)}`,
    text: 'free text',
    consultationId: null,
    draft: false,
    unfiled: false,
    unreviewed: false,
    visibleOnline: true,
    importedAt: '2026-06-01T10:00:00Z',
    details,
    ...over,
  };
}

test('levels: summary shows medicines and allergies only; detailed adds coded headings; full adds documents and free text', () => {
  const all = [
    entry({ kind: 'medication' }),
    entry({ kind: 'allergy' }),
    entry({ kind: 'procedure' }),
    entry({ kind: 'document' }),
  ];
  assert.deepEqual(
    visibleRecord(all, access({ level: 'summary' })).map((e) => e.kind),
    ['medication', 'allergy'],
  );
  const detailed = visibleRecord(all, access({ level: 'detailed' }));
  assert.deepEqual(
    detailed.map((e) => e.kind),
    ['medication', 'allergy', 'procedure'],
  );
  assert.ok(
    detailed.every((e) => e.text === null),
    'no free text below full',
  );
  const full = visibleRecord(all, access({ level: 'full' }));
  assert.deepEqual(
    full.map((e) => e.kind),
    ['medication', 'allergy', 'procedure', 'document'],
  );
  assert.equal(full[0]?.text, 'free text');
  assert.deepEqual(visibleRecord(all, access({ level: 'none' })), []);
});

test('prospective access from a date; historic access shows earlier entries; summary information whatever its date', () => {
  const old = entry({ kind: 'procedure', recordedAt: '2020-05-01T09:00:00Z' });
  const onTheDay = entry({ kind: 'procedure', recordedAt: '2026-01-01T00:00:00Z' });
  const oldCurrentMed = entry({ kind: 'medication', recordedAt: '2015-01-01T09:00:00Z' });
  const oldPastMed = entry({
    kind: 'medication',
    recordedAt: '2015-01-01T09:00:00Z',
    details: {
      kind: 'medication',
      prescriptionType: 'acute',
      status: 'past',
      dosage: null,
      quantity: null,
      quantityUnit: null,
      issuesAuthorised: null,
      issuesDone: null,
      reviewDate: null,
      lastIssued: null,
    },
  });
  const oldAllergy = entry({ kind: 'allergy', recordedAt: '2001-01-01T09:00:00Z' });
  const ids = (a: RecordAccess) =>
    visibleRecord([old, onTheDay, oldCurrentMed, oldPastMed, oldAllergy], a).map((e) => e.id);
  assert.deepEqual(ids(access()), [onTheDay.id, oldCurrentMed.id, oldAllergy.id]);
  assert.deepEqual(ids(access({ historicAccess: true })), [
    old.id,
    onTheDay.id,
    oldCurrentMed.id,
    oldPastMed.id,
    oldAllergy.id,
  ]);
  assert.equal(inDateWindow('2025-12-31T23:59:59Z', '2026-01-01', false), false);
});

test('HAZ-11 never shown: drafts, unfiled results, unreviewed documents, hidden entries, and anything while withheld', () => {
  const hidden = [
    entry({ kind: 'consultation', draft: true }),
    entry({ kind: 'procedure', unfiled: true }),
    entry({ kind: 'document', unreviewed: true }),
    entry({ kind: 'procedure', visibleOnline: false }),
    entry({ kind: 'medication', visibleOnline: false }),
  ];
  assert.deepEqual(visibleRecord(hidden, access({ historicAccess: true })), []);
  assert.deepEqual(visibleRecord([entry({ kind: 'medication' })], access({ withheld: true })), []);
  assert.equal(accessPlan(access({ withheld: true })).none, true);
});

test('entries made in a hidden consultation are hidden with it; summary information stays but no longer points at it', () => {
  const consultation = entry({ kind: 'consultation', visibleOnline: false });
  const coded = entry({ kind: 'procedure', consultationId: consultation.id });
  const med = entry({ kind: 'medication', consultationId: consultation.id });
  const out = visibleRecord([consultation, coded, med], access());
  assert.deepEqual(
    out.map((e) => e.id),
    [med.id],
  );
  assert.equal(out[0]?.consultationId, null);
  const shown = entry({ kind: 'consultation' });
  const inShown = entry({ kind: 'procedure', consultationId: shown.id });
  assert.equal(visibleRecord([shown, inShown], access())[1]?.consultationId, shown.id);
});

test('document content only at full access', () => {
  const doc = entry({ kind: 'document' });
  const full = visibleRecord([doc], access())[0];
  assert.equal(full?.details.kind === 'document' ? full.details.content : undefined, 'letter body');
});
