import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  canMove,
  DEFAULT_SETTINGS,
  dueOn,
  expectedReadyOn,
  isOverdue,
  issuesLeft,
  orderability,
  orderShapeProblem,
  type TemplateFacts,
} from './rules.ts';

// A 28-day repeat last issued on Tuesday 10 November 2026: supply ends 8 December, due for
// ordering 7 days before (1 December), early orders from 24 November with the default window.
const repeat = (over: Partial<TemplateFacts> = {}): TemplateFacts => ({
  prescriptionType: 'repeat',
  status: 'active',
  onlineOrderable: true,
  issuesAuthorised: 6,
  issuesMade: 2,
  daysPerIssue: 28,
  reviewDate: '2027-05-01',
  repeatUntil: null,
  lastIssuedOn: '2026-11-10',
  openItem: null,
  ...over,
});
const s = DEFAULT_SETTINGS;

test('due for ordering 7 days before the last issue runs out; never issued is due now', () => {
  assert.equal(dueOn(repeat()), '2026-12-01');
  assert.equal(dueOn(repeat({ lastIssuedOn: null })), null);
  assert.deepEqual(orderability(repeat({ lastIssuedOn: null }), s, '2026-12-01'), {
    orderable: true,
    early: false,
  });
});

test('HAZ-22 the early-order window: the day before it opens is too early, its first day is early, the due day is not early', () => {
  assert.deepEqual(orderability(repeat(), s, '2026-11-23'), {
    orderable: false,
    reason: 'too-early',
    from: '2026-11-24',
    dueOn: '2026-12-01',
  });
  assert.deepEqual(orderability(repeat(), s, '2026-11-24'), {
    orderable: true,
    early: true,
    dueOn: '2026-12-01',
    reasonRequired: true,
  });
  assert.deepEqual(orderability(repeat(), s, '2026-11-30'), {
    orderable: true,
    early: true,
    dueOn: '2026-12-01',
    reasonRequired: true,
  });
  assert.deepEqual(orderability(repeat(), s, '2026-12-01'), { orderable: true, early: false });
  assert.deepEqual(orderability(repeat(), s, '2026-12-02'), { orderable: true, early: false });
});

test('a practice that takes no early orders has a zero window; one that needs no reason says so', () => {
  const none = { ...s, orderWindowDays: 0 };
  assert.equal(orderability(repeat(), none, '2026-11-30').orderable, false);
  assert.deepEqual(orderability(repeat(), none, '2026-12-01'), { orderable: true, early: false });
  const noReason = { ...s, earlyReasonRequired: false };
  const early = orderability(repeat(), noReason, '2026-11-28');
  assert.equal(early.orderable && early.early && early.reasonRequired, false);
  assert.equal(early.orderable, true);
});

test('the window across 29 February and the end of a month', () => {
  const leap = repeat({ lastIssuedOn: '2028-02-01', daysPerIssue: 35, reviewDate: null }); // runs out 7 March, due 29 Feb
  assert.equal(dueOn(leap), '2028-02-29');
  assert.equal(orderability(leap, s, '2028-02-21').orderable, false);
  assert.equal(orderability(leap, s, '2028-02-22').orderable, true);
  assert.deepEqual(orderability(leap, s, '2028-02-29'), { orderable: true, early: false });
});

test('HAZ-22 review due: the day before the review date is orderable, the review date and after are not', () => {
  const t = repeat({ reviewDate: '2026-12-10' });
  assert.deepEqual(orderability(t, s, '2026-12-09'), { orderable: true, early: false });
  assert.deepEqual(orderability(t, s, '2026-12-10'), {
    orderable: false,
    reason: 'review-due',
    on: '2026-12-10',
  });
  assert.deepEqual(orderability(t, s, '2026-12-11'), {
    orderable: false,
    reason: 'review-due',
    on: '2026-12-10',
  });
});

test('a review that is due is said before "too early": waiting will not make it orderable', () => {
  const t = repeat({ reviewDate: '2026-11-01' });
  assert.deepEqual(orderability(t, s, '2026-11-20'), {
    orderable: false,
    reason: 'review-due',
    on: '2026-11-01',
  });
});

test('HAZ-22 issues left: the last authorised issue may be ordered; none left may not', () => {
  assert.equal(issuesLeft(repeat({ issuesMade: 5 })), 1);
  assert.equal(orderability(repeat({ issuesMade: 5 }), s, '2026-12-01').orderable, true);
  assert.deepEqual(orderability(repeat({ issuesMade: 6 }), s, '2026-12-01'), {
    orderable: false,
    reason: 'no-issues-left',
  });
  assert.equal(issuesLeft(repeat({ issuesAuthorised: 3, issuesMade: 5 })), 0);
});

test('repeat until: orderable on the day, not the day after', () => {
  const t = repeat({ repeatUntil: '2026-12-01' });
  assert.equal(orderability(t, s, '2026-12-01').orderable, true);
  assert.deepEqual(orderability(t, s, '2026-12-02'), {
    orderable: false,
    reason: 'expired',
    on: '2026-12-01',
  });
});

test('HAZ-22 acute, repeat dispensing, not online, suspended and ended are never orderable, whatever the dates', () => {
  assert.deepEqual(orderability(repeat({ prescriptionType: 'acute' }), s, '2026-12-01'), {
    orderable: false,
    reason: 'acute',
  });
  assert.equal(
    orderability(repeat({ prescriptionType: 'repeat-dispensing' }), s, '2026-12-01').orderable,
    false,
  );
  assert.deepEqual(orderability(repeat({ onlineOrderable: false }), s, '2026-12-01'), {
    orderable: false,
    reason: 'not-online',
  });
  assert.deepEqual(orderability(repeat({ status: 'suspended' }), s, '2026-12-01'), {
    orderable: false,
    reason: 'suspended',
  });
  assert.deepEqual(orderability(repeat({ status: 'ended' }), s, '2026-12-01'), {
    orderable: false,
    reason: 'ended',
  });
  assert.deepEqual(orderability(repeat(), { ...s, onlineOrdering: false }, '2026-12-01'), {
    orderable: false,
    reason: 'ordering-off',
  });
});

test('an item waiting for a prescriber cannot be ordered again; after approval the dates decide', () => {
  assert.deepEqual(orderability(repeat({ openItem: 'requested' }), s, '2026-12-01'), {
    orderable: false,
    reason: 'already-requested',
    status: 'requested',
  });
  // Approved today: the issue is recorded, so the next one is too early, not blocked for ever.
  assert.deepEqual(orderability(repeat({ lastIssuedOn: '2026-12-01' }), s, '2026-12-01'), {
    orderable: false,
    reason: 'too-early',
    from: '2026-12-15',
    dueOn: '2026-12-22',
  });
});

test('HAZ-22 never "order from" a day after the review date or the end of the repeat', () => {
  // Too early until 24 November; the review falls on 20 November, before that.
  const review = repeat({ reviewDate: '2026-11-20' });
  assert.deepEqual(orderability(review, s, '2026-11-10'), {
    orderable: false,
    reason: 'review-due',
    on: '2026-11-20',
  });
  const reviewAfter = repeat({ reviewDate: '2026-11-25' });
  assert.deepEqual(orderability(reviewAfter, s, '2026-11-10'), {
    orderable: false,
    reason: 'too-early',
    from: '2026-11-24',
    dueOn: '2026-12-01',
  });
  // The review on the first day of the window itself: the review comes first.
  assert.deepEqual(orderability(repeat({ reviewDate: '2026-11-24' }), s, '2026-11-10'), {
    orderable: false,
    reason: 'review-due',
    on: '2026-11-24',
  });
  // The repeat ends the day before the window opens: it will never be orderable again.
  assert.deepEqual(orderability(repeat({ repeatUntil: '2026-11-23' }), s, '2026-11-10'), {
    orderable: false,
    reason: 'expired',
    on: '2026-11-23',
  });
  assert.equal(orderability(repeat({ repeatUntil: '2026-11-24' }), s, '2026-11-10').orderable, false);
  assert.equal(
    (orderability(repeat({ repeatUntil: '2026-11-24' }), s, '2026-11-10') as { reason: string }).reason,
    'too-early',
  );
});

test('HAZ-23 expected ready day: the practice turnaround in working days, skipping weekends and bank holidays', () => {
  assert.equal(expectedReadyOn('2026-12-01', s), '2026-12-03');
  assert.equal(expectedReadyOn('2026-12-04', s), '2026-12-08', 'ordered on a Friday');
  assert.equal(expectedReadyOn('2026-12-23', s), '2026-12-29', 'Christmas and the Boxing Day substitute');
  assert.equal(expectedReadyOn('2022-06-01', s), '2022-06-07', 'the 2022 jubilee holidays');
  assert.equal(expectedReadyOn('2023-05-05', { turnaroundDays: 3 }), '2023-05-11', 'the 2023 coronation');
});

test('overdue: older than the turnaround, not on the ready day itself', () => {
  assert.equal(isOverdue('2026-12-01', '2026-12-03', s), false);
  assert.equal(isOverdue('2026-12-01', '2026-12-04', s), true);
  assert.equal(isOverdue('2026-12-04', '2026-12-08', s), false, 'the weekend does not count');
});

test('item moves: approve and reject only from requested; no way back', () => {
  assert.equal(canMove('requested', 'approved'), true);
  assert.equal(canMove('requested', 'rejected'), true);
  assert.equal(canMove('approved', 'rejected'), false);
  assert.equal(canMove('rejected', 'approved'), false);
  assert.equal(canMove('cancelled', 'requested'), false);
  assert.equal(canMove('approved', 'issued'), true);
  assert.equal(canMove('issued', 'approved'), false);
  assert.equal(canMove('requested', 'issued'), false);
});

test('the shape of an order', () => {
  assert.deepEqual(orderShapeProblem([], null), { problem: 'no-items' });
  assert.deepEqual(orderShapeProblem(['a', 'b', 'a'], null), { problem: 'repeated-item', item: 'a' });
  assert.deepEqual(
    orderShapeProblem(
      Array.from({ length: 21 }, (_, i) => String(i)),
      null,
    ),
    {
      problem: 'too-many-items',
      max: 20,
    },
  );
  assert.deepEqual(orderShapeProblem(['a'], 'x'.repeat(501)), { problem: 'note-too-long', max: 500 });
  assert.equal(orderShapeProblem(['a', 'b'], 'x'.repeat(500)), null);
});
