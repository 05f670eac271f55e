import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  addWorkingDays,
  bankHolidays,
  isBankHoliday,
  isWorkingDay,
  workingDaysBetween,
} from './working-days.ts';

// The official list (gov.uk/bank-holidays, England and Wales) for the years with moved or extra
// days. If an update of date-holidays changes one of these, the update is wrong, not the test.
const OFFICIAL: Record<number, string[]> = {
  2020: [
    '2020-01-01',
    '2020-04-10',
    '2020-04-13',
    '2020-05-08',
    '2020-05-25',
    '2020-08-31',
    '2020-12-25',
    '2020-12-28',
  ],
  2022: [
    '2022-01-03',
    '2022-04-15',
    '2022-04-18',
    '2022-05-02',
    '2022-06-02',
    '2022-06-03',
    '2022-08-29',
    '2022-09-19',
    '2022-12-26',
    '2022-12-27',
  ],
  2023: [
    '2023-01-02',
    '2023-04-07',
    '2023-04-10',
    '2023-05-01',
    '2023-05-08',
    '2023-05-29',
    '2023-08-28',
    '2023-12-25',
    '2023-12-26',
  ],
  2026: [
    '2026-01-01',
    '2026-04-03',
    '2026-04-06',
    '2026-05-04',
    '2026-05-25',
    '2026-08-31',
    '2026-12-25',
    '2026-12-28',
  ],
  2027: [
    '2027-01-01',
    '2027-03-26',
    '2027-03-29',
    '2027-05-03',
    '2027-05-31',
    '2027-08-30',
    '2027-12-27',
    '2027-12-28',
  ],
};

test('HAZ-23 bank holidays are the official England and Wales list, moved and extra days included', () => {
  for (const [year, days] of Object.entries(OFFICIAL)) {
    assert.deepEqual([...bankHolidays(Number(year)).keys()], days, `bank holidays of ${year}`);
  }
});

test('HAZ-23 2022: the spring bank holiday moved to Thursday 2 June, the jubilee on Friday 3 June, the state funeral on 19 September', () => {
  assert.equal(isBankHoliday('2022-05-30'), false, 'the usual last Monday of May was a working day');
  assert.equal(isWorkingDay('2022-05-30'), true);
  assert.equal(isWorkingDay('2022-06-02'), false);
  assert.equal(isWorkingDay('2022-06-03'), false);
  assert.equal(isWorkingDay('2022-09-19'), false);
  // Ordered on Wednesday 1 June 2022, two working days: Monday 6 June, Tuesday 7 June.
  assert.equal(addWorkingDays('2022-06-01', 2), '2022-06-07');
  assert.equal(addWorkingDays('2022-09-16', 1), '2022-09-20');
});

test('HAZ-23 2023: the coronation on Monday 8 May is a bank holiday besides the early May one', () => {
  assert.equal(addWorkingDays('2023-04-28', 2), '2023-05-03', 'Friday, then the 1 May holiday');
  assert.equal(addWorkingDays('2023-05-05', 1), '2023-05-09', 'Friday, then the coronation');
});

test('weekends and Christmas: substitute days when Christmas falls at a weekend', () => {
  assert.equal(isWorkingDay('2026-12-26'), false, 'Saturday');
  assert.equal(isWorkingDay('2026-12-28'), false, 'Boxing Day substitute');
  assert.equal(addWorkingDays('2026-12-24', 2), '2026-12-30');
  assert.equal(
    addWorkingDays('2027-12-24', 1),
    '2027-12-29',
    'Christmas and Boxing Day both on a weekend in 2027',
  );
});

test('a day that is not a working day counts from the next working day; zero days is that day', () => {
  assert.equal(addWorkingDays('2026-12-05', 0), '2026-12-07', 'Saturday → Monday');
  assert.equal(addWorkingDays('2026-12-05', 2), '2026-12-09');
  assert.equal(addWorkingDays('2026-12-07', 2), '2026-12-09', 'Monday plus two');
  assert.equal(addWorkingDays('2026-12-04', 1), '2026-12-07', 'Friday plus one is Monday');
  assert.equal(addWorkingDays('2024-02-28', 1), '2024-02-29', '29 February is a working day in 2024');
  assert.equal(addWorkingDays('2024-02-29', 1), '2024-03-01');
});

test('working days between two days', () => {
  assert.equal(workingDaysBetween('2026-12-04', '2026-12-07'), 1);
  assert.equal(workingDaysBetween('2026-12-07', '2026-12-07'), 0);
  assert.equal(workingDaysBetween('2026-12-23', '2026-12-31'), 4);
});
