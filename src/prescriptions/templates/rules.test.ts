// Template rules at their boundaries: the day before and after, 29 February, levels raised or lowered.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  changeProblems,
  reauthoriseProblems,
  settingsProblems,
  statusAfter,
  templateProblems,
  templateTypeOf,
  type TemplateFields,
} from './rules.ts';
import { DEFAULT_SETTINGS } from '../rules.ts';

const today = '2026-12-02';
const good: TemplateFields = {
  prescriptionType: 'repeat',
  dosage: 'One tablet twice a day',
  quantity: 56,
  quantityUnit: 'tablet',
  daysPerIssue: 28,
  issuesAuthorised: 6,
  reviewDate: '2027-06-01',
  repeatUntil: null,
  onlineOrderable: true,
};
const fields = (t: Partial<TemplateFields>) => templateProblems({ ...good, ...t }, today).map((e) => e.field);

test('a complete template has no problems', () => {
  assert.deepEqual(templateProblems(good, today), []);
});

test('the review date must be after today: today is refused, tomorrow is accepted', () => {
  assert.deepEqual(fields({ reviewDate: today }), ['reviewDate']);
  assert.deepEqual(fields({ reviewDate: '2026-12-01' }), ['reviewDate']);
  assert.deepEqual(fields({ reviewDate: '2026-12-03' }), []);
  assert.deepEqual(fields({ reviewDate: null }), []);
});

test('repeat until may be today (orderable through that day) but not yesterday', () => {
  assert.deepEqual(fields({ repeatUntil: today }), []);
  assert.deepEqual(fields({ repeatUntil: '2026-12-01' }), ['repeatUntil']);
});

test('29 February only in a leap year', () => {
  assert.deepEqual(fields({ reviewDate: '2028-02-29' }), []);
  assert.deepEqual(fields({ reviewDate: '2027-02-29' }), ['reviewDate']);
  assert.deepEqual(fields({ repeatUntil: '2027-02-30' }), ['repeatUntil']);
});

test('issues, days and quantity at their bounds', () => {
  assert.deepEqual(fields({ issuesAuthorised: 0 }), ['issuesAuthorised']);
  assert.deepEqual(fields({ issuesAuthorised: 1 }), []);
  assert.deepEqual(fields({ issuesAuthorised: 99 }), []);
  assert.deepEqual(fields({ issuesAuthorised: 100 }), ['issuesAuthorised']);
  assert.deepEqual(fields({ issuesAuthorised: 2.5 }), ['issuesAuthorised']);
  assert.deepEqual(fields({ daysPerIssue: 0 }), ['daysPerIssue']);
  assert.deepEqual(fields({ daysPerIssue: 366 }), []);
  assert.deepEqual(fields({ daysPerIssue: 367 }), ['daysPerIssue']);
  assert.deepEqual(fields({ quantity: 0 }), ['quantity']);
  assert.deepEqual(fields({ quantity: 0.5 }), []);
  assert.deepEqual(fields({ quantity: Number.NaN }), ['quantity']);
  assert.deepEqual(fields({ dosage: '  ', quantityUnit: '' }), ['dosage', 'quantityUnit']);
});

test('an acute medicine may have no issues but is never orderable online', () => {
  assert.deepEqual(fields({ prescriptionType: 'acute', issuesAuthorised: 0, onlineOrderable: false }), []);
  assert.deepEqual(fields({ prescriptionType: 'acute', issuesAuthorised: 0 }), ['onlineOrderable']);
  assert.equal(templateTypeOf('delayed'), 'acute');
  assert.equal(templateTypeOf('repeat-dispensing'), 'repeat-dispensing');
});

test('a change needs a reason and a real difference, and is refused once ended', () => {
  const current = { ...good, status: 'active' as const };
  const change = { ...good, quantity: 28 };
  assert.deepEqual(changeProblems(current, change, 'Dose reduced at review', today), []);
  assert.deepEqual(
    changeProblems(current, change, '  ', today).map((e) => e.field),
    ['reason'],
  );
  assert.deepEqual(
    changeProblems(current, good, 'No change', today).map((e) => e.message),
    ['Nothing was changed: change at least one detail'],
  );
  assert.deepEqual(
    changeProblems({ ...current, status: 'ended' }, change, 'x', today).map((e) => e.field),
    ['form'],
  );
});

test('a review date that has passed does not block another change, but a new past one is refused', () => {
  const current = { ...good, reviewDate: '2026-11-01', status: 'active' as const };
  assert.deepEqual(changeProblems(current, { ...current, dosage: 'One daily' }, 'Reviewed', today), []);
  assert.deepEqual(
    changeProblems(current, { ...current, reviewDate: today }, 'Reviewed', today).map((e) => e.field),
    ['reviewDate'],
  );
});

test('re-authorising needs 1 to 99 issues, a reason, and a repeat that has not ended', () => {
  const active = { status: 'active' as const, prescriptionType: 'repeat' as const, reviewDate: null };
  assert.deepEqual(
    reauthoriseProblems(active, { issuesAuthorised: 6, reviewDate: null, reason: 'Reviewed' }, today),
    [],
  );
  assert.deepEqual(
    reauthoriseProblems(active, { issuesAuthorised: 0, reviewDate: today, reason: '' }, today).map(
      (e) => e.field,
    ),
    ['issuesAuthorised', 'reviewDate', 'reason'],
  );
  assert.deepEqual(
    reauthoriseProblems(
      { ...active, status: 'ended' },
      { issuesAuthorised: 6, reviewDate: null, reason: 'x' },
      today,
    ).map((e) => e.field),
    ['form'],
  );
});

test('re-authorising a repeat whose review date has passed needs the next review date', () => {
  const due = { status: 'active' as const, prescriptionType: 'repeat' as const, reviewDate: today };
  const again = { issuesAuthorised: 6, reason: 'Reviewed' };
  assert.deepEqual(
    reauthoriseProblems(due, { ...again, reviewDate: null }, today).map((e) => e.field),
    ['reviewDate'],
  );
  assert.deepEqual(reauthoriseProblems(due, { ...again, reviewDate: '2026-12-03' }, today), []);
  const tomorrow = { ...due, reviewDate: '2026-12-03' };
  assert.deepEqual(reauthoriseProblems(tomorrow, { ...again, reviewDate: null }, today), []);
});

test('suspend, resume and end move only from where they can', () => {
  assert.equal(statusAfter('active', 'suspend'), 'suspended');
  assert.equal(statusAfter('suspended', 'suspend'), null);
  assert.equal(statusAfter('suspended', 'resume'), 'active');
  assert.equal(statusAfter('active', 'resume'), null);
  assert.equal(statusAfter('active', 'end'), 'ended');
  assert.equal(statusAfter('suspended', 'end'), 'ended');
  assert.equal(statusAfter('ended', 'end'), null);
  assert.equal(statusAfter('ended', 'resume'), null);
});

test('settings within the bounds the database keeps', () => {
  assert.deepEqual(settingsProblems(DEFAULT_SETTINGS), []);
  const f = (s: Partial<typeof DEFAULT_SETTINGS>) =>
    settingsProblems({ ...DEFAULT_SETTINGS, ...s }).map((e) => e.field);
  assert.deepEqual(f({ turnaroundDays: 0 }), ['turnaroundDays']);
  assert.deepEqual(f({ turnaroundDays: 1 }), []);
  assert.deepEqual(f({ turnaroundDays: 10 }), []);
  assert.deepEqual(f({ turnaroundDays: 11 }), ['turnaroundDays']);
  assert.deepEqual(f({ orderWindowDays: 0 }), []);
  assert.deepEqual(f({ orderWindowDays: 28 }), []);
  assert.deepEqual(f({ orderWindowDays: 29, turnaroundDays: 1.5 }), ['turnaroundDays', 'orderWindowDays']);
});
