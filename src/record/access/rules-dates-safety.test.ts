// Clinical-safety boundaries of the one access rule (issue #8; docs/clinical-safety/hazard-log.md): start dates and historic access.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { access, entry, ids, medication, only } from './safety-fixtures.ts';

// --- A new level starts a new prospective date --------------------------------------------------

test('HAZ-04 raised level: coded entries from before detailed access began stay hidden; medicines shown before stay shown', () => {
  // Summary since 2024, detailed since 10 June 2025, full since 1 December 2026.
  const a = access({ prospectiveFrom: '2024-03-01', detailedFrom: '2025-06-10', fullFrom: '2026-12-01' });
  const pastMed = entry({
    kind: 'medication',
    recordedAt: '2024-05-01T09:00:00Z',
    details: medication('past'),
  });
  const beforeDetailed = entry({ kind: 'procedure', recordedAt: '2025-06-09T22:59:59Z' }); // 23:59:59 BST on the 9th
  const onDetailedDay = entry({ kind: 'procedure', recordedAt: '2025-06-09T23:30:00Z' }); // 00:30 BST on the 10th
  const letterBefore = entry({ kind: 'document', recordedAt: '2026-11-30T23:59:59Z' });
  const letterOnDay = entry({ kind: 'document', recordedAt: '2026-12-01T00:00:00Z' });
  assert.deepEqual(ids([pastMed, beforeDetailed, onDetailedDay, letterBefore, letterOnDay], a), [
    pastMed.id,
    onDetailedDay.id,
    letterOnDay.id,
  ]);
  // Free text written before full access began is not shown with the coded entry.
  assert.equal(only(onDetailedDay, a)?.text, null);
  assert.equal(only(letterOnDay, a)?.text, letterOnDay.text);
  // Historic access (after a review) opens every date.
  assert.equal(only(beforeDetailed, { ...a, historicAccess: true })?.text, beforeDetailed.text);
});

test('HAZ-07 the start day opens at England’s midnight: 00:30 in summer time is in, 23:59 the day before is out', () => {
  const a = access({
    level: 'detailed',
    prospectiveFrom: '2026-07-16',
    detailedFrom: '2026-07-16',
    fullFrom: null,
  });
  const at0030 = entry({ kind: 'procedure', recordedAt: '2026-07-15T23:30:00Z' });
  const at2359 = entry({ kind: 'procedure', recordedAt: '2026-07-15T22:59:00Z' });
  const nextDay = entry({ kind: 'procedure', recordedAt: '2026-07-17T09:00:00Z' });
  assert.deepEqual(ids([at0030, at2359, nextDay], a), [at0030.id, nextDay.id]);
  const leap = access({
    level: 'detailed',
    prospectiveFrom: '2028-02-29',
    detailedFrom: '2028-02-29',
    fullFrom: null,
  });
  const feb28 = entry({ kind: 'procedure', recordedAt: '2028-02-28T23:59:59Z' });
  const feb29 = entry({ kind: 'procedure', recordedAt: '2028-02-29T00:00:00Z' });
  const mar1 = entry({ kind: 'procedure', recordedAt: '2028-03-01T00:00:00Z' });
  assert.deepEqual(ids([feb28, feb29, mar1], leap), [feb29.id, mar1.id]);
});

// --- Historic access: the levels it was granted at, the entries the review saw ------------------

test('HAZ-06 historic access granted at summary opens no older coded entries or notes when the level is raised', () => {
  const old = entry({
    kind: 'consultation',
    recordedAt: '2020-03-01T09:00:00Z',
    importedAt: '2020-03-01T09:00:00Z',
  });
  const oldPastMed = entry({
    kind: 'medication',
    recordedAt: '2020-03-01T09:00:00Z',
    importedAt: '2020-03-01T09:00:00Z',
    details: medication('past'),
  });
  const raised = access({
    prospectiveFrom: '2024-01-01',
    detailedFrom: '2026-12-01',
    fullFrom: '2026-12-01',
    historicAccess: true,
    historicLevel: 'summary',
  });
  assert.deepEqual(ids([old, oldPastMed], raised), [oldPastMed.id], 'older medicines only, as granted');
  assert.equal(only(oldPastMed, raised)?.text, null, 'and without notes: free text was not granted');
  assert.deepEqual(ids([old], { ...raised, historicLevel: 'full' }), [old.id]);
});

test('HAZ-06 historic access opens only what had arrived by the whole-record review', () => {
  const seen = entry({
    kind: 'procedure',
    recordedAt: '2015-01-01T09:00:00Z',
    importedAt: '2026-05-01T09:00:00Z',
  });
  const later = entry({
    kind: 'procedure',
    recordedAt: '2015-01-01T09:00:00Z',
    importedAt: '2026-06-03T09:00:00Z',
  });
  const a = access({ historicAccess: true, reviewedAt: '2026-06-02T00:00:00Z' });
  assert.deepEqual(ids([seen, later], a), [seen.id]);
  assert.deepEqual(ids([seen, later], { ...a, reviewedAt: null }), [], 'no review, no older records');
  // Entries recorded after the start date need no review.
  const recent = entry({
    kind: 'procedure',
    recordedAt: '2026-07-01T09:00:00Z',
    importedAt: '2026-07-01T09:00:00Z',
  });
  assert.deepEqual(ids([recent], a), [recent.id]);
});
