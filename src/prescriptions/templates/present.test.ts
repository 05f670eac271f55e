// The repeat pages' view models: what a change changed, issues in words, flash sentences.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_SETTINGS } from '../rules.ts';
import { changeSummary, changeValues, doneText, issuesText, repeatPage, settingsPage } from './present.ts';
import type { Repeat } from './model.ts';

const repeat: Repeat = {
  id: 'r1',
  patientId: 'p1',
  recordEntryId: 'e1',
  prescriptionType: 'repeat',
  dmdCode: '42100111009',
  drugName: 'Metformin 500mg tablets',
  dosage: 'One tablet twice a day',
  quantity: 56,
  quantityUnit: 'tablet',
  daysPerIssue: 28,
  issuesAuthorised: 6,
  issuesMade: 1,
  reviewDate: '2027-02-28',
  repeatUntil: null,
  onlineOrderable: true,
  authoriserName: 'Dr Gina Patel',
  authorisedOn: '2026-12-02',
  lastIssuedAt: null,
  status: 'active',
  statusReason: null,
  version: 3,
};

test('a change says each field it changed, dates as dates and yes or no for a choice', () => {
  const before = { quantity: 56, reviewDate: '2027-02-28', onlineOrderable: true, dosage: 'One' };
  const after = { quantity: 28, reviewDate: null, onlineOrderable: false, dosage: 'One' };
  assert.deepEqual(changeSummary({ before, after }), [
    'Quantity: 56 to 28',
    'Review date: 28 February 2027 to none',
    'Orderable online: yes to no',
  ]);
  assert.deepEqual(changeSummary({ before: null, after }), [], 'a creation has nothing before it');
});

test('issues in words, with the plural right', () => {
  assert.equal(issuesText({ issuesMade: 0, issuesAuthorised: 1 }), '0 of 1 issue made');
  assert.equal(issuesText({ issuesMade: 2, issuesAuthorised: 6 }), '2 of 6 issues made');
});

test('flash codes are sentences; an unknown code shows nothing', () => {
  assert.equal(doneText('reauthorised'), 'The repeat was re-authorised.');
  assert.equal(doneText('nonsense'), null);
  assert.equal(doneText(undefined), null);
});

test('the repeat page offers the status moves its status allows, and no forms once ended', () => {
  const detail = (r: Repeat) => ({
    patient: {
      id: 'p1',
      given_name: 'Ann',
      family_name: 'Example',
      nhs_number: '9990001510',
      birth_date: '1950-01-01',
    },
    repeat: r,
    changes: [],
    issues: [],
    canManage: true,
  });
  const active = repeatPage(detail(repeat), {});
  assert.deepEqual(
    active.statusItems.map((i) => i.value),
    ['suspend', 'end'],
  );
  assert.equal(active.canManage, true);
  const suspended = repeatPage(detail({ ...repeat, status: 'suspended', statusReason: 'Bloods first' }), {});
  assert.deepEqual(
    suspended.statusItems.map((i) => i.value),
    ['resume', 'end'],
  );
  assert.ok(suspended.view.rows.some((row) => row.value.text === 'Suspended: Bloods first'));
  assert.equal(repeatPage(detail({ ...repeat, status: 'ended' }), {}).canManage, false);
  assert.deepEqual(changeValues(repeat), {
    version: '3',
    dosage: 'One tablet twice a day',
    quantity: '56',
    quantityUnit: 'tablet',
    daysPerIssue: '28',
    reviewDate: '2027-02-28',
    repeatUntil: '',
    onlineOrderable: 'yes',
  });
});

test('the settings page shows the defaults when never saved', () => {
  const p = settingsPage(
    { ...DEFAULT_SETTINGS, version: 0, updatedAt: null, canChange: false },
    { done: 'settings' },
  );
  assert.deepEqual(p.current, {
    version: '0',
    onlineOrdering: 'yes',
    turnaroundDays: '2',
    orderWindowDays: '7',
    earlyReasonRequired: 'yes',
  });
  assert.equal(p.flash, 'The prescription settings were saved.');
  assert.equal(p.savedAt, null);
});
