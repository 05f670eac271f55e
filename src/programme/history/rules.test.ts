import assert from 'node:assert/strict';
import test from 'node:test';
import type { OfferedService, OfferingSource } from '../../platform/db/schema.ts';
import { childHistoryTotals, historyMonths, historyTotals, offeredOn, type OfferingEntry } from './rules.ts';

function entry(
  practiceOds: string,
  service: OfferedService,
  offered: boolean,
  effectiveOn: string,
  more: { source?: OfferingSource; recordedAt?: string; child?: string | null; until?: string } = {},
): OfferingEntry {
  return {
    practiceOds,
    child: more.child ?? null,
    service,
    offered,
    effectiveOn,
    source: more.source ?? 'manual',
    recordedAt: new Date(more.recordedAt ?? '2013-05-01T09:00:00Z'),
    platformUntil: more.until ?? null,
  };
}

test('a change counts from its own day: the day before says nothing, the day after still has it', () => {
  const e = [entry('P81001', 'appointments', true, '2012-07-31')];
  assert.equal(offeredOn(e, '2012-07-30'), null);
  assert.equal(offeredOn(e, '2012-07-31'), true);
  assert.equal(offeredOn(e, '2012-08-01'), true);
});

test('the latest change on or before the day decides: switched on, then off again', () => {
  const e = [
    entry('P81001', 'prescriptions', true, '2012-08-10'),
    entry('P81001', 'prescriptions', false, '2012-11-02'),
  ];
  assert.equal(offeredOn(e, '2012-11-01'), true);
  assert.equal(offeredOn(e, '2012-11-02'), false);
});

test('on the same day a facilitator outranks the platform, which outranks POMI; then the later entry', () => {
  const day = '2018-04-30';
  const pomi = entry('P81001', 'appointments', false, day, { source: 'pomi' });
  const platform = entry('P81001', 'appointments', true, day, { source: 'platform' });
  const manual = entry('P81001', 'appointments', false, day, { source: 'manual' });
  assert.equal(offeredOn([pomi, platform], day), true);
  assert.equal(offeredOn([platform, manual, pomi], day), false);
  const later = entry('P81001', 'appointments', true, day, { recordedAt: '2018-05-02T10:00:00Z' });
  assert.equal(offeredOn([later, manual], day), true);
  // A later day beats any source.
  assert.equal(
    offeredOn(
      [manual, entry('P81001', 'appointments', true, '2018-05-01', { source: 'pomi' })],
      '2018-05-31',
    ),
    true,
  );
});

test('the months: own changes and the months between, across a year end, leaving POMI months out', () => {
  const e = [
    entry('P81001', 'appointments', true, '2012-11-15'),
    entry('P81002', 'appointments', true, '2013-02-01'),
    entry('P81003', 'appointments', true, '2019-03-31', { source: 'pomi' }),
  ];
  assert.deepEqual(historyMonths(e, new Set(), '2026-12'), ['2012-11', '2012-12', '2013-01', '2013-02']);
  assert.deepEqual(historyMonths(e, new Set(['2012-12']), '2026-12'), ['2012-11', '2013-01', '2013-02']);
  assert.deepEqual(
    historyMonths(
      [entry('P81003', 'appointments', true, '2019-03-31', { source: 'pomi' })],
      new Set(),
      '2026-12',
    ),
    [],
  );
  // An entry years later is its own month, not every month since.
  const apart = [
    entry('P81001', 'appointments', true, '2012-07-01'),
    entry('P81001', 'appointments', false, '2026-12-01'),
  ];
  assert.deepEqual(historyMonths(apart, new Set(), '2026-12'), ['2012-07', '2026-12']);
  // Four months apart is two runs; three apart is one.
  const gap = [
    entry('P81001', 'appointments', true, '2013-01-05'),
    entry('P81002', 'appointments', true, '2013-05-05'),
  ];
  assert.deepEqual(historyMonths(gap, new Set(), '2026-12'), ['2013-01', '2013-05']);
});

test('a month ends on its last day: 29 February 2016 is in February, 1 March is not', () => {
  const e = [
    entry('P81001', 'appointments', true, '2016-02-29'),
    entry('P81002', 'appointments', true, '2016-03-01'),
  ];
  const feb = historyTotals(e, '2016-02');
  assert.equal(feb.practices, 1);
  assert.equal(feb.services.appointments.practicesOffering, 1);
  assert.equal(historyTotals(e, '2016-03').services.appointments.practicesOffering, 2);
});

test('a practice counts from its first change in the run; a share is over practices with a state for that service', () => {
  const e = [
    entry('P81001', 'appointments', true, '2012-07-01'),
    entry('P81001', 'prescriptions', false, '2012-07-01'),
    entry('P81002', 'prescriptions', true, '2012-07-01'),
    entry('P81002', 'detailed-coded-record', true, '2012-09-03'),
    entry('P81003', 'appointments', false, '2012-10-01'),
  ];
  const july = historyTotals(e, '2012-07');
  assert.equal(july.basis, 'history');
  assert.equal(july.practices, 2);
  assert.deepEqual(
    [july.services.appointments.practicesOffering, july.services.appointments.practicesReporting],
    [1, 1],
  );
  assert.deepEqual(
    [july.services.prescriptions.practicesOffering, july.services.prescriptions.practicesReporting],
    [1, 2],
  );
  assert.equal(july.services.detailedCodedRecord.practicesReporting, 0);
  const october = historyTotals(e, '2012-10');
  assert.equal(october.practices, 3);
  assert.equal(october.services.detailedCodedRecord.practicesOffering, 1);
  assert.deepEqual(
    [october.services.appointments.practicesOffering, october.services.appointments.practicesReporting],
    [1, 2],
  );
  // Histories know nothing of lists, patients or use: never 0, always "not recorded".
  assert.equal(october.listSize, null);
  assert.equal(october.services.appointments.patientsEnabled, null);
  assert.equal(october.services.appointments.transactions, null);
});

test('services other than the three followed (summary, full record) do not count towards them', () => {
  const e = [
    entry('P81001', 'full-record', true, '2012-07-01'),
    entry('P81001', 'summary-record', true, '2012-07-01'),
  ];
  const t = historyTotals(e, '2012-07');
  assert.equal(t.practices, 1);
  assert.equal(t.services.detailedCodedRecord.practicesReporting, 0);
});

test('one level down: by the area that holds each practice, practices with none left out', () => {
  const e = [
    entry('P81001', 'appointments', true, '2012-07-01', { child: '00X' }),
    entry('P81002', 'appointments', false, '2012-07-01', { child: '00X' }),
    entry('P81003', 'appointments', true, '2012-07-01', { child: '00R' }),
    entry('P81004', 'appointments', true, '2012-07-01'),
    entry('P81005', 'appointments', true, '2012-08-01', { child: '02M' }),
  ];
  const rows = childHistoryTotals(e, '2012-07');
  assert.deepEqual(
    rows.map((r) => [r.code, r.totals.practices, r.totals.services.appointments.practicesOffering]),
    [
      ['00R', 1, 1],
      ['00X', 2, 1],
    ],
  );
});

test('a facilitator’s 2013 survey says nothing of 2026: a month of its own counts only that month’s practices', () => {
  const e = [
    entry('P81001', 'appointments', true, '2012-07-01'),
    entry('P81002', 'appointments', true, '2012-10-01'),
    entry('P81003', 'appointments', false, '2026-12-01'),
  ];
  // July to October is one run (three months apart): July's practice still counts in October.
  assert.equal(historyTotals(e, '2012-10').practices, 2);
  const later = historyTotals(e, '2026-12');
  assert.equal(later.practices, 1);
  assert.deepEqual(
    [later.services.appointments.practicesOffering, later.services.appointments.practicesReporting],
    [0, 1],
  );
});

test('a practice on GP Online is known every month from its first platform entry to this month', () => {
  const e = [
    entry('P81001', 'appointments', true, '2012-07-01'),
    entry('P81082', 'appointments', true, '2026-09-30', { source: 'platform' }),
    entry('P81082', 'prescriptions', false, '2026-11-01', { source: 'platform' }),
  ];
  assert.deepEqual(historyMonths(e, new Set(), '2026-12'), [
    '2012-07',
    '2026-09',
    '2026-10',
    '2026-11',
    '2026-12',
  ]);
  assert.deepEqual(historyMonths(e, new Set(['2026-10']), '2026-12'), [
    '2012-07',
    '2026-09',
    '2026-11',
    '2026-12',
  ]);
  // The 2012 practice is not carried into 2026; the platform practice is, with no entry since September.
  const october = historyTotals(e, '2026-10');
  assert.equal(october.practices, 1);
  assert.equal(october.services.appointments.practicesOffering, 1);
  assert.equal(october.services.prescriptions.practicesReporting, 0);
  const november = historyTotals(e, '2026-11');
  assert.deepEqual(
    [november.services.prescriptions.practicesOffering, november.services.prescriptions.practicesReporting],
    [0, 1],
  );
  // Its first entry on 30 September counts in September, not August.
  assert.equal(historyTotals(e, '2026-08').practices, 0);
  assert.equal(historyTotals(e, '2026-09').practices, 1);
});

test('one level down uses the whole area’s runs: a CCG with one late entry does not restart the count', () => {
  // 00X alone: July and November are two runs; with 00R's September entry the area has one.
  const e = [
    entry('P81001', 'appointments', true, '2012-07-01', { child: '00X' }),
    entry('P81002', 'appointments', true, '2012-09-01', { child: '00R' }),
    entry('P81003', 'appointments', true, '2012-11-01', { child: '00X' }),
  ];
  const rows = childHistoryTotals(e, '2012-11');
  assert.deepEqual(
    rows.map((r) => [r.code, r.totals.practices]),
    [
      ['00R', 1],
      ['00X', 2],
    ],
  );
  assert.equal(
    historyTotals(
      e.filter((x) => x.child === '00X'),
      '2012-11',
    ).practices,
    1,
  );
});

test('a practice in a later run is counted from that run’s entries only: its 2013 state is not carried', () => {
  const e = [
    entry('P81001', 'appointments', true, '2013-03-01'),
    entry('P81001', 'prescriptions', true, '2026-11-01'),
  ];
  const t = historyTotals(e, '2026-11');
  assert.equal(t.practices, 1);
  assert.equal(t.services.appointments.practicesReporting, 0);
  assert.equal(t.services.prescriptions.practicesOffering, 1);
});

test('a practice that left GP Online counts up to the month it was last found there, not after', () => {
  const e = [
    entry('P81082', 'appointments', true, '2026-08-15', { source: 'platform', until: '2026-10-01' }),
    entry('P81083', 'appointments', false, '2026-09-01', { source: 'platform' }),
  ];
  assert.deepEqual(historyMonths(e, new Set(), '2026-12'), [
    '2026-08',
    '2026-09',
    '2026-10',
    '2026-11',
    '2026-12',
  ]);
  assert.equal(historyTotals(e, '2026-10').practices, 2);
  const november = historyTotals(e, '2026-11');
  assert.equal(november.practices, 1);
  assert.equal(november.services.appointments.practicesOffering, 0);
  // When every practice has left, the months stop too.
  const gone = e.slice(0, 1);
  assert.deepEqual(historyMonths(gone, new Set(), '2026-12'), ['2026-08', '2026-09', '2026-10']);
});
