import assert from 'node:assert/strict';
import test from 'node:test';
import type { OfferedService } from '../../platform/db/schema.ts';
import { platformChanges, platformStates, type PracticeSettings } from './rules.ts';

const practice = (more: Partial<PracticeSettings> = {}): PracticeSettings => ({
  practiceOds: 'P81082',
  bookableSlotTypes: 0,
  onlineOrdering: true,
  levels: { summary: false, detailed: false, full: false },
  ...more,
});
const offered = (s: PracticeSettings) =>
  Object.fromEntries(platformStates(s).map((st) => [st.service, st.offered]));

test('a practice with no bookable slot type, its repeats switch on and no patient granted the record', () => {
  assert.deepEqual(offered(practice()), {
    appointments: false,
    prescriptions: true,
    'summary-record': false,
    'detailed-coded-record': false,
    'full-record': false,
  });
});

test('one slot type bookable online is booking offered; the repeats switch off is repeats not offered', () => {
  const o = offered(practice({ bookableSlotTypes: 1, onlineOrdering: false }));
  assert.equal(o.appointments, true);
  assert.equal(o.prescriptions, false);
});

test('a record level counts for every narrower level: full includes detailed and summary, summary only itself', () => {
  assert.deepEqual(offered(practice({ levels: { summary: false, detailed: false, full: true } })), {
    ...offered(practice()),
    'summary-record': true,
    'detailed-coded-record': true,
    'full-record': true,
  });
  const summaryOnly = offered(practice({ levels: { summary: true, detailed: false, full: false } }));
  assert.equal(summaryOnly['summary-record'], true);
  assert.equal(summaryOnly['detailed-coded-record'], false);
  assert.equal(summaryOnly['full-record'], false);
  const detailed = platformStates(practice({ levels: { summary: false, detailed: true, full: true } }));
  assert.deepEqual(
    detailed.filter((s) => s.service.endsWith('record')).map((s) => s.detail),
    [
      { levelsGranted: ['detailed', 'full'] },
      { levelsGranted: ['detailed', 'full'] },
      { levelsGranted: ['full'] },
    ],
  );
});

test('the first look at a practice records every service; a second with nothing changed records none', () => {
  const s = practice({ bookableSlotTypes: 2 });
  const first = platformChanges(s, new Map(), '2026-12-03', 'because');
  assert.equal(first.length, 5);
  assert.ok(first.every((c) => c.effectiveOn === '2026-12-03' && c.note === 'because'));
  const latest = new Map<OfferedService, boolean>(first.map((c) => [c.service, c.offered]));
  assert.deepEqual(platformChanges(s, latest, '2026-12-04', 'because'), []);
});

test('a level lowered and one raised: only the services whose state changed are written', () => {
  const latest = new Map<OfferedService, boolean>([
    ['appointments', true],
    ['prescriptions', true],
    ['summary-record', true],
    ['detailed-coded-record', true],
    ['full-record', false],
  ]);
  // The last detailed patient lowered to summary; nobody has full.
  const lowered = platformChanges(
    practice({ bookableSlotTypes: 1, levels: { summary: true, detailed: false, full: false } }),
    latest,
    '2026-12-03',
    'x',
  );
  assert.deepEqual(
    lowered.map((c) => [c.service, c.offered]),
    [['detailed-coded-record', false]],
  );
  // One patient raised to full: full is now offered, the rest unchanged.
  const raised = platformChanges(
    practice({ bookableSlotTypes: 1, levels: { summary: true, detailed: true, full: true } }),
    latest,
    '2026-12-03',
    'x',
  );
  assert.deepEqual(
    raised.map((c) => [c.service, c.offered]),
    [['full-record', true]],
  );
});

test('the last bookable slot type retired is booking switched off', () => {
  const latest = new Map<OfferedService, boolean>([['appointments', true]]);
  const changes = platformChanges(practice(), latest, '2026-12-03', 'x');
  assert.deepEqual(
    changes.find((c) => c.service === 'appointments'),
    {
      practiceOds: 'P81082',
      service: 'appointments',
      offered: false,
      effectiveOn: '2026-12-03',
      note: 'x',
      detail: { bookableSlotTypes: 0 },
    },
  );
});
