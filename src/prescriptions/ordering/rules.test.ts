// Judging an order of several repeats: its shape, each item by the rules, the early reason.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Orderability } from '../rules.ts';
import { judgeOrder, optionalText } from './rules.ts';

const ok: Orderability = { orderable: true, early: false };
const early: Orderability = { orderable: true, early: true, dueOn: '2026-12-11', reasonRequired: true };
const earlyNoReason: Orderability = {
  orderable: true,
  early: true,
  dueOn: '2026-12-11',
  reasonRequired: false,
};
const tooEarly: Orderability = {
  orderable: false,
  reason: 'too-early',
  from: '2026-12-15',
  dueOn: '2026-12-22',
};
const repeats = new Map<string, Orderability>([
  ['a', ok],
  ['e', early],
  ['f', earlyNoReason],
  ['t', tooEarly],
]);
const judge = (items: string[], earlyReason: string | null = null, note: string | null = null) =>
  judgeOrder({ items, note, earlyReason, repeats });

test('every item orderable: ok, with the early ones named', () => {
  assert.deepEqual(judge(['a']), { ok: true, early: [], earlyReason: null });
  assert.deepEqual(judge(['a', 'e'], 'Away'), { ok: true, early: ['e'], earlyReason: 'Away' });
  assert.deepEqual(judge(['f']), { ok: true, early: ['f'], earlyReason: null });
});

test('each refused item is named with its rule; an unknown repeat too', () => {
  assert.deepEqual(judge(['a', 't', 'zz']), {
    ok: false,
    shape: null,
    refusals: [
      { item: 't', reason: 'too-early', from: '2026-12-15', dueOn: '2026-12-22' },
      { item: 'zz', reason: 'no-such-repeat' },
    ],
  });
});

test('an early item needs a reason when the practice asks; one given when nothing is early is dropped', () => {
  assert.deepEqual(judge(['e']), {
    ok: false,
    shape: null,
    refusals: [{ item: 'e', reason: 'early-reason-required' }],
  });
  assert.deepEqual(judge(['a'], 'Because'), { ok: true, early: [], earlyReason: null });
});

test('the shape first: no items, repeated, too long', () => {
  assert.equal(judge([]).ok, false);
  const twice = judge(['a', 'a']);
  assert.ok(!twice.ok && twice.shape === 'repeated-item');
  const long = judge(['a'], null, 'x'.repeat(501));
  assert.ok(!long.ok && long.shape === 'note-too-long');
  const longReason = judge(['e'], 'x'.repeat(501));
  assert.ok(!longReason.ok && longReason.shape === 'reason-too-long');
  assert.ok(judge(['e'], 'x'.repeat(500)).ok, '500 characters is allowed');
});

test('blank text is no text', () => {
  assert.equal(optionalText('   '), null);
  assert.equal(optionalText(undefined), null);
  assert.equal(optionalText(' hi '), 'hi');
});
