import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  addDays,
  ageOn,
  birthdayAt,
  englandDay,
  englandDayOf,
  isIsoDate,
  nextMonth,
  startOfEnglandDay,
} from './dates.ts';

test('HAZ-07 England’s day: 00:30 in summer time is already the next day (UTC still says yesterday)', () => {
  const at = new Date('2026-07-15T23:30:00Z'); // 00:30 BST on 16 July
  assert.equal(at.toISOString().slice(0, 10), '2026-07-15');
  assert.equal(englandDay(at), '2026-07-16');
});

test('England’s day in winter is the UTC day; the clock changes move midnight', () => {
  assert.equal(englandDay(new Date('2026-12-01T00:30:00Z')), '2026-12-01');
  assert.equal(englandDay(new Date('2026-03-28T23:59:59Z')), '2026-03-28'); // GMT until 01:00 UTC on the 29th
  assert.equal(englandDay(new Date('2026-10-24T23:00:00Z')), '2026-10-25'); // BST: midnight is 23:00 UTC
  assert.equal(startOfEnglandDay('2026-07-16').toISOString(), '2026-07-15T23:00:00.000Z');
  assert.equal(startOfEnglandDay('2026-12-01').toISOString(), '2026-12-01T00:00:00.000Z');
});

test('day arithmetic and real dates', () => {
  assert.equal(addDays('2028-02-28', 1), '2028-02-29');
  assert.equal(addDays('2027-02-28', 1), '2027-03-01');
  assert.equal(addDays('2026-01-01', -1), '2025-12-31');
  assert.ok(isIsoDate('2028-02-29'));
  assert.ok(!isIsoDate('2027-02-29'));
  assert.ok(!isIsoDate('2026-13-01'));
  assert.ok(!isIsoDate('2026-1-01'));
});

test('HAZ-05 birthdays: 29 February comes on 1 March in a common year, the day before is still 15', () => {
  assert.equal(birthdayAt('2012-02-29', 16), '2028-02-29');
  assert.equal(birthdayAt('2012-02-29', 15), '2027-03-01');
  assert.equal(birthdayAt('2010-06-15', 16), '2026-06-15');
  assert.equal(ageOn('2010-06-15', '2026-06-14'), 15);
  assert.equal(ageOn('2010-06-15', '2026-06-15'), 16);
  assert.equal(ageOn('2012-02-29', '2027-02-28'), 14);
  assert.equal(ageOn('2012-02-29', '2027-03-01'), 15);
});

test('HAZ-07 the day of a recorded time is England’s: 23:30 UTC in July is the next day', () => {
  assert.equal(englandDayOf('2026-07-15T23:30:00.000Z'), '2026-07-16');
  assert.equal(englandDayOf('2026-07-15'), '2026-07-15');
  assert.equal(englandDayOf('2026-12-15T23:30:00Z'), '2026-12-15');
});

test('the month after: across a year end, and February to March', () => {
  assert.equal(nextMonth('2012-12'), '2013-01');
  assert.equal(nextMonth('2016-02'), '2016-03');
  assert.equal(nextMonth('2013-09'), '2013-10');
});
