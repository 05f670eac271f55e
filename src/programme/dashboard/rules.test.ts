import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AreaTotals } from '../summary-rules.ts';
import {
  comparedMonths,
  comparison,
  csvRecords,
  monthName,
  offeringPoints,
  per1000,
  percent,
} from './rules.ts';

function month(m: string, practices: number, offering: [number, number, number]): AreaTotals {
  const s = (n: number) => ({
    practicesOffering: n,
    practicesReporting: practices,
    patientsEnabled: null,
    enabledListSize: null,
    transactions: null,
    transactionsListSize: null,
  });
  return {
    month: m,
    basis: 'pomi',
    practices,
    listSize: practices * 1000,
    patientsEnabledAny: null,
    enabledAnyListSize: null,
    transactions: null,
    transactionsListSize: null,
    services: {
      appointments: s(offering[0]),
      prescriptions: s(offering[1]),
      detailedCodedRecord: s(offering[2]),
    },
  };
}

// Lancashire in the 2013 report: booking 51 → 60, repeats 60 → 75, record access 2 → 18.
const july2012 = month('2012-07', 200, [51, 60, 2]);
const april2013 = month('2013-04', 200, [60, 75, 18]);

test('a change reads the way the report writes it', () => {
  assert.equal(
    comparison(july2012, april2013, 'prescriptions'),
    'July 2012 → April 2013: 60 → 75 practices (30.0% → 37.5% of practices)',
  );
  assert.match(
    comparison(july2012, april2013, 'appointments'),
    /^July 2012 → April 2013: 51 → 60 practices /,
  );
  assert.match(
    comparison(july2012, april2013, 'detailedCodedRecord'),
    /^July 2012 → April 2013: 2 → 18 practices /,
  );
  assert.equal(
    comparison(month('2018-04', 9000, [1, 1200, 0]), month('2019-03', 9000, [1, 1500, 0]), 'appointments'),
    'April 2018 → March 2019: 1 → 1 practice (0.0% → 0.0% of practices)',
  );
  assert.equal(
    comparison(month('2018-04', 9000, [1, 1200, 0]), month('2019-03', 9000, [1, 1500, 0]), 'prescriptions'),
    'April 2018 → March 2019: 1,200 → 1,500 practices (13.3% → 16.7% of practices)',
  );
});

test('compared months are those asked for when there are figures for them, else the first and last', () => {
  const totals = [july2012, month('2012-08', 200, [52, 61, 3]), april2013];
  // Asked for nothing: the latest stretch of two or more months in a row (here July and August).
  assert.deepEqual(
    Object.values(comparedMonths(totals, {}) ?? {}).map((t) => t.month),
    ['2012-07', '2012-08'],
  );
  assert.deepEqual(
    Object.values(comparedMonths([july2012, april2013], {}) ?? {}).map((t) => t.month),
    ['2012-07', '2013-04'],
  );
  assert.deepEqual(
    Object.values(comparedMonths(totals, { from: '2012-08' }) ?? {}).map((t) => t.month),
    ['2012-08', '2013-04'],
  );
  assert.deepEqual(
    Object.values(comparedMonths(totals, { from: '2011-01', to: '2012-08' }) ?? {}).map((t) => t.month),
    ['2012-07', '2012-08'],
  );
  assert.equal(comparedMonths([], {}), null);
});

test('shares and rates round to one place and say nothing without a denominator', () => {
  assert.equal(percent(75, 200), '37.5%');
  assert.equal(percent(1, 3), '33.3%');
  assert.equal(percent(2, 3), '66.7%');
  assert.equal(percent(0, 10), '0.0%');
  assert.equal(percent(3, 0), null);
  assert.equal(percent(null, 10), null);
  assert.equal(per1000(205, 10000), '20.5');
  assert.equal(per1000(5, null), null);
  assert.equal(monthName('2019-12'), 'December 2019');
});

test('the chart has a point per service a month, and skips a month with no practices', () => {
  const points = offeringPoints([july2012, month('2012-08', 0, [0, 0, 0]), april2013]);
  assert.equal(points.length, 6);
  assert.deepEqual(points[1], {
    month: '2012-07',
    service: 'Online repeat prescriptions',
    share: 30,
    run: 0,
  });
  // A missing month (and a change of source) starts a new line: none is drawn across the gap.
  assert.equal(points[3]?.run, 1);
  const history = { ...month('2013-05', 200, [61, 76, 19]), basis: 'history' as const };
  assert.equal(offeringPoints([april2013, history])[3]?.run, 1);
  assert.equal(offeringPoints([month('2013-03', 200, [1, 1, 1]), april2013])[3]?.run, 0);
});

test('the CSV has a header and a row a month with the same figures', () => {
  const [head, row] = csvRecords('QE1', [april2013]);
  assert.equal(head?.length, row?.length);
  assert.deepEqual(row?.slice(0, 5), ['QE1', '2013-04', 200, 200000, 60]);
  assert.equal(head?.[11], 'repeat_prescriptions_transactions');
});

test('by default a survey is not compared with this month’s practices on GP Online, nor POMI with histories', () => {
  const survey = ['2012-07', '2012-08', '2012-09'].map((m) => ({
    ...month(m, 200, [51, 60, 2]),
    basis: 'history' as const,
  }));
  const pomi = ['2018-04', '2018-05'].map((m) => month(m, 7000, [2600, 2800, 100]));
  const live = { ...month('2026-12', 3, [3, 3, 3]), basis: 'history' as const };
  assert.deepEqual(
    Object.values(comparedMonths([...survey, ...pomi, live], {}) ?? {}).map((t) => t.month),
    ['2018-04', '2018-05'],
  );
  assert.deepEqual(
    Object.values(comparedMonths([...survey, live], {}) ?? {}).map((t) => t.month),
    ['2012-07', '2012-09'],
  );
  // A POMI month next to a history month is not one stretch.
  const mixed = [
    { ...month('2018-03', 10, [1, 1, 1]), basis: 'history' as const },
    month('2018-04', 7000, [1, 1, 1]),
  ];
  assert.deepEqual(
    Object.values(comparedMonths([...mixed, live], {}) ?? {}).map((t) => t.month),
    ['2018-03', '2026-12'],
  );
});
