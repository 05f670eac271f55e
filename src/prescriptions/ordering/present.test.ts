// How the patient's repeats and orders read: every reason a repeat cannot be ordered in words,
// days as people read them, the expected ready day, statuses and the JSON of a repeat.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { NotOrderable } from '../rules.ts';
import {
  notOrderableText,
  quantityText,
  readyDay,
  refusalText,
  repeatJson,
  requestView,
  spokenDay,
} from './present.ts';
import type { RepeatRow } from './store.ts';

test('days read as "Tuesday 8 December 2026", 29 February too', () => {
  assert.equal(spokenDay('2026-12-08'), 'Tuesday 8 December 2026');
  assert.equal(spokenDay('2028-02-29'), 'Tuesday 29 February 2028');
});

test('quantities drop the database’s trailing zeros', () => {
  assert.equal(quantityText('28', 'tablets'), '28 tablets');
  assert.equal(quantityText('2.50', 'ml'), '2.5 ml');
});

test('HAZ-19 a repeat’s quantity is counted in its dose form, singular for 1 (the demo stores the form)', () => {
  assert.equal(quantityText('28', 'tablet'), '28 tablets');
  assert.equal(quantityText('15', 'capsule'), '15 capsules');
  assert.equal(quantityText('1', 'inhaler'), '1 inhaler');
  assert.equal(quantityText('1.000', 'inhalers'), '1 inhaler');
});

test('every reason a repeat cannot be ordered has its own sentence', () => {
  const reasons: NotOrderable[] = [
    { reason: 'acute' },
    { reason: 'repeat-dispensing' },
    { reason: 'not-online' },
    { reason: 'suspended' },
    { reason: 'ended' },
    { reason: 'ordering-off' },
    { reason: 'already-requested', status: 'requested' },
    { reason: 'no-issues-left' },
    { reason: 'expired', on: '2026-12-06' },
    { reason: 'review-due', on: '2026-11-30' },
    { reason: 'too-early', from: '2026-12-15', dueOn: '2026-12-22' },
  ];
  const texts = reasons.map((r) => notOrderableText(r, { bookingOn: false, today: '2026-12-07' }).text);
  assert.equal(new Set(texts).size, reasons.length);
  assert.match(texts.at(-1) ?? '', /from Tuesday 15 December 2026 \(it is due on Tuesday 22 December 2026\)/);
  assert.match(texts.at(-3) ?? '', /ended on Sunday 6 December 2026/);
});

test('a review due links to booking only when the patient can book online', () => {
  const due: NotOrderable = { reason: 'review-due', on: '2026-11-30' };
  assert.deepEqual(notOrderableText(due, { bookingOn: true, today: '2026-12-07' }).link, {
    href: '/patient/appointments',
    text: 'Book a review appointment',
  });
  assert.equal(notOrderableText(due, { bookingOn: false, today: '2026-12-07' }).link, null);
  assert.match(
    notOrderableText(due, { bookingOn: false, today: '2026-12-07' }).text,
    /Contact your GP practice to book a review/,
  );
});

test('a refusal names the medicine', () => {
  assert.equal(
    refusalText(
      { item: 'x', reason: 'early-reason-required' },
      { bookingOn: false, today: '2026-12-07', medicine: 'Amlodipine' },
    ),
    'Amlodipine is early: say why you need it before it is due',
  );
  assert.match(
    refusalText(
      { item: 'x', reason: 'no-issues-left' },
      { bookingOn: false, today: '2026-12-07', medicine: 'Amlodipine' },
    ),
    /^Amlodipine: /,
  );
});

test('the ready day counts from England’s day, weekends and bank holidays skipped', () => {
  assert.equal(readyDay(new Date('2026-12-23T15:00:00Z'), 2), '2026-12-29');
  assert.equal(readyDay(new Date('2026-07-09T23:30:00Z'), 2), '2026-07-14', '00:30 BST on Friday');
  assert.equal(readyDay(new Date('2026-07-09T22:30:00Z'), 2), '2026-07-13', '23:30 BST on Thursday');
});

const row: RepeatRow = {
  id: 'r1',
  prescription_type: 'repeat',
  status: 'active',
  drug_name: 'Amlodipine 5mg tablets',
  dosage: 'One a day',
  quantity: '28',
  quantity_unit: 'tablets',
  days_per_issue: 28,
  issues_authorised: 6,
  issues_made: 2,
  review_date: null,
  repeat_until: null,
  online_orderable: true,
  authorised_by: null,
  last_issued_at: new Date('2026-12-01T10:00:00Z'),
  open_status: null,
  open_request_id: null,
  open_item_id: null,
};

test('a repeat too early says from when in JSON', () => {
  const j = repeatJson(row, {
    orderable: false,
    reason: 'too-early',
    from: '2026-12-15',
    dueOn: '2026-12-22',
  });
  assert.equal(j.available_from, '2026-12-15');
  assert.equal(j.due_on, '2026-12-22');
  assert.equal(j.issues_left, 4);
  assert.equal(j.last_issued_on, '2026-12-01');
  assert.equal(j.not_orderable_reason, 'too-early');
});

test('an order shows its ready day only while an item is on its way; cancel only while requested', () => {
  const item = {
    id: 'i1',
    request_id: 'q1',
    template_id: 'r1',
    drug_name: 'Amlodipine',
    dosage: 'One a day',
    quantity: '28',
    quantity_unit: 'tablets',
    early: false,
    status: 'requested' as const,
    status_at: new Date(),
    reject_reason: null,
  };
  const req = {
    id: 'q1',
    requested_at: new Date('2026-12-07T10:00:00Z'),
    note: null,
    early_reason: null,
    pharmacy_ods: null,
    pharmacy_name: null,
    channel: 'web',
  };
  const open = requestView({ ...req, items: [item] }, { turnaroundDays: 2, today: '2026-12-07' });
  assert.equal(open.expectedReady, 'Wednesday 9 December 2026');
  assert.equal(open.items[0]?.cancelHref, '/patient/prescriptions/requests/q1/items/i1/cancel');
  const rejected = requestView(
    { ...req, items: [{ ...item, status: 'rejected', reject_reason: 'Blood test first' }] },
    { turnaroundDays: 2, today: '2026-12-07' },
  );
  assert.equal(rejected.expectedReady, null);
  assert.equal(rejected.items[0]?.cancelHref, null);
  assert.equal(rejected.items[0].rejectReason, 'Blood test first');
  assert.equal(rejected.items[0].status.text, 'Rejected');
});
