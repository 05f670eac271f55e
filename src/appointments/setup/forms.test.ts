import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_RULES } from '../rules.ts';
import { dayOr, int, ruleProblems, rulesFromForm, rulesValues, sessionInput } from './forms.ts';

test('numbers and days from a form fall back when empty or not one', () => {
  assert.equal(int('12', 1), 12);
  assert.equal(int('', 1), 1);
  assert.equal(int('1.5', 1), 1);
  assert.equal(int(undefined, 7), 7);
  assert.equal(dayOr('2026-12-05', 'x'), '2026-12-05');
  assert.equal(dayOr('5/12/2026', 'x'), 'x');
  assert.equal(sessionInput({ day: 'tomorrow', start: '09:00' }).day, '');
});

test('the rules form reads hours as minutes and an empty release time as "at once"', () => {
  const r = rulesFromForm({ cancelCutoffHours: '6', releaseDaysBefore: '2' });
  assert.equal(r.cancelCutoffMinutes, 360);
  assert.equal(r.releaseTime, null);
  assert.equal(r.releaseDaysBefore, null);
  const timed = rulesFromForm({ releaseTime: '08:00', releaseDaysBefore: '2' });
  assert.deepEqual([timed.releaseTime, timed.releaseDaysBefore], ['08:00', 2]);
});

test('the rules form names each field out of range', () => {
  assert.deepEqual(ruleProblems(DEFAULT_RULES), []);
  const p = ruleProblems({ ...DEFAULT_RULES, releaseTime: '25:00', releaseDaysBefore: 1, horizonDays: 999 });
  assert.deepEqual(
    p.map((x) => x.field),
    ['releaseTime', 'horizonDays'],
  );
  assert.match(
    p[1]?.message ?? '',
    /How many days ahead patients can book must be a whole number from 0 to 365/,
  );
});

test('a rules field that is not a whole number is named, never replaced by its default', () => {
  const v = { horizonDays: 'abc', dnaWindowDays: '0', waveIntervalMinutes: '1.5', maxFutureBookings: '' };
  const p = ruleProblems(rulesFromForm(v), v);
  assert.deepEqual(
    p.map((x) => x.field),
    ['horizonDays', 'dnaWindowDays', 'waveIntervalMinutes'],
  );
  assert.match(p[0]?.message ?? '', /^How many days ahead patients can book must be a whole number/);
});

test('saved rules go back into the form as it shows them', () => {
  const v = rulesValues({ ...DEFAULT_RULES, version: 3 });
  assert.equal(v.version, '3');
  assert.equal(v.cancelCutoffHours, '4');
  assert.equal(v.releaseTime, '');
  assert.deepEqual(rulesFromForm(v), DEFAULT_RULES);
});
