// Idempotency-Keys are one table for booking and ordering (keyed by account and key): an order's
// key lives in its own space, so a key the patient's app first sent with a booking orders afresh
// instead of answering with (or naming) the booking.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import * as idempotency from '../../platform/db/idempotency-store.ts';
import { fixedClock, testApp, type TestApp } from '../../../test/support/harness.ts';
import { addOrderer, addPractice, addRepeat, ODS, setSettings } from '../../../test/support/ordering.ts';

const clock = fixedClock('2026-12-07T10:00:00Z');
let t: TestApp;
before(async () => {
  t = await testApp({ clock });
  await addPractice(t);
  await setSettings(t, {});
});
after(async () => {
  await t.close();
});

test('a key first used for a booking never replays or names the booking when sent with an order', async () => {
  const p = await addOrderer(t, clock, { n: 900 });
  const a = await addRepeat(t, p.patientId);
  const key = 'shared-app-key-0001';
  const appointmentId = randomUUID();
  // The booking service's own calls with the key as the app sent it.
  await t.db.db.transaction().execute(async (tx) => {
    await idempotency.claimIdempotencyKey(tx, {
      accountId: p.accountId,
      key,
      practiceOds: ODS,
      requestHash: 'booking-hash',
      now: clock.now(),
    });
    await idempotency.storeIdempotentResponse(tx, {
      accountId: p.accountId,
      key,
      statusCode: 201,
      response: { id: appointmentId },
    });
  });
  const send = () =>
    t.app.inject({
      method: 'POST',
      url: '/api/v1/prescriptions/requests',
      headers: { authorization: `Bearer ${p.token}`, 'idempotency-key': key },
      payload: { items: [a] },
    });
  const first = await send();
  assert.equal(first.statusCode, 201, first.body);
  assert.doesNotMatch(first.body, new RegExp(appointmentId));
  const again = await send();
  assert.equal(again.statusCode, 200, 'a retry of the order replays the order');
  assert.equal(again.json<{ id: string }>().id, first.json<{ id: string }>().id);
  const booking = await t.db.db
    .selectFrom('idempotency_keys')
    .select('response')
    .where('account_id', '=', p.accountId)
    .where('key', '=', key)
    .executeTakeFirstOrThrow();
  assert.deepEqual(
    typeof booking.response === 'string' ? JSON.parse(booking.response) : booking.response,
    { id: appointmentId },
    'the booking’s answer is untouched',
  );
});
