// The queue's view models: overdue by the practice turnaround in England's working days (bank
// holidays, summer-time midnight, 29 February, the turnaround raised), the context shown, the
// messages after an action, and the days patients are told.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_SETTINGS } from '../rules.ts';
import { queueDone, queueItem, queueJson, queuePage, readyDay, spokenDay } from './present.ts';
import type { QueueRow } from './store.ts';

function row(over: Partial<QueueRow> = {}): QueueRow {
  return {
    id: 'item-1',
    request_id: 'request-1',
    patient_id: 'patient-1',
    template_id: 'template-1',
    prescriber_id: null,
    drug_name: 'Amlodipine 5mg tablets',
    dosage: 'One a day',
    quantity: '28',
    quantity_unit: 'tablet',
    early: false,
    status: 'requested',
    requested_at: new Date('2026-12-24T10:00:00Z'),
    status_at: new Date('2026-12-24T10:00:00Z'),
    reject_reason: null,
    note: null,
    early_reason: null,
    channel: 'web',
    given_name: 'Ann',
    family_name: 'Smith',
    nhs_number: '9990001014',
    birth_date: '1950-01-01',
    issue_drug_name: 'Amlodipine 5mg tablets',
    issue_dosage: 'One a day',
    issue_quantity: '28',
    issue_quantity_unit: 'tablet',
    prescription_type: 'repeat',
    issues_authorised: 6,
    issues_made: 6,
    review_date: '2026-12-30',
    repeat_until: null,
    last_issued_at: new Date('2026-11-26T10:00:00Z'),
    template_status: 'active',
    prescriber_name: null,
    ...over,
  };
}
const settings = DEFAULT_SETTINGS;
const on = (today: string, r = row(), s = settings) => queueItem(r, undefined, { today, settings: s });

test('overdue: Christmas Eve + 2 working days skips Christmas and the Boxing Day substitute (Monday 28th)', () => {
  assert.equal(on('2026-12-29').overdue, false);
  assert.equal(on('2026-12-30').overdue, false, 'ready on Wednesday 30 December: not overdue that day');
  assert.equal(on('2026-12-31').overdue, true, 'the day after');
});

test('overdue: the request day is England’s, at midnight in summer time', () => {
  // 23:30 UTC on 30 June is 00:30 on Wednesday 1 July in London: ready Friday 3 July.
  const r = row({ requested_at: new Date('2026-06-30T23:30:00Z') });
  assert.equal(on('2026-07-03', r).overdue, false);
  assert.equal(on('2026-07-04', r).overdue, true);
});

test('overdue: across 29 February, and a turnaround raised or lowered', () => {
  const r = row({ requested_at: new Date('2028-02-28T10:00:00Z') }); // Monday
  assert.equal(on('2028-03-01', r).overdue, false, 'Tuesday 29 February is a working day: ready 1 March');
  assert.equal(on('2028-03-02', r).overdue, true);
  assert.equal(on('2028-03-02', r, { ...settings, turnaroundDays: 3 }).overdue, false, 'raised to 3');
  assert.equal(on('2028-03-01', r, { ...settings, turnaroundDays: 1 }).overdue, true, 'lowered to 1');
});

test('only open items are overdue; what the prescriber is warned of', () => {
  const issued = on('2027-02-01', row({ status: 'issued' }));
  assert.equal(issued.overdue, false);
  assert.deepEqual(issued.steps, ['sent', 'ready', 'collected']);
  assert.equal(issued.mayApprove, false);
  const i = on('2026-12-30', row({ early: true, early_reason: 'Holiday' }));
  assert.equal(i.issuesLeft, '0 of 6');
  assert.equal(i.noIssuesLeft, true);
  assert.equal(i.reviewDue, true, 'review date today');
  assert.equal(on('2026-12-29').reviewDue, false, 'the day before');
  assert.equal(i.early, true);
  assert.equal(i.quantity, '28 tablets');
  assert.equal(i.patient, 'SMITH, Ann');
  assert.deepEqual(i.steps, []);
  assert.equal(on('2026-12-30', row({ template_status: 'suspended' })).repeatStopped, true);
});

test('a repeat changed since the request: what approving issues now, and what the patient asked for', () => {
  assert.equal(on('2026-12-24').asRequested, null);
  assert.equal(on('2026-12-24', row({ quantity: '28.0' })).asRequested, null, 'the same number');
  const changed = on('2026-12-24', row({ issue_dosage: 'Two a day', issue_quantity: '56' }));
  assert.equal(changed.dosage, 'Two a day');
  assert.equal(changed.quantity, '56 tablets');
  assert.equal(changed.asRequested, 'Amlodipine 5mg tablets, One a day, 28 tablets');
});

test('the context: abnormal results listed with a count of the rest, allergies with reactions', () => {
  const i = queueItem(
    row(),
    {
      abnormalResults: [{ title: 'Potassium', on: '2026-12-01', value: '6.1 mmol/L (high)' }],
      abnormalCount: 4,
      allergies: [
        { title: 'Penicillin', reactions: ['Rash', 'Wheeze'], criticality: 'high' },
        { title: 'Latex', reactions: [], criticality: null },
      ],
    },
    { today: '2026-12-24', settings },
  );
  assert.equal(i.moreResults, 3);
  assert.deepEqual(i.allergies, [{ text: 'Penicillin (Rash, Wheeze)' }, { text: 'Latex' }]);
  const json = queueJson({
    rows: [row()],
    context: new Map(),
    total: 1,
    page: 1,
    pages: 1,
    today: '2026-12-31',
    settings,
  });
  assert.equal(json.items[0]?.overdue, true);
  assert.deepEqual(json.items[0].allergies, []);
  assert.equal(json.items[0].quantity, 28);
});

test('messages after an action, and the day patients are told', () => {
  assert.equal(queueDone({ done: 'approved', n: '1' }), '1 request approved.');
  assert.equal(queueDone({ done: 'approved', n: '3' }), '3 requests approved.');
  assert.equal(queueDone({ done: 'approved', n: 'lots' }), 'Approved.');
  assert.equal(queueDone({ done: 'sent' }), 'Marked as sent to the pharmacy.');
  assert.equal(queueDone({ done: 'requested' }), null);
  assert.equal(queueDone({ done: 'toString' }), null);
  assert.equal(spokenDay('2026-12-08'), 'Tuesday 8 December 2026');
  assert.equal(spokenDay('2028-02-29'), 'Tuesday 29 February 2028');
  assert.equal(readyDay('2026-12-02', '2026-12-01'), '2026-12-02');
  assert.equal(readyDay('2026-12-02', '2026-12-03'), '2026-12-03', 'never a day already gone');
});

test('Approve is offered only when approving can succeed; "approve selected" only with nothing to look at twice', () => {
  const fine = on('2026-12-29', row({ issues_made: 5 }));
  assert.deepEqual([fine.mayApprove, fine.mayApproveSelected, fine.cannotApprove], [true, true, null]);
  assert.equal(on('2026-12-30', row({ issues_made: 5 })).mayApproveSelected, false, 'review due today');
  const none = on('2026-12-29');
  assert.equal(none.mayApprove, false, 'no issues left');
  assert.equal(none.mayReject, true);
  assert.match(none.cannotApprove ?? '', /re-authorise the repeat/);
  const suspended = on('2026-12-29', row({ issues_made: 5, template_status: 'suspended' }));
  assert.equal(suspended.mayApprove, false);
  assert.equal(suspended.cannotApprove, 'The repeat is suspended: it cannot be approved.');
  const lastDay = row({ issues_made: 5, repeat_until: '2026-12-29' });
  assert.equal(on('2026-12-29', lastDay).mayApprove, true, 'its repeat-until day');
  assert.equal(on('2026-12-29', lastDay).repeatEndedOn, null);
  const after = on('2026-12-30', lastDay);
  assert.equal(after.mayApprove, false, 'the day after');
  assert.equal(after.repeatEndedOn, '2026-12-29');
  assert.match(after.cannotApprove ?? '', /ended on Tuesday 29 December 2026/);
  const changed = on('2026-12-29', row({ issues_made: 5, issue_dosage: 'Two a day' }));
  assert.deepEqual([changed.mayApprove, changed.mayApproveSelected], [true, false]);
  assert.equal(on('2026-12-29', row({ status: 'approved', issues_made: 5 })).mayReject, false);
});

test('the first checkbox offered is "items", for the error summary, whichever row it is on', () => {
  const page = queuePage({
    rows: [row({ id: 'a' }), row({ id: 'b', issues_made: 5 }), row({ id: 'c', issues_made: 1 })],
    context: new Map(),
    total: 3,
    page: 1,
    pages: 1,
    today: '2026-12-29',
    settings,
    prescribers: [],
    status: 'requested',
    prescriber: undefined,
    may: { decide: true, dispense: false },
    flash: null,
  });
  assert.deepEqual(
    page.items.map((i) => [i.id, i.mayApproveSelected, i.checkboxId]),
    [
      ['a', false, 'items'],
      ['b', true, 'items'],
      ['c', true, 'items-2'],
    ],
  );
  const json = queueJson({
    ...page,
    rows: [row({ repeat_until: '2027-01-31' })],
    context: new Map(),
    total: 1,
    page: 1,
    pages: 1,
    today: '2026-12-29',
    settings,
  });
  assert.equal(json.items[0]?.repeat_until, '2027-01-31');
});
