import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setupDone } from './present.ts';

test('what the set-up page says after a form: a sentence from a code and counts; anything else says nothing', () => {
  assert.equal(setupDone({ done: 'session', slots: '4' }), 'Session added with 4 slots.');
  assert.equal(setupDone({ done: 'session', slots: '1' }), 'Session added with 1 slot.');
  assert.equal(
    setupDone({ done: 'template', sessions: '2', slots: '24' }),
    'Weekly session added. In the next 2 weeks it makes 2 sessions with 24 slots.',
  );
  assert.equal(setupDone({ done: 'session', slots: 'lots' }), 'Session added.');
  assert.equal(setupDone({ done: 'rules' }), 'Online booking rules saved.');
  assert.equal(setupDone({ done: 'Rules saved by someone else' }), null);
  assert.equal(setupDone({ done: 'constructor' }), null);
  assert.equal(setupDone({}), null);
});
