import assert from 'node:assert/strict';
import test from 'node:test';
import type { ChecklistElement, ChecklistStatus } from '../../platform/db/schema.ts';
import { checklistInput, gapToTarget, planInput, rank, readiness, type TargetService } from './rules.ts';

test('readiness counts elements done or not needed; in progress does not count', () => {
  const s = new Map<ChecklistElement, ChecklistStatus>([
    ['funding', 'done'],
    ['toolkit', 'not-needed'],
    ['awareness', 'in-progress'],
    ['diary-time', 'not-started'],
  ]);
  assert.equal(readiness(s), 2);
  assert.equal(readiness(new Map()), 0);
});

test('the gap to target: services not offered, unknown when nothing is recorded', () => {
  const m = (a: boolean | null, p: boolean | null, r: boolean | null) =>
    new Map<TargetService, boolean | null>([
      ['appointments', a],
      ['prescriptions', p],
      ['detailed-coded-record', r],
    ]);
  assert.equal(gapToTarget(m(true, true, true)), 0);
  assert.equal(gapToTarget(m(true, false, null)), 2);
  assert.equal(gapToTarget(m(null, null, null)), null);
});

test('ranking: by readiness the most ready first, by gap the most to do first, then by name', () => {
  const rows = [
    { code: 'A', name: 'Beech', readiness: 3, gap: 1 },
    { code: 'B', name: 'Ash', readiness: 3, gap: 1 },
    { code: 'C', name: 'Cedar', readiness: 7, gap: 0 },
    { code: 'D', name: 'Damson', readiness: 1, gap: null },
    { code: 'E', name: 'Elm', readiness: 0, gap: 3 },
  ];
  assert.deepEqual(
    rank(rows, 'readiness').map((r) => r.code),
    ['C', 'B', 'A', 'D', 'E'],
  );
  assert.deepEqual(
    rank(rows, 'gap').map((r) => r.code),
    ['E', 'B', 'A', 'C', 'D'],
  );
});

test('a checklist item needs a known status; a date must be a real day (29 February only in a leap year)', () => {
  const ok = checklistInput({ status: 'done', onDate: '2016-02-29', owner: 'Dr A', notes: '' });
  assert.deepEqual(ok, { input: { status: 'done', onDate: '2016-02-29', owner: 'Dr A', notes: null } });
  const bad = checklistInput({ status: 'finished', onDate: '2013-02-29', owner: 'x'.repeat(201), notes: '' });
  assert.ok('problems' in bad);
  assert.deepEqual(
    bad.problems.map((p) => p.field),
    ['status', 'onDate', 'owner'],
  );
  // A part-filled date arrives as the parts joined: still not a day.
  assert.ok('problems' in checklistInput({ status: 'done', onDate: '/2/', owner: '', notes: '' }));
});

test('a plan must say something; a planned handover may be after today', () => {
  const none = planInput({ nextSteps: '', receivingOrg: '', owner: '', handoverOn: '', handover: '' });
  assert.ok('problems' in none && none.problems[0]?.field === 'nextSteps');
  const later = planInput({
    nextSteps: '',
    receivingOrg: 'QYG',
    owner: '',
    handoverOn: '2099-03-31',
    handover: '',
  });
  assert.ok('input' in later && later.input.handoverOn === '2099-03-31' && later.input.nextSteps === null);
});
