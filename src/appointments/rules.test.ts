import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  bookingReason,
  MAX_REASON,
  bookingRefusal,
  cancelRefusal,
  DEFAULT_RULES,
  describeRelease,
  effectiveRules,
  localInstant,
  nextStatuses,
  releasePlan,
  slotTimes,
  spokenWhen,
  templateDays,
  type BookingCheck,
  type PracticeRules,
} from './rules.ts';

const at = (s: string) => new Date(s);

test('slots run back to back in England time, across the clock change; a short remainder is unused', () => {
  const winter = slotTimes('2026-12-01', '08:00', '08:50', 15);
  assert.deepEqual(
    winter.map((s) => s.startsAt.toISOString()),
    ['2026-12-01T08:00:00.000Z', '2026-12-01T08:15:00.000Z', '2026-12-01T08:30:00.000Z'],
  );
  // British Summer Time: 08:00 in London is 07:00 UTC.
  assert.equal(
    slotTimes('2026-06-01', '08:00', '08:10', 10)[0]?.startsAt.toISOString(),
    '2026-06-01T07:00:00.000Z',
  );
  // The day the clocks go forward (29 March 2026): a morning clinic is still 08:00 local.
  assert.equal(
    slotTimes('2026-03-29', '08:00', '08:10', 10)[0]?.startsAt.toISOString(),
    '2026-03-29T07:00:00.000Z',
  );
});

test('weekly templates make sessions on their weekday within their dates', () => {
  assert.deepEqual(
    templateDays({ weekday: 1, validFrom: '2026-11-01', validUntil: null }, '2026-11-25', '2026-12-10'),
    ['2026-11-30', '2026-12-07'],
  );
  assert.deepEqual(
    templateDays(
      { weekday: 3, validFrom: '2026-12-01', validUntil: '2026-12-09' },
      '2026-11-25',
      '2026-12-31',
    ),
    ['2026-12-02', '2026-12-09'],
  );
});

const rules = (r: Partial<PracticeRules> = {}): PracticeRules => ({ ...DEFAULT_RULES, ...r });

test('release: at once, at 8am on the day, or N days before, in England time', () => {
  const slots = slotTimes('2026-12-03', '09:00', '09:30', 10);
  const now = at('2026-11-25T10:00:00Z');
  assert.ok(releasePlan(slots, rules(), now).every((p) => p.releaseAt.getTime() === now.getTime()));
  const onDay = releasePlan(slots, rules({ releaseDaysBefore: 0, releaseTime: '08:00' }), now);
  assert.ok(onDay.every((p) => p.releaseAt.toISOString() === '2026-12-03T08:00:00.000Z' && !p.heldBack));
  const twoBefore = releasePlan(slots, rules({ releaseDaysBefore: 2, releaseTime: '07:30' }), now);
  assert.equal(twoBefore[0]?.releaseAt.toISOString(), '2026-12-01T07:30:00.000Z');
  assert.equal(describeRelease({ releaseDaysBefore: 0, releaseTime: '08:00' }), 'at 8am on the day');
  assert.equal(describeRelease({ releaseDaysBefore: 2, releaseTime: '07:30' }), 'at 7:30am, 2 days before');
});

test('fair release: slots go to waves in turn, and a held-back share opens shortly before it starts', () => {
  const slots = slotTimes('2026-12-03', '08:30', '12:30', 15); // 16 slots
  const plan = releasePlan(
    slots,
    rules({
      releaseDaysBefore: 0,
      releaseTime: '08:00',
      releaseWaves: 3,
      waveIntervalMinutes: 60,
      heldBackPercent: 25,
    }),
    at('2026-11-25T10:00:00Z'),
  );
  const held = plan.filter((p) => p.heldBack);
  assert.equal(held.length, 4, '25% of 16');
  for (const [i, p] of plan.entries()) {
    const s = slots[i]!;
    if (p.heldBack)
      assert.equal(
        p.releaseAt.getTime(),
        Math.max(
          s.startsAt.getTime() - 120 * 60_000,
          localInstant('2026-12-03', '08:00').getTime() + (i % 3) * 3_600_000,
        ),
      );
    else
      assert.equal(
        p.releaseAt.getTime(),
        localInstant('2026-12-03', '08:00').getTime() + (i % 3) * 3_600_000,
      );
  }
  // Held-back slots are spread, not bunched at the start or end.
  const heldIdx = plan.flatMap((p, i) => (p.heldBack ? [i] : []));
  assert.deepEqual(heldIdx, [3, 7, 11, 15]);
});

const check = (c: Partial<BookingCheck> = {}): BookingCheck => ({
  now: at('2026-12-01T09:00:00Z'),
  slot: { startsAt: at('2026-12-02T10:00:00Z'), releaseAt: at('2026-12-01T08:00:00Z') },
  type: { bookableOnline: true, practiceOnly: false, active: true },
  rules: rules(),
  futureOnlineBookings: 0,
  recentMissed: 0,
  ...c,
});

test('booking: each rule refuses with its own reason and a plain message', () => {
  assert.equal(bookingRefusal(check()), null);
  const r = (c: Partial<BookingCheck>) => bookingRefusal(check(c))?.reason;
  assert.equal(
    r({ type: { bookableOnline: false, practiceOnly: false, active: true } }),
    'not-bookable-online',
  );
  assert.equal(
    r({ type: { bookableOnline: false, practiceOnly: true, active: true } }),
    'not-bookable-online',
  );
  assert.equal(
    r({ slot: { startsAt: at('2026-12-01T08:59:00Z'), releaseAt: at('2026-11-01T00:00:00Z') } }),
    'in-the-past',
  );
  assert.equal(
    r({ slot: { startsAt: at('2026-12-02T10:00:00Z'), releaseAt: at('2026-12-02T08:00:00Z') } }),
    'not-released',
  );
  assert.match(
    bookingRefusal(
      check({ slot: { startsAt: at('2026-12-02T10:00:00Z'), releaseAt: at('2026-12-02T08:00:00Z') } }),
    )?.message ?? '',
    /opens on Wednesday 2 December 2026 at 8am/,
  );
  assert.equal(r({ rules: rules({ horizonDays: 0 }) }), 'beyond-horizon');
  assert.equal(r({ futureOnlineBookings: 2 }), 'limit-reached');
  assert.equal(r({ futureOnlineBookings: 1 }), undefined);
  assert.equal(r({ recentMissed: 2 }), 'missed-appointments');
  assert.equal(
    r({ recentMissed: 5, rules: rules({ dnaLimit: 0 }) }),
    undefined,
    'a limit of 0 switches the lock-out off',
  );
});

test('a slot type’s own release and horizon win; guidance from both is shown', () => {
  const e = effectiveRules(
    rules({ releaseDaysBefore: 0, releaseTime: '08:00', horizonDays: 28, guidance: 'Practice text' }),
    {
      bookableOnline: true,
      practiceOnly: false,
      active: true,
      releaseDaysBefore: 7,
      releaseTime: '12:00',
      horizonDays: null,
      guidance: 'Type text',
    },
  );
  assert.deepEqual([e.releaseDaysBefore, e.releaseTime, e.horizonDays], [7, '12:00', 28]);
  assert.equal(e.guidance, 'Practice text\n\nType text');
});

test('cancelling: only booked, future appointments before the cut-off', () => {
  const base = {
    now: at('2026-12-01T09:00:00Z'),
    startsAt: at('2026-12-01T14:00:00Z'),
    status: 'booked',
    cutoffMinutes: 240,
  };
  assert.equal(cancelRefusal(base), null);
  assert.equal(cancelRefusal({ ...base, startsAt: at('2026-12-01T12:59:00Z') })?.reason, 'past-cut-off');
  assert.match(
    cancelRefusal({ ...base, startsAt: at('2026-12-01T12:59:00Z') })?.message ?? '',
    /4 hours before/,
  );
  assert.equal(cancelRefusal({ ...base, status: 'cancelled' })?.reason, 'not-cancellable');
});

test('staff record arrival, then seen or did not attend once it has started', () => {
  const now = at('2026-12-01T09:00:00Z');
  assert.deepEqual(nextStatuses('booked', at('2026-12-01T10:00:00Z'), now), ['arrived']);
  assert.deepEqual(nextStatuses('booked', at('2026-12-01T08:50:00Z'), now), [
    'arrived',
    'seen',
    'did-not-attend',
  ]);
  assert.deepEqual(nextStatuses('arrived', at('2026-12-01T08:50:00Z'), now), ['seen']);
  assert.deepEqual(nextStatuses('seen', at('2026-12-01T08:50:00Z'), now), []);
  assert.equal(spokenWhen(at('2026-06-01T09:30:00Z')), 'Monday 1 June 2026 at 10:30am');
});

test('a booking reason: trimmed, line breaks counted once, over 500 characters refused and never cut', () => {
  assert.deepEqual(bookingReason('  '), { reason: null, tooLong: false });
  assert.deepEqual(bookingReason(undefined), { reason: null, tooLong: false });
  assert.deepEqual(bookingReason(' Cough\r\nsince Monday '), {
    reason: 'Cough\nsince Monday',
    tooLong: false,
  });
  const exact = 'a'.repeat(MAX_REASON - 2) + '\r\n' + 'b';
  assert.deepEqual(bookingReason(exact), { reason: 'a'.repeat(498) + '\nb', tooLong: false });
  const long = bookingReason('x'.repeat(MAX_REASON + 1));
  assert.equal(long.tooLong, true);
  assert.equal(long.reason?.length, MAX_REASON + 1, 'kept whole, so the page can show it again');
});
