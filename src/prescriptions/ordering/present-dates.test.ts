// Days around today in the patient's words: a review or an end still to come (before the early-order
// window opens) "is due on" / "ends on", one gone "was due on" / "ended on"; and an order still on its
// way whose ready day has gone says so and tells the patient to contact the practice.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_SETTINGS, orderability, type NotOrderable } from '../rules.ts';
import { notOrderableText, readyDayPassed, requestJson, requestView } from './present.ts';
import type { ItemRow } from './store.ts';

const TODAY = '2026-12-07';
const text = (n: NotOrderable, today = TODAY) => notOrderableText(n, { bookingOn: false, today }).text;

test('a review due tomorrow or today "is due on"; one due yesterday "was due on"', () => {
  assert.match(text({ reason: 'review-due', on: '2026-12-08' }), /review is due on Tuesday 8 December 2026/);
  assert.match(text({ reason: 'review-due', on: '2026-12-07' }), /review is due on Monday 7 December 2026/);
  assert.match(text({ reason: 'review-due', on: '2026-12-06' }), /review was due on Sunday 6 December 2026/);
  const booking = notOrderableText(
    { reason: 'review-due', on: '2026-12-08' },
    { bookingOn: true, today: TODAY },
  );
  assert.match(booking.text, /is due on Tuesday 8 December 2026\. You need a review/);
});

test('a repeat ending tomorrow, today or yesterday: its last day is still a day of it', () => {
  assert.match(text({ reason: 'expired', on: '2026-12-08' }), /prescription ends on Tuesday 8 December 2026/);
  assert.match(text({ reason: 'expired', on: '2026-12-07' }), /prescription ends on Monday 7 December 2026/);
  assert.match(text({ reason: 'expired', on: '2026-12-06' }), /prescription ended on Sunday 6 December 2026/);
});

test('the rules’ future review date (before the order window opens) reads as still to come', () => {
  const facts = {
    prescriptionType: 'repeat' as const,
    status: 'active' as const,
    onlineOrderable: true,
    issuesAuthorised: 6,
    issuesMade: 1,
    daysPerIssue: 28,
    reviewDate: '2026-12-10',
    repeatUntil: null,
    lastIssuedOn: '2026-12-01',
    openItem: null,
  };
  const j = orderability(facts, DEFAULT_SETTINGS, TODAY);
  assert.deepEqual(j, { orderable: false, reason: 'review-due', on: '2026-12-10' });
  assert.match(text(j), /Your medication review is due on Thursday 10 December 2026/);
  const ends = orderability(
    { ...facts, reviewDate: null, repeatUntil: '2026-12-09' },
    DEFAULT_SETTINGS,
    TODAY,
  );
  assert.deepEqual(ends, { orderable: false, reason: 'expired', on: '2026-12-09' });
  assert.match(text(ends), /This repeat prescription ends on Wednesday 9 December 2026/);
});

const item = (status: ItemRow['status']): ItemRow => ({
  id: 'i1',
  request_id: 'q1',
  template_id: 'r1',
  drug_name: 'Amlodipine',
  dosage: 'One a day',
  quantity: '28',
  quantity_unit: 'tablets',
  early: false,
  status,
  status_at: new Date('2026-12-01T10:00:00Z'),
  reject_reason: null,
});
// Ordered on Tuesday 1 December: ready on Thursday 3 December with two working days.
const order = (status: ItemRow['status']) => ({
  id: 'q1',
  requested_at: new Date('2026-12-01T10:00:00Z'),
  note: null,
  early_reason: null,
  pharmacy_ods: null,
  pharmacy_name: null,
  channel: 'web',
  items: [item(status)],
});

test('an order on its way: ready day tomorrow and today is expected; yesterday it was expected, contact the practice', () => {
  for (const status of ['requested', 'approved', 'issued', 'sent'] as const) {
    for (const today of ['2026-12-02', '2026-12-03']) {
      const v = requestView(order(status), { turnaroundDays: 2, today });
      assert.equal(v.expectedReady, 'Thursday 3 December 2026', `${status} ${today}`);
      assert.equal(v.readyPassed, null);
      assert.equal(requestJson(order(status), { turnaroundDays: 2, today }).ready_day_passed, false);
    }
    const late = requestView(order(status), { turnaroundDays: 2, today: '2026-12-04' });
    assert.equal(late.expectedReady, null, status);
    assert.equal(
      late.readyPassed,
      'It was expected to be ready on Thursday 3 December 2026: contact your GP practice if it is not',
    );
    const json = requestJson(order(status), { turnaroundDays: 2, today: '2026-12-04' });
    assert.equal(json.expected_ready_on, '2026-12-03', 'the day is kept');
    assert.equal(json.ready_day_passed, true);
  }
});

test('an order no longer on its way never says its ready day has passed', () => {
  for (const status of ['ready', 'collected', 'rejected', 'cancelled'] as const) {
    assert.equal(readyDayPassed(order(status), { turnaroundDays: 2, today: '2026-12-20' }), false, status);
    assert.equal(requestView(order(status), { turnaroundDays: 2, today: '2026-12-20' }).readyPassed, null);
  }
});
